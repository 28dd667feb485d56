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

/// newsner's stdout for `args`; fails the test, with newsner's stderr, when
/// it does not exit 0.
pub fn stdout_of(args: &[&str]) -> String {
    let out = run(args, None);
    assert_eq!(out.status.code(), Some(0), "newsner {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("newsner writes UTF-8")
}

/// The stdout of `python3 script args`, or None (with a message; the test
/// then skips) when python3 cannot be started; fails the test when the
/// script fails.
pub fn python_stdout(script: &Path, args: &[&str]) -> Option<String> {
    let Ok(out) = Command::new("python3").arg(script).args(args).current_dir(root()).output() else {
        eprintln!("SKIPPED: python3 is not available");
        return None;
    };
    assert!(out.status.success(), "{} {args:?}: {}", script.display(), String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8(out.stdout).expect("the script writes UTF-8"))
}

/// Asserts that `newsner ours…` prints byte for byte what the reference
/// scorer `script theirs…` prints; false when python3 is missing (skipped).
pub fn assert_prints_like_python(ours: &[&str], script: &Path, theirs: &[&str]) -> bool {
    let mine = stdout_of(ours);
    let Some(reference) = python_stdout(script, theirs) else { return false };
    assert_eq!(mine, reference, "newsner {ours:?} against {} {theirs:?}", script.display());
    true
}
