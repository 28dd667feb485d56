//! The relocatable distribution (`make dist`, scripts/dist.py): assembled
//! into a fresh folder by the same script the tarball is made from (without
//! the gzip step, which alone would take a minute), it must run from there
//! with an empty environment and an unrelated working folder, through a
//! symlink too, and write the same bytes as the build it came from.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::*;

fn assemble(into: &Path) -> PathBuf {
    let out = Command::new("python3")
        .arg(root().join("scripts/dist.py"))
        .args(["--no-tar", "--link", "--binary", env!("CARGO_BIN_EXE_newsner"), "--out"])
        .arg(into)
        .output()
        .expect("python3 runs scripts/dist.py");
    assert!(out.status.success(), "dist.py failed: {}", String::from_utf8_lossy(&out.stderr));
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

/// `program args…` with no environment at all, in `cwd`.
fn bare(program: &Path, args: &[&str], cwd: &Path, stdin: Stdio) -> std::process::Output {
    Command::new("env")
        .arg("-i")
        .arg(program)
        .args(args)
        .current_dir(cwd)
        .stdin(stdin)
        .output()
        .expect("env runs")
}

#[test]
fn the_distribution_runs_anywhere_with_an_empty_environment() {
    // Under target/ so the libraries and models can be hard-linked, not copied.
    let tmp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let top = assemble(&tmp.path().join("unpacked"));
    let exe = top.join("bin/newsner");
    let built = std::fs::read(env!("CARGO_BIN_EXE_newsner")).unwrap();
    let copy = std::fs::read(&exe).unwrap();
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let prefix = b"$ORIGIN/../lib:";
    let at = find(&built, prefix).expect("build.rs gives the build RUNPATH $ORIGIN/../lib:<libtorch>") + prefix.len();
    let libtorch = &built[at..at + built[at..].iter().position(|&b| b == 0).unwrap()];
    assert!(!libtorch.is_empty());
    assert!(find(&copy, libtorch).is_none(), "the copy must not name the build's libtorch, or it could load it from there");
    assert!(top.join("lib/libtorch_cpu.so").is_file());
    assert!(top.join("models/ner-conll-minilm/config.json").is_file());
    assert!(top.join("LICENSES/newsner/LICENSE").is_file());

    let work = tmp.path().join("elsewhere");
    std::fs::create_dir(&work).unwrap();
    std::fs::copy(root().join("corpus/sample.jsonl"), work.join("in.jsonl")).unwrap();
    let out = bare(&exe, &["extract", "in.jsonl", "-o", "out.jsonl", "--quiet"], &work, Stdio::null());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.code().is_some_and(|c| c <= 1), "exit {:?}: {stderr}", out.status.code());

    let reference = run(&["extract", "corpus/sample.jsonl", "--quiet"], None);
    assert!(reference.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&reference.stderr));
    let relocated = std::fs::read(work.join("out.jsonl")).unwrap();
    assert!(!relocated.is_empty());
    assert!(relocated == reference.stdout, "the relocated binary writes other bytes than the build");

    // A symlink on PATH (as the Dockerfile makes) still finds lib/ and models/.
    let link = work.join("newsner");
    std::os::unix::fs::symlink(&exe, &link).unwrap();
    let mut child = Command::new("env")
        .args(["-i", link.to_str().unwrap(), "extract", "-", "--quiet", "--ner-only"])
        .current_dir(&work)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"{\"id\": \"x\", \"text\": \"Angela Merkel visited Paris.\"}\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let line = &lines(&out.stdout)[0];
    assert_eq!(line["entities"].as_array().map(Vec::len), Some(2), "{line}");

    // Without its models folder the copy says where it looked, not what it found elsewhere.
    std::fs::rename(top.join("models"), top.join("models.away")).unwrap();
    let out = bare(&exe, &["extract", "in.jsonl", "--quiet"], &work, Stdio::null());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot find the shipped model ner-conll-minilm: looked in"), "{stderr}");
}

/// int8 runs through the ONNX Runtime shipped in lib/, not libtorch's
/// fallback, and writes what the build writes.
#[test]
#[ignore = "needs onnxruntime"]
fn the_distribution_runs_int8_through_its_own_onnx_runtime() {
    if let Err(why) = newsner::ner::onnx::available() {
        panic!("this test needs ONNX Runtime, which is not available to the build ({why}); scripts/setup.sh installs it");
    }
    let tmp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let top = assemble(&tmp.path().join("unpacked"));
    let exe = top.join("bin/newsner");
    let work = tmp.path().join("elsewhere");
    std::fs::create_dir(&work).unwrap();
    std::fs::copy(root().join("corpus/sample.jsonl"), work.join("in.jsonl")).unwrap();
    assert!(std::fs::read_dir(top.join("lib")).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().starts_with("libonnxruntime.so")));
    assert!(top.join("models/ner-conll-minilm/model.int8.onnx").is_file());
    let int8 = ["extract", "in.jsonl", "--quiet", "--ner-only", "--precision", "int8"];
    let out = bare(&exe, &int8, &work, Stdio::null());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("notice"), "the copy fell back to libtorch's int8: {stderr}");
    let reference = run(&["extract", "corpus/sample.jsonl", "--quiet", "--ner-only", "--precision", "int8"], None);
    assert!(!out.stdout.is_empty() && out.stdout == reference.stdout, "the relocated int8 run writes other bytes than the build");
}
