//! WikiEvents (Li et al., 2021) documents aligned to their plain text.
//!
//! A gold folder holds `dev.jsonl` / `test.jsonl` (tokens, entity and event
//! mentions over token indices), `wikievents_*_text.jsonl` (the same
//! documents as plain text, which is what `newsner extract` reads) and
//! `coref_dev.jsonlines` / `coref_test.jsonlines` (clusters of entity-mention
//! ids). Predictions carry code-point offsets into the plain text, so every
//! token index is turned into a code-point span here, by finding each token
//! in the text after the previous one — the alignment the reference scorer
//! (`../shared/tools/incidents_wikievents.py`) makes.

use std::collections::HashMap;
use std::path::Path;

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::input::read_json_lines;
use crate::error::{Error, Result};

/// The splits a gold folder may hold, in the order they are read.
pub const SPLITS: [&str; 3] = ["train", "dev", "test"];

/// One WikiEvents document; all spans are `[start, end)` code points of `text`.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: String,
    /// `train`, `dev` or `test`: the file it came from.
    pub split: &'static str,
    pub text: String,
    /// Entity mentions by id (a repeated id keeps its last mention).
    pub entities: HashMap<String, Span>,
    /// Coreference clusters of entity-mention ids, as the coref file lists them.
    pub coref: Vec<Vec<String>>,
    pub events: Vec<Event>,
    /// The text of each sentence, as the gold file gives it.
    pub sentences: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: String,
    /// `Family.Type.Subtype`, e.g. `Conflict.Attack.DetonateExplode`.
    pub event_type: String,
    pub trigger: Trigger,
    pub arguments: Vec<Argument>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    pub span: Span,
    pub text: String,
    /// Index into [`Document::sentences`].
    pub sentence: usize,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Argument {
    pub entity_id: String,
    pub role: String,
}

#[derive(Deserialize)]
struct RawText {
    id: String,
    text: String,
}

#[derive(Deserialize)]
struct RawCoref {
    doc_key: String,
    clusters: Vec<Vec<String>>,
}

#[derive(Deserialize)]
struct RawDocument {
    doc_id: String,
    tokens: Vec<String>,
    /// `[[token, start, end], …], text` per sentence; only the text is used.
    sentences: Vec<(IgnoredAny, String)>,
    entity_mentions: Vec<RawMention>,
    event_mentions: Vec<RawEvent>,
}

#[derive(Deserialize)]
struct RawMention {
    id: String,
    start: usize,
    end: usize,
}

#[derive(Deserialize)]
struct RawEvent {
    id: String,
    event_type: String,
    trigger: RawTrigger,
    arguments: Vec<Argument>,
}

#[derive(Deserialize)]
struct RawTrigger {
    start: usize,
    end: usize,
    text: String,
    sent_idx: usize,
}

/// Reads every split the folder holds, documents in file order (a repeated
/// id keeps its first place and its last content, as a Python dict would).
pub fn read_folder(dir: &Path) -> Result<Vec<Document>> {
    let texts = read_texts(dir)?;
    let mut docs: Vec<Document> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for split in SPLITS {
        for doc in read_split_with(dir, split, &texts)? {
            match at.get(&doc.id) {
                Some(&i) => docs[i] = doc,
                None => {
                    at.insert(doc.id.clone(), docs.len());
                    docs.push(doc);
                }
            }
        }
    }
    Ok(docs)
}

/// The documents of one split file (`DIR/SPLIT.jsonl`, its texts and
/// coreference beside it), in file order; training reads one split only.
pub fn read_split_file(path: &Path) -> Result<Vec<Document>> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let split = SPLITS.into_iter().find(|s| *s == stem).ok_or_else(|| {
        Error::Usage(format!("{}: a WikiEvents split file is named train.jsonl, dev.jsonl or test.jsonl", path.display()))
    })?;
    read_split_with(dir, split, &read_texts(dir)?)
}

fn read_split_with(dir: &Path, split: &'static str, texts: &HashMap<String, String>) -> Result<Vec<Document>> {
    let path = dir.join(format!("{split}.jsonl"));
    if !path.exists() {
        return Ok(Vec::new());
    }
    let coref_path = dir.join(format!("coref_{split}.jsonlines"));
    let mut coref: HashMap<String, Vec<Vec<String>>> = HashMap::new();
    if coref_path.exists() {
        for (_, c) in read_json_lines::<RawCoref>(&coref_path)? {
            coref.insert(c.doc_key, c.clusters);
        }
    }
    let mut docs = Vec::new();
    for (line, raw) in read_json_lines::<RawDocument>(&path)? {
        let data_error = |message: String| Error::Data { path: path.display().to_string(), line, message };
        let text = texts.get(&raw.doc_id).ok_or_else(|| {
            data_error(format!("document {:?} has no plain text in {}/wikievents_*_text.jsonl", raw.doc_id, dir.display()))
        })?;
        let clusters = coref.remove(&raw.doc_id).unwrap_or_default();
        docs.push(align(raw, text, split, clusters).map_err(data_error)?);
    }
    Ok(docs)
}

