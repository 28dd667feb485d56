//! Readers of input corpora (JSONL, folders of .txt, CoNLL) and the resume logic of the JSONL output.
pub mod conll;
pub mod input;
pub mod reader;
pub mod writer;
