//! The stages, in order: segment → tag → link, over a chunk of documents.
//!
//! Reading and writing stay outside (see `corpus`), so a caller can stream
//! any number of documents through in chunks and memory stays bounded by
//! the chunk size, not by the corpus.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::document::{Document, GroupSpan, Mention, Span};
use crate::error::Result;
use crate::ner::model::TokenClassifier;
use crate::ner::predict::{tag_sentences, word_entities};
use crate::text::{sentences::sentences, words::words};

/// Settings of the NER stage.
#[derive(Debug, Clone, Copy)]
pub struct NerOptions {
    /// Windows per forward pass.
    pub batch_size: usize,
    /// Longest window in word pieces.
    pub max_len: usize,
}

/// Splits every document into sentences (byte spans into the original text).
pub fn segment(docs: &mut [Document]) {
    docs.par_iter_mut().filter(|d| !d.failed).for_each(|d| d.sentences = sentences(&d.text));
}

/// Tags the sentences of all documents in one batched pass and stores whole
/// entities as mentions.
pub fn tag(model: &TokenClassifier, docs: &mut [Document], opts: NerOptions) -> Result<()> {
    let found = tagged(model, docs, opts)?;
    docs.par_iter_mut().zip(found).for_each(|(d, m)| {
        d.mentions = m;
        complete_cut_names(d);
    });
    Ok(())
}

/// Turns a second tagger's mentions of one article (text order) into the
/// article's span group; the adapter that brings the model knows how.
pub type GroupDecoder = fn(&str, &[Mention]) -> Vec<GroupSpan>;

/// Runs a second tagger (a role model) over the documents and stores what
/// `decode` makes of its mentions in [`Document::roles`], beside the
/// entities, so one line carries both.
pub fn tag_group(model: &TokenClassifier, decode: GroupDecoder, docs: &mut [Document], opts: NerOptions) -> Result<()> {
    let found = tagged(model, docs, opts)?;
    docs.par_iter_mut().zip(found).filter(|(d, _)| !d.failed).for_each(|(d, m)| d.roles = Some(decode(&d.text, &m)));
    Ok(())
}

/// The mentions `model` finds in each document, in text order.
fn tagged(model: &TokenClassifier, docs: &[Document], opts: NerOptions) -> Result<Vec<Vec<Mention>>> {
    // (doc, word spans) for every sentence of every document, in order; a
    // document-level model sees each document whole (windowed by tag_sentences)
    let whole = model.reads_documents();
    let units: Vec<(usize, Vec<Span>)> = docs
        .par_iter()
        .enumerate()
        .filter(|(_, d)| !d.failed)
        .flat_map_iter(|(i, d)| {
            let spans: Vec<Span> = if whole { vec![Span::new(0, d.text.len())] } else { d.sentences.clone() };
            spans.into_iter().map(move |s| (i, words(&d.text, s)))
        })
        .collect();
    let strings: Vec<Vec<&str>> = units
        .iter()
        .map(|(i, ws)| ws.iter().map(|w| &docs[*i].text[w.start..w.end]).collect())
        .collect();
    let tags = tag_sentences(model, &strings, opts.batch_size, opts.max_len)?;
    drop(strings);
    let mut found: Vec<Vec<Mention>> = vec![Vec::new(); docs.len()];
    for ((doc, ws), t) in units.iter().zip(&tags) {
        for (s, e, label, score) in word_entities(t, &model.labels) {
            found[*doc].push(Mention { span: Span::new(ws[s].start, ws[e - 1].end), label, score });
        }
    }
    Ok(found)
}

