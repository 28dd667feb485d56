//! newsner: transformer NER and incident extraction for news archives.
//!
//! One [`document::Document`] flows read → segment → tag → link → write;
//! every stage is a plain function over documents. The `newsner` binary is a
//! thin shell over this library.
pub mod args;
pub mod corpus;
pub mod document;
pub mod error;
pub mod eval;
pub mod incident;
pub mod merge;
pub mod export;
pub mod geo;
pub mod ner;
pub mod pipeline;
pub mod render;
pub mod text;
pub mod train;

pub use document::{Document, Span};
pub use error::{Error, Result};
