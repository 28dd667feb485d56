//! Linker results as the document's typed incident records: slots resolved
//! to text spans, organisations to their clusters, duplicates dropped.

use super::link::Incident;
use super::numbers::Count;
use super::places::Place;
use super::roles::{Individual, Status};
use super::units::Unit;
use crate::document::{self, Document, Span};

/// Everything one document's incident records are built from.
pub struct Record<'a> {
    pub doc: &'a Document,
    /// Cluster index of each mention.
    pub cluster_of: Vec<usize>,
    pub units: &'a [Unit],
}

impl Record<'_> {
    pub fn incident(&self, inc: &Incident) -> document::Incident {
        let units: Vec<&Unit> = inc.units.iter().map(|&i| &self.units[i]).collect();
        let spans = |f: fn(&Unit) -> &Vec<Span>| self.distinct(units.iter().flat_map(|u| f(u).iter().copied()), |s| *s);
        // the latest update of the toll stands, else the largest figure given
        let update = units.iter().filter(|u| u.update).filter_map(|u| u.casualties.killed).last();
        let killed = update.or(units.iter().filter_map(|u| u.casualties.killed).max_by_key(|c| c.value));
        let injured = units.iter().filter_map(|u| u.casualties.injured).max_by_key(|c| c.value);
        let mut evidence: Vec<Span> = units.iter().map(|u| self.doc.sentences[u.sentence]).collect();
        evidence.dedup();
        document::Incident {
            kind: inc.kind.name(),
            date: inc.date.map(|d| document::Date { span: d.span, value: d.value.iso(), precision: d.value.precision() }),
            location: inc.place.map(location),
            organizations: self.organizations(&units),
            individuals: self.people(&units).into_iter().chain(individuals(self, &units)).collect(),
            targets: spans(|u| &u.targets),
            victims: spans(|u| &u.victims),
            weapons: spans(|u| &u.weapons),
            killed: killed.map(count),
            injured: injured.map(count),
            evidence,
            confidence: confidence(inc, &units),
        }
    }

    fn distinct<T>(&self, items: impl Iterator<Item = T>, span: impl Fn(&T) -> Span) -> Vec<T> {
        distinct_by_text(self.doc, items, span)
    }

    /// Perpetrator organisations, one per cluster, each with the strongest
    /// status the text gives it (a claim is the strongest, so `claimed` follows).
    fn organizations(&self, units: &[&Unit]) -> Vec<document::Organization> {
        let cast = units.iter().flat_map(|u| u.claimants.iter().map(|&m| (m, Status::Claimed)).chain(u.perpetrators.iter().copied()));
        self.by_cluster(cast)
            .into_iter()
            .map(|(m, c, status)| document::Organization { mention: m, cluster: c, claimed: status == Status::Claimed, status: status.name() })
            .collect()
    }

    /// Named perpetrators, one per cluster, with the strongest status.
    fn people(&self, units: &[&Unit]) -> Vec<document::Individuals> {
        self.by_cluster(units.iter().flat_map(|u| u.people.iter().copied()))
            .into_iter()
            .map(|(m, c, status)| document::Individuals {
                span: self.doc.mentions[m].span,
                count: Some(1),
                nationality: None,
                person: Some(document::Person { mention: m, cluster: c }),
                status: status.name(),
            })
            .collect()
    }

    /// (first mention, cluster, strongest status) per cluster, in order of first mention.
    fn by_cluster(&self, cast: impl Iterator<Item = (usize, Status)>) -> Vec<(usize, usize, Status)> {
        let mut out: Vec<(usize, usize, Status)> = Vec::new();
        for (m, status) in cast {
            let c = self.cluster_of[m];
            match out.iter_mut().find(|o| o.1 == c) {
                Some(o) => o.2 = o.2.max(status),
                None => out.push((m, c, status)),
            }
        }
        out
    }
}

/// Items whose text differs (case aside), first occurrence kept.
pub(super) fn distinct_by_text<T>(doc: &Document, items: impl Iterator<Item = T>, span: impl Fn(&T) -> Span) -> Vec<T> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for item in items {
        let key = doc.slice(span(&item)).to_lowercase();
        if !seen.contains(&key) {
            seen.push(key);
            out.push(item);
        }
    }
    out
}

/// Attacker groups; a bare "the attackers" adds nothing once a counted group is known.
fn individuals(record: &Record, units: &[&Unit]) -> Vec<document::Individuals> {
    let all: Vec<&Individual> = units.iter().flat_map(|u| u.individuals.iter()).collect();
    let counted = all.iter().any(|i| i.count.is_some());
    let kept = all.into_iter().filter(|i| !counted || i.count.is_some() || i.nationality.is_some());
    let kept = record.distinct(kept, |i| i.span);
    kept.into_iter()
        .map(|i| document::Individuals { span: i.span, count: i.count, nationality: i.nationality, person: None, status: i.status.name() })
        .collect()
}

fn count(c: Count) -> document::Count {
    document::Count { span: c.span, value: c.value, approx: c.approx }
}

fn location(p: Place) -> document::Location {
    document::Location {
        span: p.span,
        city: p.city.map(|c| c.name.to_string()),
        admin1: p.city.map(|c| c.admin1.to_string()).filter(|a| !a.is_empty()),
        country: p.country.map(str::to_string),
        lat: p.city.map(|c| f64::from(c.lat)),
        lon: p.city.map(|c| f64::from(c.lon)),
        refers_to: p.refers_to,
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
    if units.iter().any(|u| !u.perpetrators.is_empty() || !u.claimants.is_empty() || !u.individuals.is_empty() || !u.people.is_empty()) {
        c += 0.1;
    }
    if units.iter().any(|u| u.casualties.killed.is_some() || u.casualties.injured.is_some()) {
        c += 0.1;
    }
    c += 0.05 * (units.len().saturating_sub(1).min(2)) as f64;
    c.min(0.95)
}
