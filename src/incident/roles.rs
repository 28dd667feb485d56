//! Who did it, to whom and with what: perpetrator organisations and
//! individuals, claims, targets, victims and weapons of one passage.
//!
//! Each rule reads a fixed, local construction ("attack by X", "X claimed
//! responsibility", "four armed men, all from Tajikistan", "attack on a
//! synagogue") so that every slot points at the words it came from.

use super::numbers::{count_at, count_near, is_casualty_word};
use super::places;
use super::tokens::{cover, index_at, is_acronym_in_prose, is_clause_break, matches_at, Token};
use super::types::{IncidentType, Trigger};
use crate::document::{Mention, Span};
use crate::lexicon::{Class, AREAS, ATTACKERS, ATTACK_NOUNS, CASUALTY_ADVERBS, CLAIMS, DENIALS, DIRECT_ATTACK_VERBS, DOER_NOUNS, DOER_VERBS, DONE_BY_PARTICIPLES, FACILITIES, GROUP_NAME_FILLERS, HARM_VERBS, HELD_PEOPLE, INVOLVEMENT_PHRASES, LED_BY_PARTICIPLES, LEGAL_VERBS, LOCATIVES, LY_NOUNS, MILITANTS, NOT_HARMED_HEADS, OWNING_UP_PHRASES, PHRASE_STOPS, PRONOUNS_AND_PLACE_ADVERBS, RECEIVING_END_WORDS, REPORTING_VERBS, SMALL_GROUP_NOUNS, SPEAKER_TITLES, STATUS_ACCUSED, STATUS_ARRESTED, STATUS_CONVICTED, STATUS_SUSPECTED, TIME_WORDS, WEAPONS, WEAPON_MODIFIED_NOUNS, WEAPON_NAMES};

/// The end (exclusive) of a noun phrase starting at `from`, at most `max` words.
fn noun_phrase_end(tokens: &[Token], from: usize, max: usize) -> usize {
    let mut k = from;
    while k < tokens.len() && k < from + max {
        let t = &tokens[k];
        let stop = PHRASE_STOPS.contains(&t.lower.as_str()) && !is_acronym_in_prose(tokens, k);
        // "two soldiers instantly", "12 initially", "Blanco one year": an
        // adverb or a time after the noun is no part of it.
        let time_next = tokens.get(k + 1).is_some_and(|n| is_time_word(&n.lower));
        let after_noun = is_adverb(t) || is_time_word(&t.lower) || time_next || k > from && count_at(tokens, k).is_some();
        if is_clause_break(t) || stop || after_noun || is_casualty_word(&t.lower) || matches!(t.lower.as_str(), "'s" | "due") {
            break;
        }
        k += 1;
    }
    k
}

/// "-ly" words that are no nouns or names ("instantly"; not "family", "Italy").
fn is_adverb(t: &Token) -> bool {
    t.lower.len() > 4 && t.lower.ends_with("ly") && t.lower.chars().all(|c| c.is_ascii_lowercase()) && !LY_NOUNS.contains(&t.lower.as_str())
}

/// Words that name a time, never a target or a victim ("Friday", "11 December", "this week").
fn is_time_word(word: &str) -> bool {
    TIME_WORDS.contains(&word) || super::dates::is_month_name(word) || word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit())
}

/// A phrase at tokens `from..end` that can be a target or a victim: its
/// last word (its head in English) names no time and no event.
fn is_harmable(tokens: &[Token], from: usize, end: usize) -> bool {
    let head = &tokens[end - 1].lower;
    end > from && !is_time_word(head) && !NOT_HARMED_HEADS.contains(&head.as_str())
}

fn mention_tokens(tokens: &[Token], m: &Mention) -> (usize, usize) {
    (index_at(tokens, m.span.start), index_at(tokens, m.span.end))
}

