//! Readers of input corpora (JSONL, folders of .txt, CoNLL, WikiEvents gold) and the resume logic of the JSONL output.
pub mod conll;
pub mod identity;
pub mod input;
pub mod lossy_json;
pub mod reader;
pub mod resume;
pub mod walk;
pub mod wikievents;
