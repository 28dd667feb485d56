//! End-to-end tests of `newsner merge` on what `newsner extract` really
//! writes for small articles (tests/fixtures/merge/articles.jsonl) that report
//! one market bombing three ways (12 killed / "at least 15" on "Friday" / 14
//! killed in "Charsadda district"), a checkpoint attack either side of
//! midnight at a month end, and incidents that must stay apart: the same day
//! in Kabul, a week later in Peshawar, another group's bomb the same day in
//! Peshawar, and an article with no incident at all.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;
use serde_json::Value;

/// The fixture articles annotated once by the real extract (shipped model).
fn annotated() -> &'static Path {
    static ANNOTATED: OnceLock<PathBuf> = OnceLock::new();
    ANNOTATED.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("merge-fixture.annotated.jsonl");
        let out = run(&["extract", "tests/fixtures/merge/articles.jsonl", "-o", path.to_str().unwrap(), "--quiet"], None);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        path
    })
}

fn sources(line: &Value) -> Vec<&str> {
    line["sources"].as_array().unwrap().iter().map(|s| s["incident"].as_str().unwrap()).collect()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn merge_one_record_per_incident_with_reconciled_tolls() {
    let dir = tempfile::tempdir().unwrap();
    let merged = dir.path().join("incidents.jsonl");
    let out = run(&["merge", annotated().to_str().unwrap(), "-o", merged.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("merge: 1 input, 9 articles, 8 incidents in, 5 merged records out, 0 errors"), "{}", stderr(&out));
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["incidents.jsonl"], "the work folder beside the output is gone");

    let lines = lines(&std::fs::read(&merged).unwrap());
    let summary: Vec<(&str, &str, &str, Vec<&str>)> = lines
        .iter()
        .map(|l| (l["date"]["value"].as_str().unwrap(), l["location"]["country"].as_str().unwrap(), l["type"].as_str().unwrap(), sources(l)))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("2024-05-10", "AF", "bombing", vec!["kabul-market#1"]),
            ("2024-05-10", "PK", "bombing", vec!["peshawar-bus-station#1"]),
            ("2024-05-10", "PK", "bombing", vec!["peshawar-wire#1", "peshawar-daily#1", "charsadda-followup#1"]),
            ("2024-05-17", "PK", "bombing", vec!["peshawar-week-later#1"]),
            ("2024-05-31", "PK", "armed_assault", vec!["quetta-night#1", "quetta-morning#1"]),
        ],
        "ordered by date, country, first source; the cricket article adds nothing"
    );

    let market = &lines[2];
    assert_eq!(market["id"], "peshawar-wire#1");
    assert_eq!(market["location"]["city"], "Peshawar", "the city two of three sources name");
    assert_eq!(market["perpetrator_organizations"][0]["name"], "Pakistani Taliban");
    let killed = &market["casualties"]["killed"];
    assert_eq!((killed["value"].as_u64(), killed["approx"].as_bool()), (Some(14), Some(false)), "largest exact figure, not 'at least 15'");
    assert_eq!(killed["rule"], "max_exact");
    assert_eq!(killed["conflict"], true);
    let reports: Vec<(&str, u64, bool, &str)> = killed["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["article"].as_str().unwrap(), r["value"].as_u64().unwrap(), r["approx"].as_bool().unwrap(), r["text"].as_str().unwrap()))
        .collect();
    assert_eq!(reports, [("peshawar-wire", 12, false, "12"), ("peshawar-daily", 15, true, "At least 15"), ("charsadda-followup", 14, false, "14")]);
    assert_eq!(market["casualties"]["injured"]["value"], 41);
    let dates: Vec<&str> = market["sources"].as_array().unwrap().iter().map(|s| s["date"]["text"].as_str().unwrap()).collect();
    assert_eq!(dates, ["May 10", "Friday", "Friday"]);
    assert_eq!(market["sources"][2]["location"]["city"], "Charsadda");

    // Every source carries its incident's evidence spans, as extract wrote them.
    let text = std::fs::read_to_string(annotated()).unwrap();
    let article_lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    for line in &lines {
        for s in line["sources"].as_array().unwrap() {
            let article = article_lines.iter().find(|a| a["id"] == s["article"]).unwrap();
            let incident = article["incidents"].as_array().unwrap().iter().find(|i| i["id"] == s["incident"]).unwrap();
            assert_eq!(s["evidence"], incident["evidence"]);
        }
    }

    let quetta = &lines[4];
    assert_eq!(quetta["date"]["value"], "2024-05-31", "late Friday and June 1 meet across the month end; the earlier date is kept");
    assert_eq!(quetta["casualties"]["killed"]["value"], 6);
}

#[test]
fn merge_reports_malformed_lines_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.jsonl");
    write(&broken, "{\"id\": \"torn\", \"incidents\": [{\"id\": \"torn#1\", \"ty\nnot json at all\n");
    let annotated = std::fs::read(annotated()).unwrap();
    let out = run(&["merge", broken.to_str().unwrap(), "-"], Some(&annotated));
    assert_eq!(out.status.code(), Some(1), "errors give exit code 1: {}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("broken.jsonl:1: not valid JSON"), "{err}");
    assert!(err.contains("broken.jsonl:2: not valid JSON"), "{err}");
    assert!(err.contains("merge: 2 inputs, 9 articles, 8 incidents in, 5 merged records out, 2 errors"), "{err}");
    assert_eq!(lines(&out.stdout).len(), 5, "stdin's records are all merged");
}

