//! The incident type vocabulary and the trigger words that signal each type.
//!
//! Types follow the GTD attack types, plus what news also reports: foiled
//! plots and security operations against armed groups. `unknown` covers
//! triggers that say something happened without saying what ("attack",
//! "killed"); a more specific trigger elsewhere in the incident wins.

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

use std::sync::OnceLock;

use IncidentType::*;
use crate::lexicon::{Class, ACCIDENT_WORDS, ATTRIBUTIVE_WORDS, CASUALTY_TRIGGERS, COURT_WORDS, MILITANTS, NATURAL_CAUSES, PLAN_WORDS, PROTEST_WORDS, SECURITY_FORCES, SURGING_NOUNS, TOLL_VERBS, TRIGGERS_ARMED_ASSAULT, TRIGGERS_ARSON, TRIGGERS_ASSASSINATION, TRIGGERS_BOMBING, TRIGGERS_FACILITY_ATTACK, TRIGGERS_HIJACKING, TRIGGERS_HOSTAGE_TAKING, TRIGGERS_KIDNAPPING, TRIGGERS_PLOT, TRIGGERS_SECURITY_OPERATION, TRIGGERS_UNARMED_ASSAULT, TRIGGERS_UNKNOWN};

/// Trigger phrases (lower case, space-separated words) and their types:
/// one word class per type, in this order.
fn lexicon() -> &'static [(&'static str, IncidentType)] {
    static LEXICON: OnceLock<Vec<(&'static str, IncidentType)>> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let classes: [(&Class, IncidentType); 12] = [(&TRIGGERS_BOMBING, Bombing), (&TRIGGERS_ARMED_ASSAULT, ArmedAssault), (&TRIGGERS_ASSASSINATION, Assassination), (&TRIGGERS_KIDNAPPING, Kidnapping), (&TRIGGERS_HOSTAGE_TAKING, HostageTaking), (&TRIGGERS_ARSON, Arson), (&TRIGGERS_HIJACKING, Hijacking), (&TRIGGERS_FACILITY_ATTACK, FacilityAttack), (&TRIGGERS_UNARMED_ASSAULT, UnarmedAssault), (&TRIGGERS_PLOT, Plot), (&TRIGGERS_SECURITY_OPERATION, SecurityOperation), (&TRIGGERS_UNKNOWN, Unknown)];
        classes.iter().flat_map(|&(class, kind)| class.iter().map(move |&w| (w, kind))).collect()
    })
}

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
        let found = lexicon()
            .iter()
            .filter(|(phrase, _)| matches_at(tokens, i, phrase))
            .max_by_key(|(phrase, _)| phrase.len());
        let Some((phrase, kind)) = found else {
            i += 1;
            continue;
        };
        let end = i + phrase.split(' ').count();
        // a participle, not "ied"
        let attributive = !phrase.contains(' ')
            && phrase.len() > 4
            && phrase.ends_with("ed")
            && i > 0
            && ATTRIBUTIVE_WORDS.contains(&tokens[i - 1].lower.as_str());
        if !attributive && !no_attack(tokens, i, end) {
            out.push(Trigger { first: i, end, kind: planned(tokens, i, *kind) });
        }
        i = end;
    }
    out
}

/// True when the trigger at tokens `i..end` reports no attack: an
/// accidental blast, a heart attack, a protest's clashes, a death from
/// illness, a murder charge or, in a relative clause, a person's death
/// recalled by its year ("Chávez, who died in 2013").
fn no_attack(tokens: &[Token], i: usize, end: usize) -> bool {
    let word = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    let near = |from: usize, to: usize, words: &[&str]| (from..to.min(tokens.len())).any(|k| words.contains(&word(k)));
    let accident = near(i.saturating_sub(3), end + 3, &ACCIDENT_WORDS);
    let heart = i > 0 && word(i - 1) == "heart" && word(i).starts_with("attack");
    let protest = matches!(word(i), "clash" | "clashes") && near(0, tokens.len(), &PROTEST_WORDS);
    let died = matches!(word(i), "died" | "dead" | "death" | "deaths");
    let cause = died && matches!(word(end), "of" | "from") && near(end + 1, end + 4, &NATURAL_CAUSES);
    let charge = matches!(word(i), "murder" | "murders") && (near(i.saturating_sub(2), i, &COURT_WORDS) || near(end, end + 1, &COURT_WORDS));
    let recalled = died && i > 0 && word(i - 1) == "who" && word(end) == "in" && word(end + 1).len() == 4 && word(end + 1).bytes().all(|b| b.is_ascii_digit());
    // "the chaos has fuelled the explosion in piracy": a surge, not a blast
    let surge = matches!(word(i), "explosion" | "explosions") && matches!(word(end), "in" | "of") && near(end + 1, end + 2, &SURGING_NOUNS);
    accident || heart || protest || cause || recalled || charge || surge
}

