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
pub mod ranker;
mod resolve;

pub use gazetteer::{gazetteer, Kind, Match, Place};
pub use ranker::Ranker;
pub use resolve::{resolve_mentions, resolve_with, Evidence, RankedName};

use rayon::prelude::*;

use crate::document::Document;
use crate::error::Result;
use crate::stage::{Field, Stage};

/// Great-circle distance in km between two (lat, lon) points (haversine,
/// mean Earth radius 6371.0088 km, as the geoparsing scorers use).
pub fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().min(1.0).asin()
}

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
