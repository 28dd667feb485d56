//! `newsner eval merge` as a user runs it: the same figures as the
//! reference scorer `../shared/tools/merge_score.py` on real extract and
//! merge output over ECB+ articles, and hand-worked figures that hold
//! without `../shared`.

mod common;

use common::*;
use serde_json::Value;

fn eval_merge(gold: &str, pred: &str, json: bool) -> std::process::Output {
    let mut args = vec!["eval", "merge", "--gold", gold, "--pred", pred];
    args.extend(json.then_some("--json"));
    run(&args, None)
}

#[test]
#[ignore = "needs ../shared + python3"]
fn eval_merge_prints_what_the_reference_scorer_prints() {
    shared("corpus/ecbplus/dev.jsonl");
    let shared = shared("tools/merge_score.py");
    // Every fourth ECB+ dev article: all topics, both events of each, a
    // few seconds to annotate.
    let dir = tempfile::tempdir().unwrap();
    let all = std::fs::read_to_string(shared.join("corpus/ecbplus/dev.jsonl")).unwrap();
    let gold = dir.path().join("gold.jsonl");
    std::fs::write(&gold, all.lines().step_by(4).map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let (annotated, merged) = (dir.path().join("annotated.jsonl"), dir.path().join("merged.jsonl"));
    let out = run(&["extract", gold.to_str().unwrap(), "-o", annotated.to_str().unwrap(), "--quiet"], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["merge", annotated.to_str().unwrap(), "-o", merged.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let (gold, merged) = (gold.to_str().unwrap(), merged.to_str().unwrap());
    for json in [None, Some("--json")] {
        let ours: Vec<&str> = ["eval", "merge", "--gold", gold, "--pred", merged].into_iter().chain(json).collect();
        let theirs: Vec<&str> = [gold, merged].into_iter().chain(json).collect();
        assert_prints_like_python(&ours, &shared.join("tools/merge_score.py"), &theirs);
    }
}

/// Five articles of three events; one has no incident. Records: {a1, b1}
/// (two events joined), {a2}, {c1}. B-cubed precision: a1 and b1 each
/// share their record half with their own event, a2 and c1 wholly: 0.75;
/// recall: a1 and a2 each find half their event, b1 and c1 all: 0.75.
#[test]
fn eval_merge_scores_hand_worked_clusters() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.jsonl");
    let articles = [("a1", 1, "ecb"), ("a2", 1, "ecb"), ("b1", 1, "ecbplus"), ("c1", 2, "ecb"), ("none", 2, "ecb")];
    let gold_lines: String = articles.iter().map(|(id, t, s)| format!("{{\"id\": \"{id}\", \"topic\": {t}, \"subcorpus\": \"{s}\"}}\n")).collect();
    std::fs::write(&gold, gold_lines).unwrap();
    let record = |id: &str, arts: &[&str]| {
        let sources: Vec<String> = arts.iter().map(|a| format!("{{\"article\": \"{a}\", \"incident\": \"{a}#1\"}}")).collect();
        format!("{{\"id\": \"{id}\", \"sources\": [{}]}}\n", sources.join(", "))
    };
    let merged = dir.path().join("merged.jsonl");
    std::fs::write(&merged, [record("a1#1", &["a1", "b1"]), record("a2#1", &["a2"]), record("c1#1", &["c1"])].concat()).unwrap();
    let out = eval_merge(gold.to_str().unwrap(), merged.to_str().unwrap(), true);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((v["articles"].as_u64(), v["covered"].as_u64(), v["coverage"].as_f64()), (Some(5), Some(4), Some(80.0)));
    assert_eq!((v["gold_events"].as_u64(), v["records_for_covered"].as_u64()), (Some(3), Some(3)));
    assert_eq!(v["bcubed"], serde_json::json!({"P": 75.0, "R": 75.0, "F": 75.0}));
    assert_eq!(v["baseline_singletons"]["P"], 100.0);
    assert_eq!(v["baseline_topic"]["R"], 100.0);
    let text = eval_merge(gold.to_str().unwrap(), merged.to_str().unwrap(), false);
    assert!(String::from_utf8_lossy(&text.stdout).contains("bcubed                 {'P': 75.0, 'R': 75.0, 'F': 75.0}"));

    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let refused = eval_merge(empty.to_str().unwrap(), merged.to_str().unwrap(), false);
    assert_eq!(refused.status.code(), Some(2), "an empty gold file is refused, not scored as zeros");
}
