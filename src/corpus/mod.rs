//! Readers of input corpora and the JSONL writer.
pub mod conll;
pub mod identity;
pub mod lossy_json;
pub mod muc4;
pub mod reader;
pub mod resume;
pub mod walk;
pub mod writer;