#[test]
fn merge_output_is_the_same_whatever_the_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(annotated()).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    let join = |part: Vec<&&str>| part.iter().rev().map(|l| format!("{l}\n")).collect::<String>();
    let (even, odd) = (rows.iter().step_by(2).collect(), rows.iter().skip(1).step_by(2).collect());
    let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"));
    write(&a, &join(even));
    write(&b, &join(odd));
    let whole = run(&["merge", annotated().to_str().unwrap()], None);
    let ab = run(&["merge", a.to_str().unwrap(), b.to_str().unwrap()], None);
    let ba = run(&["merge", b.to_str().unwrap(), a.to_str().unwrap(), "--temp-dir", dir.path().to_str().unwrap()], None);
    assert_eq!(whole.status.code(), Some(0), "{}", stderr(&whole));
    assert!(!whole.stdout.is_empty());
    assert_eq!(ab.stdout, whole.stdout);
    assert_eq!(ba.stdout, whole.stdout);
}

#[test]
fn merge_usage_errors_exit_2() {
    let out = run(&["merge", "no/such/annotated.jsonl"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no/such/annotated.jsonl"), "{}", stderr(&out));
    let dir = tempfile::tempdir().unwrap();
    let same = dir.path().join("x.jsonl");
    write(&same, "");
    let out = run(&["merge", same.to_str().unwrap(), "-o", same.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is also an input"), "{}", stderr(&out));
}

/// Reports without a publication date: one gives its place only in the
/// dateline, one its date only in a header line under the headline. With
/// the daily that has both, they are one bombing; a wedding-hall attack in
/// the same city four days later stays apart. Each joined record says which
/// fields agreed.
#[test]
fn dateline_and_header_date_reports_join_and_a_later_attack_stays_apart() {
    let dir = tempfile::tempdir().unwrap();
    let annotated = dir.path().join("dateline.annotated.jsonl");
    let out = run(&["extract", "tests/fixtures/merge/dateline.jsonl", "-o", annotated.to_str().unwrap(), "--quiet"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let web = lines(&std::fs::read(&annotated).unwrap()).into_iter().find(|l| l["id"] == "kabul-web").unwrap();
    assert_eq!(web["incidents"][0]["date"]["value"], "2024-05-10", "'Friday' counted back from the header date");

    let merged = dir.path().join("merged.jsonl");
    let out = run(&["merge", annotated.to_str().unwrap(), "-o", merged.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = lines(&std::fs::read(&merged).unwrap());
    let groups: Vec<Vec<&str>> = lines.iter().map(sources).collect();
    assert_eq!(groups, [vec!["kabul-daily#1", "kabul-web#1", "kabul-wire#1"], vec!["kabul-wedding#1"]]);
    let bombing = &lines[0];
    assert_eq!(bombing["location"]["city"], "Kabul");
    let links = bombing["merge"]["links"].as_array().unwrap();
    assert_eq!(links.len(), 2, "two links join three sources");
    let wire = links.iter().find(|l| l["to"] == "kabul-wire#1").unwrap();
    let agreed: Vec<&str> = wire["agreed"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert!(agreed.contains(&"day") && agreed.contains(&"country") && agreed.contains(&"perpetrator"), "{agreed:?}");
    let confidence = bombing["merge"]["confidence"].as_f64().unwrap();
    assert!(confidence > 0.5 && confidence < 1.0, "{confidence}");
    assert_eq!(lines[1]["merge"], Value::Null, "a single report has no merge evidence");
}

#[test]
fn merge_refuses_a_torn_part_file_and_leaves_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(annotated()).unwrap();
    let torn = dir.path().join("part-3.jsonl");
    write(&torn, &text[..text.len() - 40]);
    let merged = dir.path().join("incidents.jsonl");
    let out = run(&["merge", annotated().to_str().unwrap(), torn.to_str().unwrap(), "-o", merged.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("part-3.jsonl: line 9 does not end in a newline"), "{}", stderr(&out));
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["part-3.jsonl"], "no output, partial file or work folder is left behind");

    // a failure before any input is read leaves an earlier result as it was
    write(&merged, "earlier result\n");
    let missing = dir.path().join("no-such-folder");
    let out = run(&["merge", annotated().to_str().unwrap(), "-o", merged.to_str().unwrap(), "--temp-dir", missing.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&merged).unwrap(), "earlier result\n");
    std::fs::remove_file(&merged).unwrap();
    let out = run(&["merge", annotated().to_str().unwrap(), "-o", merged.to_str().unwrap(), "--temp-dir", missing.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!merged.exists(), "no empty -o file");
}

/// `-o` through a link (as `/dev/stdout` is) or into a pipe writes the
/// records where it points: renaming a finished temporary file over it, as a
/// plain file gets, would put a file in the link's (or device's) place, and
/// `-o /dev/null` run as root would replace the null device.
#[test]
fn merge_writes_through_a_link_or_a_pipe_instead_of_replacing_it() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("records.jsonl");
    let link = dir.path().join("latest.jsonl");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = run(&["merge", annotated().to_str().unwrap(), "-o", link.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.lines().count() >= 2 && written.lines().all(|l| serde_json::from_str::<Value>(l).is_ok()), "{written}");

    let fifo = dir.path().join("pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = run(&["merge", annotated().to_str().unwrap(), "-o", fifo.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(reader.join().unwrap(), written, "the pipe gets the same records");
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&std::fs::symlink_metadata(&fifo).unwrap().file_type()), "the pipe stays a pipe");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(names.len(), 3, "no partial file or work folder is left: {names:?}");
}
