//! What a pipeline stage is: a named step over a chunk of documents that
//! says which parts of a [`Document`] it reads and which it adds (spaCy's
//! `requires`/`assigns`), so a list of stages can be checked before any
//! document goes through it (see [`crate::pipeline`]).

use crate::document::Document;
use crate::error::Result;

/// A part of a [`Document`] that a stage reads or adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `text`, `meta`: what the reader gives.
    Text,
    /// `published`, when the input has it; stages treat it as optional.
    Published,
    Sentences,
    /// `mentions`: the entity span group.
    Entities,
    /// `roles`: a second span group from another tagger.
    Roles,
    /// `arguments`: the attack-argument model's triggers and arguments.
    Arguments,
    /// Places resolved against a gazetteer.
    Places,
    Clusters,
    Incidents,
}

/// What every document has when it is read, before any stage ran.
pub const READ: &[Field] = &[Field::Text, Field::Published];

/// One step of the pipeline. `run` sees a whole chunk, so a stage can batch
/// across documents (the taggers do) or go document by document in parallel.
pub trait Stage {
    fn name(&self) -> &'static str;
    /// Fields an earlier stage (or the reader) must have added.
    fn requires(&self) -> &'static [Field];
    /// Fields this stage adds or rewrites.
    fn assigns(&self) -> &'static [Field];
    fn run(&self, docs: &mut [Document]) -> Result<()>;
}
