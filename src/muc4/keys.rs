//! MUC-4 incident date and country accuracy of linker output, against the
//! raw MUC-4 answer keys (`key-dev-*.muc4`): the figures the incident issue
//! asks for, computed by library code a CLI command can call.
//!
//! A key template counts as matched when some incident the linker reported
//! for the same message has its date or its country. A key date may be a
//! day ("30 DEC 89"), a month ("JAN 90"), a span the event lies in ("31 MAR
//! 90 - 01 APR 90": any day of it matches) or alternatives ("(08 MAR 90) /
//! (07 MAR 90 - 08 MAR 90)": any of them matches); "- 29 DEC 89" (on or
//! before) matches only that day, so an early guess earns nothing. A
//! month-precision value matches a key whose span reaches into that month.
//! Templates for messages without a relevant incident ("MESSAGE: TEMPLATE
//! *") are not scored.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::eval::ensure_scorable;
use crate::text::calendar;

/// What the score reads of an output line: its id, each incident's date
/// value and country.
#[derive(Debug, Clone, Deserialize)]
pub struct DatedLine {
    pub id: String,
    #[serde(default)]
    incidents: Option<Vec<DatedIncident>>,
}

#[derive(Debug, Clone, Deserialize)]
struct DatedIncident {
    #[serde(default)]
    date: Option<DateValue>,
    #[serde(default)]
    location: Option<Country>,
}

#[derive(Debug, Clone, Deserialize)]
struct DateValue {
    value: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Country {
    #[serde(default)]
    country: Option<String>,
}

/// The scored slots of one answer-key template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyTemplate {
    pub message: String,
    /// The days the key accepts: inclusive ISO `YYYY-MM-DD` spans, one per
    /// alternative (a day is a span of one); empty when the key has no date.
    pub date: Vec<(String, String)>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<&'static str>,
}

/// Matched and scored counts for dates and countries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Accuracy {
    pub dates: usize,
    pub dates_matched: usize,
    pub countries: usize,
    pub countries_matched: usize,
}

impl Accuracy {
    pub fn date_accuracy(&self) -> f64 {
        ratio(self.dates_matched, self.dates)
    }
    pub fn country_accuracy(&self) -> f64 {
        ratio(self.countries_matched, self.countries)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Templates of a raw key file; numbered lines are `N.  FIELD  VALUE`.
pub fn parse_keys(text: &str) -> Vec<KeyTemplate> {
    let mut out: Vec<KeyTemplate> = Vec::new();
    let mut relevant = false;
    for line in text.lines() {
        let Some((field, value)) = field_line(line) else { continue };
        match field {
            "MESSAGE: ID" => {
                let id = value.split_whitespace().next().unwrap_or_default().to_string();
                out.push(KeyTemplate { message: id, date: Vec::new(), country: None });
            }
            "MESSAGE: TEMPLATE" => relevant = value != "*",
            "INCIDENT: DATE" if relevant => {
                if let Some(t) = out.last_mut() {
                    t.date = key_dates(value);
                }
            }
            "INCIDENT: LOCATION" if relevant => {
                if let Some(t) = out.last_mut() {
                    t.country = key_country(value);
                }
            }
            _ => {}
        }
    }
    out.retain(|t| !t.date.is_empty() || t.country.is_some());
    out
}

fn field_line(line: &str) -> Option<(&str, &str)> {
    let (number, rest) = line.trim_start().split_once('.')?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = rest.trim_start();
    let (field, value) = rest.split_once("  ").unwrap_or((rest, ""));
    Some((field.trim(), value.trim()))
}

const MONTHS: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/// The dates of a key date field as ISO days or months, in order
/// ("18 JUN 89 - 19 JUN 89" gives 1989-06-18 and 1989-06-19; "JUN 89" 1989-06).
fn key_days(value: &str) -> Vec<String> {
    let words: Vec<&str> = value.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let month = |w: &str| MONTHS.iter().position(|m| *m == w).map(|i| i + 1);
    let year = |w: &str| (w.len() == 2).then(|| w.parse::<u32>().ok()).flatten().map(|y| if y < 50 { 2000 + y } else { 1900 + y });
    let mut out = Vec::new();
    let mut k = 0;
    while k < words.len() {
        if let (Ok(d), Some(m), Some(y)) = (words[k].parse::<u32>(), words.get(k + 1).and_then(|w| month(w)), words.get(k + 2).and_then(|w| year(w))) {
            out.push(calendar::iso(y as i32, Some(m as u32), Some(d)));
            k += 3;
        } else if let (Some(m), Some(y)) = (month(words[k]), words.get(k + 1).and_then(|w| year(w))) {
            out.push(calendar::iso(y as i32, Some(m as u32), None));
            k += 2;
        } else {
            k += 1;
        }
    }
    out
}

/// The spans a key date accepts, one per "/" alternative: "A - B" is A to
/// B, "- B" (on or before B) and "A" are that day, a month is all of it.
fn key_dates(value: &str) -> Vec<(String, String)> {
    let whole = |d: &str| if d.len() == 7 { (format!("{d}-01"), format!("{d}-31")) } else { (d.to_string(), d.to_string()) };
    value
        .split('/')
        .filter_map(|alt| {
            let days = key_days(alt);
            let open = alt.trim().trim_start_matches('(').trim_start().starts_with('-');
            match days.as_slice() {
                [a, b, ..] if !open => Some((whole(a).0, whole(b).1)),
                [a, ..] => Some(whole(a)),
                [] => None,
            }
        })
        .collect()
}

/// Whether an incident's date value (`YYYY-MM-DD`, or `YYYY-MM` for a
/// month) falls in a key span.
fn in_span(value: &str, (from, to): &(String, String)) -> bool {
    match value.len() {
        10 => from.as_str() <= value && value <= to.as_str(),
        7 => &from[..7] <= value && value <= &to[..7],
        _ => false,
    }
}

/// The country of a key location "EL SALVADOR: SAN MIGUEL (DEPARTMENT): …".
fn key_country(value: &str) -> Option<&'static str> {
    let first = value.split([':', '/']).next()?.trim().trim_start_matches('(').trim();
    crate::geo::gazetteer().country_named(first).map(|p| p.country)
}

/// The answer-key score of one run: how many messages the lines annotate,
/// how many key templates of those messages are scored, and how well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyScore {
    pub messages: usize,
    pub templates: usize,
    pub accuracy: Accuracy,
}

