//! `newsner eval geo` as a user runs it, against the reference scorer
//! `../shared/tools/geo_score.py` on invented articles in the corpora's
//! formats (tests/fixtures/geo: GeoVirus, TR-News, GeoWebNews, and one
//! annotated.jsonl for all three).

mod common;

use common::*;
use serde_json::Value;

const CORPORA: [&str; 3] = ["geovirus.xml", "trnews.xml", "geowebnews.xml"];

fn fixture(name: &str) -> String {
    root().join("tests/fixtures/geo").join(name).to_str().unwrap().to_string()
}

fn eval_geo(gold: &str, pred: &str, json: bool) -> std::process::Output {
    let mut args = vec!["eval", "geo", "--gold", gold, "--pred", pred];
    args.extend(json.then_some("--json"));
    run(&args, None)
}

#[test]
#[ignore = "needs ../shared + python3"]
fn eval_geo_prints_what_the_reference_scorer_prints() {
    let shared = shared("tools/geo_score.py");
    let pred = fixture("annotated.jsonl");
    let script = shared.join("tools/geo_score.py");
    for corpus in CORPORA {
        let gold = fixture(corpus);
        for json in [None, Some("--json")] {
            let ours: Vec<&str> = ["eval", "geo", "--gold", &gold, "--pred", &pred].into_iter().chain(json).collect();
            let theirs: Vec<&str> = ["score", &gold, &pred].into_iter().chain(json).collect();
            assert_prints_like_python(&ours, &script, &theirs);
        }
    }
}

/// The fixture's figures, worked out by hand: they hold without ../shared.
#[test]
fn eval_geo_scores_found_far_and_country_as_expected() {
    let pred = fixture("annotated.jsonl");
    let figures = |corpus: &str| -> Value {
        let out = eval_geo(&fixture(corpus), &pred, true);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    // 10 gold toponyms (one without coordinates left out); found: Pandi,
    // Bulacan (gold span off by one, repaired), Manila (> 161 km), Lagos and
    // Abuja; not: Luzon (untagged), Cebu (no geo), Kano (lat "north"), and
    // the two of the article missing from the predictions
    let gv = figures("geovirus.xml");
    assert_eq!((gv["articles"].as_u64(), gv["articles_missing_in_pred"].as_u64(), gv["gold_toponyms"].as_u64()), (Some(3), Some(1), Some(10)));
    assert_eq!((gv["recall"].as_f64(), gv["acc161"].as_f64(), gv["acc161_found"].as_f64()), (Some(50.0), Some(40.0), Some(80.0)));
    assert!(gv["country_found"].is_null());
    // country right for 7 of 8: Toronto is not in the US; "Netherlands",
    // "Czech Republic" and " Bonaire " name NL, CZ and BQ
    let tr = figures("trnews.xml");
    assert_eq!((tr["gold_toponyms"].as_u64(), tr["recall"].as_f64(), tr["country_found"].as_f64()), (Some(10), Some(90.0), Some(87.5)));
    // a non-locational "Paris Agreement" is not a gold toponym
    let gwn = figures("geowebnews.xml");
    assert_eq!((gwn["gold_toponyms"].as_u64(), gwn["recall"].as_f64()), (Some(2), Some(100.0)));

    let text = eval_geo(&fixture("trnews.xml"), &pred, false);
    assert!(String::from_utf8_lossy(&text.stdout).starts_with("articles                   3\narticles_missing_in_pred   1\n"));
}

#[test]
fn eval_geo_refuses_a_broken_corpus_and_predictions_of_other_articles() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.xml");
    write(&broken, "<articles>\n<article><text>Kabul &nbsp;city</text></article>\n</articles>\n");
    let out = eval_geo(broken.to_str().unwrap(), &fixture("annotated.jsonl"), false);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("broken.xml:2") && err.contains("undefined entity &nbsp;"), "{err}");
    assert!(out.stdout.is_empty());

    let other = dir.path().join("other.jsonl");
    write(&other, "{\"id\": \"elsewhere\", \"entities\": []}\n");
    let out = eval_geo(&fixture("trnews.xml"), other.to_str().unwrap(), true);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("other.jsonl") && err.contains("\"tr-1\"") && err.contains("\"elsewhere\""), "{err}");
    assert!(out.stdout.is_empty());
}
