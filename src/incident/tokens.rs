//! Lower-cased word tokens with byte spans: the one view every rule matches on.
//!
//! Rules compare lower-case words so that MUC's ALL CAPS wire text and
//! ordinary news prose go through the same code.

use crate::document::Span;
use crate::text::words::words;

#[derive(Debug, Clone)]
pub struct Token {
    pub span: Span,
    pub lower: String,
    /// Written in capitals ("IS", "FMLN"): in mixed-case prose a name, not a word.
    pub upper: bool,
}

/// Tokens of `text[range]`, with absolute byte spans.
pub fn tokenize(text: &str, range: Span) -> Vec<Token> {
    words(text, range)
        .into_iter()
        .map(|span| {
            let word = &text[span.start..span.end];
            let upper = word.chars().any(char::is_uppercase) && !word.chars().any(char::is_lowercase);
            Token { span, lower: normalise(word), upper }
        })
        .collect()
}

/// Lower case with typographic apostrophes and dashes folded to ASCII.
fn normalise(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            '’' | '‘' => '\'',
            '–' | '—' => '-',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Index of the first token that starts at or after `byte`.
pub fn index_at(tokens: &[Token], byte: usize) -> usize {
    tokens.partition_point(|t| t.span.start < byte)
}

/// True when the tokens from `i` on spell out `phrase` (space-separated, lower case).
pub fn matches_at(tokens: &[Token], i: usize, phrase: &str) -> bool {
    let mut k = i;
    for word in phrase.split(' ') {
        match tokens.get(k) {
            Some(t) if t.lower == word => k += 1,
            _ => return false,
        }
    }
    true
}

/// The byte span covering tokens `from..to` (exclusive).
pub fn cover(tokens: &[Token], from: usize, to: usize) -> Span {
    Span::new(tokens[from].span.start, tokens[to - 1].span.end)
}

/// True when token `k` is a capitalised name among lower-case words
/// ("six IS members"), where wire copy in capitals has no such signal.
pub fn is_acronym_in_prose(tokens: &[Token], k: usize) -> bool {
    tokens[k].upper && tokens[k].lower.len() > 1 && !tokens.get(k.wrapping_sub(1)).is_some_and(|t| t.upper)
}

/// Clause-breaking punctuation: where a phrase search stops.
pub fn is_clause_break(t: &Token) -> bool {
    matches!(t.lower.as_str(), "," | ";" | ":" | "-" | "--" | "(" | ")" | "." | "!" | "?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_typographic_marks() {
        let text = "IS Khorasan’s “branch” – KILLED";
        let toks = tokenize(text, Span::new(0, text.len()));
        let lower: Vec<&str> = toks.iter().map(|t| t.lower.as_str()).collect();
        assert_eq!(lower, ["is", "khorasan", "'s", "“", "branch", "”", "-", "killed"]);
        assert!(matches_at(&toks, 0, "is khorasan"));
        assert_eq!(index_at(&toks, 3), 1);
    }
}
