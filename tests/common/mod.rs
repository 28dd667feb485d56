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

// `shared_dir` and `shared` have one home, shared with the unit tests:
// `$NEWSNER_SHARED` or `../shared`, failing loudly when absent. Tests that
// call `shared` are `#[ignore = "needs ../shared"]` (or "needs ../shared +
// python3"); `make test` runs them where the folder exists and counts them
// as could-not-run where it does not.
#[path = "../../src/testing.rs"]
mod testing;
#[allow(unused_imports)]
pub use testing::{shared, shared_dir};

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

/// The stdout of `python3 script args`; fails the test when python3
/// cannot be started or the script fails.
pub fn python_stdout(script: &Path, args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg(script)
        .args(args)
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("this test needs python3, which cannot be started: {e}"));
    assert!(out.status.success(), "{} {args:?}: {}", script.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("the script writes UTF-8")
}

/// Asserts that `newsner ours…` prints byte for byte what the reference
/// scorer `script theirs…` prints (python3 must be there).
pub fn assert_prints_like_python(ours: &[&str], script: &Path, theirs: &[&str]) {
    let mine = stdout_of(ours);
    let reference = python_stdout(script, theirs);
    assert_eq!(mine, reference, "newsner {ours:?} against {} {theirs:?}", script.display());
}
