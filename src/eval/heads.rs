//! Head words of spans, by the deterministic rule of the WikiEvents scorer
//! (`../shared/tools/incidents_wikievents.py`): no parser is installed, so
//! gold and predicted spans both get their head from the same cut rule, and
//! two spans match when their head tokens are the same token of the text.
//!
//! Tokens are `\w+(?:[-'’.&]\w+)*|[^\w\s]` over the text. A span's head is
//! found by skipping a leading quantifier ("more than two dozen fighters"),
//! cutting before the first preposition, relative pronoun, conjunction or
//! punctuation after its first token, dropping trailing punctuation, and
//! taking the last token left.

use super::py;

/// Words before which a span is cut ("the mayor of Kabul" → "the mayor").
const CUT_WORDS: [&str; 29] = [
    "of", "in", "at", "on", "for", "from", "with", "by", "near", "into", "inside", "outside", "who", "whom", "whose", "which", "that",
    "and", "or", "to", "as", "after", "during", "while", "when", "where", "including", "against", "than",
];
/// Punctuation before which a span is cut (each a token of its own).
const CUT_PUNCT: &str = ",;:()[]{}\"“”—–";

/// Leading quantifier adverbials, each a sequence of words separated by
/// white space, tried in this order and each followed by a word boundary.
const LEADS: [&[&str]; 18] = [
    &["more", "than"],
    &["less", "than"],
    &["fewer", "than"],
    &["greater", "than"],
    &["at", "least"],
    &["at", "most"],
    &["up", "to"],
    &["as", "many", "as"],
    &["nearly"],
    &["almost"],
    &["about"],
    &["around"],
    &["approximately"],
    &["roughly"],
    &["some"],
    &["over"],
    &["only"],
    &["just"],
];

/// A text's tokens, for finding the heads of spans of it.
pub struct Heads {
    chars: Vec<char>,
    /// `[start, end)` code points of each token.
    tokens: Vec<(usize, usize)>,
}

impl Heads {
    pub fn new(text: &str) -> Heads {
        let chars: Vec<char> = text.chars().collect();
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let start = i;
            if py::is_word(chars[i]) {
                i = word_end(&chars, i);
                while i + 1 < chars.len() && "-'’.&".contains(chars[i]) && py::is_word(chars[i + 1]) {
                    i = word_end(&chars, i + 1);
                }
            } else if py::is_space(chars[i]) {
                i += 1;
                continue;
            } else {
                i += 1;
            }
            tokens.push((start, i));
        }
        Heads { chars, tokens }
    }

    /// The text of token `i`.
    pub fn token(&self, i: usize) -> String {
        let (a, b) = self.tokens[i];
        self.chars[a..b].iter().collect()
    }

    /// Indices of the tokens overlapping `[a, b)`.
    fn tokens_in(&self, a: usize, b: usize) -> Vec<usize> {
        let first = self.tokens.partition_point(|t| t.0 <= a).saturating_sub(1);
        (first..self.tokens.len()).take_while(|&i| self.tokens[i].0 < b).filter(|&i| self.tokens[i].1 > a).collect()
    }

    /// The head token of the span `[a, b)`, None when no token overlaps it.
    pub fn head(&self, a: usize, b: usize) -> Option<usize> {
        let idx = self.tokens_in(a, b);
        let last_end = self.tokens[*idx.last()?].1;
        let mut j = 0;
        while j + 1 < idx.len() {
            let Some(end) = self.lead_end(self.tokens[idx[j]].0) else { break };
            if end > last_end {
                break;
            }
            match (j..idx.len()).find(|&k| self.tokens[idx[k]].0 >= end) {
                Some(k) => j = k,
                None => break,
            }
        }
        let mut keep = vec![idx[j]];
        for &i in &idx[j + 1..] {
            let w = self.token(i);
            if CUT_WORDS.contains(&w.to_lowercase().as_str()) || (w.chars().count() == 1 && CUT_PUNCT.contains(w.as_str())) {
                break;
            }
            keep.push(i);
        }
        while keep.len() > 1 && !self.token(keep[keep.len() - 1]).chars().any(py::is_word) {
            keep.pop();
        }
        keep.last().copied()
    }

    /// Where a leading quantifier starting at `at` ends (case-insensitive,
    /// followed by a word boundary), if one does.
    fn lead_end(&self, at: usize) -> Option<usize> {
        LEADS.iter().find_map(|words| {
            let mut i = at;
            for (n, w) in words.iter().enumerate() {
                if n > 0 {
                    let spaces = self.chars[i..].iter().take_while(|c| py::is_space(**c)).count();
                    if spaces == 0 {
                        return None;
                    }
                    i += spaces;
                }
                i = self.word_at(i, w)?;
            }
            let boundary = i == self.chars.len() || !py::is_word(self.chars[i]);
            boundary.then_some(i)
        })
    }

    /// The end of `word` when the text spells it (in any case) at `at`.
    fn word_at(&self, at: usize, word: &str) -> Option<usize> {
        let n = word.len();
        let here = self.chars.get(at..at + n)?;
        here.iter().zip(word.chars()).all(|(c, w)| same_letter(*c, w)).then_some(at + n)
    }
}

