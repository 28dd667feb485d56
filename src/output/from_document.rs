//! A [`Document`] as its output line: the one place that makes ids, rounds
//! scores and converts byte offsets to code-point offsets.

use super::*;
use crate::document::{self, Document, Span};
use crate::text::offsets::CharIndex;

/// Scores keep four decimals: more is noise, and lines stay short.
fn score(s: f32) -> f64 {
    coordinate(f64::from(s))
}

/// Coordinates keep four decimals (11 m), whatever precision they were computed in.
fn coordinate(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

/// The id of mention `i` (0-based).
fn mention_id(i: usize) -> String {
    format!("m{}", i + 1)
}

/// The id of cluster `i` (0-based).
fn cluster_id(i: usize) -> String {
    format!("c{}", i + 1)
}

/// The id of the `n`th incident (1-based) of record `doc`.
fn incident_id(doc: &str, n: usize) -> String {
    format!("{doc}#{n}")
}

/// Quotes spans of one document with code-point offsets.
struct Quoter<'a> {
    doc: &'a Document,
    chars: CharIndex,
}

impl Quoter<'_> {
    fn quote(&self, s: Span) -> Quote {
        Quote { text: self.doc.slice(s).to_string(), start: self.chars.char_of(s.start), end: self.chars.char_of(s.end) }
    }

    fn evidence(&self, s: Span) -> Evidence {
        Evidence { start: self.chars.char_of(s.start), end: self.chars.char_of(s.end) }
    }

    fn entities(&self) -> Vec<Entity> {
        let mut cluster_of = vec![None; self.doc.mentions.len()];
        for (c, cluster) in self.doc.clusters.iter().flatten().enumerate() {
            for &m in &cluster.members {
                cluster_of[m] = Some(cluster_id(c));
            }
        }
        self.doc
            .mentions
            .iter()
            .zip(cluster_of)
            .enumerate()
            .map(|(i, (m, cluster))| {
                let Quote { text, start, end } = self.quote(m.span);
                let geo = self.doc.places.get(i).and_then(Option::as_ref).map(|r| self.geo(r));
                Entity { id: mention_id(i), text, label: m.label.clone(), start, end, score: score(m.score), cluster, geo }
            })
            .collect()
    }

    fn geo(&self, r: &document::Resolved) -> Geo {
        let p = crate::geo::gazetteer().place(r.row);
        let named = |s: &str| (!s.is_empty()).then(|| s.to_string());
        Geo {
            id: p.id,
            name: p.name.to_string(),
            kind: p.kind.name().to_string(),
            country: named(p.country),
            admin1: named(p.admin1),
            lat: coordinate(f64::from(p.lat)),
            lon: coordinate(f64::from(p.lon)),
            score: score(r.score),
            why: r.why.iter().map(|w| w.to_string()).collect(),
            part: r.part.map(|s| self.quote(s)),
        }
    }

    fn clusters(&self, clusters: &[document::Cluster]) -> Vec<Cluster> {
        let out = clusters.iter().enumerate().map(|(i, c)| Cluster {
            id: cluster_id(i),
            name: c.name.clone(),
            label: c.label.clone(),
            mentions: c.members.iter().map(|&m| mention_id(m)).collect(),
        });
        out.collect()
    }

    fn incident(&self, number: usize, inc: &document::Incident, roles: Option<&[Filler]>) -> Incident {
        let count = |c: &document::Count| Count { quote: self.quote(c.span), value: c.value, approx: c.approx };
        let quotes = |spans: &[Span]| spans.iter().map(|&s| self.quote(s)).collect();
        let clusters = self.doc.clusters.as_deref().unwrap_or_default();
        let organization = |o: &document::Organization| Organization {
            quote: self.quote(self.doc.mentions[o.mention].span),
            name: clusters[o.cluster].name.clone(),
            cluster: cluster_id(o.cluster),
            claimed: o.claimed,
            status: o.status.to_string(),
        };
        let organizations: Vec<Organization> = inc.organizations.iter().map(organization).collect();
        let claimed_by = organizations
            .iter()
            .filter(|o| o.claimed)
            .map(|o| Claimant { quote: o.quote.clone(), name: o.name.clone(), cluster: o.cluster.clone() })
            .collect();
        let evidence: Vec<Evidence> = inc.evidence.iter().map(|&s| self.evidence(s)).collect();
        Incident {
            id: incident_id(&self.doc.id, number),
            kind: inc.kind.to_string(),
            date: inc.date.as_ref().map(|d| Date { quote: self.quote(d.span), value: d.value.clone(), precision: d.precision.to_string() }),
            location: inc.location.as_ref().map(|p| Place {
                quote: self.quote(p.span),
                city: p.city.clone(),
                admin1: p.admin1.clone(),
                country: p.country.clone(),
                lat: p.lat.map(coordinate),
                lon: p.lon.map(coordinate),
                refers_to: p.refers_to.map(|s| self.quote(s)),
            }),
            perpetrator_organizations: organizations,
            perpetrator_individuals: inc
                .individuals
                .iter()
                .map(|i| Individuals {
                    quote: self.quote(i.span),
                    count: i.count,
                    nationality: i.nationality.map(str::to_string),
                    name: i.person.map(|p| clusters[p.cluster].name.clone()),
                    cluster: i.person.map(|p| cluster_id(p.cluster)),
                    status: i.status.to_string(),
                })
                .collect(),
            targets: quotes(&inc.targets),
            victims: quotes(&inc.victims),
            weapons: quotes(&inc.weapons),
            casualties: Casualties { killed: inc.killed.as_ref().map(count), injured: inc.injured.as_ref().map(count) },
            claimed_by,
            roles: roles.map(|r| inside(r, &evidence)),
            evidence,
            confidence: (inc.confidence * 100.0).round() / 100.0,
        }
    }

    fn roles(&self, group: &[document::GroupSpan]) -> Vec<Filler> {
        let out = group.iter().map(|g| {
            let Quote { text, start, end } = self.quote(g.span);
            Filler { role: g.label.clone(), text, start, end, score: score(g.score), mentions: g.mentions }
        });
        out.collect()
    }
}

