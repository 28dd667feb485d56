//! One article's incident in the compact form merging works on.
//!
//! An annotated line can be megabytes (entities, clusters, every slot with
//! offsets); merging needs only what it compares (type, date, place,
//! perpetrator organisations), what it reconciles (casualty figures, with
//! their quotes) and where each report came from (article, incident id,
//! evidence spans). Keeping just that is what lets partitions fit in memory.
//! The same struct is the line format of the partition files.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::calendar;

/// A date as the article's incident gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportedDate {
    pub text: String,
    pub value: String,
    pub precision: String,
}

/// A place as the article's incident gave it (GeoNames fields may be null).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportedPlace {
    pub text: String,
    pub city: Option<String>,
    pub admin1: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// A perpetrator organisation: its cluster name and the mention that cast it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub name: String,
    pub text: String,
    pub claimed: bool,
}

/// A casualty figure with the words it was read from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub value: u64,
    pub approx: bool,
    pub text: String,
}

/// One incident of one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The article's id.
    pub article: String,
    /// The incident's id (`<article>#<n>`).
    pub incident: String,
    /// Index of the incident in its article, and where the line was read:
    /// together a total order, so every tie breaks the same way.
    pub position: u32,
    pub input: u32,
    pub line: u64,
    pub published: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub date: Option<ReportedDate>,
    pub place: Option<ReportedPlace>,
    pub organizations: Vec<Organization>,
    pub claimed_by: Vec<String>,
    pub killed: Option<Figure>,
    pub injured: Option<Figure>,
    pub evidence: Vec<[u64; 2]>,
    pub confidence: f64,
}

/// How many days before publication an undated incident may have happened:
/// the linker's own horizon for "the news this article reports"
/// (`incident::dates::is_recent`).
pub const UNDATED_HORIZON_DAYS: i64 = 7;

/// Where a report came from; the key that orders sources and breaks ties.
pub type SourceKey<'a> = (bool, &'a str, &'a str, u32, u32, u64);

impl Report {
    /// Reads the incident at `position` of the annotated line whose id is
    /// `article`. The message names the field that is wrong.
    pub fn from_json(inc: &Value, article: &str, published: Option<&str>, position: u32, input: u32, line: u64) -> Result<Report, String> {
        let obj = inc.as_object().ok_or("is not a JSON object")?;
        let date = match obj.get("date") {
            None | Some(Value::Null) => None,
            Some(d) => Some(date(d)?),
        };
        let place = match obj.get("location") {
            None | Some(Value::Null) => None,
            Some(p) => Some(place(p)?),
        };
        let casualties = obj.get("casualties").and_then(Value::as_object);
        let figure = |key: &str| match casualties.and_then(|c| c.get(key)) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => count(v).map(Some).map_err(|e| format!("casualties.{key} {e}")),
        };
        let report = Report {
            article: article.to_string(),
            incident: string(obj, "id")?,
            position,
            input,
            line,
            published: published.map(str::to_string),
            kind: string(obj, "type")?,
            date,
            place,
            organizations: list(obj, "perpetrator_organizations", organization)?,
            claimed_by: list(obj, "claimed_by", |c| c.get("name").and_then(Value::as_str).map(str::to_string).ok_or_else(|| "has no \"name\"".to_string()))?,
            killed: figure("killed")?,
            injured: figure("injured")?,
            evidence: list(obj, "evidence", span)?,
            confidence: obj.get("confidence").and_then(Value::as_f64).ok_or("has no numeric \"confidence\"")?,
        };
        Ok(report)
    }

    /// True when the date is known to the day: the only precision at which
    /// "± 1 day" means anything.
    pub fn is_day_precise(&self) -> bool {
        self.date.as_ref().is_some_and(|d| d.precision == "day")
    }

    /// The first and last day number the incident may have happened on:
    /// its date's day, month or year; for an undated incident the week up
    /// to its article's publication; None when neither is known — such a
    /// report cannot be placed in time and is never merged.
    pub fn window(&self) -> Option<(i64, i64)> {
        match &self.date {
            Some(d) => calendar::range(&d.value),
            None => {
                let (_, day) = calendar::range(self.published.as_deref()?.get(..10)?)?;
                Some((day - UNDATED_HORIZON_DAYS, day))
            }
        }
    }

    pub fn country(&self) -> Option<&str> {
        self.place.as_ref()?.country.as_deref()
    }

    /// Sources are listed in publication order (undated articles last),
    /// then by article id and incident number.
    pub fn source_key(&self) -> SourceKey<'_> {
        let published = self.published.as_deref();
        (published.is_none(), published.unwrap_or(""), &self.article, self.position, self.input, self.line)
    }
}

fn string(obj: &Map<String, Value>, key: &str) -> Result<String, String> {
    obj.get(key).and_then(Value::as_str).map(str::to_string).ok_or_else(|| format!("has no \"{key}\" string"))
}

fn opt_string(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("\"{key}\" is neither a string nor null")),
    }
}

/// The items of an array field (absent counts as empty), each read by `item`.
fn list<T>(obj: &Map<String, Value>, key: &str, item: impl Fn(&Map<String, Value>) -> Result<T, String>) -> Result<Vec<T>, String> {
    let Some(v) = obj.get(key) else { return Ok(Vec::new()) };
    let arr = v.as_array().ok_or_else(|| format!("\"{key}\" is not an array"))?;
    arr.iter()
        .enumerate()
        .map(|(i, x)| x.as_object().ok_or_else(|| "is not an object".to_string()).and_then(&item).map_err(|e| format!("{key}[{i}] {e}")))
        .collect()
}

