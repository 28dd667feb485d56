//! One article's incident in the compact form merging works on.
//!
//! An annotated line can be megabytes (entities, clusters, every slot with
//! offsets); merging needs only what it compares (type, date, place,
//! perpetrator organisations), what it reconciles (casualty figures, with
//! their quotes) and where each report came from (article, incident id,
//! evidence spans). Keeping just that is what lets partitions fit in memory.
//! The same struct is the line format of the partition files.

use serde::{Deserialize, Serialize};

use crate::output;
use crate::text::calendar;
use crate::text::fold::fold;
use crate::text::outlets::is_outlet;
use crate::lexicon::GENERIC_NAME_WORDS;

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

/// A name the incident's own sentences give: a person, a group, a ship, a
/// shop, a street. Across articles a shared distinctive name is the
/// strongest sign of one event when dates are missing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Name {
    /// Comparison key: a person's surname, else the whole name, normalised.
    pub key: String,
    /// PER, ORG, MISC or LOC.
    pub label: String,
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
    /// Distinctive names in the incident's evidence (sorted, each once).
    #[serde(default)]
    pub names: Vec<Name>,
    /// Distinctive names elsewhere in the article (sorted, each once, none
    /// of `names`' keys): the ship, shop or person the article is about
    /// when the incident's own sentences only say "the vessel". Weaker
    /// evidence, since an article may recall an earlier event.
    #[serde(default)]
    pub context: Vec<Name>,
    /// The keys among `names` and `context` that name a target ("Sam's
    /// Club" in "outside a Bloomington Sam's Club").
    #[serde(default)]
    pub targets: Vec<String>,
    pub evidence: Vec<[u64; 2]>,
    pub confidence: f64,
}

/// How many days before publication an undated incident may have happened:
/// the linker's own horizon for "the news this article reports"
/// (`incident::dates::is_recent`).
pub const UNDATED_HORIZON_DAYS: i64 = 7;

/// Where a report came from; the key that orders sources and breaks ties.
pub type SourceKey<'a> = (bool, &'a str, &'a str, u32, u32, u64);

/// What merge reads of an annotated line: the article and its incidents,
/// each kept raw so one malformed incident costs only itself.
#[derive(Debug, Deserialize)]
pub struct ArticleView {
    pub id: String,
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub entities: Vec<output::Entity>,
    #[serde(default)]
    pub clusters: Option<Vec<output::Cluster>>,
    #[serde(default)]
    pub incidents: Option<Vec<Box<serde_json::value::RawValue>>>,
}

impl Report {
    /// Reads the incident at `position` of `article` (its line read as
    /// [`ArticleView`]). The message names the field that is wrong.
    pub fn from_line(raw: &str, article: &ArticleView, published: Option<&str>, position: u32, input: u32, line: u64) -> Result<Report, String> {
        let inc: output::Incident = serde_json::from_str(raw).map_err(|e| e.to_string())?;
        let (names, context) = names(article, &inc);
        let targets = target_keys(&inc, &names, &context);
        let date = match inc.date {
            None => None,
            Some(d) => Some(date(d)?),
        };
        let place = inc.location.map(|p| ReportedPlace { text: p.quote.text, city: p.city, admin1: p.admin1, country: p.country, lat: p.lat, lon: p.lon });
        let figure = |c: Option<output::Count>| c.map(|c| Figure { value: c.value, approx: c.approx, text: c.quote.text });
        let evidence: Vec<[u64; 2]> = inc.evidence.iter().map(|e| [e.start as u64, e.end as u64]).collect();
        Ok(Report {
            article: article.id.clone(),
            incident: inc.id,
            position,
            input,
            line,
            published: published.map(str::to_string),
            kind: inc.kind,
            date,
            place,
            // An outlet named as perpetrator is an extraction slip ("the
            // New York Daily News reported"); it must not keep reports apart.
            organizations: inc
                .perpetrator_organizations
                .into_iter()
                .filter(|o| !is_outlet(&o.name))
                .map(|o| Organization { name: o.name, text: o.quote.text, claimed: o.claimed })
                .collect(),
            claimed_by: inc.claimed_by.into_iter().map(|c| c.name).collect(),
            killed: figure(inc.casualties.killed),
            injured: figure(inc.casualties.injured),
            names,
            context,
            targets,
            evidence,
            confidence: inc.confidence,
        })
    }

