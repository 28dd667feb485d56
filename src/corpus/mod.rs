//! Readers of input corpora and the JSONL writer.
pub mod conll;
pub mod reader;
pub mod writer;
