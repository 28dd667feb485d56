//! The segmenting stage: sentences of every document.

use rayon::prelude::*;

use super::sentences::sentences;
use crate::document::Document;
use crate::error::Result;
use crate::stage::{Field, Stage};

/// Splits every document into sentences (byte spans into the original text).
pub struct Segment;

impl Stage for Segment {
    fn name(&self) -> &'static str {
        "segment"
    }
    fn requires(&self) -> &'static [Field] {
        &[Field::Text]
    }
    fn assigns(&self) -> &'static [Field] {
        &[Field::Sentences]
    }
    fn run(&self, docs: &mut [Document]) -> Result<()> {
        docs.par_iter_mut().filter(|d| !d.failed).for_each(|d| d.sentences = sentences(&d.text));
        Ok(())
    }
}
