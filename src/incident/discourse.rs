//! Discourse cues: the words with which a report turns from one event to
//! the next, which the linker reads to keep the events apart (units mark
//! the passage, dates skip its date in the lead).

use super::tokens::Token;
use crate::lexicon::{REPORTING_VERBS, TURN_WORDS};


/// True when the words before a passage's first trigger turn to another
/// event: "MEANWHILE", "ELSEWHERE", "IN ANOTHER ACTION", "IN A SEPARATE
/// INCIDENT", "IT WAS ALSO REPORTED THAT".
pub fn turns_to_another(before: &[Token]) -> bool {
    let word = |k: usize| before.get(k).map_or("", |t| t.lower.as_str());
    (0..before.len()).any(|k| {
        TURN_WORDS.contains(&word(k))
            || word(k) == "in" && (word(k + 1) == "another" || word(k + 1) == "a" && word(k + 2) == "separate")
            || word(k) == "also" && (REPORTING_VERBS.contains(&word(k + 1)) || word(k + 1) == "been" && REPORTING_VERBS.contains(&word(k + 2)))
    })
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;
    use crate::document::Span;

    #[test]
    fn turns_to_another_event() {
        let another = |text: &str| turns_to_another(&tokenize(text, Span::new(0, text.len())));
        assert!(another("MEANWHILE,"));
        assert!(another("IT WAS ALSO REPORTED THAT FOUR TREASURY POLICE OFFICERS WERE"));
        assert!(another("In another incident, two"));
        assert!(another("GEN VIDES CASANOVA ALSO TOLD THE MEDIA THE GUERRILLAS HAVE TODAY ENGAGED IN 10 CLASHES"));
        assert!(!another("The attackers also"), "more of the same event");
        assert!(!another("POLICE REPORTED THAT"));
    }
}
