//! Splitting text into words with byte spans.
//!
//! The tagger labels words, not word pieces, and the training data (CoNLL)
//! is word-tokenised in the Penn style: punctuation split off, `'s` split
//! off, abbreviations like `U.S.` and hyphenated words kept whole. Splitting
//! news text the same way keeps inference close to what the model saw.

use crate::document::Span;
use crate::lexicon::WORD_ABBREVIATIONS;

/// True for a token such as `U.S.` / `p.m.` or a listed abbreviation (`Gen.`), given with its period.
pub fn is_abbreviation(word: &str) -> bool {
    let Some(core) = word.strip_suffix('.') else { return false };
    if core.is_empty() {
        return false;
    }
    if WORD_ABBREVIATIONS.contains(&core.to_lowercase().as_str()) {
        return true;
    }
    // Initials: single letters joined by periods ("U.S", "p.m"), or one capital ("J").
    let parts: Vec<&str> = core.split('.').collect();
    parts.iter().all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
        && (parts.len() > 1 || core.chars().all(char::is_uppercase))
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c.is_control() || c == '\u{200B}' || c == '\u{FEFF}'
}

fn is_punct(c: char) -> bool {
    !c.is_alphanumeric() && !is_space(c) && c != '\u{200D}' && c != '\u{200C}'
}

/// Word spans of `text[range]`, in order, as absolute byte spans.
pub fn words(text: &str, range: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let slice = &text[range.start..range.end];
    let mut start: Option<usize> = None;
    for (i, c) in slice.char_indices() {
        if is_space(c) {
            if let Some(s) = start.take() {
                split_token(text, range.start + s, range.start + i, &mut out);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        split_token(text, range.start + s, range.end, &mut out);
    }
    out
}

/// Splits one whitespace-free token into words: leading and trailing
/// punctuation (runs of the same mark stay together), clitic `'s`, and
/// brackets/quotes anywhere.
fn split_token(text: &str, start: usize, end: usize, out: &mut Vec<Span>) {
    let tok = &text[start..end];
    let chars: Vec<(usize, char)> = tok.char_indices().map(|(i, c)| (start + i, c)).collect();
    let mut lo = 0;
    let mut hi = chars.len();
    let byte_at = |k: usize| if k < chars.len() { chars[k].0 } else { end };
    // leading punctuation
    let mut lead = Vec::new();
    while lo < hi && is_punct(chars[lo].1) {
        let c = chars[lo].1;
        let s = lo;
        while lo < hi && chars[lo].1 == c {
            lo += 1;
        }
        lead.push(Span::new(byte_at(s), byte_at(lo)));
    }
    // trailing punctuation and clitics
    let mut trail = Vec::new();
    loop {
        if hi <= lo {
            break;
        }
        let c = chars[hi - 1].1;
        if is_punct(c) {
            if c == '.' && is_abbreviation(&text[byte_at(lo)..byte_at(hi)]) {
                break;
            }
            let entity_ends_here = c == ';'
                && (lo..hi).rev().find(|&k| chars[k].1 == '&').is_some_and(|k| html_entity_len(&chars[k..hi]) == hi - k);
            if entity_ends_here {
                break;
            }
            let e = hi;
            while hi > lo && chars[hi - 1].1 == c {
                hi -= 1;
            }
            trail.push(Span::new(byte_at(hi), byte_at(e)));
            continue;
        }
        // possessive / clitic: 's 'S ’s
        if hi - lo > 2 && matches!(c, 's' | 'S') && matches!(chars[hi - 2].1, '\'' | '’') {
            trail.push(Span::new(byte_at(hi - 2), byte_at(hi)));
            hi -= 2;
            continue;
        }
        break;
    }
    out.extend(lead);
    // the core, split further at brackets, quotes, HTML tag marks and HTML
    // entities inside it (scraped text: "<b>Lagos</b>", "Nigeria&nbsp;said")
    let mut s = lo;
    let mut k = lo;
    while k < hi {
        let c = chars[k].1;
        let piece = if matches!(c, '(' | ')' | '[' | ']' | '{' | '}' | '"' | '“' | '”' | '«' | '»' | '<' | '>') {
            1
        } else if c == '&' {
            html_entity_len(&chars[k..hi])
        } else {
            0
        };
        if piece == 0 {
            k += 1;
            continue;
        }
        if s < k {
            out.push(Span::new(byte_at(s), byte_at(k)));
        }
        out.push(Span::new(byte_at(k), byte_at(k + piece)));
        k += piece;
        s = k;
    }
    if s < hi {
        out.push(Span::new(byte_at(s), byte_at(hi)));
    }
    out.extend(trail.into_iter().rev());
}

/// Length in chars of an HTML entity (`&amp;`, `&#160;`) at the start of `chars`, or 0.
fn html_entity_len(chars: &[(usize, char)]) -> usize {
    let body: Vec<char> = chars.iter().skip(1).take(9).map(|(_, c)| *c).take_while(|c| *c != ';').collect();
    let closed = chars.get(body.len() + 1).is_some_and(|(_, c)| *c == ';');
    let named = body.len() >= 2 && body.iter().all(char::is_ascii_alphabetic);
    let numeric = body.len() >= 2 && body[0] == '#' && body[1..].iter().all(char::is_ascii_alphanumeric);
    if closed && (named || numeric) {
        body.len() + 2
    } else {
        0
    }
}

/// The casing class of a word, fed to the model's casing channel:
/// 0 lower/other, 1 UPPER, 2 Title, 3 has digits (same classes as training).
pub fn casing(word: &str) -> i64 {
    // Python's str.isupper(): some cased letter, none lower-case.
    if word.chars().any(char::is_uppercase) && !word.chars().any(char::is_lowercase) {
        1
    } else if word.chars().next().is_some_and(char::is_uppercase) {
        2
    } else if word.chars().any(|c| c.is_ascii_digit()) {
        3
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(t: &str) -> Vec<&str> {
        words(t, Span::new(0, t.len())).into_iter().map(|s| &t[s.start..s.end]).collect()
    }

    #[test]
    fn penn_style_words() {
        assert_eq!(
            split("The U.S. envoy (Mr. Smith) said: \"Moscow's 1,200 troops...\""),
            vec!["The", "U.S.", "envoy", "(", "Mr.", "Smith", ")", "said", ":", "\"", "Moscow", "'s",
                 "1,200", "troops", "...", "\""]
        );
        assert_eq!(split("Anglo-Dutch end."), vec!["Anglo-Dutch", "end", "."]);
        assert_eq!(split("AT&T in <b>Lagos</b>, Nigeria&nbsp;said&#39;"), vec!["AT&T", "in", "<", "b", ">", "Lagos", "<", "/b", ">", ",", "Nigeria", "&nbsp;", "said", "&#39;"]);
    }

    #[test]
    fn unicode_words_keep_offsets() {
        let t = "«Zürich»\u{00A0}東京 — ok\r\n";
        for s in words(t, Span::new(0, t.len())) {
            assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end));
        }
        assert_eq!(split(t), vec!["«", "Zürich", "»", "東京", "—", "ok"]);
    }

    #[test]
    fn casing_classes() {
        assert_eq!(casing("NATO"), 1);
        assert_eq!(casing("Moscow"), 2);
        assert_eq!(casing("1990"), 3);
        assert_eq!(casing("the"), 0);
    }
}