/// A document-level consistency pass: the tagger sometimes stops a name a
/// word short in one place ("Islamic" in the headline "Islamic State’s
/// Moscow Attack") or cuts it in two ("IS" ORG + "Khorasan" LOC) while
/// tagging it whole elsewhere in the same article. A mention whose
/// capitalised neighbours (up to two words each side, separated by single
/// spaces) complete it to another mention of the article grows to that name,
/// takes its label and absorbs the pieces it covers; hyphens and spaces
/// count alike ("IS Khorasan" = "IS-Khorasan").
fn complete_cut_names(doc: &mut Document) {
    let key = |s: &str| s.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ").to_lowercase();
    let mut known: HashMap<String, String> = HashMap::new();
    for m in &doc.mentions {
        known.entry(key(doc.slice(m.span))).or_insert_with(|| m.label.clone());
    }
    let text = &doc.text;
    let ws = words(text, Span::new(0, text.len()));
    let mut absorbed = vec![false; doc.mentions.len()];
    for i in 0..doc.mentions.len() {
        if absorbed[i] {
            continue;
        }
        let m = &doc.mentions[i];
        let (first, after) = (ws.partition_point(|w| w.start < m.span.start), ws.partition_point(|w| w.start < m.span.end));
        let capitalised = |k: usize| text[ws[k].start..].starts_with(char::is_uppercase);
        let joined = |a: usize, b: usize| (a..b - 1).all(|k| &text[ws[k].end..ws[k + 1].start] == " ");
        let cuts = |span: &Span, o: &Mention| o.span.overlaps(span) && !(span.start <= o.span.start && o.span.end <= span.end);
        let longest = (0..=first.min(2))
            .flat_map(|l| (0..=2).map(move |r| (first - l, after + r)))
            .filter(|&(a, b)| b <= ws.len() && b - a > after - first)
            .filter(|&(a, b)| (a..first).chain(after..b).all(capitalised) && joined(a, b))
            .map(|(a, b)| (Span::new(ws[a].start, ws[b - 1].end), b - a))
            .filter(|(span, _)| !doc.mentions.iter().any(|o| cuts(span, o)))
            .filter_map(|(span, n)| known.get(&key(&text[span.start..span.end])).map(|label| (span, label, n)))
            .max_by_key(|(_, _, n)| *n);
        if let Some((span, label, _)) = longest {
            let label = label.clone();
            for (j, o) in doc.mentions.iter().enumerate() {
                absorbed[j] |= j != i && span.overlaps(&o.span);
            }
            doc.mentions[i].span = span;
            doc.mentions[i].label = label;
        }
    }
    let mut keep = absorbed.iter().map(|a| !a);
    doc.mentions.retain(|_| keep.next().unwrap_or(true));
}

/// Links each document's entities into alias clusters and incident records.
pub fn link(docs: &mut [Document]) {
    docs.par_iter_mut().filter(|d| !d.failed).for_each(crate::incident::link);
}

/// The whole per-chunk pipeline; `incidents: false` stops after NER;
/// `group` adds a second tagger's span group.
pub fn process(model: &TokenClassifier, group: Option<(&TokenClassifier, GroupDecoder)>, docs: &mut [Document], opts: NerOptions, incidents: bool) -> Result<()> {
    segment(docs);
    tag(model, docs, opts)?;
    if let Some((m, decode)) = group {
        tag_group(m, decode, docs, opts)?;
    }
    if incidents {
        link(docs);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_names_are_completed_from_the_same_article() {
        let text = "Islamic State’s attack. The Islamic State group said IS Khorasan did it; IS-Khorasan denied.";
        let mut d = Document::new("t", text);
        d.mentions = vec![
            Mention::at(text, "Islamic", 0, "MISC"),
            Mention::at(text, "Islamic State", 1, "ORG"),
            Mention::at(text, "IS ", 0, "ORG"),
            Mention::at(text, "Khorasan", 0, "LOC"),
            Mention::at(text, "IS-Khorasan", 0, "ORG"),
        ];
        d.mentions[2].span.end -= 1; // "IS" without the space
        complete_cut_names(&mut d);
        let got: Vec<(&str, &str)> = d.mentions.iter().map(|m| (d.slice(m.span), m.label.as_str())).collect();
        assert_eq!(got, vec![("Islamic State", "ORG"), ("Islamic State", "ORG"), ("IS Khorasan", "ORG"), ("IS-Khorasan", "ORG")]);
    }
}