/// Scores the output lines in `pred` against the raw answer-key files
/// `keys`, over the templates of the messages `pred` annotates (lines that
/// are not output lines are skipped).
pub fn score_key_files(keys: &[PathBuf], pred: &Path) -> Result<KeyScore> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| Error::Input { path: p.display().to_string(), message: e.to_string() });
    let mut templates = Vec::new();
    for k in keys {
        templates.extend(parse_keys(&String::from_utf8_lossy(&read(k)?)));
    }
    let text = String::from_utf8(read(pred)?).map_err(|e| Error::Input { path: pred.display().to_string(), message: e.to_string() })?;
    let lines: Vec<DatedLine> = text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let ids: HashSet<&str> = lines.iter().map(|l| l.id.as_str()).collect();
    let key_names = keys.iter().map(|k| k.display().to_string()).collect::<Vec<_>>().join(", ");
    let keyed: HashSet<&str> = templates.iter().map(|t| t.message.as_str()).collect();
    ensure_scorable(Path::new(&key_names), keyed.len(), Some((pred, ids.iter().filter(|i| keyed.contains(*i)).count())))?;
    templates.retain(|t| ids.contains(t.message.as_str()));
    Ok(KeyScore { messages: ids.len(), templates: templates.len(), accuracy: date_country_accuracy(&templates, &lines) })
}