/// True when the trigger only reports that people died or were hurt
/// ("died", "dead", "injured"), which illness, accidents and disasters also
/// bring; an incident needs more than that to be an attack. "Killed" and
/// "wounded" say someone did it, as wire copy reports murders.
pub fn reports_harm_only(tokens: &[Token], t: &Trigger) -> bool {
    tokens[t.first..t.end].iter().all(|w| matches!(w.lower.as_str(), "died" | "dead" | "injured" | "death" | "toll"))
}

/// True when the trigger is a murder said of its victim ("THE MURDER OF
/// JECAR NEGHME", "the murders of six priests"): a killing that specific
/// is an incident even where the text gives no date or place for it.
pub fn names_victim(tokens: &[Token], t: &Trigger) -> bool {
    matches!(tokens[t.first].lower.as_str(), "murder" | "murders") && tokens.get(t.end).is_some_and(|w| w.lower == "of")
}

/// True when the passage updates a toll ("the death toll rose to 18"),
/// which news reports of the day's event, whatever it recalled before.
pub fn updates_toll(tokens: &[Token]) -> bool {
    tokens.iter().enumerate().any(|(i, t)| {
        t.lower == "toll"
            && tokens[i + 1..tokens.len().min(i + 4)]
                .iter()
                .any(|w| TOLL_VERBS.contains(&w.lower.as_str()))
    })
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
    CASUALTY_TRIGGERS.contains(&word)
}

/// True when the passage reports security forces killing or arresting
/// members of an armed group ("the FSB killed three IS members").
pub fn is_security_operation(tokens: &[Token]) -> bool {
    let security = tokens.iter().any(|t| SECURITY_FORCES.contains(&t.lower.as_str()));
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
        assert_eq!(kinds("An IED claimed the lives of four soldiers."), ["bombing"], "an acronym after an article is no participle");
    }

    #[test]
    fn wire_copy_spellings_threats_and_murders() {
        assert_eq!(kinds("GUERRILLAS KIDNAPED TWO ENGINEERS"), ["kidnapping"]);
        assert_eq!(kinds("TWO POLICEMEN WERE SHOT TO DEATH"), ["armed_assault"]);
        assert_eq!(kinds("TERRORISTS MACHINEGUNNED A BUS"), ["armed_assault"]);
        assert_eq!(kinds("THE DAY A NEWSPAPER WAS BLOWN UP IN BOGOTA"), ["bombing"]);
        assert_eq!(kinds("THE REBELS THREATENED TO KILL ELECTION OFFICIALS"), ["plot"]);
        assert_eq!(kinds("THE ARCHBISHOP HAS AGAIN RECEIVED DEATH THREATS"), ["plot"]);
        assert_eq!(kinds("THE MURDER OF JECAR NEGHME ON A STREET"), ["unknown"], "a murder says nothing of how");
        assert_eq!(kinds("Simpson planned the murders, then shot Flynn"), ["unknown"], "planned, and carried out");
        assert!(kinds("He was convicted of first-degree murder on Friday.").is_empty(), "a charge, not the attack");
        assert!(kinds("The murder trial of a Spiro man is underway.").is_empty());
    }

    #[test]
    fn a_murder_of_someone_names_its_victim() {
        let named = |text: &str| {
            let toks = tokenize(text, Span::new(0, text.len()));
            triggers(&toks).iter().any(|t| names_victim(&toks, t))
        };
        assert!(named("FOLLOWING THE MURDER OF THE JESUITS, RELATIONS WERE CORDIAL"));
        assert!(!named("a wave of murder and violence"));
        assert!(!named("the attack of the guerrillas"), "only murders");
    }

    #[test]
    fn accidents_illness_and_protests_are_no_attack() {
        assert!(kinds("The device detonated accidentally, killing the three.").iter().all(|k| *k == "unknown"));
        assert!(kinds("Seven men were killed in two accidental explosions.").iter().all(|k| *k == "unknown"));
        assert!(kinds("The chaos has helped fuel the explosion in piracy.").is_empty());
        assert!(!kinds("An explosion in Kabul killed six.").is_empty());
        assert!(kinds("The former senator died of a heart attack.").is_empty());
        assert!(kinds("Eight people died of the unidentified disease.").is_empty());
        assert!(kinds("Chávez, who died in 2013, defended the assembly.").is_empty());
        assert!(kinds("Protesters clash with security forces in the capital.").is_empty());
        assert_eq!(kinds("Rebels clashed and the clashes left two dead."), ["armed_assault", "unknown"]);
        assert_eq!(kinds("A soldier died of his wounds after the bombing."), ["unknown", "bombing"]);
    }

    #[test]
    fn security_operations_against_armed_groups() {
        let op = "The security service said it killed three IS members.";
        assert!(is_security_operation(&tokenize(op, Span::new(0, op.len()))));
        let attack = "Gunmen killed three police officers.";
        assert!(!is_security_operation(&tokenize(attack, Span::new(0, attack.len()))));
    }
}