/// The role fillers quoted inside an incident's evidence, so an analyst sees
/// the model's perpetrators, targets, victims and weapons next to the
/// linker's rule-based slots, each with the words it came from.
fn inside(fillers: &[Filler], evidence: &[Evidence]) -> Vec<IncidentRole> {
    let within = |f: &&Filler| evidence.iter().any(|e| e.start <= f.start && f.end <= e.end);
    let out = fillers.iter().filter(within).map(|f| IncidentRole { role: f.role.clone(), text: f.text.clone(), start: f.start, end: f.end });
    out.collect()
}

impl Line {
    /// The output line of `doc` (see `schema/`).
    pub fn of(doc: &Document) -> Line {
        let q = Quoter { doc, chars: CharIndex::new(&doc.text) };
        let roles = doc.roles.as_deref().map(|g| q.roles(g));
        Line {
            id: doc.id.clone(),
            meta: doc.meta.clone(),
            published: doc.published.clone(),
            entities: q.entities(),
            clusters: doc.clusters.as_deref().map(|c| q.clusters(c)),
            incidents: doc
                .incidents
                .as_ref()
                .map(|list| list.iter().enumerate().map(|(i, inc)| q.incident(i + 1, inc, roles.as_deref())).collect()),
            roles,
            arguments: doc.arguments.as_deref().map(|a| {
                let quoted = a.iter().map(|m| {
                    let Quote { text, start, end } = q.quote(m.span);
                    Argument { label: m.label.clone(), text, start, end, score: score(m.score) }
                });
                quoted.collect()
            }),
            errors: doc.errors.clone(),
            warnings: doc.warnings.clone(),
            fingerprint: doc.fingerprint.map(|h| format!("{h:016x}")),
        }
    }
}
