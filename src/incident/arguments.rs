//! Incident slots from the attack-argument model (`Document::arguments`,
//! trained on annotated news by `newsner train --format events`).
//!
//! The rules keep what is structure: which sentences make up an incident,
//! its type, date, casualty figures, claims and the status of the accused.
//! Who attacked whom, with what and where is what the model learned from
//! hundreds of annotated articles, so its spans decide those slots:
//! - an attack-kind incident whose sentences hold no attack or harm trigger
//!   of the model is no attack (an errand in a timeline, talks held in a
//!   city, a trial recalled): it is dropped, unless the model found no
//!   trigger anywhere in the article (text unlike what it learned from);
//! - an incident whose sentences report attacks at several towns becomes
//!   one incident per site (see `split_sites`);
//! - each argument goes to the incident whose evidence holds it (on the
//!   first cross-validation fold, also giving arguments outside every
//!   incident to the nearest one cost 1.6 points of micro F1: precision);
//! - perpetrators, targets, victims and weapons are the model's; a claim the
//!   rules found stays (a claim is structure: "X claimed responsibility");
//! - the model's place fills the location where the rules found none in the
//!   incident's own sentences.

use super::record::distinct_by_text;
use crate::document::{self, Document, Location, Mention, Span};
use crate::geo::{gazetteer, Kind};

/// Incident types the model was trained to see triggers of.
const ATTACK_KINDS: [&str; 7] = ["unknown", "armed_assault", "unarmed_assault", "facility_attack", "arson", "assassination", "bombing"];

/// Applies the model's arguments to the linker's incidents (no-op when the
/// model did not run). `cluster_of` gives each entity mention's cluster.
pub fn apply(doc: &Document, cluster_of: &[usize], incidents: &mut Vec<document::Incident>) {
    let Some(args) = doc.arguments.as_ref() else { return };
    let args = &widened(doc, joined(&doc.text, args));
    let in_evidence = |inc: &document::Incident, s: Span| inc.evidence.iter().any(|e| within(e, s));
    // A model that sees no attack or harm anywhere in the article is out of
    // what it learned (MUC-3's 1989 wire copy and broadcasts: "THE GROUP THAT
    // STORMED THE 3D INFANTRY REGIMENT" gets no trigger), and does not
    // overrule the rules' incidents there; where it sees attacks, an incident
    // whose sentences hold none of them is no attack.
    if args.iter().any(is_trigger) {
        incidents.retain(|inc| !ATTACK_KINDS.contains(&inc.kind) || args.iter().any(|m| is_trigger(m) && in_evidence(inc, m.span)));
    }
    split_sites(doc, args, incidents);
    let mut slots: Vec<Slots> = vec![Slots::default(); incidents.len()];
    for m in args.iter().filter(|m| !is_trigger(m)) {
        if let Some(k) = incidents.iter().position(|inc| in_evidence(inc, m.span)) {
            slots[k].push(m);
        }
    }
    for (inc, s) in incidents.iter_mut().zip(slots) {
        fill(doc, cluster_of, inc, s);
    }
}

/// Whether the model's span marks an attack or a harm (death, injury)
/// rather than one of the record's arguments.
fn is_trigger(m: &Mention) -> bool {
    m.label == "Attack" || m.label == "Harm"
}

/// Whether `s` lies inside the evidence span `e`.
fn within(e: &Span, s: Span) -> bool {
    e.start <= s.start && s.end <= e.end
}

/// The model's spans with neighbours of the same label that only spaces
/// part joined (a line break parts a headline from a dateline): a decoder
/// that reads each word on its own may begin a new span inside one ("four"
/// + "people").
fn joined(text: &str, args: &[Mention]) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::with_capacity(args.len());
    for m in args {
        match out.last_mut() {
            Some(last) if last.label == m.label && last.span.end < m.span.start && text[last.span.end..m.span.start].chars().all(|c| c == ' ') => {
                last.span.end = m.span.end;
                last.score = last.score.min(m.score);
            }
            _ => out.push(m.clone()),
        }
    }
    out
}