/// Accuracy of output lines (as the linker writes them) against `keys`.
pub fn date_country_accuracy(keys: &[KeyTemplate], lines: &[DatedLine]) -> Accuracy {
    let mut acc = Accuracy::default();
    for key in keys {
        let incidents = lines.iter().filter(|l| l.id == key.message).flat_map(|l| l.incidents.iter().flatten());
        let (mut date_hit, mut country_hit) = (false, false);
        for inc in incidents {
            let value = inc.date.as_ref().map_or("", |d| d.value.as_str());
            date_hit |= key.date.iter().any(|span| in_span(value, span));
            country_hit |= key.country.is_some_and(|c| inc.location.as_ref().and_then(|l| l.country.as_deref()) == Some(c));
        }
        if !key.date.is_empty() {
            acc.dates += 1;
            acc.dates_matched += usize::from(date_hit);
        }
        if key.country.is_some() {
            acc.countries += 1;
            acc.countries_matched += usize::from(country_hit);
        }
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // Shaped like the MUC-4 answer keys (public domain).
    const KEYS: &str = "
0.  MESSAGE: ID                     DEV-MUC3-0001 (NCCOSC)
1.  MESSAGE: TEMPLATE               1
2.  INCIDENT: DATE                  30 DEC 89
3.  INCIDENT: LOCATION              EL SALVADOR: SAN MIGUEL (DEPARTMENT): SAN LUIS DE LA REINA (TOWN)
4.  INCIDENT: TYPE                  KIDNAPPING
6.  INCIDENT: INSTRUMENT ID         \"MORTAR\"
                                    \"RIFLE\"

0.  MESSAGE: ID                     DEV-MUC3-0001 (NCCOSC)
1.  MESSAGE: TEMPLATE               2
2.  INCIDENT: DATE                  - 03 JAN 90
3.  INCIDENT: LOCATION              EL SALVADOR: APOPA (CITY)

0.  MESSAGE: ID                     DEV-MUC3-0002 (NCCOSC)
1.  MESSAGE: TEMPLATE               *
2.  INCIDENT: DATE                  *
3.  INCIDENT: LOCATION              *
";

    #[test]
    fn parses_key_dates_and_countries() {
        let keys = parse_keys(KEYS);
        assert_eq!(keys.len(), 2, "the irrelevant message is not scored");
        let day = |d: &str| (d.to_string(), d.to_string());
        assert_eq!(keys[0], KeyTemplate { message: "DEV-MUC3-0001".into(), date: vec![day("1989-12-30")], country: Some("SV") });
        assert_eq!(keys[1].date, [day("1990-01-03")], "on or before: that day only");
        assert_eq!(key_dates("18 JUN 89 - 19 JUN 89"), [("1989-06-18".to_string(), "1989-06-19".to_string())]);
        assert_eq!(key_dates("JUN 89"), [("1989-06-01".to_string(), "1989-06-31".to_string())]);
        assert_eq!(key_dates("(09 DEC 89) / (- 09 DEC 89)"), [day("1989-12-09"), day("1989-12-09")]);
        assert_eq!(key_dates("(08 MAR 90) / (07 MAR 90 - 08 MAR 90)"), [day("1990-03-08"), ("1990-03-07".to_string(), "1990-03-08".to_string())]);
        assert!(key_dates("-").is_empty());
        assert_eq!(key_country("COLOMBIA / VENEZUELA"), Some("CO"));
    }

    #[test]
    fn scores_any_incident_of_the_message() {
        let keys = parse_keys(KEYS);
        let lines = [serde_json::from_value(json!({"id": "DEV-MUC3-0001", "incidents": [
            {"date": {"value": "1989-12"}, "location": {"country": "SV"}},
            {"date": null, "location": null}
        ]}))
        .unwrap()];
        let acc = date_country_accuracy(&keys, &lines);
        assert_eq!(acc, Accuracy { dates: 2, dates_matched: 1, countries: 2, countries_matched: 2 });
        assert_eq!(acc.date_accuracy(), 0.5);
    }

    #[test]
    fn a_day_inside_a_span_or_an_alternative_matches_and_an_early_guess_does_not() {
        let span = key_dates("31 MAR 90 - 01 APR 90");
        assert!(in_span("1990-03-31", &span[0]) && in_span("1990-04-01", &span[0]) && !in_span("1990-04-02", &span[0]));
        assert!(in_span("1990-03", &span[0]) && in_span("1990-04", &span[0]) && !in_span("1990-02", &span[0]));
        let alternatives = key_dates("(16 SEP 89) / (15 SEP 89 - 16 SEP 89)");
        assert!(alternatives.iter().any(|s| in_span("1989-09-15", s)));
        let on_or_before = key_dates("- 28 APR 89");
        assert!(in_span("1989-04-28", &on_or_before[0]) && !in_span("1989-04-27", &on_or_before[0]));
        assert!(!in_span("", &on_or_before[0]) && !in_span("1989", &on_or_before[0]));
    }
}