/// `re.IGNORECASE` equality of a text character with a lower-case ASCII
/// letter of a pattern (Python also folds the long s and the Kelvin sign).
pub fn same_letter(c: char, w: char) -> bool {
    c.to_ascii_lowercase() == w || (w == 's' && c == 'ſ') || (w == 'k' && c == '\u{212a}')
}

fn word_end(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && py::is_word(chars[i]) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The head word of the first occurrence of `span` in `text`.
    fn head(text: &str, span: &str) -> Option<String> {
        let h = Heads::new(text);
        let a = text[..text.find(span).unwrap()].chars().count();
        h.head(a, a + span.chars().count()).map(|i| h.token(i))
    }

    #[test]
    fn tokens_keep_inner_hyphens_apostrophes_and_dots() {
        let h = Heads::new("Deir ez-Zor’s U.S. base, A&B  -- x");
        let toks: Vec<String> = (0..h.tokens.len()).map(|i| h.token(i)).collect();
        assert_eq!(toks, ["Deir", "ez-Zor’s", "U.S", ".", "base", ",", "A&B", "-", "-", "x"]);
    }

    #[test]
    fn heads_cut_before_prepositions_and_punctuation() {
        assert_eq!(head("the mayor of Kabul was hit", "the mayor of Kabul").as_deref(), Some("mayor"));
        assert_eq!(head("two police officers, who died", "two police officers, who").as_deref(), Some("officers"));
        assert_eq!(head("x (the army) y", "(the army)").as_deref(), Some("army"));
        assert_eq!(head("Of course", "Of course").as_deref(), Some("course"), "the first token is never cut");
        assert_eq!(head("a car bomb.", "a car bomb.").as_deref(), Some("bomb"), "trailing punctuation dropped");
        assert_eq!(head("x , y", ",").as_deref(), Some(","), "a lone punctuation token is its own head");
        assert_eq!(head("a   b", "  ").as_deref(), None);
    }

    #[test]
    fn heads_skip_leading_quantifiers() {
        assert_eq!(head("more than two dozen fighters", "more than two dozen fighters").as_deref(), Some("fighters"));
        assert_eq!(head("At  Least 12 people", "At  Least 12 people").as_deref(), Some("people"));
        assert_eq!(head("as many as 40 soldiers", "as many as 40 soldiers").as_deref(), Some("soldiers"));
        assert_eq!(head("some", "some").as_deref(), Some("some"), "nothing follows it");
        assert_eq!(head("something bad", "something bad").as_deref(), Some("bad"), "no word boundary: not a quantifier");
        assert_eq!(head("over the bridge", "over").as_deref(), Some("over"));
        // a quantifier running past the span's last token is not skipped
        assert_eq!(head("as many as 40", "as many").as_deref(), Some("many"));
    }

    #[test]
    fn tokens_partly_inside_the_span_count() {
        let h = Heads::new("the Taliban fighters");
        assert_eq!(h.head(6, 15).map(|i| h.token(i)).as_deref(), Some("fighters"));
    }
}