/// Argument spans grown to the named entity they cut into: the tagger
/// reads word pieces and may mark "Laden" of "Osama bin Laden" or one
/// letter of "U.S."; the record wants the name once, whole. Triggers and
/// weapons are words of their own and stay as they are.
fn widened(doc: &Document, mut args: Vec<Mention>) -> Vec<Mention> {
    for m in args.iter_mut().filter(|m| matches!(m.label.as_str(), "Perp" | "Target" | "Victim" | "Place")) {
        let span = m.span;
        for e in doc.mentions.iter().filter(|e| e.span.overlaps(&span)) {
            m.span = Span::new(m.span.start.min(e.span.start), m.span.end.max(e.span.end));
        }
    }
    let mut seen = std::collections::HashSet::new();
    args.retain(|m| seen.insert((m.span.start, m.span.end, m.label.clone())));
    args
}

/// One incident per attack site: where an incident's sentences report an
/// attack or a death at another town or province than its first site ("A
/// car bomb killed five in Kirkuk. In Mosul, gunmen stormed a checkpoint"),
/// those sentences become an incident of their own, as an incident database
/// counts them. A sentence's site is the first place of the model in it that
/// resolves to a town or a province, and only where the same sentence holds
/// a trigger (talks held in a city are no site). Sentences with no site stay
/// where they were; the casualty figures, which the rules read over the whole
/// passage, stay with the first site rather than be given to one of the
/// others.
fn split_sites(doc: &Document, args: &[Mention], incidents: &mut Vec<document::Incident>) {
    let site_of = |e: &Span| -> Option<Location> {
        if !args.iter().any(|m| is_trigger(m) && within(e, m.span)) {
            return None;
        }
        args.iter()
            .filter(|m| m.label == "Place" && within(e, m.span))
            .filter_map(|m| location(doc, m.span))
            .find(|l| l.city.is_some() || l.admin1.is_some())
    };
    let mut out = Vec::with_capacity(incidents.len());
    for mut inc in incidents.drain(..) {
        let sites: Vec<Option<Location>> = inc.evidence.iter().map(site_of).collect();
        let Some(first) = sites.iter().flatten().next().cloned() else {
            out.push(inc);
            continue;
        };
        let mut kept = Vec::new();
        let mut others: Vec<document::Incident> = Vec::new();
        for (e, site) in inc.evidence.iter().zip(sites) {
            match site.filter(|l| !same_site(&first, l)) {
                None => kept.push(*e),
                Some(l) => match others.iter_mut().find(|o| o.location.as_ref().is_some_and(|x| same_site(x, &l))) {
                    Some(o) => o.evidence.push(*e),
                    None => others.push(document::Incident {
                        kind: inc.kind,
                        date: inc.date.clone(),
                        location: Some(l),
                        organizations: Vec::new(),
                        individuals: Vec::new(),
                        targets: Vec::new(),
                        victims: Vec::new(),
                        weapons: Vec::new(),
                        killed: None,
                        injured: None,
                        evidence: vec![*e],
                        confidence: inc.confidence,
                    }),
                },
            }
        }
        inc.evidence = kept;
        out.push(inc);
        out.extend(others);
    }
    *incidents = out;
}

