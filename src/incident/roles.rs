//! Who did it, to whom and with what: perpetrator organisations and
//! individuals, claims, targets, victims and weapons of one passage.
//!
//! Each rule reads a fixed, local construction ("attack by X", "X claimed
//! responsibility", "four armed men, all from Tajikistan", "attack on a
//! synagogue") so that every slot points at the words it came from.

use super::gazetteer::gazetteer;
use super::nouns::{FACILITIES, MILITANTS};
use super::numbers::{count_at, count_near, is_casualty_word};
use super::places;
use super::tokens::{cover, index_at, is_acronym_in_prose, is_clause_break, matches_at, Token};
use super::types::{IncidentType, Trigger};
use crate::document::{Mention, Span};

/// Words that end a noun phrase.
const STOPS: &[&str] = &[
    "in", "on", "at", "near", "by", "with", "from", "during", "after", "before", "since", "as", "to", "into",
    "for", "against", "who", "which", "that", "while", "when", "and", "or", "but", "were", "was", "had",
    "have", "has", "been", "is", "are", "of", "than", "it", "they", "he", "she", "its", "their",
];

/// The end (exclusive) of a noun phrase starting at `from`, at most `max` words.
fn noun_phrase_end(tokens: &[Token], from: usize, max: usize) -> usize {
    let mut k = from;
    while k < tokens.len() && k < from + max {
        let t = &tokens[k];
        let stop = STOPS.contains(&t.lower.as_str()) && !is_acronym_in_prose(tokens, k);
        if is_clause_break(t) || stop || is_casualty_word(&t.lower) || t.lower == "'s" {
            break;
        }
        k += 1;
    }
    k
}

fn mention_tokens(tokens: &[Token], m: &Mention) -> (usize, usize) {
    (index_at(tokens, m.span.start), index_at(tokens, m.span.end))
}

/// Words that say someone owns an attack.
const CLAIMS: &[&str] = &["claimed responsibility", "claimed", "claims", "responsible for", "took responsibility", "claim of responsibility"];

/// Organisation mentions (of `orgs`, the passage's group names) that claim
/// the act: the nearest before a claim word ("IS said it was responsible
/// for"), or after "claimed by".
pub fn claimants(tokens: &[Token], orgs: &[(usize, &Mention)]) -> Vec<usize> {
    let orgs: Vec<(usize, usize)> = orgs
        .iter()
        .map(|(i, m)| (*i, index_at(tokens, m.span.start)))
        .collect();
    let mut out = Vec::new();
    for cue in (0..tokens.len()).filter(|&k| CLAIMS.iter().any(|c| matches_at(tokens, k, c))) {
        let claimant = if matches_at(tokens, cue + 1, "by") {
            orgs.iter().find(|(_, at)| (cue + 2..cue + 6).contains(at))
        } else {
            orgs.iter().rev().find(|(_, at)| *at < cue)
        };
        if let Some((i, _)) = claimant {
            if !out.contains(i) {
                out.push(*i);
            }
        }
    }
    out
}

/// Organisation mentions cast as perpetrators: "attack by X", "X's attack",
/// "X militants", "terrorists of the X". In a security operation the armed
/// group's members are on the receiving end, so "X members" does not count.
/// `orgs` are the passage's group names.
pub fn perpetrators(tokens: &[Token], orgs: &[(usize, &Mention)], triggers: &[Trigger], security: bool) -> Vec<usize> {
    let is_trigger_at = |k: usize| triggers.iter().any(|t| t.first == k);
    orgs
        .iter()
        .filter(|(_, m)| {
            let (first, after) = mention_tokens(tokens, m);
            let word = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
            let by = (first.saturating_sub(4)..first).any(|k| word(k) == "by" && !tokens[k..first].iter().any(is_clause_break));
            let owns = word(after) == "'s" && (after + 1..after + 4).any(is_trigger_at);
            let members = !security && MILITANTS.contains(&word(after));
            let of_group = first >= 2 && word(first - 1) == "of" && MILITANTS.contains(&word(first - 2))
                || first >= 3 && word(first - 1) == "the" && word(first - 2) == "of" && MILITANTS.contains(&word(first - 3));
            by || owns || members || of_group
        })
        .map(|(i, _)| *i)
        .collect()
}

