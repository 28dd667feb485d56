//! Incident slots from the attack-argument model (`Document::arguments`,
//! trained on annotated news by `newsner train --format events`).
//!
//! The rules keep what is structure: which sentences make up an incident,
//! its type, date, casualty figures, claims and the status of the accused.
//! Who attacked whom, with what and where is what the model learned from
//! hundreds of annotated articles, so its spans decide those slots:
//! - an attack-kind incident whose sentences hold no attack or harm trigger
//!   of the model is no attack (an errand in a timeline, talks held in a
//!   city, a trial recalled): it is dropped;
//! - each argument goes to the incident whose evidence holds its sentence,
//!   else to the nearest incident before it (a later sentence about the
//!   same event), else the nearest after;
//! - perpetrators, targets, victims and weapons are the model's; a claim the
//!   rules found stays (a claim is structure: "X claimed responsibility");
//! - the model's place fills the location where the rules found none in the
//!   incident's own sentences.

use crate::document::{self, Document, Location, Mention, Span};
use crate::geo::{gazetteer, Kind};

/// Incident types the model was trained to see triggers of.
const ATTACK_KINDS: [&str; 7] = ["unknown", "armed_assault", "unarmed_assault", "facility_attack", "arson", "assassination", "bombing"];

/// Applies the model's arguments to the linker's incidents (no-op when the
/// model did not run). `cluster_of` gives each entity mention's cluster.
pub fn apply(doc: &Document, cluster_of: &[usize], incidents: &mut Vec<document::Incident>) {
    let Some(args) = doc.arguments.as_ref() else { return };
    let sentence_of = |s: Span| doc.sentences.iter().position(|x| x.start <= s.start && s.start < x.end.max(x.start + 1));
    let in_evidence = |inc: &document::Incident, s: Span| inc.evidence.iter().any(|e| e.start <= s.start && s.end <= e.end);
    let is_trigger = |m: &Mention| m.label == "Attack" || m.label == "Harm";
    incidents.retain(|inc| !ATTACK_KINDS.contains(&inc.kind) || args.iter().any(|m| is_trigger(m) && in_evidence(inc, m.span)));
    if incidents.is_empty() {
        return;
    }
    let evidence_sentences: Vec<Vec<usize>> =
        incidents.iter().map(|inc| inc.evidence.iter().filter_map(|e| sentence_of(*e)).collect()).collect();
    let mut slots: Vec<Slots> = vec![Slots::default(); incidents.len()];
    for m in args.iter().filter(|m| !is_trigger(m)) {
        let Some(k) = owner(incidents, &evidence_sentences, m.span, sentence_of(m.span), &in_evidence) else { continue };
        slots[k].push(m);
    }
    for ((inc, s), own) in incidents.iter_mut().zip(slots).zip(&evidence_sentences) {
        fill(doc, cluster_of, inc, s, own, &sentence_of);
    }
}

/// The model's arguments given to one incident, by label.
#[derive(Default, Clone)]
struct Slots<'a> {
    perp: Vec<&'a Mention>,
    target: Vec<&'a Mention>,
    victim: Vec<&'a Mention>,
    weapon: Vec<&'a Mention>,
    place: Vec<&'a Mention>,
}

impl<'a> Slots<'a> {
    fn push(&mut self, m: &'a Mention) {
        match m.label.as_str() {
            "Perp" => self.perp.push(m),
            "Target" => self.target.push(m),
            "Victim" => self.victim.push(m),
            "Weapon" => self.weapon.push(m),
            "Place" => self.place.push(m),
            _ => {}
        }
    }
}

/// The incident an argument belongs to: the first whose evidence holds it,
/// else the one whose last sentence is nearest before it, else the one
/// whose first sentence is nearest after it.
fn owner(
    incidents: &[document::Incident],
    sentences: &[Vec<usize>],
    span: Span,
    sentence: Option<usize>,
    in_evidence: &impl Fn(&document::Incident, Span) -> bool,
) -> Option<usize> {
    if let Some(k) = incidents.iter().position(|inc| in_evidence(inc, span)) {
        return Some(k);
    }
    let s = sentence?;
    let before = sentences.iter().enumerate().filter_map(|(k, ss)| ss.iter().filter(|&&x| x < s).max().map(|&x| (s - x, k))).min();
    let after = sentences.iter().enumerate().filter_map(|(k, ss)| ss.iter().filter(|&&x| x > s).min().map(|&x| (x - s, k))).min();
    before.or(after).map(|(_, k)| k)
}

fn fill(
    doc: &Document,
    cluster_of: &[usize],
    inc: &mut document::Incident,
    s: Slots,
    own: &[usize],
    sentence_of: &impl Fn(Span) -> Option<usize>,
) {
    let distinct = |ms: &[&Mention]| -> Vec<Span> {
        let mut seen: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for m in ms {
            let key = doc.slice(m.span).to_lowercase();
            if !seen.contains(&key) {
                seen.push(key);
                out.push(m.span);
            }
        }
        out
    };
    inc.targets = distinct(&s.target);
    inc.victims = distinct(&s.victim);
    inc.weapons = distinct(&s.weapon);
    // claims are the rules' (structure); other perpetrators are the model's
    inc.organizations.retain(|o| o.claimed);
    inc.individuals.clear();
    for span in distinct(&s.perp) {
        let entity = doc.mentions.iter().position(|e| e.span.overlaps(&span) && (e.label == "ORG" || e.label == "PER"));
        match entity {
            Some(e) if doc.mentions[e].label == "ORG" => {
                let cluster = cluster_of[e];
                if !inc.organizations.iter().any(|o| o.cluster == cluster) {
                    inc.organizations.push(document::Organization { mention: e, cluster, claimed: false, status: "unknown" });
                }
            }
            Some(e) => inc.individuals.push(document::Individuals {
                span,
                count: None,
                nationality: None,
                person: Some(document::Person { mention: e, cluster: cluster_of[e] }),
                status: "unknown",
            }),
            None => inc.individuals.push(document::Individuals { span, count: None, nationality: None, person: None, status: "unknown" }),
        }
    }
    let located_here = inc.location.as_ref().is_some_and(|l| sentence_of(l.span).is_some_and(|x| own.contains(&x)));
    if !located_here {
        if let Some(loc) = s.place.iter().find_map(|m| location(doc, m.span)) {
            inc.location = Some(loc);
        }
    }
}

/// A location for the model's place span: the gazetteer's reading of an
/// entity mention inside it, else the span alone (the country the linker
/// knew is lost only when the span resolves elsewhere).
fn location(doc: &Document, span: Span) -> Option<Location> {
    let resolved = doc
        .mentions
        .iter()
        .enumerate()
        .filter(|(_, e)| e.span.overlaps(&span))
        .find_map(|(k, e)| doc.places.get(k).and_then(Option::as_ref).map(|r| (e.span, r)));
    let (named, r) = resolved?;
    let p = gazetteer().place(r.row);
    let town = p.kind == Kind::City;
    let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Some(Location {
        span,
        city: town.then(|| p.name.to_string()),
        admin1: non_empty(p.admin1),
        country: non_empty(p.country),
        lat: Some(f64::from(p.lat)),
        lon: Some(f64::from(p.lon)),
        refers_to: (named != span).then_some(named),
    })
}