/// Organisation mentions (of `orgs`, the passage's group names) that claim
/// the act: the nearest before a claim word ("IS said it was responsible
/// for"), or after "claimed by".
pub fn claimants(tokens: &[Token], orgs: &[(usize, &Mention)]) -> Vec<usize> {
    let orgs: Vec<(usize, usize)> = orgs
        .iter()
        .map(|(i, m)| (*i, index_at(tokens, m.span.start)))
        .collect();
    let mut out = Vec::new();
    let denied = |k: usize| tokens[k.saturating_sub(3)..k].iter().any(|t| DENIALS.contains(&t.lower.as_str()) || t.lower.ends_with("n't"));
    for cue in (0..tokens.len()).filter(|&k| CLAIMS.iter().any(|c| matches_at(tokens, k, c)) && !denied(k)) {
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
pub fn perpetrators(tokens: &[Token], orgs: &[(usize, &Mention)], triggers: &[Trigger], security: bool) -> Vec<(usize, Status)> {
    let is_trigger_at = |k: usize| triggers.iter().any(|t| t.first == k);
    orgs
        .iter()
        .filter(|(_, m)| {
            let (first, after) = mention_tokens(tokens, m);
            let word = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
            // "attack by X", "carried out by the armed group X"; not "controlled by X"
            let by = (first.saturating_sub(7)..first).any(|k| {
                let doing = k > 0 && (is_trigger_at(k - 1) || DONE_BY_PARTICIPLES.contains(&word(k - 1)) || LED_BY_PARTICIPLES.contains(&word(k - 1)));
                word(k) == "by" && doing && !tokens[k..first].iter().any(|t| is_clause_break(t) || t.lower == "and")
            });
            // "the armed Basque separatist group ETA": the phrase's head is the last name in it
            let modifies = orgs.iter().any(|(_, o)| {
                let at = index_at(tokens, o.span.start);
                at >= after && at <= after + 3 && tokens[after..at].iter().all(|t| t.lower.chars().all(char::is_alphabetic) && !PHRASE_STOPS.contains(&t.lower.as_str()))
            });
            let owns = word(after) == "'s" && (after + 1..after + 4).any(is_trigger_at);
            // "IS attacks", "ETA bombings"; not "Boston Marathon bombing"
            // (an event the tagger calls MISC) nor "an Afghani injured"
            // but "the Cafetería Rolando bombing" names the place that was hit
            let venue = tokens[first..after].iter().any(|t| FACILITIES.contains(&t.lower.as_str()));
            let names_attack = !security && m.label == "ORG" && is_trigger_at(after) && ATTACK_NOUNS.contains(&word(after)) && !venue;
            // "IS militants attacked"; not "seven Taliban militants were killed"
            let members = !security && MILITANTS.contains(&word(after)) && !is_harmed(tokens, after + 1);
            let of_group = first >= 2 && word(first - 1) == "of" && MILITANTS.contains(&word(first - 2))
                || first >= 3 && word(first - 1) == "the" && word(first - 2) == "of" && MILITANTS.contains(&word(first - 3));
            !modifies && (by || owns || names_attack || members || of_group || acts(tokens, after))
        })
        .map(|(i, m)| {
            let (first, after) = mention_tokens(tokens, m);
            (*i, status_near(tokens, first, after))
        })
        .collect()
}

/// True when the words from token `k` say that the people named just before
/// were harmed: "were killed", "died", "have been wounded".
fn is_harmed(tokens: &[Token], k: usize) -> bool {
    let mut k = k;
    let mut passive = false;
    while k < tokens.len() && matches!(tokens[k].lower.as_str(), "were" | "was" | "have" | "has" | "had" | "been" | "also" | "reportedly" | "later") {
        passive |= matches!(tokens[k].lower.as_str(), "were" | "was" | "been");
        k += 1;
    }
    tokens.get(k).is_some_and(|t| matches!(t.lower.as_str(), "died" | "dead") || passive && is_casualty_word(&t.lower))
}

/// True when a doer verb follows the name ending at token `after`, past
/// words that only describe the group: "Hamas launched", "ETA carried out".
fn acts(tokens: &[Token], after: usize) -> bool {
    let mut k = after;
    while k < tokens.len() && k < after + 3 && GROUP_NAME_FILLERS.contains(&tokens[k].lower.as_str()) {
        k += 1;
    }
    DOER_VERBS.iter().chain(&["launched", "staged", "claimed"]).any(|v| matches_at(tokens, k, v))
}

/// What the text says of a perpetrator's part. Analysts must not read an
/// accusation as a claim, nor an arrest as a conviction; the strongest
/// cue near the name wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Unknown,
    Suspected,
    Accused,
    Arrested,
    Convicted,
    Claimed,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Unknown => "unknown",
            Status::Suspected => "suspected",
            Status::Accused => "accused",
            Status::Arrested => "arrested",
            Status::Convicted => "convicted",
            Status::Claimed => "claimed",
        }
    }
}

