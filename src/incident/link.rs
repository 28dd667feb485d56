//! Grouping units into incidents: one date and one place per incident.
//!
//! Walking the units in text order, a unit joins an incident when it agrees
//! with it and is close to it or refers back to it; otherwise it starts a new
//! one. A date or an own place that differs always starts a new incident, so
//! recalled attacks ("weeks earlier on March 3 … in Karabulak") never merge
//! with the main one. An undated unit far from the last incident refers, as
//! news leads are written, to the article's main (first) incident.

use super::dates::{is_recent, DateMention};
use crate::text::calendar::Day;
use crate::text::fold::fold;
use super::places::Place;
use super::types::IncidentType;
use super::units::Unit;

/// Units (indices) that make up one incident, and the slots that keep incidents apart.
#[derive(Debug, Clone)]
pub struct Incident {
    pub units: Vec<usize>,
    pub kind: IncidentType,
    pub date: Option<DateMention>,
    pub place: Option<Place>,
    /// The place is the region of an earlier incident's group ("members of
    /// that cell"), not a town the text gives for this one.
    pub inherited: bool,
    last_sentence: usize,
    targets: Vec<String>,
    /// Undatable times its units name (see `Unit::unknown_time`).
    times: Vec<(u32, Option<u32>)>,
}

/// Incidents over `units`, in order of first report; incidents with nothing
/// but a vague trigger ("attack" with no date, place or toll) are dropped.
pub fn incidents(text: &str, units: &[Unit], anchor: Option<Day>) -> Vec<Incident> {
    let mut out: Vec<Incident> = Vec::new();
    for (i, u) in units.iter().enumerate() {
        // Only named targets identify an incident; "the police" does not.
        let targets: Vec<String> = u
            .targets
            .iter()
            .map(|s| &text[s.start..s.end])
            .filter(|t| t.chars().any(char::is_uppercase))
            .map(name_key)
            .collect();
        if u.follow_up || u.update && !out.is_empty() {
            // An arrest or a charge is news about the incident just
            // reported, or else about the article's main one; a toll
            // update is news of the main one. Neither dates it.
            let last = out.len().checked_sub(1).filter(|_| !u.update);
            if let Some(k) = last.filter(|&k| u.sentence <= out[k].last_sentence + 1).or((!out.is_empty()).then_some(0)) {
                out[k].units.push(i);
            }
            continue;
        }
        // a part of a wave is its own incident, unless an earlier report
        // gave it one already
        let site = |inc: &Incident| inc.place.zip(u.place).is_some_and(|(a, b)| a.site.is_some() && same_place(&a, &b));
        let found = if u.part {
            out.iter().position(|inc| inc.place.zip(u.place).is_some_and(|(a, b)| same_place(&a, &b) || same_name(text, &a, &b)))
        } else if let Some(k) = u.place.filter(|p| p.site.is_some() && u.date.is_none() && !u.another).and_then(|_| out.iter().rposition(site)) {
            // "At Oxford St, …": a site named before goes back to its part
            Some(k)
        } else if u.recalled { u.date.and_then(|d| out.iter().position(|inc| inc.date.is_some_and(|x| x.value == d.value))) } else { home(text, &out, u, &targets, anchor) };
        match found {
            Some(k) => absorb(text, &mut out[k], i, u, targets),
            None => {
                // "Three members of that cell had killed …": with no place of
                // its own, the act happened where that cell was, as far as
                // the text says
                let inherited = u.place.is_none() && u.individuals.iter().any(|g| g.antecedent);
                let place = if inherited { out.iter().rev().find_map(|inc| inc.place) } else { u.place };
                out.push(Incident { units: vec![i], kind: u.kind, date: u.date, place, inherited: inherited && place.is_some(), last_sentence: u.sentence, targets, times: u.unknown_time.into_iter().collect() })
            }
        }
    }
    out.retain(|inc| {
        let toll = inc.units.iter().any(|&i| units[i].casualties.killed.is_some() || units[i].casualties.injured.is_some());
        let named = inc.units.iter().any(|&i| units[i].names_victim);
        let specific = inc.kind != IncidentType::Unknown || inc.date.is_some() || inc.place.is_some() || toll || named;
        // "Seven militants were killed in two accidental explosions": the
        // report itself calls the event an accident, whatever it says of
        // the dead men's plans in later sentences.
        let accident = units[inc.units[0]].accidental && inc.units.iter().all(|&i| units[i].claimants.is_empty());
        // "kidnappings and violence are commonplace": no event, unless dated or counted
        let habitual = inc.units.iter().all(|&i| units[i].habitual) && inc.date.is_none() && !toll && !named;
        specific && !accident && !habitual && inc.units.iter().any(|&i| names_an_attack(&units[i]))
    });
    out
}

/// Deaths and injuries with no attack word, attacker or weapon anywhere in
/// the incident may be illness, an accident or a disaster, which are not
/// attacks; such passages get no incident.
fn names_an_attack(u: &Unit) -> bool {
    u.attack || !u.perpetrators.is_empty() || !u.people.is_empty() || !u.claimants.is_empty() || !u.individuals.is_empty() || !u.weapons.is_empty()
}

fn absorb(text: &str, inc: &mut Incident, i: usize, u: &Unit, targets: Vec<String>) {
    inc.units.push(i);
    inc.kind = inc.kind.max(u.kind);
    inc.date = inc.date.or(u.date);
    inc.place = match (inc.place, u.place) {
        // cite the scene, not the facility the town's name describes
        (Some(a), Some(b)) if a.hit_site && !b.hit_site && same_name(text, &a, &b) => Some(b),
        (a, b) => a.or(b),
    };
    inc.last_sentence = inc.last_sentence.max(u.sentence);
    inc.targets.extend(targets);
    inc.times.extend(u.unknown_time);
}

