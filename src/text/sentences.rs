//! Sentence segmentation that returns byte spans into the original text.
//!
//! Rules, not a model: news prose is regular enough, and a wrong split costs
//! little because the tagger sees windows of words anyway. Paragraph breaks
//! always end a sentence; a single line break ends one unless the next line
//! continues in lower case (hard-wrapped text); `.`, `!`, `?` end one when
//! followed by space and a capital, digit or quote, unless the word before is
//! an abbreviation.

use super::words::is_abbreviation;
use crate::document::Span;
use crate::lexicon::{SENTENCE_OPENERS, SENTENCE_TITLES};

/// Sentence spans of `text`, trimmed of surrounding whitespace, in order.
pub fn sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for line in line_blocks(text) {
        split_block(text, line, &mut out);
    }
    out
}

/// Blocks of text between line breaks that end a sentence.
fn line_blocks(text: &str) -> Vec<Span> {
    let mut blocks = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            let next = text[i + 1..].trim_start_matches([' ', '\t', '\r']);
            let blank_follows = next.starts_with('\n') || next.is_empty();
            let prev = text[start..i].trim_end();
            let continues = next.chars().next().is_some_and(|c| c.is_lowercase())
                && !prev.ends_with(['.', '!', '?', ':']);
            if blank_follows || !continues {
                blocks.push(Span::new(start, i));
                start = i + 1;
            }
        }
        i += 1;
    }
    blocks.push(Span::new(start, text.len()));
    blocks
}

fn trimmed(text: &str, s: Span) -> Option<Span> {
    let slice = &text[s.start..s.end];
    let lead = slice.len() - slice.trim_start().len();
    let t = slice.trim();
    if t.is_empty() {
        None
    } else {
        Some(Span::new(s.start + lead, s.start + lead + t.len()))
    }
}

fn split_block(text: &str, block: Span, out: &mut Vec<Span>) {
    let slice = &text[block.start..block.end];
    let chars: Vec<(usize, char)> = slice.char_indices().collect();
    let mut start = 0usize; // byte offset within slice
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if matches!(c, '.' | '!' | '?' | '。' | '！' | '？') {
            // extend over repeated terminators and closing quotes/brackets
            let mut j = k + 1;
            while j < chars.len() && matches!(chars[j].1, '.' | '!' | '?' | '"' | '\'' | '”' | '’' | ')' | ']' | '»') {
                j += 1;
            }
            let end_b = if j < chars.len() { chars[j].0 } else { slice.len() };
            let followed_by_space = j < chars.len() && chars[j].1.is_whitespace();
            let mut n = j;
            while n < chars.len() && chars[n].1.is_whitespace() {
                n += 1;
            }
            let next_ok = n < chars.len()
                && (chars[n].1.is_uppercase() || chars[n].1.is_ascii_digit()
                    || matches!(chars[n].1, '"' | '“' | '\'' | '‘' | '(' | '[' | '«'));
            let cjk = matches!(c, '。' | '！' | '？');
            let abbrev = c == '.' && {
                let word_start = slice[..i]
                    .char_indices()
                    .rev()
                    .find(|(_, c)| c.is_whitespace())
                    .map_or(0, |(p, c)| p + c.len_utf8()); // NEL, U+2028: multi-byte spaces
                let word = &slice[word_start..i + 1];
                is_abbreviation(word) && !(ends_sentence(word) && opens_sentence(&slice[chars.get(n).map_or(slice.len(), |c| c.0)..]))
            };
            if (cjk || (followed_by_space && next_ok)) && !abbrev {
                if let Some(s) = trimmed(text, Span::new(block.start + start, block.start + end_b)) {
                    out.push(s);
                }
                start = end_b;
            }
            k = j;
            let _ = i;
            continue;
        }
        k += 1;
    }
    if let Some(s) = trimmed(text, Span::new(block.start + start, block.end)) {
        out.push(s);
    }
}

fn opens_sentence(rest: &str) -> bool {
    let word = rest.split(|c: char| !c.is_alphabetic()).next().unwrap_or("");
    word.starts_with(char::is_uppercase) && SENTENCE_OPENERS.contains(&word.to_lowercase().as_str())
}

/// An abbreviation that may end a sentence: initials and units ("p.m.",
/// "U.S.", "Inc."), not a title, which always has a name after it.
fn ends_sentence(word: &str) -> bool {
    let core = word.trim_end_matches('.').to_lowercase();
    let single_initial = core.chars().count() == 1;
    !single_initial && !SENTENCE_TITLES.contains(&core.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(t: &str) -> Vec<&str> {
        sentences(t).into_iter().map(|s| &t[s.start..s.end]).collect()
    }

    #[test]
    fn splits_prose_and_keeps_abbreviations() {
        assert_eq!(
            split("Gen. Smith met Mr. Jones in the U.S. on Friday. They talked. \"Fine,\" he said."),
            vec!["Gen. Smith met Mr. Jones in the U.S. on Friday.", "They talked.", "\"Fine,\" he said."]
        );
    }

    #[test]
    fn an_abbreviation_ends_a_sentence_when_a_sentence_word_follows() {
        assert_eq!(
            split("It left at 4:30 p.m. The building was hit at 9:02 a.m. on April 19. Gen. The Smith. In the U.S. Army."),
            vec!["It left at 4:30 p.m.", "The building was hit at 9:02 a.m. on April 19.", "Gen. The Smith.", "In the U.S. Army."]
        );
    }

    #[test]
    fn line_breaks_and_crlf() {
        let t = "Title line\r\n\r\nFirst sentence is\nwrapped here. Second.\r\nThird";
        assert_eq!(split(t), vec!["Title line", "First sentence is\nwrapped here.", "Second.", "Third"]);
    }

    #[test]
    fn no_sentences_in_whitespace() {
        assert!(sentences(" \n\t \r\n").is_empty());
        assert!(sentences("").is_empty());
    }
}