/// Words that say how far the case against someone has gone: one word
/// class per status.
fn status_cues() -> &'static [(&'static str, Status)] {
    static CUES: std::sync::OnceLock<Vec<(&'static str, Status)>> = std::sync::OnceLock::new();
    CUES.get_or_init(|| {
        let classes: [(&Class, Status); 4] = [(&STATUS_CONVICTED, Status::Convicted), (&STATUS_ARRESTED, Status::Arrested), (&STATUS_ACCUSED, Status::Accused), (&STATUS_SUSPECTED, Status::Suspected)];
        classes.iter().flat_map(|&(class, status)| class.iter().map(move |&w| (w, status))).collect()
    })
}

/// How far a status cue may be from the name, in words.
const STATUS_WINDOW: usize = 6;

/// The strongest status cue within [`STATUS_WINDOW`] words of tokens
/// `first..end`, not across a semicolon or a sentence's end.
pub fn status_near(tokens: &[Token], first: usize, end: usize) -> Status {
    let from = first.saturating_sub(STATUS_WINDOW);
    let to = (end + STATUS_WINDOW).min(tokens.len());
    let hard_break = |k: usize| matches!(tokens[k].lower.as_str(), ";" | "." | "?" | "!");
    (from..to)
        .filter(|&k| k < first || k >= end)
        .filter(|&k| {
            let (lo, hi) = if k < first { (k, first) } else { (end, k) };
            !(lo..hi).any(hard_break)
        })
        .filter_map(|k| status_cues().iter().find(|(cue, _)| matches_at(tokens, k, cue)).map(|(_, s)| *s))
        .max()
        .unwrap_or(Status::Unknown)
}


/// Named people cast as perpetrators (`people`: the passage's PER
/// mentions), each with what the text says of them.
pub fn named_perpetrators(tokens: &[Token], people: &[(usize, &Mention)]) -> Vec<(usize, Status)> {
    let word = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    let mut out = Vec::new();
    for &(i, m) in people {
        let (first, after) = mention_tokens(tokens, m);
        // "in Bagram, a suicide bomber …": a place the tagger took for a person
        let placed = first >= 1 && (LOCATIVES.contains(&word(first - 1)) || word(first - 1) == "from");
        if first >= after || placed || REPORTING_VERBS.contains(&word(after)) {
            continue;
        }
        // "gunman Omar Mateen", "the suspected bomber, Ahmad Rahimi"
        let noun_before = (first.saturating_sub(3)..first).any(|k| DOER_NOUNS.contains(&word(k)) && !tokens[k + 1..first].iter().any(|t| t.lower == "." || t.lower == ";"));
        // "Rahimi, 28, the suspect," / "Rahimi, a suspected militant,"
        let noun_after = word(after) == "," && (after + 1..(after + 6).min(tokens.len())).take_while(|&k| word(k) != "." && word(k) != ";").any(|k| DOER_NOUNS.contains(&word(k)));
        // "Mateen opened fire" (an age between: "Mateen, 29, opened fire")
        let mut verb_at = after;
        if word(after) == "," && word(after + 2) == "," && word(after + 1).chars().all(|c| c.is_ascii_digit()) {
            verb_at = after + 3;
        }
        let acts = DOER_VERBS.iter().any(|v| matches_at(tokens, verb_at, v));
        let legal_after = matches!(word(verb_at), "was" | "is" | "has" | "had" | "were" | "been")
            && (verb_at + 1..(verb_at + 3).min(tokens.len())).any(|k| LEGAL_VERBS.contains(&word(k)));
        let owns_up = OWNING_UP_PHRASES.iter().any(|v| matches_at(tokens, verb_at, v));
        let legal_before = first >= 1 && LEGAL_VERBS.contains(&word(first - 1));
        let by = first >= 2 && word(first - 1) == "by" && DONE_BY_PARTICIPLES.contains(&word(first - 2))
            || first >= 3 && word(first - 1) == "by" && word(first - 2) == "out" && word(first - 3) == "carried";
        // "identified the gunman as Omar Mateen"
        let named_as = first >= 2 && word(first - 1) == "as" && (first.saturating_sub(4)..first - 1).any(|k| DOER_NOUNS.contains(&word(k)));
        if noun_before || noun_after || acts || legal_after || owns_up || legal_before || by || named_as {
            out.push((i, status_near(tokens, first, after)));
        }
    }
    out
}

/// A group of attackers as the text describes them.
#[derive(Debug, Clone, PartialEq)]
pub struct Individual {
    pub span: Span,
    pub count: Option<u64>,
    /// ISO 3166-1 alpha-2 of a demonym in the phrase or a "from <country>" after it.
    pub nationality: Option<&'static str>,
    /// What the text says of them ("the two men accused of", "the suspected bombers").
    pub status: Status,
    /// Members of a group named before ("three members of that cell"):
    /// they belong where that group was.
    pub antecedent: bool,
}

/// "Three members of that cell", "two members of the same group": counted
/// members of a group the text named before, ending at token `noun`
/// ("members"); the phrase's end (exclusive) if so.
fn members_of_antecedent(tokens: &[Token], noun: usize) -> Option<usize> {
    let word = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    if word(noun) != "members" || word(noun + 1) != "of" {
        return None;
    }
    let det = match (word(noun + 2), word(noun + 3)) {
        ("that" | "this" | "the", _) if SMALL_GROUP_NOUNS.contains(&word(noun + 3)) => 1,
        ("the", "same") if SMALL_GROUP_NOUNS.contains(&word(noun + 4)) => 2,
        _ => return None,
    };
    Some(noun + 3 + det)
}

/// "four highly trained armed men, all from Tajikistan", "a Tajik gunman", "the attackers".
pub fn individuals(text: &str, tokens: &[Token]) -> Vec<Individual> {
    let mut out = Vec::new();
    for (noun, t) in tokens.iter().enumerate() {
        // "34 people are involved in the attempt"
        let involved = matches!(t.lower.as_str(), "people" | "persons" | "individuals" | "men") && is_involved(tokens, noun + 1);
        let antecedent = members_of_antecedent(tokens, noun);
        if !(ATTACKERS.contains(&t.lower.as_str()) && !near_casualty_word(tokens, noun) || involved || antecedent.is_some_and(|end| !is_harmed(tokens, end))) {
            continue;
        }
        let mut start = noun;
        while start > 0 && noun - start < 4 && is_modifier(tokens, start - 1) {
            start -= 1;
        }
        // "operations against the terrorists", "the army hit three gunmen": on the receiving end
        let object = (start.saturating_sub(3)..start).rev().take_while(|&k| !is_clause_break(&tokens[k])).any(|k| {
            RECEIVING_END_WORDS.contains(&tokens[k].lower.as_str())
        });
        if object && !involved {
            continue;
        }
        let count = (start.saturating_sub(4)..start).find_map(|k| count_at(tokens, k).filter(|(_, used)| k + used == start).map(|(c, _)| (k, c)));
        let plural = t.lower.ends_with('s') || t.lower.ends_with("men");
        let article = start > 0 && matches!(tokens[start - 1].lower.as_str(), "a" | "an");
        let (first, count) = match count {
            Some((k, c)) => (k, Some(c.value)),
            // "the number of people involved" counts them elsewhere
            None if (involved || antecedent.is_some()) && !ATTACKERS.contains(&t.lower.as_str()) => continue,
            None if plural => (start, None),
            None if article => (start - 1, Some(1)),
            None => (start, Some(1)),
        };
        let nationality = tokens[first..noun].iter().find_map(|w| crate::geo::gazetteer().nationality(&w.lower)).or_else(|| origin(text, tokens, noun + 1));
        let end = antecedent.unwrap_or(noun + 1);
        let status = status_near(tokens, first, end);
        out.push(Individual { span: cover(tokens, first, end), count, nationality, status, antecedent: antecedent.is_some() });
    }
    out
}

/// True when the words from token `k` tie the people named before them to
/// the act: "are involved in", "took part in", "participated in".
fn is_involved(tokens: &[Token], k: usize) -> bool {
    let k = k + usize::from(tokens.get(k).is_some_and(|t| matches!(t.lower.as_str(), "are" | "were" | "is" | "was" | "had" | "have")));
    INVOLVEMENT_PHRASES.iter().any(|p| matches_at(tokens, k, p))
}

fn is_modifier(tokens: &[Token], k: usize) -> bool {
    let w = tokens[k].lower.as_str();
    w.chars().all(|c| c.is_alphabetic() || c == '-')
        && !PHRASE_STOPS.contains(&w)
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
        places::country_code(name).or_else(|| places::towns(name).first().map(|c| c.country))
    })
}

