//! Word classes: the words the rules look for, kept as data.
//!
//! Each class is one plain file in `resources/en/` (one folder per
//! language), one entry per line, compiled in with `include_str!` and
//! parsed once, on first use. A line whose first non-blank character is `#`
//! is a comment (each file opens with one saying what the class is and
//! which rules read it); blank lines are skipped; an entry is the line
//! without its surrounding blanks, so phrases are written as they are
//! matched ("car bomb", "st."). Rules refer to a class by its name here
//! (`lexicon::REPORTING_VERBS`), which derefs to `&[&str]` in file order:
//! `REPORTING_VERBS.contains(&word)`, `WEAPONS.iter()`.
//!
//! A class that is part of another is written once and included there
//! by a line `@name`: day parts are time words (`time_words.txt` holds
//! `@day_parts`), casualty words signal an incident of unknown type, a
//! sentence-internal title is an abbreviation. So every word has one home.
//!
//! To add a word, add a line to its file and an example sentence to the
//! tests of the rule that reads it; a new class is a new file plus one line
//! in `classes!` below. The tests here check that every file in
//! `resources/en/` is a class, that each parses, has no duplicate entry and
//! differs from every other, and that no `const …: &[&str] = &[` word list
//! comes back into `src/` outside a short allow-list.
//!
//! What stays in code are structural literals, not word classes:
//! - function words and punctuation that give a rule its shape and read as
//!   syntax beside the code walking the tokens: articles and determiners
//!   (`"the" | "a" | "an" | "this" | "that" | "its" | "their"`), auxiliaries
//!   (`"was" | "were" | "is" | "has" | "had" | "been"`), single connectives
//!   (`"of"`, `"by"`, `"as"`, `"also"`, `"after" | "before" | "since" |
//!   "following" | "until"`), clause-breaking punctuation
//!   (`tokens::is_clause_break`);
//! - the short alternatives of one rule, two to five words that name its
//!   case (`"clash" | "clashes"`, `"died" | "dead" | "death" | "deaths"`,
//!   `"spokesman" | "spokeswoman"`, `"embassy" | "consulate"`,
//!   `"launched" | "staged" | "claimed"` after a group);
//! - tables whose position is their meaning: `text::months::MONTHS` and
//!   the weekdays in `incident::dates` (index = month, day), the number
//!   words of `incident::dates` and `incident::numbers` (index = value),
//!   `incident::arguments::ATTACK_KINDS` (the output's type names);
//! - `src/muc4/` (the benchmark adapter's own lists, beside its learned
//!   `leading_words.txt`) and the tests' fixtures.

use std::ops::Deref;
use std::sync::OnceLock;

/// One word class: its name (the file's stem) and its entries, parsed on
/// first use.
pub struct Class {
    name: &'static str,
    text: &'static str,
    words: OnceLock<Vec<&'static str>>,
}

impl Class {
    const fn new(name: &'static str, text: &'static str) -> Self {
        Class { name, text, words: OnceLock::new() }
    }

    /// The class's name: its file is `resources/en/NAME.txt`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The entries in file order, a `@name` line giving class `name`'s
    /// entries in its place.
    pub fn words(&self) -> &[&'static str] {
        self.words.get_or_init(|| {
            let mut out = Vec::new();
            for entry in parse(self.text) {
                match entry.strip_prefix('@') {
                    Some(name) => {
                        let part = ALL.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("resources/en/{}.txt: no class {name:?} to include", self.name));
                        out.extend_from_slice(part.words());
                    }
                    None => out.push(entry),
                }
            }
            out
        })
    }
}

impl Deref for Class {
    type Target = [&'static str];
    fn deref(&self) -> &Self::Target {
        self.words()
    }
}

/// The entries of a class file: lines without surrounding blanks, neither
/// empty nor comments.
pub fn parse(text: &str) -> Vec<&str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
}

macro_rules! classes {
    ($($name:ident = $file:literal;)*) => {
        $(
            #[doc = concat!("The class in `resources/en/", $file, ".txt`.")]
            pub static $name: Class = Class::new($file, include_str!(concat!("../resources/en/", $file, ".txt")));
        )*
        /// Every class, in the order declared.
        pub static ALL: &[&Class] = &[$(&$name),*];
    };
}

