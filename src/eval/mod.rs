//! Scoring against gold data.
pub mod geo;
pub mod ner;
pub(crate) mod py;
pub mod report;
mod xml;