/// Nouns for the people who carry out an attack.
const ATTACKERS: &[&str] = &[
    "men", "gunmen", "gunman", "attackers", "attacker", "assailants", "assailant", "militants", "terrorists",
    "bombers", "bomber", "perpetrators", "perpetrator", "hijackers", "kidnappers", "fighters", "guerrillas",
];

/// A group of attackers as the text describes them.
#[derive(Debug, Clone, PartialEq)]
pub struct Individual {
    pub span: Span,
    pub count: Option<u64>,
    /// ISO 3166-1 alpha-2 of a demonym in the phrase or a "from <country>" after it.
    pub nationality: Option<&'static str>,
}

/// "four highly trained armed men, all from Tajikistan", "a Tajik gunman", "the attackers".
pub fn individuals(text: &str, tokens: &[Token]) -> Vec<Individual> {
    let mut out = Vec::new();
    for (noun, t) in tokens.iter().enumerate() {
        if !ATTACKERS.contains(&t.lower.as_str()) || near_casualty_word(tokens, noun) {
            continue;
        }
        let mut start = noun;
        while start > 0 && noun - start < 4 && is_modifier(tokens, start - 1) {
            start -= 1;
        }
        let count = (start.saturating_sub(4)..start).find_map(|k| count_at(tokens, k).filter(|(_, used)| k + used == start).map(|(c, _)| (k, c)));
        let plural = t.lower.ends_with('s') || t.lower.ends_with("men");
        let article = start > 0 && matches!(tokens[start - 1].lower.as_str(), "a" | "an");
        let (first, count) = match count {
            Some((k, c)) => (k, Some(c.value)),
            None if plural => (start, None),
            None if article => (start - 1, Some(1)),
            None => (start, Some(1)),
        };
        let nationality = tokens[first..noun].iter().find_map(|w| gazetteer().demonym(&w.lower)).or_else(|| origin(text, tokens, noun + 1));
        out.push(Individual { span: cover(tokens, first, noun + 1), count, nationality });
    }
    out
}

fn is_modifier(tokens: &[Token], k: usize) -> bool {
    let w = tokens[k].lower.as_str();
    w.chars().all(|c| c.is_alphabetic() || c == '-')
        && !STOPS.contains(&w)
        && !matches!(w, "the" | "a" | "an" | "all" | "some" | "other" | "these" | "those")
        && count_at(tokens, k).is_none()
}

fn near_casualty_word(tokens: &[Token], noun: usize) -> bool {
    let before = tokens[noun.saturating_sub(5)..noun].iter().any(|t| is_casualty_word(&t.lower));
    let after = tokens[noun + 1..tokens.len().min(noun + 4)].iter().any(|t| is_casualty_word(&t.lower));
    before || after
}

/// The country of a "from <place>" shortly after token `k` (", all from Tajikistan").
fn origin(text: &str, tokens: &[Token], k: usize) -> Option<&'static str> {
    let from = (k..tokens.len().min(k + 4)).find(|&j| tokens[j].lower == "from")?;
    if tokens[k..from].iter().any(|t| !matches!(t.lower.as_str(), "," | "all" | "both" | "who" | "were" | "are" | "reportedly" | "said" | "to" | "be")) {
        return None;
    }
    (1..=3).rev().find_map(|n| {
        let end = from + 1 + n;
        if end > tokens.len() {
            return None;
        }
        let span = cover(tokens, from + 1, end);
        let name = &text[span.start..span.end];
        let g = gazetteer();
        g.country(name).or_else(|| g.cities(name).first().map(|c| c.country))
    })
}