    /// True when the date is known to the day: the only precision at which
    /// "± 1 day" means anything.
    pub fn is_day_precise(&self) -> bool {
        self.date.as_ref().is_some_and(|d| d.precision == "day")
    }

    /// The first and last day number the incident may have happened on:
    /// its date's day, month or year; for an undated incident the week up
    /// to its article's publication; None when neither is known.
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

/// The names of the entities inside the incident's evidence sentences and
/// of its perpetrators, by their in-article alias (so "Kirkpatrick" counts
/// as "Eric Allen Kirkpatrick"); and, apart, those of the rest of the
/// article. Towns, divisions and countries the geoparser resolved are left
/// to the place comparison, outlets are left out, and a person is compared
/// by surname, the part every outlet writes the same way.
fn names(article: &ArticleView, inc: &output::Incident) -> (Vec<Name>, Vec<Name>) {
    let cluster_name = |id: &Option<String>| -> Option<&str> {
        let id = id.as_deref()?;
        article.clusters.as_ref()?.iter().find(|c| c.id == id).map(|c| c.name.as_str())
    };
    let inside = |start: usize, end: usize| inc.evidence.iter().any(|e| start >= e.start && end <= e.end);
    let (mut own, mut context): (Vec<Name>, Vec<Name>) = (Vec::new(), Vec::new());
    // a sea or region ("Gulf of Aden") has no city, admin1 or country to compare: it stays a name
    let compared_as_place = |e: &output::Entity| e.geo.as_ref().is_some_and(|g| g.kind != "place");
    for e in article.entities.iter().filter(|e| !compared_as_place(e)) {
        let full = cluster_name(&e.cluster).unwrap_or(&e.text);
        let to = if inside(e.start, e.end) { &mut own } else { &mut context };
        to.extend(name_keys(full, &e.label));
    }
    for o in &inc.perpetrator_organizations {
        own.extend(name_keys(&o.name, "ORG"));
    }
    own.sort();
    own.dedup();
    context.retain(|n| !own.iter().any(|o| o.key == n.key));
    context.sort();
    context.dedup();
    (own, context)
}

/// The name keys a target quote contains: only named targets count ("Sam's
/// Club", "Jamaica Hospital"), never a description ("a merchant vessel").
fn target_keys(inc: &output::Incident, names: &[Name], context: &[Name]) -> Vec<String> {
    let mut keys: Vec<String> = inc
        .targets
        .iter()
        .flat_map(|t| normalise(&t.text).split(' ').map(str::to_string).collect::<Vec<_>>())
        .filter(|w| names.iter().chain(context).any(|n| n.key == *w))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// The comparison keys of one name: a person's surname (the part every
/// outlet writes the same way: "Kirkpatrick" for "Eric Allen
/// Kirkpatrick"); for anything else each word that says which one it is
/// ("sukanya" in "INS Sukanya", "winston" and "harry" in "Harry Winston").
/// Outlets, numbers and generic words give none.
fn name_keys(text: &str, label: &str) -> Vec<Name> {
    let norm = normalise(text);
    if is_outlet(text) {
        return Vec::new();
    }
    let words: Vec<&str> = norm.split(' ').filter(|w| w.chars().count() >= 3 && !w.bytes().all(|b| b.is_ascii_digit())).collect();
    let keys: Vec<&str> = match label {
        "PER" => words.into_iter().filter(|w| !matches!(*w, "jr" | "sr" | "iii")).last().filter(|w| w.len() >= 4).into_iter().collect(),
        _ => words.into_iter().filter(|w| !GENERIC_NAME_WORDS.contains(w) && !crate::geo::gazetteer::is_demonym(w)).collect(),
    };
    keys.into_iter().map(|k| Name { key: k.to_string(), label: label.to_string() }).collect()
}

fn date(d: output::Date) -> Result<ReportedDate, String> {
    let d = ReportedDate { text: d.quote.text, value: d.value, precision: d.precision };
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

/// An organisation name for comparison across articles: case, Latin
/// accents (as `text::fold` folds them), punctuation and a leading "the" do
/// not matter ("the Farabundo Martí Front" = "FARABUNDO MARTI FRONT",
/// "Lashkar-e-Jhangvi" = "Lashkar e Jhangvi", "Łódź" = "Lodz").
pub fn normalise(name: &str) -> String {
    let folded: String = fold(name).chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    if words.first() == Some(&"the") {
        words.remove(0);
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn incident() -> Value {
        json!({"id": "a#1", "type": "bombing",
            "date": {"text": "Friday", "start": 3, "end": 9, "value": "2024-05-10", "precision": "day"},
            "location": {"text": "Peshawar", "start": 20, "end": 28, "city": "Peshawar", "admin1": "PK.03", "country": "PK", "lat": 34.0, "lon": 71.5},
            "perpetrator_organizations": [{"text": "Taliban", "start": 40, "end": 47, "name": "Pakistani Taliban", "cluster": "c3", "claimed": true}],
            "perpetrator_individuals": [], "targets": [], "victims": [], "weapons": [],
            "casualties": {"killed": {"text": "At least 15", "start": 0, "end": 11, "value": 15, "approx": true}, "injured": null},
            "claimed_by": [{"text": "Taliban", "start": 40, "end": 47, "name": "Pakistani Taliban", "cluster": "c3"}],
            "evidence": [{"start": 0, "end": 60}], "confidence": 0.9})
    }

    fn article(incidents: &[Value]) -> (ArticleView, Vec<String>) {
        let line = json!({"id": "a", "published": null,
            "entities": [
                {"id": "m1", "text": "Kirkpatrick", "label": "PER", "start": 10, "end": 21, "score": 0.9, "cluster": "c1"},
                {"id": "m2", "text": "Peshawar", "label": "LOC", "start": 20, "end": 28, "score": 0.9,
                 "geo": {"id": 1168197, "name": "Peshawar", "kind": "city", "country": "PK", "admin1": "Khyber Pakhtunkhwa", "lat": 34.0, "lon": 71.5, "score": 0.9, "why": []}},
                {"id": "m3", "text": "Reuters", "label": "ORG", "start": 30, "end": 37, "score": 0.9},
                {"id": "m4", "text": "Harry Winston", "label": "ORG", "start": 100, "end": 113, "score": 0.9}],
            "clusters": [{"id": "c1", "name": "Eric Allen Kirkpatrick", "label": "PER", "mentions": ["m1"]}],
            "incidents": incidents});
        let view: ArticleView = serde_json::from_value(line).unwrap();
        let raws = view.incidents.iter().flatten().map(|r| r.get().to_string()).collect();
        (view, raws)
    }

    #[test]
    fn keeps_what_merge_needs_and_round_trips_as_a_partition_line() {
        let (view, raws) = article(&[incident()]);
        let r = Report::from_line(&raws[0], &view, Some("2024-05-11"), 0, 2, 7).unwrap();
        assert_eq!(r.kind, "bombing");
        assert_eq!(r.country(), Some("PK"));
        assert_eq!(r.organizations, vec![Organization { name: "Pakistani Taliban".into(), text: "Taliban".into(), claimed: true }]);
        assert_eq!(r.killed, Some(Figure { value: 15, approx: true, text: "At least 15".into() }));
        assert_eq!(r.injured, None);
        assert_eq!(r.evidence, vec![[0, 60]]);
        assert!(r.is_day_precise());
        let day = calendar::Day { y: 2024, m: 5, d: 10 }.ordinal();
        assert_eq!(r.window(), Some((day, day)));
        let line = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Report>(&line).unwrap(), r);
    }

    #[test]
    fn names_are_the_evidence_s_people_and_groups_by_alias_without_places_or_outlets() {
        let (view, raws) = article(&[incident()]);
        let r = Report::from_line(&raws[0], &view, None, 0, 0, 1).unwrap();
        let keys: Vec<(&str, &str)> = r.names.iter().map(|n| (n.key.as_str(), n.label.as_str())).collect();
        // Kirkpatrick by the surname of his alias cluster; Peshawar is a
        // resolved place; Reuters an outlet; Harry Winston outside the
        // evidence; "Pakistani" says whose, not which.
        assert_eq!(keys, [("kirkpatrick", "PER"), ("taliban", "ORG")]);
        let context: Vec<(&str, &str)> = r.context.iter().map(|n| (n.key.as_str(), n.label.as_str())).collect();
        assert_eq!(context, [("harry", "ORG"), ("winston", "ORG")], "names outside the evidence are the article's context");
        assert!(r.targets.is_empty());
    }

    #[test]
    fn named_targets_are_kept_by_their_name_keys_and_descriptions_are_not() {
        let mut inc = incident();
        inc["targets"] = json!([{"text": "Harry Winston store", "start": 100, "end": 119}, {"text": "a merchant vessel", "start": 0, "end": 17}]);
        let (view, raws) = article(&[inc]);
        let r = Report::from_line(&raws[0], &view, None, 0, 0, 1).unwrap();
        assert_eq!(r.targets, ["harry", "winston"]);
    }

    #[test]
    fn undated_incidents_cover_the_week_before_publication() {
        let mut inc = incident();
        inc["date"] = Value::Null;
        let (view, raws) = article(&[inc]);
        let r = Report::from_line(&raws[0], &view, Some("2024-05-11T06:00:00Z"), 0, 0, 1).unwrap();
        let day = calendar::Day { y: 2024, m: 5, d: 11 }.ordinal();
        assert_eq!(r.window(), Some((day - 7, day)));
        assert!(!r.is_day_precise());
        let unplaced = Report::from_line(&raws[0], &view, None, 0, 0, 1).unwrap();
        assert_eq!(unplaced.window(), None);
    }

    #[test]
    fn malformed_incidents_name_the_field() {
        let cases = [
            ("type", Value::Null, "expected a string"),
            ("date", json!({"text": "x", "start": 0, "end": 1, "value": "2024-13-01", "precision": "day"}), "date value \"2024-13-01\""),
            ("date", json!({"text": "x", "start": 0, "end": 1, "value": "2024-05", "precision": "day"}), "at precision \"day\""),
            ("casualties", json!({"killed": {"text": "x", "start": 0, "end": 1, "value": -3, "approx": false}, "injured": null}), "invalid value: integer `-3`"),
            ("perpetrator_organizations", json!([{"claimed": true}]), "missing field"),
            ("evidence", json!("0-60"), "invalid type: string \"0-60\""),
            ("location", json!({"text": "x", "start": 0, "end": 1, "city": null, "admin1": null, "country": 7, "lat": null, "lon": null}), "invalid type: integer `7`"),
        ];
        for (key, value, want) in cases {
            let mut inc = incident();
            inc[key] = value;
            let (view, raws) = article(&[inc]);
            let err = Report::from_line(&raws[0], &view, None, 0, 0, 1).unwrap_err();
            assert!(err.contains(want), "{key}: {err}");
        }
        let (view, _) = article(&[]);
        assert!(Report::from_line("[1]", &view, None, 0, 0, 1).unwrap_err().contains("invalid type"));
    }
}
