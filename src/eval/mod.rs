//! Scoring against gold data.
pub mod muc4;
pub mod ner;
mod py;
pub mod report;
