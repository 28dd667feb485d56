//! The tagging stages: a token-classification model over the sentences of
//! a whole chunk of documents in one batched pass.

use rayon::prelude::*;

use super::model::TokenClassifier;
use super::predict::{tag_sentences, word_entities};
use crate::document::{Document, GroupSpan, Mention, Span};
use crate::error::Result;
use crate::stage::{Field, Stage};
use crate::text::words::words;

/// Settings of the tagging stages.
#[derive(Debug, Clone, Copy)]
pub struct NerOptions {
    /// Windows per forward pass.
    pub batch_size: usize,
    /// Longest window in word pieces.
    pub max_len: usize,
}

/// Tags the entities of all documents and stores them as mentions.
pub struct TagEntities<'m> {
    pub model: &'m TokenClassifier,
    pub opts: NerOptions,
}

impl Stage for TagEntities<'_> {
    fn name(&self) -> &'static str {
        "tag entities"
    }
    fn requires(&self) -> &'static [Field] {
        &[Field::Text, Field::Sentences]
    }
    fn assigns(&self) -> &'static [Field] {
        &[Field::Entities]
    }
    fn run(&self, docs: &mut [Document]) -> Result<()> {
        let found = tagged(self.model, docs, self.opts)?;
        docs.par_iter_mut().zip(found).for_each(|(d, m)| d.mentions = m);
        Ok(())
    }
}

/// Turns a second tagger's mentions of one article (text order) into the
/// article's span group; the adapter that brings the model knows how.
pub type GroupDecoder = fn(&str, &[Mention]) -> Vec<GroupSpan>;

/// Runs a second tagger (a role model) over the documents and stores what
/// `decode` makes of its mentions in [`Document::roles`], beside the
/// entities, so one line carries both.
pub struct TagGroup<'m> {
    pub model: &'m TokenClassifier,
    pub decode: GroupDecoder,
    pub opts: NerOptions,
}

impl Stage for TagGroup<'_> {
    fn name(&self) -> &'static str {
        "tag roles"
    }
    fn requires(&self) -> &'static [Field] {
        &[Field::Text, Field::Sentences]
    }
    fn assigns(&self) -> &'static [Field] {
        &[Field::Roles]
    }
    fn run(&self, docs: &mut [Document]) -> Result<()> {
        let found = tagged(self.model, docs, self.opts)?;
        let decode = self.decode;
        docs.par_iter_mut().zip(found).filter(|(d, _)| !d.failed).for_each(|(d, m)| d.roles = Some(decode(&d.text, &m)));
        Ok(())
    }
}

/// Runs the attack-argument model (see `train::events`) over the whole of
/// each document in which the linker found an incident, and keeps its spans
/// as they are in [`Document::arguments`]; `incident::ApplyArguments` then
/// decides which incident each belongs to. The model's spans only ever fill
/// or drop the linker's incidents, so an article without one (most of a
/// general news archive: 13 of the first 300 BBC articles have one) is not
/// read a second time, and its line carries no `arguments`.
pub struct TagArguments<'m> {
    pub model: &'m TokenClassifier,
    pub opts: NerOptions,
}

impl Stage for TagArguments<'_> {
    fn name(&self) -> &'static str {
        "tag arguments"
    }
    fn requires(&self) -> &'static [Field] {
        &[Field::Text, Field::Sentences, Field::Incidents]
    }
    fn assigns(&self) -> &'static [Field] {
        &[Field::Arguments]
    }
    fn run(&self, docs: &mut [Document]) -> Result<()> {
        let read = |d: &Document| d.incidents.as_ref().is_some_and(|i| !i.is_empty());
        let found = tagged_where(self.model, docs, self.opts, read)?;
        docs.par_iter_mut().zip(found).filter(|(d, _)| !d.failed && read(d)).for_each(|(d, m)| d.arguments = Some(m));
        Ok(())
    }
}

/// The mentions `model` finds in each document, in text order.
fn tagged(model: &TokenClassifier, docs: &[Document], opts: NerOptions) -> Result<Vec<Vec<Mention>>> {
    tagged_where(model, docs, opts, |_| true)
}

/// As [`tagged`], reading only the documents `read` picks (the others get
/// no mentions).
fn tagged_where(model: &TokenClassifier, docs: &[Document], opts: NerOptions, read: impl Fn(&Document) -> bool + Sync) -> Result<Vec<Vec<Mention>>> {
    // (doc, word spans) for every sentence of every document, in order; a
    // document-level model sees each document whole (windowed by tag_sentences)
    let whole = model.reads_documents();
    let units: Vec<(usize, Vec<Span>)> = docs
        .par_iter()
        .enumerate()
        .filter(|(_, d)| !d.failed && read(d))
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
