//! Scoring against gold data.
pub mod muc4;
pub mod ner;
pub mod report;
