//! Geoparsing: every place mention of an article gets a gazetteer record
//! (GeoNames id, kind, country, first-level division, coordinates), chosen
//! in context the way a reader would choose it.
//!
//! The stage sits between tagging and linking: it reads the tagger's
//! mentions and the text, and writes [`Document::places`], one entry per
//! mention; the linker then takes incident locations from it. Which mentions
//! count as places is the tagger's call (LOC; MISC demonyms; ORG mentions
//! that are a country or city used for its government, "Moscow said"); a
//! PER mention is never a place, and a name the gazetteer does not hold gets
//! nothing rather than a guess.

mod context;
pub mod gazetteer;
mod resolve;

pub use gazetteer::{gazetteer, Kind, Match, Place};
pub use resolve::{resolve_mentions, Evidence};

use rayon::prelude::*;

use crate::document::Document;
use crate::error::Result;
use crate::stage::{Field, Stage};

/// Resolves every place mention of `doc` (see the module doc). Needs
/// `doc.mentions` in text order; sets `doc.places`, aligned with them.
pub fn resolve(doc: &mut Document) {
    doc.places = resolve_mentions(&doc.text, &doc.mentions);
}

/// The geoparsing stage: entities in, a gazetteer record per place mention out.
pub struct ResolvePlaces;

impl Stage for ResolvePlaces {
    fn name(&self) -> &'static str {
        "resolve places"
    }
    fn requires(&self) -> &'static [Field] {
        &[Field::Entities]
    }
    fn assigns(&self) -> &'static [Field] {
        &[Field::Places]
    }
    fn run(&self, docs: &mut [Document]) -> Result<()> {
        docs.par_iter_mut().filter(|d| !d.failed).for_each(resolve);
        Ok(())
    }
}