/// What an attack was aimed at: "attack on a synagogue", "bombing against
/// the Russian Embassy", "the Crocus City concert hall", "the Crocus City attack".
pub fn targets(text: &str, tokens: &[Token], mentions: &[(usize, &Mention)], triggers: &[Trigger]) -> Vec<Span> {
    let mut found = Vec::new();
    for t in triggers {
        let of_ok = matches!(t.kind, IncidentType::Bombing | IncidentType::Arson | IncidentType::FacilityAttack);
        // "the video of the explosion circulated on social media": a verb
        // between ends the trigger's phrase; "blamed the attack on X" accuses X
        let blamed = tokens[t.first.saturating_sub(3)..t.first].iter().any(|w| w.lower.starts_with("blam"));
        let prep = (t.end..tokens.len().min(t.end + 3))
            .take_while(|&k| !is_clause_break(&tokens[k]) && !is_verb(text, tokens, k))
            .find(|&k| matches!(tokens[k].lower.as_str(), "on" | "against" | "targeting" | "at") && !(blamed && tokens[k].lower == "on") || of_ok && tokens[k].lower == "of");
        // "gunmen attacked a police station": the verb's object, right after it
        let object = DIRECT_ATTACK_VERBS.contains(&tokens[t.end - 1].lower.as_str()) && tokens.get(t.end).is_some_and(|n| !PHRASE_STOPS.contains(&n.lower.as_str()) && !is_clause_break(n));
        if let Some(k) = prep.or(object.then(|| t.end - 1)) {
            let mut from = k + 1;
            let end = loop {
                let end = noun_phrase_end(tokens, from, 6);
                // "the Russian Embassy": the determiner alone is no phrase.
                if end == from || end > from + 1 || !matches!(tokens[from].lower.as_str(), "the" | "a" | "an") {
                    break end;
                }
                from += 1;
            };
            // "the bombing of the city caused chaos": the phrase ends before the verb
            let end = (from + 1..end).find(|&j| is_verb(text, tokens, j)).unwrap_or(end);
            // "at" also introduces times ("came at a critical moment"): only places count.
            let place_like = tokens[k].lower != "at" || tokens[from..end].iter().any(|t| FACILITIES.contains(&t.lower.as_str()));
            let dated = tokens.get(end).is_some_and(|n| is_time_word(&n.lower));
            // "the bombing of the city": a place, not what was hit
            let area = end > from && AREAS.contains(&tokens[end - 1].lower.as_str());
            if end > k + 1 && place_like && !dated && !area && is_harmable(tokens, from, end) {
                found.push(cover(tokens, k + 1, end));
            }
        }
    }
    for (_, m) in mentions.iter().filter(|(_, m)| m.label != "PER") {
        let (first, after) = mention_tokens(tokens, m);
        // "the London Bridge district" is an area
        let area_after = |j: usize| tokens.get(j).is_some_and(|n| AREAS.contains(&n.lower.as_str()));
        if first >= after || speaks(tokens, first, after) || area_after(after) {
            continue;
        }
        if FACILITIES.contains(&tokens[after - 1].lower.as_str()) {
            found.push(m.span);
        } else if let Some(j) = (after..tokens.len().min(after + 3)).take_while(|&j| is_modifier(tokens, j)).find(|&j| FACILITIES.contains(&tokens[j].lower.as_str())) {
            found.push(Span::new(m.span.start, tokens[j].span.end));
        } else if m.label == "LOC" && triggers.iter().any(|t| t.first == after) && ATTACK_NOUNS.contains(&tokens[after].lower.as_str()) {
            let name = &text[m.span.start..m.span.end];
            let place = places::resolve(name, m.span, &[]);
            if place.city.is_none() && place.country.is_none() {
                found.push(m.span);
            }
        }
    }
    longest_first(found)
}