/// Two locations are one site when they name the same town, or one names
/// a town in the province the other names.
fn same_site(a: &Location, b: &Location) -> bool {
    match (&a.city, &b.city) {
        (Some(x), Some(y)) => x == y && a.country == b.country,
        _ => a.admin1.is_some() && a.admin1 == b.admin1,
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

fn fill(doc: &Document, cluster_of: &[usize], inc: &mut document::Incident, s: Slots) {
    let distinct = |ms: &[&Mention]| distinct_by_text(doc, ms.iter().map(|m| m.span), |s| *s);
    inc.targets = distinct(&s.target);
    inc.victims = distinct(&s.victim);
    inc.weapons = distinct(&s.weapon);
    // claims are the rules' (structure); other perpetrators are the model's,
    // with what the rules knew of the same referent (status, count, origin)
    let rule_orgs = std::mem::take(&mut inc.organizations);
    let rule_people = std::mem::take(&mut inc.individuals);
    inc.organizations = rule_orgs.iter().filter(|o| o.claimed).copied().collect();
    for span in distinct(&s.perp) {
        let entity = doc.mentions.iter().position(|e| e.span.overlaps(&span) && (e.label == "ORG" || e.label == "PER"));
        match entity {
            Some(e) if doc.mentions[e].label == "ORG" => {
                let cluster = cluster_of[e];
                if !inc.organizations.iter().any(|o| o.cluster == cluster) {
                    let known = rule_orgs.iter().find(|o| o.cluster == cluster);
                    let (claimed, status) = known.map_or((false, "unknown"), |o| (o.claimed, o.status));
                    inc.organizations.push(document::Organization { mention: e, cluster, claimed, status });
                }
            }
            _ if inc.individuals.iter().any(|i| i.span.overlaps(&span)) => {}
            entity => {
                let known = rule_people.iter().find(|i| i.span.overlaps(&span));
                let person = entity.map(|e| document::Person { mention: e, cluster: cluster_of[e] });
                inc.individuals.push(match known {
                    Some(k) => document::Individuals { span, person: person.or(k.person), ..k.clone() },
                    None => document::Individuals { span, count: if person.is_some() { Some(1) } else { leading_count(doc, span) }, nationality: None, person, status: "unknown" },
                });
            }
        }
    }
    // the model's place stands where the rules found none in the incident's
    // own sentences, or only a country it lies in ("northern Nigeria" in a
    // headline, the market "in Kano" in the lead)
    let located_here = inc.location.as_ref().is_some_and(|l| inc.evidence.iter().any(|e| e.start <= l.span.start && l.span.start < e.end));
    let finer = |loc: &Location| {
        let specific = |l: &Location| l.city.is_some() || l.admin1.is_some();
        inc.location.as_ref().is_some_and(|l| !specific(l) && specific(loc) && l.country.is_some() && l.country == loc.country)
    };
    if let Some(loc) = s.place.iter().filter_map(|m| location(doc, m.span)).find(|loc| !located_here || finer(loc)) {
        inc.location = Some(loc);
    }
}

/// The number a description of attackers opens with ("two gunmen", "at
/// least four men"); a named person is one.
fn leading_count(doc: &Document, span: Span) -> Option<u64> {
    let tokens = super::tokens::tokenize(&doc.text, span);
    super::numbers::count_at(&tokens, 0).map(|(c, _)| c.value)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Incident, Resolved};

    /// A handwritten article (no corpus text) with the spans a model would
    /// give, and two rule incidents: the attack, and "talks in Kandahar"
    /// that rules once took for a second attack.
    fn article() -> (Document, Vec<Incident>) {
        let text = "Two gunmen stormed the Valdoria Hotel in Kandahar on Monday. Two guards were killed. \
                    Later the mayor attended talks in Kandahar.";
        let mut doc = Document::new("a", text);
        let mut at = 0;
        for s in text.split_inclusive(". ") {
            doc.sentences.push(Span::new(at, at + s.trim_end().len()));
            at += s.len();
        }
        let span = |needle: &str, nth: usize| {
            let s = text.match_indices(needle).nth(nth).unwrap().0;
            Span::new(s, s + needle.len())
        };
        doc.mentions = vec![
            Mention::at(text, "Valdoria Hotel", 0, "ORG"),
            Mention::at(text, "Kandahar", 0, "LOC"),
            Mention::at(text, "Kandahar", 1, "LOC"),
        ];
        let row = gazetteer().lookup("Kandahar").into_iter().map(|m| m.place).find(|p| p.kind == Kind::City && p.country == "AF").unwrap().row;
        let resolved = Resolved { row, score: 0.9, why: vec![], part: None };
        doc.places = vec![None, Some(resolved.clone()), Some(resolved)];
        let arg = |needle: &str, label: &str| Mention { span: span(needle, 0), label: label.into(), score: 0.9 };
        doc.arguments = Some(vec![
            arg("Two gunmen", "Perp"),
            arg("stormed", "Attack"),
            arg("the Valdoria Hotel", "Target"),
            arg("Kandahar", "Place"),
            arg("Two guards", "Victim"),
            arg("killed", "Harm"),
        ]);
        let incident = |sentences: &[usize]| Incident {
            kind: "armed_assault",
            date: None,
            location: None,
            organizations: vec![],
            individuals: vec![],
            targets: vec![span("Monday", 0)],
            victims: vec![],
            weapons: vec![],
            killed: None,
            injured: None,
            evidence: sentences.iter().map(|&k| doc.sentences[k]).collect(),
            confidence: 0.5,
        };
        let incidents = vec![incident(&[0, 1]), incident(&[2])];
        (doc, incidents)
    }

    #[test]
    fn the_model_decides_perpetrator_target_victim_and_place_and_drops_an_act_without_a_trigger() {
        let (doc, mut incidents) = article();
        apply(&doc, &[0, 1, 1], &mut incidents);
        assert_eq!(incidents.len(), 1, "talks in a city are no attack: no trigger in their sentence");
        let inc = &incidents[0];
        let quote = |s: &Span| doc.slice(*s).to_string();
        assert_eq!(inc.individuals.iter().map(|i| (quote(&i.span), i.count)).collect::<Vec<_>>(), [("Two gunmen".to_string(), Some(2))]);
        assert_eq!(inc.targets.iter().map(quote).collect::<Vec<_>>(), ["the Valdoria Hotel"], "the rules' target gave way");
        assert_eq!(inc.victims.iter().map(quote).collect::<Vec<_>>(), ["Two guards"], "a victim in the incident's second sentence");
        let loc = inc.location.as_ref().expect("the model's place");
        assert_eq!((quote(&loc.span), loc.city.as_deref(), loc.country.as_deref()), ("Kandahar".into(), Some("Kandahār"), Some("AF")));
    }

    #[test]
    fn an_argument_inside_a_name_becomes_the_whole_name_once() {
        let mut doc = Document { text: "Drones killed Abu Musa al Harbi and two aides.".into(), ..Default::default() };
        doc.mentions = vec![Mention::at(&doc.text, "Abu Musa al Harbi", 0, "PER")];
        let a = |needle: &str, label: &str| Mention::at(&doc.text, needle, 0, label);
        let args = vec![a("Drones", "Weapon"), a("Musa", "Victim"), a("Harbi", "Victim"), a("two aides", "Victim")];
        let w = widened(&doc, args);
        let quoted: Vec<(&str, &str)> = w.iter().map(|m| (doc.slice(m.span), m.label.as_str())).collect();
        assert_eq!(quoted, [("Drones", "Weapon"), ("Abu Musa al Harbi", "Victim"), ("two aides", "Victim")]);
    }

    #[test]
    fn a_span_the_decoder_cut_at_a_space_is_one_argument() {
        let text = "killing four people";
        let m = |s: usize, e: usize| Mention { span: Span::new(s, e), label: "Victim".into(), score: 0.8 };
        let j = joined(text, &[m(8, 12), m(13, 19)]);
        assert_eq!(j.iter().map(|m| &text[m.span.start..m.span.end]).collect::<Vec<_>>(), ["four people"]);
        let apart = joined("four, people", &[m(0, 4), m(6, 12)]);
        assert_eq!(apart.len(), 2, "punctuation between them keeps two");
        assert_eq!(joined("Nigeria\n\nKANO", &[m(0, 7), m(9, 13)]).len(), 2, "so does a line break");
    }

    #[test]
    fn without_the_model_the_rules_stand_and_a_kidnapping_needs_no_attack_trigger() {
        let (mut doc, incidents) = article();
        let mut same = incidents.clone();
        let all = doc.arguments.take().unwrap();
        apply(&doc, &[0, 1, 1], &mut same);
        assert_eq!(same, incidents);
        doc.arguments = Some(vec![]);
        let mut unseen = incidents.clone();
        apply(&doc, &[0, 1, 1], &mut unseen);
        assert_eq!(unseen.len(), 2, "no trigger anywhere in the article: the model does not overrule the rules");
        doc.arguments = Some(all.into_iter().filter(|m| m.label == "Attack").collect());
        let mut kidnapping = incidents.clone();
        kidnapping[1].kind = "kidnapping";
        apply(&doc, &[0, 1, 1], &mut kidnapping);
        assert_eq!(kidnapping.iter().map(|i| i.kind).collect::<Vec<_>>(), ["armed_assault", "kidnapping"], "the model marks attacks, not abductions");
        kidnapping[0].kind = "kidnapping";
        kidnapping[1].kind = "armed_assault";
        apply(&doc, &[0, 1, 1], &mut kidnapping);
        assert_eq!(kidnapping.iter().map(|i| i.kind).collect::<Vec<_>>(), ["kidnapping"], "an attack without a trigger in an article with one is dropped");
    }

    /// A handwritten two-town report: one incident by the rules, two sites
    /// by the model's places, and a town in a sentence without a trigger.
    #[test]
    fn each_attack_site_is_an_incident_of_its_own() {
        let text = "A car bomb exploded in Kirkuk on Monday, killing five people. \
                    In Mosul, gunmen attacked a police checkpoint. \
                    The governor later flew to Baghdad.";
        let mut doc = Document::new("a", text);
        let mut at = 0;
        for s in text.split_inclusive(". ") {
            doc.sentences.push(Span::new(at, at + s.trim_end().len()));
            at += s.len();
        }
        let town = |name: &str| {
            let row = gazetteer().lookup(name).into_iter().map(|m| m.place).find(|p| p.kind == Kind::City && p.country == "IQ").unwrap().row;
            Some(Resolved { row, score: 0.9, why: vec![], part: None })
        };
        doc.mentions = vec![Mention::at(text, "Kirkuk", 0, "LOC"), Mention::at(text, "Mosul", 0, "LOC"), Mention::at(text, "Baghdad", 0, "LOC")];
        doc.places = vec![town("Kirkuk"), town("Mosul"), town("Baghdad")];
        let arg = |needle: &str, label: &str| Mention::at(text, needle, 0, label);
        doc.arguments = Some(vec![
            arg("car bomb", "Weapon"),
            arg("exploded", "Attack"),
            arg("Kirkuk", "Place"),
            arg("killing", "Harm"),
            arg("five people", "Victim"),
            arg("Mosul", "Place"),
            arg("gunmen", "Perp"),
            arg("attacked", "Attack"),
            arg("a police checkpoint", "Target"),
            arg("Baghdad", "Place"),
        ]);
        let one = Incident {
            kind: "bombing",
            date: None,
            location: None,
            organizations: vec![],
            individuals: vec![],
            targets: vec![],
            victims: vec![],
            weapons: vec![],
            killed: None,
            injured: None,
            evidence: doc.sentences.clone(),
            confidence: 0.5,
        };
        let mut incidents = vec![one];
        apply(&doc, &[0, 1, 2], &mut incidents);
        let quote = |s: &Span| doc.slice(*s).to_string();
        let sites: Vec<_> = incidents.iter().map(|i| i.location.as_ref().map(|l| quote(&l.span))).collect();
        assert_eq!(sites, [Some("Kirkuk".to_string()), Some("Mosul".to_string())], "Baghdad has no trigger in its sentence: no site");
        assert_eq!(incidents[0].victims.iter().map(quote).collect::<Vec<_>>(), ["five people"]);
        assert_eq!(incidents[1].targets.iter().map(quote).collect::<Vec<_>>(), ["a police checkpoint"]);
        assert_eq!(incidents[1].individuals.iter().map(|i| quote(&i.span)).collect::<Vec<_>>(), ["gunmen"]);
        assert_eq!(incidents[1].killed, None, "the toll stays with the site it was read for");
        assert_eq!(incidents[0].evidence.len() + incidents[1].evidence.len(), 3, "no sentence lost");
    }
}
