//! Scoring against gold data.
pub mod ner;
