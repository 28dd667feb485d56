//! MUC-4 incident date and country accuracy of linker output, against the
//! raw MUC-4 answer keys (`key-dev-*.muc4`): the figures the incident issue
//! asks for, computed by library code a CLI command can call.
//!
//! A key template counts as matched when some incident the linker reported
//! for the same message has its date (a month-precision value matches any
//! day of that month) or its country. Templates for messages without a
//! relevant incident ("MESSAGE: TEMPLATE *") are not scored.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::eval::ensure_scorable;
use crate::incident::gazetteer::gazetteer;

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
    /// ISO `YYYY-MM-DD` or `YYYY-MM`.
    pub date: Option<String>,
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
                out.push(KeyTemplate { message: id, date: None, country: None });
            }
            "MESSAGE: TEMPLATE" => relevant = value != "*",
            "INCIDENT: DATE" if relevant => {
                if let Some(t) = out.last_mut() {
                    t.date = key_date(value);
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
    out.retain(|t| t.date.is_some() || t.country.is_some());
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

/// The first "DD MON YY" (else "MON YY") of a key date such as "- 21 NOV 89"
/// or "18 JUN 89 - 19 JUN 89".
fn key_date(value: &str) -> Option<String> {
    let words: Vec<&str> = value.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let month = |w: &str| MONTHS.iter().position(|m| *m == w).map(|i| i + 1);
    let year = |w: &str| (w.len() == 2).then(|| w.parse::<u32>().ok()).flatten().map(|y| if y < 50 { 2000 + y } else { 1900 + y });
    for k in 0..words.len() {
        let (Some(m), Some(y)) = (words.get(k + 1).and_then(|w| month(w)), words.get(k + 2).and_then(|w| year(w))) else { continue };
        if let Ok(d) = words[k].parse::<u32>() {
            return Some(format!("{y:04}-{m:02}-{d:02}"));
        }
    }
    (0..words.len()).find_map(|k| Some(format!("{:04}-{:02}", year(words.get(k + 1)?)?, month(words[k])?)))
}

/// The country of a key location "EL SALVADOR: SAN MIGUEL (DEPARTMENT): …".
fn key_country(value: &str) -> Option<&'static str> {
    let first = value.split([':', '/']).next()?.trim().trim_start_matches('(').trim();
    gazetteer().country(first)
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
            date_hit |= key.date.as_deref().is_some_and(|d| !value.is_empty() && (d == value || value.len() == 7 && d.starts_with(value)));
            country_hit |= key.country.is_some_and(|c| inc.location.as_ref().and_then(|l| l.country.as_deref()) == Some(c));
        }
        if key.date.is_some() {
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
        assert_eq!(keys[0], KeyTemplate { message: "DEV-MUC3-0001".into(), date: Some("1989-12-30".into()), country: Some("SV") });
        assert_eq!(keys[1].date.as_deref(), Some("1990-01-03"));
        assert_eq!(key_date("18 JUN 89 - 19 JUN 89").as_deref(), Some("1989-06-18"));
        assert_eq!(key_date("JUN 89").as_deref(), Some("1989-06"));
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
}
