//! Words → word-piece windows the encoder can take.
//!
//! A sentence longer than the model's window is cut into overlapping windows
//! of whole words (each word's prediction is later taken from the window in
//! which it has the most context on both sides), so nothing is truncated.

use tokenizers::Tokenizer;

use crate::error::{Error, Result};
use crate::text::words::casing;

/// One encoder input: `[CLS] pieces… [SEP]` for words `words.0..words.1`.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub ids: Vec<i64>,
    pub cases: Vec<i64>,
    /// Words covered by this window, as indices into the sentence.
    pub words: (usize, usize),
    /// For each covered word, the position of its first piece (None: the
    /// word produced no piece, e.g. a lone control character).
    pub first_piece: Vec<Option<usize>>,
}

/// Special-token ids the windows are framed with.
#[derive(Debug, Clone, Copy)]
pub struct Specials {
    pub cls: i64,
    pub sep: i64,
}

impl Specials {
    pub fn of(tok: &Tokenizer) -> Result<Self> {
        let id = |t: &str| {
            tok.token_to_id(t)
                .map(i64::from)
                .ok_or_else(|| Error::Model(format!("tokenizer.json has no {t} token (BERT-style vocabulary expected)")))
        };
        Ok(Specials { cls: id("[CLS]")?, sep: id("[SEP]")? })
    }
}

/// Word pieces of each word (possibly empty), tokenised as pre-split words.
pub fn pieces_per_word(tok: &Tokenizer, words: &[&str]) -> Result<Vec<Vec<i64>>> {
    let mut per_word = vec![Vec::new(); words.len()];
    if words.is_empty() {
        return Ok(per_word);
    }
    let enc = tok.encode(words, false).map_err(|e| Error::Model(format!("tokenizer: {e}")))?;
    for (id, w) in enc.get_ids().iter().zip(enc.get_word_ids()) {
        if let Some(w) = w {
            per_word[*w as usize].push(i64::from(*id));
        }
    }
    Ok(per_word)
}

/// Cuts a sentence into windows of at most `max_len` pieces (incl. the two
/// specials); consecutive windows overlap by about half.
pub fn windows(tok: &Tokenizer, sp: Specials, words: &[&str], max_len: usize) -> Result<Vec<Window>> {
    windows_overlapping(tok, sp, words, max_len, 500)
}

/// [`windows`] where the next window repeats about `overlap` thousandths of
/// the one before (its pieces), always moving forward.
pub fn windows_overlapping(tok: &Tokenizer, sp: Specials, words: &[&str], max_len: usize, overlap: u16) -> Result<Vec<Window>> {
    let pieces = pieces_per_word(tok, words)?;
    let budget = max_len.saturating_sub(2).max(1);
    let mut out = Vec::new();
    let n = words.len();
    let mut start = 0;
    while start < n || (n == 0 && out.is_empty()) {
        let mut end = start;
        let mut used = 0;
        while end < n && used + pieces[end].len() <= budget {
            used += pieces[end].len();
            end += 1;
        }
        if end == start && n > 0 {
            end = start + 1; // a single word longer than the window: keep its first pieces
        }
        out.push(build(sp, words, &pieces, start, end, budget));
        if end >= n {
            break;
        }
        // the next window starts where `overlap` of this one is left, always moving forward
        let skip = used * (1000 - overlap.min(1000) as usize) / 1000;
        let mut acc = 0;
        let mut mid = start;
        while mid < end && acc < skip {
            acc += pieces[mid].len();
            mid += 1;
        }
        start = mid.max(start + 1);
    }
    Ok(out)
}

fn build(sp: Specials, words: &[&str], pieces: &[Vec<i64>], start: usize, end: usize, budget: usize) -> Window {
    let mut ids = vec![sp.cls];
    let mut cases = vec![0];
    let mut first_piece = Vec::with_capacity(end - start);
    for w in start..end {
        let room = budget.saturating_sub(ids.len() - 1);
        let p = &pieces[w][..pieces[w].len().min(room)];
        if p.is_empty() {
            first_piece.push(None);
            continue;
        }
        first_piece.push(Some(ids.len()));
        let c = casing(words[w]);
        ids.extend_from_slice(p);
        cases.extend(std::iter::repeat(c).take(p.len()));
    }
    ids.push(sp.sep);
    cases.push(0);
    Window { ids, cases, words: (start, end), first_piece }
}

/// How much context a word has in a window: its distance to the nearer edge.
pub fn centrality(window: &Window, word: usize) -> usize {
    (word - window.words.0).min(window.words.1 - 1 - word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn tokenizer() -> Option<Tokenizer> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/ner-conll-minilm");
        crate::ner::model::load_tokenizer(&dir).ok()
    }

    #[test]
    fn less_overlap_means_fewer_windows_that_still_cover_every_word() {
        let tok = tokenizer().expect("the committed model folder models/ner-conll-minilm");
        let sp = Specials::of(&tok).unwrap();
        let text: Vec<String> = (0..300).map(|i| format!("word{i}")).collect();
        let words: Vec<&str> = text.iter().map(String::as_str).collect();
        let half = windows(&tok, sp, &words, 64).unwrap();
        let quarter = windows_overlapping(&tok, sp, &words, 64, 250).unwrap();
        let none = windows_overlapping(&tok, sp, &words, 64, 0).unwrap();
        assert!(none.len() < quarter.len() && quarter.len() < half.len(), "{} {} {}", none.len(), quarter.len(), half.len());
        for ws in [&quarter, &none] {
            assert_eq!((ws[0].words.0, ws.last().unwrap().words.1), (0, 300));
            for pair in ws.windows(2) {
                assert!(pair[1].words.0 <= pair[0].words.1, "no word falls between two windows");
                assert!(pair[1].words.0 > pair[0].words.0, "windows advance");
            }
        }
        assert!(none.windows(2).all(|p| p[1].words.0 == p[0].words.1), "without overlap each window starts where the last ended");
    }

    #[test]
    fn long_sentence_gets_overlapping_windows_covering_every_word() {
        let tok = tokenizer().expect("the committed model folder models/ner-conll-minilm");
        let sp = Specials::of(&tok).unwrap();
        let text: Vec<String> = (0..200).map(|i| format!("word{i}")).collect();
        let words: Vec<&str> = text.iter().map(String::as_str).collect();
        let ws = windows(&tok, sp, &words, 64).unwrap();
        assert!(ws.len() > 3);
        assert_eq!(ws[0].words.0, 0);
        assert_eq!(ws.last().unwrap().words.1, 200);
        for pair in ws.windows(2) {
            assert!(pair[1].words.0 < pair[0].words.1, "windows overlap");
            assert!(pair[1].words.0 > pair[0].words.0, "windows advance");
        }
        for w in &ws {
            assert!(w.ids.len() <= 64);
            assert_eq!(w.ids[0], sp.cls);
            assert_eq!(*w.ids.last().unwrap(), sp.sep);
        }
    }
}