classes! {
    NAME_CONNECTORS = "name_connectors";
    GENERIC_ORG_WORDS = "generic_org_words";
    GROUP_SUFFIXES = "group_suffixes";
    LANGUAGES_AND_FAITHS = "languages_and_faiths";
    PERIOD_BOUNDS = "period_bounds";
    MONTH_CUES = "month_cues";
    PROCEDURE_WORDS = "procedure_words";
    DATE_FILLERS = "date_fillers";
    DAY_PARTS = "day_parts";
    HEADER_WORDS = "header_words";
    TURN_WORDS = "turn_words";
    MILITANTS = "militants";
    FACILITIES = "facilities";
    HEDGES = "hedges";
    NON_PERSON_UNITS = "non_person_units";
    KILL_WORDS = "kill_words";
    INJURY_WORDS = "injury_words";
    CASUALTY_LINKS = "casualty_links";
    PLACE_WORDS = "place_words";
    LOCATIVE_BRIDGES = "locative_bridges";
    EVENT_NAME_WORDS = "event_name_words";
    RESPONDERS = "responders";
    PHRASE_STOPS = "phrase_stops";
    TIME_WORDS = "time_words";
    NOT_HARMED_HEADS = "not_harmed_heads";
    CLAIMS = "claims";
    DENIALS = "denials";
    ATTACK_NOUNS = "attack_nouns";
    GROUP_NAME_FILLERS = "group_name_fillers";
    DOER_NOUNS = "doer_nouns";
    DOER_VERBS = "doer_verbs";
    LEGAL_VERBS = "legal_verbs";
    DONE_BY_PARTICIPLES = "done_by_participles";
    LED_BY_PARTICIPLES = "led_by_participles";
    CASUALTY_ADVERBS = "casualty_adverbs";
    ATTACKERS = "attackers";
    SMALL_GROUP_NOUNS = "small_group_nouns";
    AREAS = "areas";
    DIRECT_ATTACK_VERBS = "direct_attack_verbs";
    SPEAKER_TITLES = "speaker_titles";
    HARM_VERBS = "harm_verbs";
    WEAPONS = "weapons";
    WEAPON_NAMES = "weapon_names";
    WEAPON_MODIFIED_NOUNS = "weapon_modified_nouns";
    PLAN_WORDS = "plan_words";
    ATTRIBUTIVE_WORDS = "attributive_words";
    ACCIDENT_WORDS = "accident_words";
    PROTEST_WORDS = "protest_words";
    NATURAL_CAUSES = "natural_causes";
    SURGING_NOUNS = "surging_nouns";
    COURT_WORDS = "court_words";
    SECURITY_FORCES = "security_forces";
    HABITUAL_WORDS = "habitual_words";
    PARTICULAR_WORDS = "particular_words";
    DIVISION_WORDS = "division_words";
    TOWN_INSTITUTION_WORDS = "town_institution_words";
    TOWN_PEOPLE_WORDS = "town_people_words";
    PLACE_COMPOUND_ENDINGS = "place_compound_endings";
    BUILDING_WORDS = "building_words";
    PLACE_QUALIFIERS = "place_qualifiers";
    NAMED_FACILITY_WORDS = "named_facility_words";
    TOWN_FACILITIES = "town_facilities";
    APPOSITION_PLACE_NOUNS = "apposition_place_nouns";
    NAME_PARTICLES = "name_particles";
    OUTLETS = "outlets";
    ISLAMIC_MONTHS = "islamic_months";
    SENTENCE_OPENERS = "sentence_openers";
    SENTENCE_TITLES = "sentence_titles";
    WORD_ABBREVIATIONS = "word_abbreviations";
    ARABIC_ARTICLES = "arabic_articles";
    GENERIC_NAME_WORDS = "generic_name_words";
    REPORTING_VERBS = "reporting_verbs";
    REPORT_NOUNS = "report_nouns";
    LOCATIVES = "locatives";
    NAME_LOCATIVES = "name_locatives";
    STREET_PREFIXES = "street_prefixes";
    STREET_SUFFIXES = "street_suffixes";
    TRIGGERS_BOMBING = "triggers_bombing";
    TRIGGERS_ARMED_ASSAULT = "triggers_armed_assault";
    TRIGGERS_ASSASSINATION = "triggers_assassination";
    TRIGGERS_KIDNAPPING = "triggers_kidnapping";
    TRIGGERS_HOSTAGE_TAKING = "triggers_hostage_taking";
    TRIGGERS_ARSON = "triggers_arson";
    TRIGGERS_HIJACKING = "triggers_hijacking";
    TRIGGERS_FACILITY_ATTACK = "triggers_facility_attack";
    TRIGGERS_UNARMED_ASSAULT = "triggers_unarmed_assault";
    TRIGGERS_PLOT = "triggers_plot";
    TRIGGERS_SECURITY_OPERATION = "triggers_security_operation";
    TRIGGERS_UNKNOWN = "triggers_unknown";
    STATUS_CONVICTED = "status_convicted";
    STATUS_ARRESTED = "status_arrested";
    STATUS_ACCUSED = "status_accused";
    STATUS_SUSPECTED = "status_suspected";
    DEFINITE_TOWN_NOUNS = "definite_town_nouns";
    DEFINITE_DIVISION_NOUNS = "definite_division_nouns";
    TOLL_VERBS = "toll_verbs";
    CASUALTY_TRIGGERS = "casualty_triggers";
    HELD_PEOPLE = "held_people";
    LY_NOUNS = "ly_nouns";
    RECEIVING_END_WORDS = "receiving_end_words";
    PRONOUNS_AND_PLACE_ADVERBS = "pronouns_and_place_adverbs";
    PLURAL_AREA_NOUNS = "plural_area_nouns";
    DEFINITE_NOUN_COMPOUNDS = "definite_noun_compounds";
    INVOLVEMENT_PHRASES = "involvement_phrases";
    OWNING_UP_PHRASES = "owning_up_phrases";
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, HashMap};
    use std::path::Path;

    #[test]
    fn parse_skips_comments_and_blanks() {
        assert_eq!(parse("# a class\n\nsaid\n  told  \n   # indented comment\nst.\ncar bomb\n"), ["said", "told", "st.", "car bomb"]);
    }

    /// Every class parses, is not empty, holds no entry twice, and no two
    /// classes hold the same entries; every file in `resources/en/` is a
    /// class and every class is a file.
    #[test]
    fn every_class_loads_once_and_differs() {
        let mut seen: HashMap<BTreeSet<&str>, &str> = HashMap::new();
        for class in ALL {
            let words = class.words();
            assert!(!words.is_empty(), "{}: no entries", class.name());
            assert!(class.text.starts_with('#'), "{}: the file should open with a comment saying what the class is", class.name());
            let set: BTreeSet<&str> = words.iter().copied().collect();
            let twice: Vec<_> = words.iter().filter(|w| words.iter().filter(|v| v == w).count() > 1).collect();
            assert!(twice.is_empty(), "{}: entries listed twice (also through an @include?): {twice:?}", class.name());
            if let Some(other) = seen.insert(set, class.name()) {
                panic!("{} and {other} hold the same entries: one class, one file", class.name());
            }
        }
        let names: BTreeSet<&str> = ALL.iter().map(|c| c.name()).collect();
        assert_eq!(names.len(), ALL.len(), "a class declared twice");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/en");
        let files: BTreeSet<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let declared: BTreeSet<String> = names.iter().map(|n| format!("{n}.txt")).collect();
        let undeclared: Vec<_> = files.difference(&declared).collect();
        let missing: Vec<_> = declared.difference(&files).collect();
        assert!(undeclared.is_empty() && missing.is_empty(), "files in resources/en/ not declared in classes!: {undeclared:?}; declared without a file: {missing:?}");
    }

    /// A class that holds all of another's words includes it (`@name`)
    /// rather than repeat them, so a word added to the part is in the whole.
    #[test]
    fn a_class_holding_another_includes_it() {
        for part in ALL {
            let own = parse(part.text);
            for whole in ALL.iter().filter(|w| w.name() != part.name()) {
                let contains = part.words().iter().all(|w| whole.words().contains(w));
                let includes = parse(whole.text).contains(&format!("@{}", part.name()).as_str());
                assert!(!contains || includes || own.iter().all(|e| e.starts_with('@')), "{} holds every word of {}: write `@{}` there instead of the words", whole.name(), part.name(), part.name());
            }
        }
        assert!(TIME_WORDS.contains(&"morning") && TIME_WORDS.contains(&"monday"), "an include gives the part's words beside the class's own");
        assert_eq!(TIME_WORDS.iter().filter(|w| **w == "night").count(), 1);
    }

    /// Word lists that stay `const` in code, each with why (fixed-size
    /// `[&str; N]` tables, whose index is their meaning, are not matched).
    const ALLOWED: &[&str] = &[
        // the MUC-4 adapter's own decoding lists: the core never reads them,
        // and the adapter's learned list lives beside them (src/muc4/leading_words.txt)
        "src/muc4/fillers.rs:CONNECTORS",
        "src/muc4/fillers.rs:DANGLING",
    ];

    /// No word list comes back into the code: a `const NAME: &[&str] = &[`
    /// in `src/` is refused unless `ALLOWED` names it (as `path:NAME`).
    #[test]
    fn no_word_list_in_code() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut found = Vec::new();
        let mut stack = vec![root.join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("src/lexicon.rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                    for line in text.lines() {
                        let Some(at) = line.find("const ") else { continue };
                        let rest = &line[at + 6..];
                        let Some((name, ty)) = rest.split_once(':') else { continue };
                        if ty.trim_start().starts_with("&[&str]") && !name.contains(' ') {
                            found.push(format!("{rel}:{name}"));
                        }
                    }
                }
            }
        }
        let stray: Vec<_> = found.iter().filter(|f| !ALLOWED.contains(&f.as_str())).collect();
        assert!(stray.is_empty(), "word lists in code: {stray:?}; put each into a file in resources/en/ and declare it in src/lexicon.rs");
        let stale: Vec<_> = ALLOWED.iter().filter(|a| !found.iter().any(|f| f == *a)).collect();
        assert!(stale.is_empty(), "ALLOWED names lists that are gone: {stale:?}");
    }
}
