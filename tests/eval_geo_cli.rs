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

    // over towns and smaller places: the island of Luzon (not found) is left out
    let out = run(&["eval", "geo", "--gold", &fixture("geovirus.xml"), "--pred", &pred, "--json", "--cities"], None);
    let cities: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((cities["gold_toponyms"].as_u64(), cities["recall"].as_f64(), cities["acc161"].as_f64()), (Some(9), Some(55.56), Some(44.44)));
    assert_eq!(cities["acc161_found"], gv["acc161_found"]);
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

/// A tiny corpus written here, in TR-News's format, with the tagger's
/// entities for it: articles whose places are the small namesakes near each
/// other, not the famous ones.
fn tiny_corpus(dir: &std::path::Path) -> (String, String) {
    // (text, [(name, lat, lon, country)]) in text order
    let articles: [(&str, &[(&str, f64, f64, &str)]); 4] = [
        (
            "A grass fire near Paris burned toward Dallas on Friday, and crews from Sherman helped.",
            &[("Paris", 33.66, -95.56, "United States"), ("Dallas", 32.78, -96.81, "United States"), ("Sherman", 33.64, -96.61, "United States")],
        ),
        (
            "The council in Springfield met officials from Peoria and Decatur about the roads.",
            &[("Springfield", 39.80, -89.64, "United States"), ("Peoria", 40.69, -89.59, "United States"), ("Decatur", 39.84, -88.95, "United States")],
        ),
        ("Flights from London to Paris were cancelled by the strike.", &[("London", 51.51, -0.13, "United Kingdom"), ("Paris", 48.85, 2.35, "France")]),
        (
            "Police in Gainesville and Denton closed the highway on Friday.",
            &[("Gainesville", 33.63, -97.13, "United States"), ("Denton", 33.21, -97.13, "United States")],
        ),
    ];
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<articles>\n");
    let mut jsonl = String::new();
    for (n, (text, places)) in articles.iter().enumerate() {
        xml += &format!("<article docid=\"t{n}\"><text>{text}</text><toponyms>\n");
        let mut entities = Vec::new();
        let mut from = 0;
        for (k, (name, lat, lon, country)) in places.iter().enumerate() {
            let start = from + text[from..].find(name).unwrap();
            from = start + name.len();
            xml += &format!(
                "<toponym><phrase>{name}</phrase><start>{start}</start><end>{from}</end><gaztag geonameid=\"1\"><name>{name}</name><lat>{lat}</lat><lon>{lon}</lon><country>{country}</country></gaztag></toponym>\n"
            );
            entities.push(serde_json::json!({"id": format!("m{}", k + 1), "text": name, "label": "LOC", "start": start, "end": from, "score": 0.99}));
        }
        xml += "</toponyms></article>\n";
        jsonl += &serde_json::json!({"id": format!("t{n}"), "meta": {}, "published": null, "entities": entities, "errors": []}).to_string();
        jsonl.push('\n');
    }
    xml += "</articles>\n";
    let (gold, pred) = (dir.join("tiny.xml"), dir.join("tiny.jsonl"));
    write(&gold, &xml);
    write(&pred, &jsonl);
    (gold.to_str().unwrap().to_string(), pred.to_str().unwrap().to_string())
}

#[test]
fn eval_geo_cross_validates_and_trains_the_ranker_on_a_tiny_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let (gold, pred) = tiny_corpus(dir.path());
    let weights = dir.path().join("ranker.tsv");
    let out = run(&["eval", "geo", "--gold", &gold, "--pred", &pred, "--cv", "2", "--train-ranker", weights.to_str().unwrap(), "--json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = lines(&out.stdout);
    let rankers: Vec<&str> = rows.iter().map(|r| r["ranker"].as_str().unwrap()).collect();
    assert_eq!(rankers, ["hand-set", "shipped", "cv-2", "all-data (in-sample)"]);
    for r in &rows {
        assert_eq!(r["corpus"], "tiny");
        assert_eq!(r["recall"].as_f64(), Some(100.0), "every toponym is tagged and in the gazetteer: {r}");
        let auc = r["roc_auc"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&auc));
    }
    let tsv = std::fs::read_to_string(&weights).unwrap();
    assert!(tsv.starts_with("# Weights") && tsv.contains("\ncloseness\t") && tsv.contains("cv-2"), "{tsv}");
    // the weights so written rank the place stage's candidates when resolving again
    let again = run(&["eval", "geo", "--gold", &gold, "--pred", &pred, "--resolve-again", "--ranker", weights.to_str().unwrap(), "--json"], None);
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(lines(&again.stdout)[0]["recall"].as_f64(), Some(100.0));
    // several corpora go in pairs
    let unpaired = run(&["eval", "geo", "--gold", &gold, &gold, "--pred", &pred, "--cv", "2"], None);
    assert_eq!(unpaired.status.code(), Some(2), "{}", String::from_utf8_lossy(&unpaired.stderr));
}