/// What an attack was aimed at: "attack on a synagogue", "bombing against
/// the Russian Embassy", "the Crocus City concert hall", "the Crocus City attack".
pub fn targets(text: &str, tokens: &[Token], mentions: &[(usize, &Mention)], triggers: &[Trigger]) -> Vec<Span> {
    let mut found = Vec::new();
    for t in triggers {
        let of_ok = matches!(t.kind, IncidentType::Bombing | IncidentType::Arson | IncidentType::FacilityAttack);
        let prep = (t.end..tokens.len().min(t.end + 3))
            .take_while(|&k| !is_clause_break(&tokens[k]))
            .find(|&k| matches!(tokens[k].lower.as_str(), "on" | "against" | "targeting" | "at") || of_ok && tokens[k].lower == "of");
        if let Some(k) = prep {
            let mut from = k + 1;
            let end = loop {
                let end = noun_phrase_end(tokens, from, 6);
                // "the Russian Embassy": the determiner alone is no phrase.
                if end == from || end > from + 1 || !matches!(tokens[from].lower.as_str(), "the" | "a" | "an") {
                    break end;
                }
                from += 1;
            };
            // "at" also introduces times ("came at a critical moment"): only places count.
            let place_like = tokens[k].lower != "at" || tokens[from..end].iter().any(|t| FACILITIES.contains(&t.lower.as_str()));
            if end > k + 1 && place_like {
                found.push(cover(tokens, k + 1, end));
            }
        }
    }
    for (_, m) in mentions.iter().filter(|(_, m)| m.label != "PER") {
        let (first, after) = mention_tokens(tokens, m);
        if first >= after {
            continue;
        }
        if FACILITIES.contains(&tokens[after - 1].lower.as_str()) {
            found.push(m.span);
        } else if let Some(j) = (after..tokens.len().min(after + 3)).take_while(|&j| is_modifier(tokens, j)).find(|&j| FACILITIES.contains(&tokens[j].lower.as_str())) {
            found.push(Span::new(m.span.start, tokens[j].span.end));
        } else if triggers.iter().any(|t| t.first == after) {
            let name = &text[m.span.start..m.span.end];
            let place = places::resolve(name, m.span, &[]);
            if place.city.is_none() && place.country.is_none() {
                found.push(m.span);
            }
        }
    }
    longest_first(found)
}

/// Drops spans inside longer ones; keeps text order.
fn longest_first(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|s| (std::cmp::Reverse(s.len()), s.start));
    let mut kept: Vec<Span> = Vec::new();
    for s in spans {
        if !kept.iter().any(|k| k.overlaps(&s)) {
            kept.push(s);
        }
    }
    kept.sort();
    kept
}

/// Words for harming or seizing people, whose object or subject is a victim.
const HARM_VERBS: &[&str] = &[
    "killed", "killing", "wounded", "injured", "kidnapped", "kidnapping", "abducted", "assassinated",
    "assassination", "murdered", "bodies", "hostage", "hostages",
];

/// The people harmed: the counted phrase next to a casualty word ("some 140
/// civilian victims", "ABOUT 50 PEASANTS ... KIDNAPPED") or the object of a
/// harm verb ("killed traffic police officers", "the killing of six IS members").
pub fn victims(tokens: &[Token]) -> Vec<Span> {
    let mut found = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if !HARM_VERBS.contains(&t.lower.as_str()) && !is_casualty_word(&t.lower) {
            continue;
        }
        if let Some(c) = count_near(tokens, i) {
            let from = index_at(tokens, c.span.end);
            let end = noun_phrase_end(tokens, from, 5);
            if end > from {
                found.push(Span::new(c.span.start, tokens[end - 1].span.end));
            }
            continue;
        }
        if !HARM_VERBS.contains(&t.lower.as_str()) {
            continue;
        }
        let from = i + 1 + usize::from(tokens.get(i + 1).is_some_and(|n| n.lower == "of"));
        let end = noun_phrase_end(tokens, from, 5);
        if end > from && !matches!(tokens[from].lower.as_str(), "the" | "a" | "an") || end > from + 1 {
            found.push(cover(tokens, from, end));
        }
    }
    longest_first(found)
}

