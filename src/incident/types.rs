//! The incident type vocabulary and the trigger words that signal each type.
//!
//! Types follow the GTD attack types, plus what news also reports: foiled
//! plots and security operations against armed groups. `unknown` covers
//! triggers that say something happened without saying what ("attack",
//! "killed"); a more specific trigger elsewhere in the incident wins.

use super::nouns::MILITANTS;
use super::tokens::{matches_at, Token};

/// Incident types, least specific first (the derived order ranks them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IncidentType {
    Unknown,
    Plot,
    SecurityOperation,
    UnarmedAssault,
    ArmedAssault,
    FacilityAttack,
    Arson,
    Assassination,
    Bombing,
    Kidnapping,
    HostageTaking,
    Hijacking,
}

impl IncidentType {
    pub fn name(self) -> &'static str {
        match self {
            IncidentType::Unknown => "unknown",
            IncidentType::Plot => "plot",
            IncidentType::SecurityOperation => "security_operation",
            IncidentType::UnarmedAssault => "unarmed_assault",
            IncidentType::ArmedAssault => "armed_assault",
            IncidentType::FacilityAttack => "facility_attack",
            IncidentType::Arson => "arson",
            IncidentType::Assassination => "assassination",
            IncidentType::Bombing => "bombing",
            IncidentType::Kidnapping => "kidnapping",
            IncidentType::HostageTaking => "hostage_taking",
            IncidentType::Hijacking => "hijacking",
        }
    }
}

use IncidentType::*;

/// Trigger phrases (lower case, space-separated words) and their types.
const LEXICON: &[(&str, IncidentType)] = &[
    ("car bomb", Bombing), ("suicide bombing", Bombing), ("suicide bomber", Bombing), ("suicide attack", Bombing),
    ("explosive device", Bombing), ("bomb", Bombing), ("bombs", Bombing), ("bombing", Bombing), ("bombings", Bombing),
    ("bombed", Bombing), ("explosion", Bombing), ("explosions", Bombing), ("exploded", Bombing), ("blast", Bombing),
    ("blasts", Bombing), ("detonated", Bombing), ("dynamited", Bombing), ("ied", Bombing),
    ("opened fire", ArmedAssault), ("open fire", ArmedAssault), ("gunmen", ArmedAssault), ("gunman", ArmedAssault),
    ("armed men", ArmedAssault), ("shooting", ArmedAssault), ("shootings", ArmedAssault), ("shot dead", ArmedAssault),
    ("gunfire", ArmedAssault), ("ambush", ArmedAssault), ("ambushed", ArmedAssault), ("massacre", ArmedAssault),
    ("clash", ArmedAssault), ("clashes", ArmedAssault), ("stormed", ArmedAssault), ("machine-gunned", ArmedAssault),
    ("stabbing", ArmedAssault), ("stabbed", ArmedAssault),
    ("assassinated", Assassination), ("assassination", Assassination), ("assassinate", Assassination),
    ("murdered", Assassination),
    ("kidnapped", Kidnapping), ("kidnapping", Kidnapping), ("kidnappings", Kidnapping), ("kidnap", Kidnapping),
    ("abducted", Kidnapping), ("abduction", Kidnapping), ("kidnappers", Kidnapping),
    ("took hostage", HostageTaking), ("held hostage", HostageTaking), ("hostage", HostageTaking),
    ("hostages", HostageTaking), ("hostage-taking", HostageTaking),
    ("set fire", Arson), ("set on fire", Arson), ("sets fire", Arson), ("arson", Arson), ("torched", Arson),
    ("burned down", Arson), ("burnt down", Arson),
    ("hijacked", Hijacking), ("hijacking", Hijacking), ("hijack", Hijacking), ("hijackers", Hijacking),
    ("sabotage", FacilityAttack), ("sabotaged", FacilityAttack), ("vandalized", FacilityAttack),
    ("vandalised", FacilityAttack),
    ("beaten", UnarmedAssault), ("beat up", UnarmedAssault), ("lynched", UnarmedAssault),
    ("plot", Plot), ("plotted", Plot), ("foiled", Plot), ("thwarted", Plot),
    ("raid", SecurityOperation), ("raids", SecurityOperation), ("raided", SecurityOperation),
    ("counter-terrorism operation", SecurityOperation), ("counterterrorism operation", SecurityOperation),
    ("attack", Unknown), ("attacks", Unknown), ("attacked", Unknown), ("assault", Unknown),
    ("killed", Unknown), ("killing", Unknown), ("killings", Unknown), ("died", Unknown), ("dead", Unknown),
    ("wounded", Unknown), ("injured", Unknown), ("claimed responsibility", Unknown),
];

