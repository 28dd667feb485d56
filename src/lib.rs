//! newsner: transformer NER and incident extraction for news archives.
//!
//! One [`document::Document`] flows read → segment → tag → link → write;
//! the stages in between are a checked list ([`pipeline`]). The `newsner` binary is a
//! thin shell over this library.
pub mod args;
pub mod bio;
pub mod clock;
pub mod corpus;
pub mod destination;
pub mod document;
pub mod error;
pub mod eval;
pub mod incident;
pub mod lexicon;
pub mod merge;
pub mod geo;
pub mod muc4;
pub mod ner;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod stage;
pub mod text;
pub mod train;
#[cfg(test)]
pub(crate) mod testing;

pub use document::{Document, Span};
pub use error::{Error, Result};
