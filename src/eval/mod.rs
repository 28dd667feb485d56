//! Scoring against gold data.
pub mod ner;
pub mod report;
