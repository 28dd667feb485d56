//! Scoring against gold data.
pub mod geo;
pub mod muc4;
pub mod ner;
mod py;
pub mod report;
mod xml;