fn date(v: &Value) -> Result<ReportedDate, String> {
    let obj = v.as_object().ok_or("date is not an object")?;
    let d = ReportedDate {
        text: opt_string(obj, "text")?.unwrap_or_default(),
        value: string(obj, "value").map_err(|e| format!("date {e}"))?,
        precision: string(obj, "precision").map_err(|e| format!("date {e}"))?,
    };
    let shape = match d.value.len() {
        4 => "year",
        7 => "month",
        _ => "day",
    };
    if calendar::range(&d.value).is_none() || d.value.len() > 10 || shape != d.precision {
        return Err(format!("date value {:?} is not an ISO date at precision {:?}", d.value, d.precision));
    }
    Ok(d)
}

fn place(v: &Value) -> Result<ReportedPlace, String> {
    let obj = v.as_object().ok_or("location is not an object")?;
    let field = |key: &str| opt_string(obj, key).map_err(|e| format!("location {e}"));
    Ok(ReportedPlace {
        text: field("text")?.unwrap_or_default(),
        city: field("city")?,
        admin1: field("admin1")?,
        country: field("country")?,
        lat: obj.get("lat").and_then(Value::as_f64),
        lon: obj.get("lon").and_then(Value::as_f64),
    })
}

fn organization(obj: &Map<String, Value>) -> Result<Organization, String> {
    let name = string(obj, "name")?;
    Ok(Organization {
        text: opt_string(obj, "text")?.unwrap_or_else(|| name.clone()),
        name,
        claimed: obj.get("claimed").and_then(Value::as_bool).unwrap_or(false),
    })
}

fn count(v: &Value) -> Result<Figure, String> {
    let obj = v.as_object().ok_or("is not an object")?;
    Ok(Figure {
        value: obj.get("value").and_then(Value::as_u64).ok_or("has no non-negative integer \"value\"")?,
        approx: obj.get("approx").and_then(Value::as_bool).unwrap_or(false),
        text: opt_string(obj, "text")?.unwrap_or_default(),
    })
}

fn span(obj: &Map<String, Value>) -> Result<[u64; 2], String> {
    let at = |key: &str| obj.get(key).and_then(Value::as_u64).ok_or_else(|| format!("has no \"{key}\" offset"));
    Ok([at("start")?, at("end")?])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn incident() -> Value {
        json!({"id": "a#1", "type": "bombing",
            "date": {"text": "Friday", "start": 3, "end": 9, "value": "2024-05-10", "precision": "day"},
            "location": {"text": "Peshawar", "start": 20, "end": 28, "city": "Peshawar", "admin1": "PK.03", "country": "PK", "lat": 34.0, "lon": 71.5},
            "perpetrator_organizations": [{"name": "Pakistani Taliban", "cluster": "c3", "claimed": true, "text": "Taliban", "start": 40, "end": 47}],
            "perpetrator_individuals": [], "targets": [], "victims": [], "weapons": [],
            "casualties": {"killed": {"text": "At least 15", "start": 0, "end": 11, "value": 15, "approx": true}, "injured": null},
            "claimed_by": [{"name": "Pakistani Taliban", "cluster": "c3", "text": "Taliban", "start": 40, "end": 47}],
            "evidence": [{"start": 0, "end": 60}], "confidence": 0.9})
    }

    #[test]
    fn keeps_what_merge_needs_and_round_trips_as_a_partition_line() {
        let r = Report::from_json(&incident(), "a", Some("2024-05-11"), 0, 2, 7).unwrap();
        assert_eq!(r.kind, "bombing");
        assert_eq!(r.country(), Some("PK"));
        assert_eq!(r.organizations, vec![Organization { name: "Pakistani Taliban".into(), text: "Taliban".into(), claimed: true }]);
        assert_eq!(r.killed, Some(Figure { value: 15, approx: true, text: "At least 15".into() }));
        assert_eq!(r.injured, None);
        assert_eq!(r.evidence, vec![[0, 60]]);
        assert!(r.is_day_precise());
        let day = calendar::day_number(2024, 5, 10);
        assert_eq!(r.window(), Some((day, day)));
        let line = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Report>(&line).unwrap(), r);
    }

    #[test]
    fn undated_incidents_cover_the_week_before_publication() {
        let mut inc = incident();
        inc["date"] = Value::Null;
        let r = Report::from_json(&inc, "a", Some("2024-05-11T06:00:00Z"), 0, 0, 1).unwrap();
        let day = calendar::day_number(2024, 5, 11);
        assert_eq!(r.window(), Some((day - 7, day)));
        assert!(!r.is_day_precise());
        let unplaced = Report::from_json(&inc, "a", None, 0, 0, 1).unwrap();
        assert_eq!(unplaced.window(), None);
    }

    #[test]
    fn malformed_incidents_name_the_field() {
        let cases = [
            ("type", Value::Null, "has no \"type\" string"),
            ("date", json!({"text": "x", "value": "2024-13-01", "precision": "day"}), "date value \"2024-13-01\""),
            ("date", json!({"text": "x", "value": "2024-05", "precision": "day"}), "at precision \"day\""),
            ("casualties", json!({"killed": {"value": -3}, "injured": null}), "casualties.killed has no non-negative"),
            ("perpetrator_organizations", json!([{"claimed": true}]), "perpetrator_organizations[0] has no \"name\""),
            ("evidence", json!("0-60"), "\"evidence\" is not an array"),
            ("location", json!({"country": 7}), "location \"country\" is neither"),
        ];
        for (key, value, want) in cases {
            let mut inc = incident();
            inc[key] = value;
            let err = Report::from_json(&inc, "a", None, 0, 0, 1).unwrap_err();
            assert!(err.contains(want), "{key}: {err}");
        }
        assert!(Report::from_json(&json!([1]), "a", None, 0, 0, 1).unwrap_err().contains("not a JSON object"));
    }
}
