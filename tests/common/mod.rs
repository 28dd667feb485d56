//! Helpers shared by the end-to-end CLI tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsner"))
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the checkout, or None with a message (tests then skip).
pub fn shared(what: &str) -> Option<PathBuf> {
    let p = root().join("../shared");
    if p.join(what).exists() {
        Some(p)
    } else {
        eprintln!("SKIPPED: ../shared/{what} is absent (it exists only for developers and CI)");
        None
    }
}

/// Runs newsner with `args`, feeding `stdin` if given.
pub fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = bin();
    cmd.args(args).current_dir(root()).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    let mut child = cmd.spawn().expect("spawn newsner");
    if let Some(data) = stdin {
        let mut si = child.stdin.take().unwrap();
        si.write_all(data).unwrap();
    }
    child.wait_with_output().unwrap()
}

pub fn lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8(out.to_vec())
        .expect("output is UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
        .collect()
}

/// Python's `text[start:end]` on code points.
pub fn cp_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Every entity's text equals the code-point slice of the input text.
pub fn assert_offsets(text: &str, line: &Value) {
    for e in line["entities"].as_array().unwrap() {
        let (s, t) = (e["start"].as_u64().unwrap() as usize, e["end"].as_u64().unwrap() as usize);
        assert!(s < t, "non-empty span: {e}");
        assert_eq!(cp_slice(text, s, t), e["text"].as_str().unwrap(), "offsets of {e}");
    }
}

pub fn write(path: &Path, data: &str) {
    std::fs::write(path, data).unwrap();
}