/// Weapon phrases (lower case, space-separated words), longest first where they overlap.
const WEAPONS: &[&str] = &[
    "car bomb", "truck bomb", "suicide vest", "explosive device", "explosive devices", "explosives", "bomb",
    "bombs", "grenade", "grenades", "assault rifles", "assault rifle", "m-16 rifle", "m-16 rifles", "ak-47",
    "rifle", "rifles", "machine gun", "machine guns", "machineguns", "gun", "guns", "firearms", "pistol",
    "pistols", "knife", "knives", "machete", "machetes", "mortar", "mortars", "rocket", "rockets", "missile",
    "missiles", "dynamite", "drone", "drones", "molotov cocktails", "incendiary device", "rocket-propelled grenades",
];

/// Weapons named in the passage.
pub fn weapons(tokens: &[Token]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let best = WEAPONS.iter().filter(|w| matches_at(tokens, i, w)).map(|w| w.split(' ').count()).max();
        match best {
            Some(n) => {
                out.push(cover(tokens, i, i + n));
                i += n;
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::super::types::triggers;
    use super::*;

    struct Passage {
        text: &'static str,
        tokens: Vec<Token>,
        mentions: Vec<Mention>,
    }

    fn passage(text: &'static str, names: &[(&str, &str)]) -> Passage {
        let tokens = tokenize(text, Span::new(0, text.len()));
        let mentions = names
            .iter()
            .map(|(name, label)| {
                let s = text.find(name).unwrap();
                Mention { span: Span::new(s, s + name.len()), label: label.to_string(), score: 1.0 }
            })
            .collect();
        Passage { text, tokens, mentions }
    }

    impl Passage {
        fn indexed(&self) -> Vec<(usize, &Mention)> {
            self.mentions.iter().enumerate().collect()
        }
        fn texts(&self, spans: &[Span]) -> Vec<&str> {
            spans.iter().map(|s| &self.text[s.start..s.end]).collect()
        }
    }

    #[test]
    fn claims_and_perpetrators() {
        let p = passage("The Islamic State group announced that it was responsible for the attack by IS militants.", &[("Islamic State", "ORG"), ("IS", "ORG")]);
        assert_eq!(p.mentions[1].span.start, p.text.find("IS militants").unwrap());
        assert_eq!(claimants(&p.tokens, &p.indexed()), [0]);
        let trig = triggers(&p.tokens);
        assert_eq!(perpetrators(&p.tokens, &p.indexed(), &trig, false), [1]);
        let p = passage("KIDNAPPED BY TERRORISTS OF THE FARABUNDO MARTI NATIONAL LIBERATION FRONT", &[("FARABUNDO MARTI NATIONAL LIBERATION FRONT", "ORG")]);
        assert_eq!(perpetrators(&p.tokens, &p.indexed(), &triggers(&p.tokens), false), [0]);
    }

    #[test]
    fn attackers_with_count_and_nationality() {
        let p = passage("It was carried out by four highly trained armed men, all from Tajikistan, and a Tajik gunman.", &[]);
        let found = individuals(p.text, &p.tokens);
        assert_eq!(p.texts(&found.iter().map(|i| i.span).collect::<Vec<_>>()), ["four highly trained armed men", "a Tajik gunman"]);
        assert_eq!((found[0].count, found[0].nationality), (Some(4), Some("TJ")));
        assert_eq!((found[1].count, found[1].nationality), (Some(1), Some("TJ")));
    }

    #[test]
    fn targets_victims_and_weapons() {
        let p = passage(
            "They planned an attack on a synagogue in Kaluga after the bombing against the Russian Embassy killed two guards with a car bomb.",
            &[("Kaluga", "LOC"), ("Russian Embassy", "ORG")],
        );
        let trig = triggers(&p.tokens);
        assert_eq!(p.texts(&targets(p.text, &p.tokens, &p.indexed(), &trig)), ["a synagogue", "the Russian Embassy"]);
        assert_eq!(p.texts(&victims(&p.tokens)), ["two guards"]);
        assert_eq!(p.texts(&weapons(&p.tokens)), ["car bomb"]);
        let p = passage("the roof of the Crocus City concert hall fell; the Crocus City attack", &[("Crocus City", "LOC")]);
        assert_eq!(p.texts(&targets(p.text, &p.tokens, &p.indexed(), &triggers(&p.tokens))), ["Crocus City concert hall"]);
    }
}
