//! The output form of clusters and incidents (see schema/incident-record.schema.json).
//!
//! Spans are converted to code-point offsets here, once, like the entities
//! in `Document::to_output`.

use super::aliases::Cluster;
use super::link::Incident;
use super::numbers::Count;
use super::roles::Individual;
use super::units::Unit;
use crate::document::{Document, Span};
use crate::text::offsets::CharIndex;
use serde_json::{json, Map, Value};

/// Everything the JSON of one document's incidents is built from.
pub struct Record<'a> {
    pub doc: &'a Document,
    pub chars: CharIndex,
    pub clusters: &'a [Cluster],
    /// Cluster index of each mention.
    pub cluster_of: Vec<usize>,
    pub units: &'a [Unit],
}

impl Record<'_> {
    fn piece(&self, s: Span) -> Value {
        json!({"text": self.doc.slice(s), "start": self.chars.char_of(s.start), "end": self.chars.char_of(s.end)})
    }

    /// `[{"id", "name", "label", "mentions"}]`, every mention in one cluster.
    pub fn clusters(&self) -> Value {
        let list = self.clusters.iter().enumerate().map(|(i, c)| {
            let ids: Vec<String> = c.members.iter().map(|m| format!("m{}", m + 1)).collect();
            json!({"id": format!("c{}", i + 1), "name": c.name, "label": c.label, "mentions": ids})
        });
        Value::Array(list.collect())
    }

    pub fn incident(&self, number: usize, inc: &Incident) -> Value {
        let units: Vec<&Unit> = inc.units.iter().map(|&i| &self.units[i]).collect();
        let date = inc.date.map(|d| {
            let mut v = self.piece(d.span);
            v["value"] = json!(d.value.iso());
            v["precision"] = json!(d.value.precision());
            v
        });
        let location = inc.place.map(|p| {
            let mut v = self.piece(p.span);
            v["city"] = json!(p.city.map(|c| c.name));
            v["admin1"] = json!(p.city.filter(|c| !c.admin1.is_empty()).map(|c| format!("{}.{}", c.country, c.admin1)));
            v["country"] = json!(p.country);
            v["lat"] = json!(p.city.map(|c| c.lat));
            v["lon"] = json!(p.city.map(|c| c.lon));
            v
        });
        let (organisations, claimed_by) = self.organisations(&units);
        let pieces = |f: fn(&Unit) -> &Vec<Span>| self.pieces(units.iter().flat_map(|u| f(u).iter().copied()));
        let killed = units.iter().filter_map(|u| u.casualties.killed).max_by_key(|c| c.value);
        let injured = units.iter().filter_map(|u| u.casualties.injured).max_by_key(|c| c.value);
        let mut evidence: Vec<Span> = units.iter().map(|u| self.doc.sentences[u.sentence]).collect();
        evidence.dedup();
        let evidence: Vec<Value> = evidence.iter().map(|s| json!({"start": self.chars.char_of(s.start), "end": self.chars.char_of(s.end)})).collect();
        let mut out = Map::new();
        out.insert("id".into(), json!(format!("{}#{}", self.doc.id, number)));
        out.insert("type".into(), json!(inc.kind.name()));
        out.insert("date".into(), date.unwrap_or(Value::Null));
        out.insert("location".into(), location.unwrap_or(Value::Null));
        out.insert("perpetrator_organizations".into(), Value::Array(organisations));
        out.insert("perpetrator_individuals".into(), self.individuals(&units));
        out.insert("targets".into(), pieces(|u| &u.targets));
        out.insert("victims".into(), pieces(|u| &u.victims));
        out.insert("weapons".into(), pieces(|u| &u.weapons));
        out.insert("casualties".into(), json!({"killed": self.count(killed), "injured": self.count(injured)}));
        out.insert("claimed_by".into(), Value::Array(claimed_by));
        out.insert("evidence".into(), Value::Array(evidence));
        out.insert("confidence".into(), json!(confidence(inc, &units)));
        Value::Object(out)
    }

    fn count(&self, c: Option<Count>) -> Value {
        c.map(|c| {
            let mut v = self.piece(c.span);
            v["value"] = json!(c.value);
            v["approx"] = json!(c.approx);
            v
        })
        .unwrap_or(Value::Null)
    }

    /// Distinct pieces of text, first occurrence kept.
    fn pieces(&self, spans: impl Iterator<Item = Span>) -> Value {
        let mut seen: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for s in spans {
            let key = self.doc.slice(s).to_lowercase();
            if !seen.contains(&key) {
                seen.push(key);
                out.push(self.piece(s));
            }
        }
        Value::Array(out)
    }

    /// Perpetrator organisations (one per cluster) and the claimants among them.
    fn organisations(&self, units: &[&Unit]) -> (Vec<Value>, Vec<Value>) {
        let mut order: Vec<(usize, usize, bool)> = Vec::new(); // cluster, first mention, claimed
        let named = units.iter().flat_map(|u| u.claimants.iter().map(|&m| (m, true)).chain(u.perpetrators.iter().map(|&m| (m, false))));
        for (m, claimed) in named {
            let c = self.cluster_of[m];
            match order.iter_mut().find(|(k, _, _)| *k == c) {
                Some(entry) => entry.2 |= claimed,
                None => order.push((c, m, claimed)),
            }
        }
        let mut organisations = Vec::new();
        let mut claimed_by = Vec::new();
        for (c, m, claimed) in order {
            let mut v = self.piece(self.doc.mentions[m].span);
            v["name"] = json!(self.clusters[c].name);
            v["cluster"] = json!(format!("c{}", c + 1));
            if claimed {
                claimed_by.push(v.clone());
            }
            v["claimed"] = json!(claimed);
            organisations.push(v);
        }
        (organisations, claimed_by)
    }

    /// Attacker groups; a bare "the attackers" adds nothing once a counted group is known.
    fn individuals(&self, units: &[&Unit]) -> Value {
        let all: Vec<&Individual> = units.iter().flat_map(|u| u.individuals.iter()).collect();
        let counted = all.iter().any(|i| i.count.is_some());
        let kept = all.into_iter().filter(|i| !counted || i.count.is_some() || i.nationality.is_some());
        let mut seen: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for i in kept {
            let key = self.doc.slice(i.span).to_lowercase();
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let mut v = self.piece(i.span);
            v["count"] = json!(i.count);
            v["nationality"] = json!(i.nationality);
            out.push(v);
        }
        Value::Array(out)
    }
}

/// How complete the record is: a date, a place, a specific type, actors and
/// a toll each add to it, as does corroboration by further sentences.
fn confidence(inc: &Incident, units: &[&Unit]) -> f64 {
    let mut c = 0.2;
    if inc.date.is_some() {
        c += 0.2;
    }
    if inc.place.is_some_and(|p| p.country.is_some()) {
        c += 0.2;
    }
    if inc.kind != super::types::IncidentType::Unknown {
        c += 0.1;
    }
    if units.iter().any(|u| !u.perpetrators.is_empty() || !u.claimants.is_empty() || !u.individuals.is_empty()) {
        c += 0.1;
    }
    if units.iter().any(|u| u.casualties.killed.is_some() || u.casualties.injured.is_some()) {
        c += 0.1;
    }
    c += 0.05 * (units.len().saturating_sub(1).min(2)) as f64;
    (c.min(0.95) * 100.0).round() / 100.0
}
