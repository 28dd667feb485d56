//! The stages, in order: segment → tag → link, over a chunk of documents.
//!
//! Reading and writing stay outside (see `corpus`), so a caller can stream
//! any number of documents through in chunks and memory stays bounded by
//! the chunk size, not by the corpus.

use rayon::prelude::*;

use crate::document::{Document, Mention, Span};
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
    // (doc, word spans) for every sentence of every document, in order
    let units: Vec<(usize, Vec<Span>)> = docs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, d)| d.sentences.iter().map(move |s| (i, words(&d.text, *s))))
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
    for (d, m) in docs.iter_mut().zip(found) {
        d.mentions = m;
    }
    Ok(())
}

/// Links each document's entities into alias clusters and incident records.
pub fn link(docs: &mut [Document]) {
    docs.par_iter_mut().filter(|d| !d.failed).for_each(crate::incident::link);
}

/// The whole per-chunk pipeline; `incidents: false` stops after NER.
pub fn process(model: &TokenClassifier, docs: &mut [Document], opts: NerOptions, incidents: bool) -> Result<()> {
    segment(docs);
    tag(model, docs, opts)?;
    if incidents {
        link(docs);
    }
    Ok(())
}
