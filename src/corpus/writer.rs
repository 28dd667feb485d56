//! The JSONL writer.
//!
//! Each output line is written whole; a run killed mid-write can leave at
//! most one torn last line, which `--resume` cuts off before continuing
//! (see [`crate::corpus::resume`]).

use std::io::Write;

/// Writes one JSON value as one line with a single `write_all`.
pub fn write_line(out: &mut dyn Write, value: &serde_json::Value) -> std::io::Result<()> {
    let mut buf = serde_json::to_vec(value).expect("serde_json::Value always serialises");
    buf.push(b'\n');
    out.write_all(&buf)
}