/// True when token `k` is a finite verb in the past ("caused", "circulated"):
/// a lower-case "-ed" word after a noun, not an adjective after a
/// determiner, a count or an adverb ("the armed group", "heavily armed men").
fn is_verb(text: &str, tokens: &[Token], k: usize) -> bool {
    let t = &tokens[k];
    let written = &text[t.span.start..t.span.end];
    let prev = k.checked_sub(1).map(|p| &tokens[p]);
    let attributive = prev.is_none_or(|p| matches!(p.lower.as_str(), "the" | "a" | "an" | "its" | "their" | "his" | "her") || is_adverb(p) || count_at(tokens, k - 1).is_some());
    t.lower.len() > 4 && t.lower.ends_with("ed") && written.starts_with(|c: char| c.is_lowercase()) && !attributive
}

/// True when the name at tokens `first..after` is a body that speaks about
/// the act ("the Defense Ministry confirmed", "head of the X hospital"), not what was hit.
fn speaks(tokens: &[Token], first: usize, after: usize) -> bool {
    let word = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    let reports = REPORTING_VERBS.contains(&word(after)) || matches!(word(after), "spokesman" | "spokeswoman");
    let of_title = first >= 2 && word(first - 1) == "of" && SPEAKER_TITLES.contains(&word(first - 2))
        || first >= 3 && word(first - 1) == "the" && word(first - 2) == "of" && SPEAKER_TITLES.contains(&word(first - 3));
    reports || of_title
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
            if end > from && is_harmable(tokens, from, end) && !is_suspect(&tokens[end - 1].lower) && !is_involved(tokens, end) {
                found.push(Span::new(c.span.start, tokens[end - 1].span.end));
            } else if end == from {
                // "wounded 71", "injured another 15": the figure stands for the people
                found.push(c.span);
            }
            continue;
        }
        if let Some(span) = subject(tokens, i) {
            found.push(span);
            continue;
        }
        if !HARM_VERBS.contains(&t.lower.as_str()) {
            continue;
        }
        let from = i + 1 + usize::from(tokens.get(i + 1).is_some_and(|n| n.lower == "of"));
        let end = noun_phrase_end(tokens, from, 5);
        if (end > from && !matches!(tokens[from].lower.as_str(), "the" | "a" | "an") || end > from + 1) && is_harmable(tokens, from, end) {
            found.push(cover(tokens, from, end));
        }
    }
    longest_first(found)
}