/// Plain texts by document id from every `wikievents_*_text.jsonl`, files in
/// name order (a later file's text of the same id wins).
fn read_texts(dir: &Path) -> Result<HashMap<String, String>> {
    let listing = std::fs::read_dir(dir).map_err(|e| Error::Input { path: dir.display().to_string(), message: e.to_string() })?;
    let mut names: Vec<String> = listing.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.retain(|n| n.starts_with("wikievents_") && n.ends_with("_text.jsonl"));
    names.sort();
    let mut texts = HashMap::new();
    for name in names {
        for (_, t) in read_json_lines::<RawText>(&dir.join(name))? {
            texts.insert(t.id, t.text);
        }
    }
    Ok(texts)
}

/// Finds each token in the text after the previous one and turns token
/// indices into code-point spans; an error names the token or index that
/// does not fit.
fn align(raw: RawDocument, text: &str, split: &'static str, coref: Vec<Vec<String>>) -> std::result::Result<Document, String> {
    let id = raw.doc_id;
    let mut tokens = Vec::with_capacity(raw.tokens.len());
    let (mut byte, mut cp) = (0, 0);
    for t in &raw.tokens {
        let found = text[byte..].find(t.as_str()).ok_or_else(|| format!("{id}: token {t:?} not found after code point {cp}"))?;
        let start = cp + text[byte..byte + found].chars().count();
        byte += found + t.len();
        cp = start + t.chars().count();
        tokens.push(Span { start, end: cp });
    }
    let span = |start: usize, end: usize, what: &str| -> std::result::Result<Span, String> {
        if start >= end || end > tokens.len() {
            return Err(format!("{id}: {what} spans tokens [{start}, {end}), outside the document's {} tokens", tokens.len()));
        }
        Ok(Span { start: tokens[start].start, end: tokens[end - 1].end })
    };
    let mut entities = HashMap::new();
    for m in &raw.entity_mentions {
        entities.insert(m.id.clone(), span(m.start, m.end, &format!("entity mention {}", m.id))?);
    }
    let sentences: Vec<String> = raw.sentences.into_iter().map(|(_, s)| s).collect();
    let mut events = Vec::with_capacity(raw.event_mentions.len());
    for e in raw.event_mentions {
        let t = &e.trigger;
        if t.sent_idx >= sentences.len() {
            return Err(format!("{id}: event {} is in sentence {} of {}", e.id, t.sent_idx, sentences.len()));
        }
        let trigger = Trigger { span: span(t.start, t.end, &format!("the trigger of event {}", e.id))?, text: e.trigger.text, sentence: e.trigger.sent_idx };
        events.push(Event { id: e.id, event_type: e.event_type, trigger, arguments: e.arguments });
    }
    Ok(Document { id, split, text: text.to_string(), entities, coref, events, sentences })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(tokens: &[&str], mentions: &[(usize, usize)]) -> RawDocument {
        RawDocument {
            doc_id: "d".into(),
            tokens: tokens.iter().map(|t| t.to_string()).collect(),
            sentences: vec![(IgnoredAny, "s".into())],
            entity_mentions: mentions.iter().enumerate().map(|(i, &(start, end))| RawMention { id: format!("T{i}"), start, end }).collect(),
            event_mentions: vec![],
        }
    }

    #[test]
    fn tokens_are_found_in_order_and_spans_count_code_points() {
        let d = align(raw(&["Bomb", "in", "Deir", "ez", "-", "Zor", "’s", "south"], &[(2, 6), (7, 8)]), "Bomb in Deir ez-Zor’s south", "dev", vec![]).unwrap();
        assert_eq!(d.entities["T0"], Span { start: 8, end: 19 });
        // "’" is one code point (three bytes): "south" starts at 22
        assert_eq!(d.entities["T1"], Span { start: 22, end: 27 });
    }

    #[test]
    fn a_token_missing_from_the_text_or_an_index_past_the_tokens_is_an_error() {
        let e = align(raw(&["Bomb", "in", "Kabul"], &[]), "Bomb in Herat", "dev", vec![]).unwrap_err();
        assert!(e.contains("\"Kabul\" not found after code point 7"), "{e}");
        let e = align(raw(&["Bomb"], &[(0, 2)]), "Bomb", "dev", vec![]).unwrap_err();
        assert!(e.contains("entity mention T0 spans tokens [0, 2), outside the document's 1 tokens"), "{e}");
    }
}
