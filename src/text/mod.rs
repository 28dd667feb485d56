//! Text handling that never loses the way back to the original offsets.
pub mod calendar;
pub mod fold;
pub mod months;
pub mod offsets;
pub mod outlets;
pub mod segment;
pub mod sentences;
pub mod words;