/// The uncounted subject of a casualty word: "a major general was killed",
/// "Major General Vyacheslav Gladkikh died", "the driver was also wounded".
fn subject(tokens: &[Token], cue: usize) -> Option<Span> {
    let mut end = cue;
    while end > 0 && CASUALTY_ADVERBS.contains(&tokens[end - 1].lower.as_str()) {
        end -= 1;
    }
    if end > 0 && matches!(tokens[end - 1].lower.as_str(), "was" | "were" | "been" | "is" | "are") {
        end -= 1;
        if end > 0 && matches!(tokens[end - 1].lower.as_str(), "has" | "have" | "had") {
            end -= 1;
        }
    } else if !matches!(tokens[cue].lower.as_str(), "died" | "dies") {
        return None;
    }
    let word = |k: usize| tokens[k].lower.as_str();
    let noun_like = |k: usize| tokens[k].lower.chars().all(|c| c.is_alphabetic() || c == '-' || c == '.') && !PHRASE_STOPS.contains(&word(k)) && !is_adverb(&tokens[k]) && !PRONOUNS_AND_PLACE_ADVERBS.contains(&word(k));
    let mut start = end;
    while start > 0 && end - start < 5 && noun_like(start - 1) && !matches!(word(start - 1), "the" | "a" | "an") {
        start -= 1;
    }
    if start == end || !is_harmable(tokens, start, end) || is_suspect(word(end - 1)) || is_casualty_word(word(end - 1)) || HARM_VERBS.contains(&word(end - 1)) {
        return None;
    }
    if start > 0 && matches!(word(start - 1), "the" | "a" | "an") {
        start -= 1;
    }
    Some(cover(tokens, start, end))
}

/// People held for an act ("34 suspects were detained"): never its victims.
fn is_suspect(noun: &str) -> bool {
    HELD_PEOPLE.contains(&noun)
}

/// True when a name is a weapon ("IED", "AK-47"): a tagger's ORG that is no group.
pub fn is_weapon(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    WEAPONS.contains(&lower.as_str()) || WEAPON_NAMES.contains(&lower.as_str())
}

