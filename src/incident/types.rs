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
    ("bombed", Bombing), ("explosion", Bombing), ("explosions", Bombing), ("exploded", Bombing), ("explode", Bombing),
    ("blown up", Bombing), ("blew up", Bombing), ("blast", Bombing),
    ("blasts", Bombing), ("detonated", Bombing), ("dynamited", Bombing), ("ied", Bombing),
    ("opened fire", ArmedAssault), ("open fire", ArmedAssault), ("gunmen", ArmedAssault), ("gunman", ArmedAssault),
    ("armed men", ArmedAssault), ("shooting", ArmedAssault), ("shootings", ArmedAssault), ("shot dead", ArmedAssault),
    ("gunfire", ArmedAssault), ("ambush", ArmedAssault), ("ambushed", ArmedAssault), ("massacre", ArmedAssault),
    ("clash", ArmedAssault), ("clashes", ArmedAssault), ("stormed", ArmedAssault), ("machine-gunned", ArmedAssault),
    ("stabbing", ArmedAssault), ("stabbed", ArmedAssault), ("machinegunned", ArmedAssault), ("shot to death", ArmedAssault),
    ("exchanged fire", ArmedAssault),
    ("assassinated", Assassination), ("assassination", Assassination), ("assassinate", Assassination),
    ("murdered", Assassination),
    // wire copy of the time spells the verb with one "p" ("KIDNAPED", "KIDNAPING")
    ("kidnapped", Kidnapping), ("kidnapping", Kidnapping), ("kidnappings", Kidnapping), ("kidnap", Kidnapping),
    ("kidnaped", Kidnapping), ("kidnaping", Kidnapping), ("kidnapings", Kidnapping), ("kidnapers", Kidnapping),
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
    // a threat to kill is an attack announced, not carried out
    ("death threats", Plot), ("death threat", Plot), ("threats of death", Plot), ("threatened with death", Plot),
    ("threatened to kill", Plot), ("threats against", Plot),
    ("raid", SecurityOperation), ("raids", SecurityOperation), ("raided", SecurityOperation),
    ("counter-terrorism operation", SecurityOperation), ("counterterrorism operation", SecurityOperation),
    ("attack", Unknown), ("attacks", Unknown), ("attacked", Unknown), ("assault", Unknown),
    // a murder is a deliberate killing, which says nothing of how
    ("murder", Unknown), ("murders", Unknown), ("murdering", Unknown),
    ("killed", Unknown), ("killing", Unknown), ("killings", Unknown), ("died", Unknown), ("dead", Unknown),
    ("wounded", Unknown), ("injured", Unknown), ("claimed responsibility", Unknown), ("death toll", Unknown),
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
        // a participle, not "ied"
        let attributive = !phrase.contains(' ')
            && phrase.len() > 4
            && phrase.ends_with("ed")
            && i > 0
            && ATTRIBUTIVE.contains(&tokens[i - 1].lower.as_str());
        if !attributive && !no_attack(tokens, i, end) {
            out.push(Trigger { first: i, end, kind: planned(tokens, i, *kind) });
        }
        i = end;
    }
    out
}

/// Words near a blast that make it an accident: no attacker, no attack.
const ACCIDENT: &[&str] = &["accident", "accidents", "accidental", "accidentally", "malfunction", "leak", "short-circuit"];
/// Words that make a clash part of a protest, which is no attack of its own.
const PROTEST: &[&str] = &["protest", "protests", "protesters", "protestors", "demonstrators", "demonstration", "demonstrations", "rally", "marchers"];
/// Causes of death that no attacker brings about ("died of cancer").
const NATURAL: &[&str] = &[
    "disease", "diseases", "illness", "cancer", "complications", "natural", "old", "age", "diabetes", "leukemia",
    "covid", "covid-19", "virus", "infection", "stroke", "heart", "pneumonia", "malaria", "cholera", "ebola",
    "dengue", "hunger", "starvation", "exposure", "overdose",
];

/// True when the trigger at tokens `i..end` reports no attack: an
/// accidental blast, a heart attack, a protest's clashes, a death from
/// illness, a murder charge or, in a relative clause, a person's death
/// recalled by its year ("Chávez, who died in 2013").
fn no_attack(tokens: &[Token], i: usize, end: usize) -> bool {
    let word = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    let near = |from: usize, to: usize, words: &[&str]| (from..to.min(tokens.len())).any(|k| words.contains(&word(k)));
    let accident = near(i.saturating_sub(3), end + 3, ACCIDENT);
    let heart = i > 0 && word(i - 1) == "heart" && word(i).starts_with("attack");
    let protest = matches!(word(i), "clash" | "clashes") && near(0, tokens.len(), PROTEST);
    let died = matches!(word(i), "died" | "dead" | "death" | "deaths");
    let cause = died && matches!(word(end), "of" | "from") && near(end + 1, end + 4, NATURAL);
    let charge = matches!(word(i), "murder" | "murders") && (near(i.saturating_sub(2), i, LEGAL) || near(end, end + 1, LEGAL));
    let recalled = died && i > 0 && word(i - 1) == "who" && word(end) == "in" && word(end + 1).len() == 4 && word(end + 1).bytes().all(|b| b.is_ascii_digit());
    // "the chaos has fuelled the explosion in piracy": a surge, not a blast
    let surge = matches!(word(i), "explosion" | "explosions") && matches!(word(end), "in" | "of") && near(end + 1, end + 2, SURGING);
    accident || heart || protest || cause || recalled || charge || surge
}

/// Nouns that "explode" only in number ("an explosion of violence").
const SURGING: &[&str] = &[
    "piracy", "violence", "crime", "crimes", "demand", "prices", "growth", "popularity", "cases", "numbers", "population",
    "debt", "costs", "interest", "use", "sales", "traffic", "activity", "attacks", "kidnappings", "migration", "anger",
];

/// Words of the courts: "murder" next to one names a charge ("convicted of
/// murder", "a first-degree murder charge", "the murder trial"), which
/// follows an attack the text reports in its own words.
const LEGAL: &[&str] = &[
    "charge", "charges", "charged", "count", "counts", "convicted", "conviction", "guilty", "trial", "first-degree",
    "second-degree", "third-degree", "degree", "accused", "acquitted", "indicted", "suspect", "suspected",
];

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
                .any(|w| matches!(w.lower.as_str(), "rose" | "risen" | "rises" | "climbed" | "reached" | "increased" | "jumped" | "revised" | "stands" | "stood"))
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
    matches!(word, "killed" | "killing" | "killings" | "died" | "dead" | "wounded" | "injured" | "murder" | "murders")
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
