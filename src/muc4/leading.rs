//! Words a role filler does not begin with, learned from training keys.
//!
//! The role tagger sometimes takes in the word before a filler: a
//! quantifier ("several urban guerrillas", "another bomb"), a title, a
//! possessive clitic ("'s government", always cut). The MUC-4 keys name such fillers
//! without it, and CEAF-REE then counts the longer string as a miss and a
//! false positive at once. Which words these are is read off the training
//! keys rather than written by hand: a word qualifies when, in the training
//! messages, it stands right before a gold mention at least
//! [`MIN_BEFORE`] times and at least [`RATIO`] times as often as a gold
//! mention begins with it. The list holds quantifiers, titles, verbs and
//! prepositions, and a few small numbers ("three": the keys drop a count
//! more often than they keep it) and name-internal words ("front",
//! "path") that begin a mention only when the tagger cut a name.
//!
//! The list is committed (`leading_words.txt`, from DEV-MUC3's 1,300 GRIT
//! messages) so that export needs no training data; a test re-derives it
//! from `../shared` (an ignored test, which `make test` runs where `../shared`
//! is; `NEWSNER_BLESS=1 cargo test --release --lib the_committed_list --
//! --ignored` rewrites it).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::muc4::reader::{Muc4Doc, Role};
use crate::muc4::score::normalise;

/// Fewest times a word must precede a gold mention to be listed.
pub const MIN_BEFORE: usize = 10;
/// How many times more often it must precede a gold mention than begin one.
pub const RATIO: usize = 2;

const COMMITTED: &str = include_str!("leading_words.txt");

/// The committed list, one normalised word per line (`#` lines are comments).
pub fn committed() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        COMMITTED.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect()
    })
}

/// Derives the list from training messages with gold fillers (sorted).
pub fn derive(docs: &[Muc4Doc]) -> Vec<String> {
    let mut begins: HashMap<String, usize> = HashMap::new();
    let mut before: HashMap<String, usize> = HashMap::new();
    for doc in docs {
        let Some(text) = &doc.doctext else { continue };
        let text = normalise(text);
        let words: Vec<&str> = text.split(' ').collect();
        let gold = doc.gold();
        for role in Role::ALL {
            for mention in gold.role(role).iter().flatten() {
                let norm = normalise(&mention.text);
                if norm.is_empty() {
                    continue;
                }
                let m: Vec<&str> = norm.split(' ').collect();
                *begins.entry(m[0].to_string()).or_default() += 1;
                for w in words.windows(m.len() + 1).filter(|w| w[1..] == m[..]) {
                    *before.entry(w[0].to_string()).or_default() += 1;
                }
            }
        }
    }
    let mut list: Vec<String> = before
        .into_iter()
        .filter(|(w, n)| *n >= MIN_BEFORE && *n >= RATIO * begins.get(w).copied().unwrap_or(0))
        .map(|(w, _)| w)
        .collect();
    list.sort();
    list
}

/// `text` without its first word when that word is in `list` and more
/// words follow, with how many characters were cut from the front.
pub fn strip_leading<'t>(text: &'t str, list: &HashSet<String>) -> (&'t str, usize) {
    let trimmed = text.trim_start();
    let Some(cut) = trimmed.find(char::is_whitespace) else { return (text, 0) };
    let rest = trimmed[cut..].trim_start();
    if normalise(rest).is_empty() {
        return (text, 0);
    }
    // a possessive clitic belongs to the word before it, never begins a name
    let clitic = matches!(&trimmed[..cut], "'s" | "\u{2019}s");
    match normalise(&trimmed[..cut]).split(' ').next() {
        Some(w) if clitic || list.contains(w) => (rest, text[..text.len() - rest.len()].chars().count()),
        _ => (text, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::muc4::reader::parse_muc4;

    fn set(words: &[&str]) -> HashSet<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn a_listed_first_word_goes_when_words_follow() {
        let list = set(&["several", "another", "presidents"]);
        assert_eq!(strip_leading("several urban guerrillas", &list), ("urban guerrillas", 8));
        assert_eq!(strip_leading("'s government", &list), ("government", 3));
        assert_eq!(strip_leading("President's residence", &list), ("residence", 12));
        assert_eq!(strip_leading("another", &list), ("another", 0), "a lone word stays");
        assert_eq!(strip_leading("urban guerrillas", &list), ("urban guerrillas", 0));
        assert_eq!(strip_leading("three armed men", &list), ("three armed men", 0));
    }

    #[test]
    fn derived_from_words_that_precede_gold_mentions_more_than_begin_them() {
        // "several" precedes "guerrillas" 10 times and never begins a mention;
        // "urban" precedes "guerrillas" as often as it begins "urban commandos".
        let mut lines = String::new();
        for i in 0..10 {
            let text = if i % 2 == 0 { "several guerrillas attacked" } else { "several guerrillas and urban guerrillas fled" };
            let extracts = if i % 2 == 0 {
                r#"{"PerpInd": [[["guerrillas", 8]]]}"#
            } else {
                r#"{"PerpInd": [[["guerrillas", 8]], [["urban commandos", 0]]]}"#
            };
            lines.push_str(&format!("{{\"docid\": \"D{i}\", \"doctext\": \"{text}\", \"extracts\": {extracts}}}\n"));
        }
        let docs = parse_muc4(&lines, "fixture").unwrap();
        assert_eq!(derive(&docs), vec!["several".to_string()]);
    }

    #[test]
    #[ignore = "needs ../shared"]
    fn the_committed_list_is_what_the_training_keys_give() {
        let train = crate::testing::shared("corpus/muc4/grit/train.json").join("corpus/muc4/grit/train.json");
        let docs = crate::muc4::reader::read_muc4(&train).unwrap();
        let derived = derive(&docs);
        if std::env::var_os("NEWSNER_BLESS").is_some() {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/muc4/leading_words.txt");
            let header = format!(
                "# Words a MUC-4 role filler does not begin with (src/export/leading.rs): each precedes a gold\n\
                 # mention in DEV-MUC3 (GRIT train, 1,300 messages) at least {MIN_BEFORE} times and at least {RATIO} times\n\
                 # as often as a gold mention begins with it. Regenerate: NEWSNER_BLESS=1 cargo test --release --lib the_committed_list -- --ignored\n"
            );
            std::fs::write(&path, header + &derived.join("\n") + "\n").unwrap();
            return;
        }
        let mut committed: Vec<String> = committed().iter().cloned().collect();
        committed.sort();
        assert_eq!(derived, committed, "regenerate src/muc4/leading_words.txt from {}", train.display());
    }
}