/// The incident `u` belongs to, if any.
fn home(text: &str, incidents: &[Incident], u: &Unit, targets: &[String], anchor: Option<Day>) -> Option<usize> {
    let last = incidents.len().checked_sub(1);
    let adjacent = |k: &usize| u.sentence <= incidents[*k].last_sentence + 1;
    let place_ok = |inc: &Incident| match (inc.place, u.place) {
        (Some(a), Some(b)) => a.compatible(&b),
        _ => true,
    };
    let kinds_ok = |inc: &Incident| inc.kind == u.kind || inc.kind == IncidentType::Unknown || u.kind == IncidentType::Unknown;
    if let Some(d) = u.date {
        if let Some(k) = incidents.iter().rposition(|inc| inc.date.is_some_and(|x| x.value == d.value) && place_ok(inc)) {
            return Some(k);
        }
        // "MEANWHILE, … ON 31 JANUARY": another event, whatever came before
        // left undated
        if u.another {
            return None;
        }
        let undated = |k: &usize| incidents[*k].date.is_none() && place_ok(&incidents[*k]);
        let main_is_news = anchor.is_some_and(|a| is_recent(&d.value, a));
        // "… the bombing of the Oklahoma City federal building. … The Murrah
        // Federal Building in Oklahoma City was shattered … on April 19,
        // 1995": the date of an act of that kind in that town, which the
        // article left undated so far
        let same_town = |inc: &Incident| {
            inc.date.is_none() && inc.kind == u.kind && u.place_is_own && inc.place.zip(u.place).is_some_and(|(a, b)| same_name(text, &a, &b))
        };
        return last
            .filter(|k| undated(k) && adjacent(k))
            .or_else(|| (main_is_news && !incidents.is_empty() && undated(&0)).then_some(0))
            .or_else(|| incidents.iter().position(same_town));
    }
    // "In April, more than two dozen fighters were killed in IS attacks":
    // in an undated article a month is still another time than the news
    if let Some(t) = u.unknown_time {
        if let Some(k) = incidents.iter().position(|inc| inc.times.contains(&t)) {
            return Some(k);
        }
        let own = u.place.filter(|_| u.place_is_own);
        return own.and_then(|p| incidents.iter().position(|inc| inc.times.is_empty() && kinds_ok(inc) && inc.place.is_some_and(|q| same_place(&q, &p))));
    }
    if let Some(k) = incidents.iter().position(|inc| shares_target(&inc.targets, targets)) {
        return Some(k);
    }
    if let Some(place) = u.place.filter(|_| u.place_is_own) {
        // an act known only by an undatable time takes no place from the
        // next sentence: nothing says it is the same time
        let timed_only = |inc: &Incident| !inc.times.is_empty() && inc.place.is_none();
        // "… one man was shot and killed. A bomb exploded at an Oregon
        // bank": a blast with a place of its own does not take over a
        // placeless act of another kind, nor the other way round ("faked a
        // clash at X to murder them" still places the murder)
        let blast = |k: IncidentType| k == IncidentType::Bombing;
        let other_act = |inc: &Incident| inc.place.is_none() && !kinds_ok(inc) && blast(inc.kind) != blast(u.kind);
        if let Some(k) = last.filter(|k| adjacent(k) && place_ok(&incidents[*k]) && !timed_only(&incidents[*k]) && !other_act(&incidents[*k])) {
            return Some(k);
        }
        return incidents.iter().position(|inc| inc.place.is_some_and(|p| same_place(&p, &place)) && kinds_ok(inc));
    }
    if let Some(k) = last.filter(adjacent) {
        return Some(k);
    }
    incidents.first().filter(|inc| kinds_ok(inc)).map(|_| 0)
}

/// The same town, or the same name where the gazetteer placed neither
/// (a name that is no town, twice); a country is too wide to be one scene.
fn same_name(text: &str, a: &Place, b: &Place) -> bool {
    let name = |p: &Place| crate::text::fold::fold_hash(&text[p.span.start..p.span.end]);
    match (a.city, b.city) {
        (Some(x), Some(y)) => std::ptr::eq(x, y),
        (None, None) => a.country.is_none() && a.site.is_none() && b.site.is_none() && name(a) == name(b),
        _ => false,
    }
}

fn same_place(a: &Place, b: &Place) -> bool {
    match (a.city, b.city) {
        (Some(x), Some(y)) => std::ptr::eq(x, y),
        (None, None) if a.site.is_some() || b.site.is_some() => a.site == b.site,
        (None, None) => a.country.is_some() && a.country == b.country,
        _ => false,
    }
}

/// A target name without article, for matching "the Crocus City attack" to
/// "the Crocus City concert hall".
fn name_key(name: &str) -> String {
    let f = fold(name);
    ["the ", "a ", "an "].iter().find_map(|a| f.strip_prefix(a)).unwrap_or(&f).to_string()
}

fn shares_target(known: &[String], new: &[String]) -> bool {
    let extends = |long: &str, short: &str| long == short || long.starts_with(short) && long[short.len()..].starts_with(' ');
    known.iter().any(|k| new.iter().any(|n| extends(k, n) || extends(n, k)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_match_by_leading_words() {
        let known = vec![name_key("the Crocus City concert hall")];
        assert!(shares_target(&known, &[name_key("Crocus City")]));
        assert!(!shares_target(&known, &[name_key("a synagogue")]));
    }
}
