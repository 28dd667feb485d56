//! `newsner eval ner` and `newsner eval muc4` / `export muc4` as a user runs them.

mod common;

use common::*;
use serde_json::Value;

#[test]
fn eval_ner_reads_iob1_gold_and_prints_json_and_table() {
    let out = run(&["eval", "ner", "--gold", "tests/fixtures/ner/hand_iob1.conll", "--json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // 11 gold entities in 4 invented sentences; the shipped model gets nearly all
    assert_eq!(v["per_type"].as_object().unwrap().values().map(|t| t["support"].as_u64().unwrap()).sum::<u64>(), 11);
    assert!(v["micro"]["f1"].as_f64().unwrap() >= 80.0, "{v}");
    for t in ["PER", "ORG", "LOC", "MISC"] {
        for k in ["p", "r", "f1", "support"] {
            assert!(v["per_type"][t][k].is_number(), "per_type.{t}.{k}");
        }
    }
    let table = run(&["eval", "ner", "--gold", "tests/fixtures/ner/hand_iob1.conll"], None);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("processed 33 tokens in 4 sentences") && text.contains("micro"), "{text}");
}

#[test]
#[ignore = "needs ../shared + python3"]
fn eval_muc4_prints_what_the_reference_scorer_prints() {
    let shared = shared("tools/ceaf_ree.py");
    let fx = root().join("tests/fixtures/muc4");
    let (gold, pred) = (fx.join("gold.jsonl"), fx.join("pred.jsonl"));
    let ours = run(&["eval", "muc4", "--gold", gold.to_str().unwrap(), "--pred", pred.to_str().unwrap()], None);
    assert_eq!(ours.status.code(), Some(0));
    let theirs = python_stdout(&shared.join("tools/ceaf_ree.py"), &[gold.to_str().unwrap(), pred.to_str().unwrap()]);
    assert_eq!(String::from_utf8_lossy(&ours.stdout), theirs);
}

#[test]
fn export_muc4_of_gold_annotations_scores_100() {
    // annotated lines whose entity labels are roles, as a role model would write them
    let dir = tempfile::tempdir().unwrap();
    let gold = root().join("tests/fixtures/muc4/gold.jsonl");
    let mut annotated = String::new();
    for line in std::fs::read_to_string(&gold).unwrap().lines() {
        let d: Value = serde_json::from_str(line).unwrap();
        let mut ents = Vec::new();
        let mut n = 0;
        for (role, fillers) in d["extracts"].as_object().unwrap() {
            for (k, filler) in fillers.as_array().unwrap().iter().enumerate() {
                for m in filler.as_array().unwrap() {
                    let text = m.as_array().map_or_else(|| m.as_str().unwrap(), |a| a[0].as_str().unwrap());
                    n += 1;
                    ents.push(serde_json::json!({"id": format!("m{n}"), "text": text, "label": role, "start": 0, "end": 0, "score": 1.0, "cluster": format!("{role}{k}")}));
                }
            }
        }
        annotated += &serde_json::json!({"id": d["docid"], "entities": ents, "errors": []}).to_string();
        annotated.push('\n');
    }
    let ann = dir.path().join("ann.jsonl");
    write(&ann, &annotated);
    let pred = dir.path().join("pred.jsonl");
    let out = run(&["export", "muc4", ann.to_str().unwrap(), "--raw", "-o", pred.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let score = run(&["eval", "muc4", "--gold", gold.to_str().unwrap(), "--pred", pred.to_str().unwrap(), "--json"], None);
    let v: Value = serde_json::from_slice(&score.stdout).unwrap();
    assert_eq!(v["micro"]["f1"], 100.0, "{v}");
}

fn micro(gold: &std::path::Path, pred: &std::path::Path) -> Value {
    let score = run(&["eval", "muc4", "--gold", gold.to_str().unwrap(), "--pred", pred.to_str().unwrap(), "--json"], None);
    assert_eq!(score.status.code(), Some(0), "{}", String::from_utf8_lossy(&score.stderr));
    serde_json::from_slice::<Value>(&score.stdout).unwrap()["micro"].clone()
}

/// The shipped role model end to end, as docs/evaluation.md runs it: extract MUC-4
/// messages, export decoded fillers, score them. The messages are dev
/// messages (TST1), so this checks wiring and decoding, not generalisation.
#[test]
fn role_model_extracts_exports_and_scores_muc4_messages() {
    let model = root().join("models/roles-muc4-minilm");
    let dir = tempfile::tempdir().unwrap();
    let gold = root().join("tests/fixtures/muc4/gold.jsonl");
    let ann = dir.path().join("ann.jsonl");
    let out = run(&["extract", "--format", "muc4", "--model", model.to_str().unwrap(), "--ner-only", "--quiet",
                    gold.to_str().unwrap(), "-o", ann.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<Value> = std::fs::read_to_string(&ann).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4);
    let roles = ["PerpInd", "PerpOrg", "Target", "Victim", "Weapon"];
    assert!(lines.iter().flat_map(|l| l["entities"].as_array().unwrap()).all(|e| roles.contains(&e["label"].as_str().unwrap())));

    let (raw, decoded) = (dir.path().join("raw.jsonl"), dir.path().join("decoded.jsonl"));
    for (file, extra) in [(&raw, Some("--raw")), (&decoded, None)] {
        let mut args = vec!["export", "muc4", ann.to_str().unwrap(), "-o", file.to_str().unwrap()];
        args.extend(extra);
        let out = run(&args, None);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let (r, d) = (micro(&gold, &raw), micro(&gold, &decoded));
    assert!(d["f1"].as_f64().unwrap() >= 40.0, "decoded {d}");
    assert!(d["p"].as_f64() >= r["p"].as_f64(), "decoding one filler per referent is more precise: raw {r}, decoded {d}");
    // a filler is one mention, named in full
    for l in std::fs::read_to_string(&decoded).unwrap().lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        for role in roles {
            assert!(v["extracts"][role].as_array().unwrap().iter().all(|f| f.as_array().unwrap().len() == 1), "{v}");
        }
    }
}