/// Weapons named in the passage.
pub fn weapons(tokens: &[Token]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let best = WEAPONS.iter().filter(|w| matches_at(tokens, i, w)).map(|w| w.split(' ').count()).max();
        match best {
            Some(n) => {
                if !tokens.get(i + n).is_some_and(|t| WEAPON_MODIFIED_NOUNS.contains(&t.lower.as_str())) {
                    out.push(cover(tokens, i, i + n));
                }
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
        assert_eq!(perpetrators(&p.tokens, &p.indexed(), &trig, false), [(1, Status::Unknown)]);
        let p = passage("KIDNAPPED BY TERRORISTS OF THE FARABUNDO MARTI NATIONAL LIBERATION FRONT", &[("FARABUNDO MARTI NATIONAL LIBERATION FRONT", "ORG")]);
        assert_eq!(perpetrators(&p.tokens, &p.indexed(), &triggers(&p.tokens), false), [(0, Status::Unknown)]);
    }

    #[test]
    fn an_accusation_is_no_claim() {
        let p = passage("Officials blamed the attack by the Haqqani network on Pakistan.", &[("Haqqani network", "ORG")]);
        assert_eq!(perpetrators(&p.tokens, &p.indexed(), &triggers(&p.tokens), false), [(0, Status::Accused)]);
        assert!(claimants(&p.tokens, &p.indexed()).is_empty());
        let p = passage("The bombing was carried out by suspected Boko Haram militants.", &[("Boko Haram", "ORG")]);
        assert_eq!(perpetrators(&p.tokens, &p.indexed(), &triggers(&p.tokens), false), [(0, Status::Suspected)]);
    }

    #[test]
    fn named_people_who_did_it_and_how_far_the_case_has_gone() {
        let names = [("Omar Mateen", "PER"), ("Ahmad Rahimi", "PER"), ("John Smith", "PER"), ("Jane Doe", "PER")];
        let p = passage(
            "The gunman Omar Mateen opened fire. Ahmad Rahimi was charged with the bombing. John Smith said the victims were shot. Jane Doe was killed.",
            &names,
        );
        let found = named_perpetrators(&p.tokens, &p.indexed());
        assert_eq!(found, [(0, Status::Unknown), (1, Status::Accused)], "a commenting official and a victim are no perpetrators");
        let p = passage("Police arrested Ahmad Rahimi after the bombing.", &[("Ahmad Rahimi", "PER")]);
        assert_eq!(named_perpetrators(&p.tokens, &p.indexed()), [(0, Status::Arrested)]);
        let p = passage("On Monday in Bagram, a suicide bomber blew himself up.", &[("Bagram", "PER")]);
        assert!(named_perpetrators(&p.tokens, &p.indexed()).is_empty(), "a place tagged as a person");
        let p = passage("Ahmad Rahimi, 28, pleaded guilty to the attack.", &[("Ahmad Rahimi", "PER")]);
        assert_eq!(named_perpetrators(&p.tokens, &p.indexed()), [(0, Status::Convicted)]);
        let p = passage("Police identified the suspected gunman as Omar Mateen.", &[("Omar Mateen", "PER")]);
        assert_eq!(named_perpetrators(&p.tokens, &p.indexed()), [(0, Status::Suspected)]);
        // a verb of reporting after the name makes it a speaker (reporting_verbs)
        let p = passage("PRESIDENT VINICIO CEREZO ADMITTED THAT THE SECURITY FORCES HAD FAILED TO STOP THE ATTACK.", &[("VINICIO CEREZO", "PER")]);
        assert!(named_perpetrators(&p.tokens, &p.indexed()).is_empty(), "a speaker who admits a fact");
    }

    #[test]
    fn groups_named_before_attacks_as_subjects_and_after_by() {
        let p = passage("Fighters were killed in IS attacks near the town.", &[("IS", "ORG")]);
        assert_eq!(perpetrators(&p.tokens, &p.indexed(), &triggers(&p.tokens), false), [(0, Status::Unknown)]);
        let p = passage("The Boston Marathon bombing shocked the city.", &[("Boston Marathon", "MISC")]);
        assert!(perpetrators(&p.tokens, &p.indexed(), &triggers(&p.tokens), false).is_empty(), "an event's name");
        let p = passage("The \"Islamic State\" militant group launched a series of attacks.", &[("Islamic State", "MISC")]);
        assert_eq!(perpetrators(&p.tokens, &p.indexed(), &triggers(&p.tokens), false), [(0, Status::Unknown)]);
        let p = passage("It was carried out by the armed Basque separatist group ETA.", &[("Basque", "ORG"), ("ETA", "ORG")]);
        assert_eq!(perpetrators(&p.tokens, &p.indexed(), &triggers(&p.tokens), false), [(1, Status::Unknown)], "the phrase's head, not its modifier");
    }

    #[test]
    fn victims_as_subjects_bare_figures_and_never_times() {
        let p = passage("A major general was killed and Major General Ivan Petrov died after the blast.", &[]);
        assert_eq!(p.texts(&victims(&p.tokens)), ["A major general", "Major General Ivan Petrov"]);
        let p = passage("The blast killed 13 people and wounded 71, and injured another 15.", &[]);
        assert_eq!(p.texts(&victims(&p.tokens)), ["13 people", "71", "15"]);
        let p = passage("It killed two soldiers instantly; the assassination attempt on Friday failed.", &[]);
        assert_eq!(p.texts(&victims(&p.tokens)), ["two soldiers"]);
        let p = passage("Police detained 34 suspects and three people were killed.", &[]);
        assert_eq!(p.texts(&victims(&p.tokens)), ["three people"]);
    }

    #[test]
    fn a_weapon_named_like_a_group_is_none() {
        assert!(is_weapon("IED") && is_weapon("AK-47") && !is_weapon("Islamic State"));
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
    #[test]
    fn claims_accepted_and_claims_denied() {
        let p = passage("The Free Army accepted responsibility for the bombings.", &[("Free Army", "ORG")]);
        assert_eq!(claimants(&p.tokens, &p.indexed()), [0]);
        let p = passage("The Free Army has not claimed responsibility for the bombings.", &[("Free Army", "ORG")]);
        assert!(claimants(&p.tokens, &p.indexed()).is_empty());
        let p = passage("The Free Army said no group had claimed the attack.", &[("Free Army", "ORG")]);
        assert!(claimants(&p.tokens, &p.indexed()).is_empty());
    }

    #[test]
    fn members_who_were_killed_are_no_perpetrators() {
        let p = passage("Seven Hamas militants were killed in the blast.", &[("Hamas", "ORG")]);
        assert!(perpetrators(&p.tokens, &p.indexed(), &triggers(&p.tokens), false).is_empty());
        let p = passage("Hamas militants killed two guards in the blast.", &[("Hamas", "ORG")]);
        assert_eq!(perpetrators(&p.tokens, &p.indexed(), &triggers(&p.tokens), false), [(0, Status::Unknown)]);
    }

    #[test]
    fn attackers_on_the_receiving_end_and_people_involved() {
        let p = passage("The army said it hit three gunmen and launched operations against the terrorists.", &[]);
        assert!(individuals(p.text, &p.tokens).is_empty());
        let p = passage("Officials said 12 people were involved in the attack, and the number of people involved may rise.", &[]);
        let found = individuals(p.text, &p.tokens);
        assert_eq!(p.texts(&found.iter().map(|i| i.span).collect::<Vec<_>>()), ["12 people"]);
        assert_eq!(found[0].count, Some(12));
        assert!(victims(&p.tokens).is_empty(), "those involved in the attack are not its victims");
        let p = passage("He lied about his ties to the two men accused of the bombing.", &[]);
        assert_eq!(individuals(p.text, &p.tokens)[0].status, Status::Accused);
    }

    #[test]
    fn no_targets_across_a_verb_in_a_blame_or_that_are_areas() {
        let targets_of = |text: &'static str, names: &[(&str, &str)]| {
            let p = passage(text, names);
            p.texts(&targets(p.text, &p.tokens, &p.indexed(), &triggers(&p.tokens))).into_iter().map(str::to_string).collect::<Vec<_>>()
        };
        assert!(targets_of("A video of the explosion circulated on social media.", &[]).is_empty());
        assert!(targets_of("Some blamed the attack on the far left.", &[]).is_empty());
        assert!(targets_of("The bombing of the city caused chaos.", &[]).is_empty());
        assert_eq!(targets_of("The bombing of the market caused chaos.", &[]), ["the market"]);
        assert!(targets_of("the attack in the Kings Bridge district", &[("Kings Bridge", "LOC")]).is_empty());
        assert!(targets_of("the Spring Marathon bombing", &[("Spring Marathon", "MISC")]).is_empty(), "an event's name");
        assert_eq!(targets_of("the Spring Park bombing", &[("Spring Park", "LOC")]), ["Spring Park"]);
    }

    #[test]
    fn a_weapon_word_before_a_probe_or_a_squad_is_no_weapon() {
        let p = passage("The bomb squad joined the bomb probe after a bomb exploded.", &[]);
        assert_eq!(p.texts(&weapons(&p.tokens)), ["bomb"]);
        assert_eq!(weapons(&p.tokens)[0].start, p.text.find("a bomb exploded").unwrap() + 2);
    }
    #[test]
    fn members_of_a_group_named_before() {
        let p = passage("Two members of that cell had killed a judge, and members of the same group fled.", &[]);
        let found = individuals(p.text, &p.tokens);
        assert_eq!(p.texts(&found.iter().map(|i| i.span).collect::<Vec<_>>()), ["Two members of that cell"]);
        assert!(found[0].antecedent && found[0].count == Some(2));
        let p = passage("Three members of that cell were killed in the raid.", &[]);
        assert!(individuals(p.text, &p.tokens).is_empty(), "killed members are no attackers");
        let p = passage("Three members of parliament condemned the attack.", &[]);
        assert!(individuals(p.text, &p.tokens).is_empty());
    }
}
