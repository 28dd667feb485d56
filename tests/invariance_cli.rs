//! The same article gives the same bytes whatever else is processed with it:
//! batch size, chunk size, thread count and sharding change only speed and
//! which lines a process writes, never a line's bytes. Spark partitions,
//! Kubernetes shards and resumed runs rely on it to equal one run. (The
//! default fp32-fast arithmetic; see `same_length_batches` in src/ner/predict.rs.)

mod common;

use common::*;

fn extract(extra: &[&str]) -> Vec<u8> {
    let mut args = vec!["extract", "corpus/sample.jsonl", "--quiet"];
    args.extend_from_slice(extra);
    let out = run(&args, None);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{extra:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn batches_chunks_threads_and_shards_do_not_change_a_line() {
    let reference = extract(&["--batch-size", "32", "--chunk-size", "256", "--threads", "2"]);
    let articles = std::fs::read_to_string(root().join("corpus/sample.jsonl")).unwrap().lines().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(reference.iter().filter(|&&b| b == b'\n').count(), articles, "one line per sample article");
    for options in [["--batch-size", "1", "--chunk-size", "1", "--threads", "1"], ["--batch-size", "7", "--chunk-size", "256", "--threads", "2"]] {
        let got = extract(&options);
        assert!(got == reference, "{options:?} changes the output:\n{}", first_difference(&reference, &got));
    }

    // Three shards, merged back by the reference's order, are the one run.
    let mut shards: Vec<Vec<u8>> = Vec::new();
    for i in 0..3 {
        let shard = format!("{i}/3");
        shards.extend(extract(&["--shard", &shard, "--threads", "2"]).split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec));
    }
    let mut want: Vec<Vec<u8>> = reference.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    want.sort();
    shards.sort();
    assert_eq!(shards.len(), want.len(), "the shards together hold every article once");
    let (want, got) = (want.concat(), shards.concat());
    assert!(got == want, "shards 0..2/3 differ from one run:\n{}", first_difference(&want, &got));
}

/// The first differing line of two outputs, in full.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  {x}\n  {y}", i + 1);
        }
    }
    format!("{} lines against {}", a.lines().count(), b.lines().count())
}