/// Words before a trigger that make it something planned, not carried out.
const PLAN_WORDS: &[&str] = &[
    "planning", "planned", "plotting", "plotted", "preparing", "prepared", "foiled", "thwarted", "prevented",
    "averted", "intended",
];

/// Words before a participle that make it an adjective ("of assassinated
/// commander Soleimani"), which recalls a person, not an event.
const ATTRIBUTIVE: &[&str] = &["the", "a", "an", "of", "his", "her", "their", "its"];

/// A trigger: tokens `first..end` and the type they signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trigger {
    pub first: usize,
    pub end: usize,
    pub kind: IncidentType,
}

/// Triggers in `tokens`, in order, longest phrase first at each position.
pub fn triggers(tokens: &[Token]) -> Vec<Trigger> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let found = LEXICON
            .iter()
            .filter(|(phrase, _)| matches_at(tokens, i, phrase))
            .max_by_key(|(phrase, _)| phrase.len());
        let Some((phrase, kind)) = found else {
            i += 1;
            continue;
        };
        let end = i + phrase.split(' ').count();
        let attributive = !phrase.contains(' ')
            && phrase.ends_with("ed")
            && i > 0
            && ATTRIBUTIVE.contains(&tokens[i - 1].lower.as_str());
        if !attributive {
            out.push(Trigger { first: i, end, kind: planned(tokens, i, *kind) });
        }
        i = end;
    }
    out
}

fn planned(tokens: &[Token], i: usize, kind: IncidentType) -> IncidentType {
    let plan = tokens[i.saturating_sub(3)..i].iter().any(|t| PLAN_WORDS.contains(&t.lower.as_str()));
    if plan && matches!(kind, Unknown | Bombing | ArmedAssault) && !is_casualty(&tokens[i].lower) {
        Plot
    } else {
        kind
    }
}

fn is_casualty(word: &str) -> bool {
    matches!(word, "killed" | "killing" | "killings" | "died" | "dead" | "wounded" | "injured")
}

/// Words naming the state's armed or security bodies.
const SECURITY: &[&str] = &[
    "counter-terrorism", "counterterrorism", "security", "troops", "soldiers", "police", "army", "battalion",
    "brigade", "military", "arrest", "arrested",
];

/// True when the passage reports security forces killing or arresting
/// members of an armed group ("the FSB killed three IS members").
pub fn is_security_operation(tokens: &[Token]) -> bool {
    let security = tokens.iter().any(|t| SECURITY.contains(&t.lower.as_str()));
    let militants_hit = tokens.iter().enumerate().any(|(i, t)| {
        matches!(t.lower.as_str(), "killed" | "killing" | "arrested" | "detained")
            && tokens[i + 1..tokens.len().min(i + 6)].iter().any(|w| MILITANTS.contains(&w.lower.as_str()))
    });
    security && militants_hit
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;
    use crate::document::Span;

    fn kinds(text: &str) -> Vec<&'static str> {
        triggers(&tokenize(text, Span::new(0, text.len()))).iter().map(|t| t.kind.name()).collect()
    }

    #[test]
    fn triggers_and_their_types() {
        assert_eq!(kinds("Gunmen opened fire and a car bomb exploded."), ["armed_assault", "armed_assault", "bombing", "bombing"]);
        assert_eq!(kinds("They had been planning an attack on a synagogue."), ["plot"]);
        assert_eq!(kinds("REBELS KIDNAPPED 50 PEASANTS"), ["kidnapping"]);
        assert_eq!(kinds("the tomb of assassinated commander Soleimani"), Vec::<&str>::new());
        assert!(kinds("The council discussed the budget on Friday.").is_empty());
    }

    #[test]
    fn security_operations_against_armed_groups() {
        let op = "The security service said it killed three IS members.";
        assert!(is_security_operation(&tokenize(op, Span::new(0, op.len()))));
        let attack = "Gunmen killed three police officers.";
        assert!(!is_security_operation(&tokenize(attack, Span::new(0, attack.len()))));
    }
}
