//! CoNLL column files (token … tag per line, blank line between sentences,
//! `-DOCSTART-` lines between documents), in IOB1 or IOB2.

use std::path::Path;

use crate::bio::Tag;
use crate::error::{Error, Result};

/// One gold sentence: words and their tags as written in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedSentence {
    pub words: Vec<String>,
    pub tags: Vec<String>,
}

/// Reads a CoNLL file; the tag is the last column, the word the first.
pub fn read_conll(path: &Path) -> Result<Vec<TaggedSentence>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Input { path: path.display().to_string(), message: e.to_string() })?;
    parse_conll(&text, &path.display().to_string())
}

pub fn parse_conll(text: &str, name: &str) -> Result<Vec<TaggedSentence>> {
    let mut out = Vec::new();
    let mut cur = TaggedSentence { words: vec![], tags: vec![] };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::replace(&mut cur, TaggedSentence { words: vec![], tags: vec![] }));
            }
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols[0] == "-DOCSTART-" {
            continue;
        }
        if cols.len() < 2 {
            return Err(Error::Data { path: name.into(), line: i + 1, message: format!("expected `word … tag`, got {line:?}") });
        }
        let tag = cols[cols.len() - 1];
        if Tag::parse(tag).is_none() {
            return Err(Error::Data { path: name.into(), line: i + 1, message: format!("tag {tag:?} is not O, B-X or I-X") });
        }
        cur.words.push(cols[0].to_string());
        cur.tags.push(tag.to_string());
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Rewrites IOB1 or IOB2 tags as IOB2: an `I-X` that follows `O` or another
/// type opens an entity, exactly as conlleval reads it.
pub fn to_iob2(tags: &[String]) -> Vec<String> {
    let mut prev = Tag::Outside;
    tags.iter()
        .map(|t| {
            let tag = match Tag::parse(t) {
                Some(Tag::Inside(ty)) if prev.label() != Some(ty.as_str()) => Tag::Begin(ty),
                Some(tag) => tag,
                None => return t.clone(),
            };
            let out = tag.to_string();
            prev = tag;
            out
        })
        .collect()
}

/// Entity spans `(start_word, end_word_exclusive, type)` of a tag sequence,
/// read as conlleval does (IOB1 and IOB2 alike).
pub fn spans(tags: &[String]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, t) in tags.iter().enumerate() {
        // a label that is no tag counts as outside
        let tag = Tag::parse(t).unwrap_or(Tag::Outside);
        let starts = match &tag {
            Tag::Outside => false,
            Tag::Begin(_) => true,
            Tag::Inside(ty) => open.as_ref().map_or(true, |(_, o)| o != ty),
        };
        if tag == Tag::Outside || starts {
            if let Some((s, oty)) = open.take() {
                out.push((s, i, oty));
            }
        }
        if starts {
            open = tag.label().map(|ty| (i, ty.to_string()));
        }
    }
    if let Some((s, ty)) = open {
        out.push((s, tags.len(), ty));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn iob1_and_iob2_read_alike() {
        let iob1 = v("I-PER I-PER O I-LOC B-LOC I-ORG");
        let iob2 = v("B-PER I-PER O B-LOC B-LOC B-ORG");
        assert_eq!(to_iob2(&iob1), iob2);
        let expect = vec![(0, 2, "PER".into()), (3, 4, "LOC".into()), (4, 5, "LOC".into()), (5, 6, "ORG".into())];
        assert_eq!(spans(&iob1), expect);
        assert_eq!(spans(&iob2), expect);
    }

    #[test]
    fn parses_columns_and_docstart() {
        let s = parse_conll("-DOCSTART- -X- O O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\nPeter NNP I-PER\n", "t").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].words, v("EU rejects"));
        assert_eq!(s[1].tags, v("I-PER"));
        assert!(parse_conll("word X-FOO\n", "t").is_err());
    }
}
