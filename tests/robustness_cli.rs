//! Nothing lost: bad records, nasty text, kill -9 and --resume, no network.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

#[test]
fn every_bad_record_gets_its_own_error_line_in_order() {
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"id\": \"ok1\", \"text\": \"Vladimir Putin spoke in Moscow.\"}\n");
    input.extend_from_slice(b"{this is not json\n");
    input.extend_from_slice(b"{\"id\": \"nt\", \"title\": \"no text\"}\n");
    input.extend_from_slice(b"{\"id\": \"num\", \"text\": 42}\n");
    input.extend_from_slice(b"{\"id\": \"empty\", \"text\": \"   \"}\n");
    input.extend_from_slice(b"   \n");
    input.extend_from_slice(b"{\"id\": \"bad-utf8\", \"text\": \"Caf\xe9 in Paris\"}\n");
    input.extend_from_slice(b"{\"id\": \"ok1\", \"text\": \"Duplicate id, Berlin.\"}\n");
    input.extend_from_slice(b"{\"id\": \"big\", \"text\": \"0123456789 0123456789\"}\n");
    input.extend_from_slice(b"[\"an\", \"array\"]\n");
    input.extend_from_slice(b"{\"text\": \"Last line without newline, Rome.\"}");
    let out = run(&["extract", "-", "--quiet", "--max-bytes", "20"], Some(&input));
    assert_eq!(out.status.code(), Some(1));
    let ls = lines(&out.stdout);
    let got: Vec<(String, String)> = ls
        .iter()
        .map(|l| {
            let code = l["errors"].get(0).map(|e| e["code"].as_str().unwrap().to_string())
                .or_else(|| l["warnings"].get(0).map(|e| format!("warn:{}", e["code"].as_str().unwrap())))
                .unwrap_or_default();
            (l["id"].as_str().unwrap().to_string(), code)
        })
        .collect();
    let want: Vec<(&str, &str)> = vec![
        ("ok1", "text_too_long"),
        ("2", "invalid_json"),
        ("nt", "missing_text"),
        ("num", "invalid_text"),
        ("empty", "empty_text"),
        ("6", "empty_line"),
        ("bad-utf8", "warn:invalid_utf8"),
        ("ok1", "text_too_long"),
        ("big", "text_too_long"),
        ("10", "invalid_record"),
        ("11", "text_too_long"),
    ];
    let got_ref: Vec<(&str, &str)> = got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(got_ref, want);
    // the duplicate id is reported as a warning too
    assert!(ls[7]["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "duplicate_id"));
    assert_eq!(ls[2]["meta"]["title"], "no text", "a failed record keeps its metadata");
    for l in &ls {
        for e in l["errors"].as_array().unwrap() {
            assert!(!e["message"].as_str().unwrap().is_empty());
        }
    }
}

#[test]
fn nasty_text_never_breaks_offsets() {
    let big: String = (0..1000).map(|i| format!("{} ", "x".repeat(1000 + i % 7))).collect();
    let texts = vec![
        "מחבלים תקפו את ירושלים. Benjamin Netanyahu spoke in Jerusalem. بغداد Baghdad".to_string(),
        "The family 👨\u{200D}👩\u{200D}👧 met Pope Francis in Rome\u{200B} today\u{200D}.".to_string(),
        "Line one in London.\r\nLine two in Paris.\r\n\r\nEnd.".to_string(),
        "NUL\u{0000}byte and \u{0007}bell \u{001B}[0m in Madrid, Spain.".to_string(),
        "<p>Police in <b>Lagos</b>, Nigeria&nbsp;said&amp; <a href=\"x\">more</a></p><script>var x;</script>".to_string(),
        big,
        "\u{FEFF}Tokyo\u{00A0}and\u{2028}Osaka\u{2029}are in Japan.".to_string(),
    ];
    let input: String = texts.iter().enumerate().map(|(i, t)| json!({"id": i, "text": t}).to_string() + "\n").collect();
    assert!(input.len() > 1_000_000, "one line of over 1 MB");
    let out = run(&["extract", "-", "--quiet"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let ls = lines(&out.stdout);
    assert_eq!(ls.len(), texts.len());
    for (l, t) in ls.iter().zip(&texts) {
        assert_offsets(t, l);
    }
    let all: Vec<&str> = ls.iter().flat_map(|l| l["entities"].as_array().unwrap().iter().map(|e| e["text"].as_str().unwrap())).collect();
    for name in ["Jerusalem", "Rome", "London", "Madrid", "Lagos", "Japan"] {
        assert!(all.contains(&name), "{name} not found in {all:?}");
    }
}

fn articles(n: usize) -> String {
    let places = ["Paris", "Berlin", "Madrid", "Rome", "Vienna", "Lisbon", "Warsaw", "Prague"];
    (0..n)
        .map(|i| {
            let p = places[i % places.len()];
            json!({"id": format!("a{i:03}"), "text": format!("Article {i}: the mayor of {p} met officials of the European Union in {p} on Monday. Talks with Germany and France went on. {}", "The session continued with long speeches. ".repeat(6))}).to_string() + "\n"
        })
        .collect()
}

#[test]
fn kill_9_then_resume_completes_without_gap_or_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let n = 80;
    write(&input, &articles(n));
    let full = dir.path().join("full.jsonl");
    let st = bin().args(["extract", input.to_str().unwrap(), "-o", full.to_str().unwrap(), "--quiet", "--chunk-size", "4"]).status().unwrap();
    assert_eq!(st.code(), Some(0));

    let out = dir.path().join("out.jsonl");
    let mut child = bin()
        .args(["extract", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--quiet", "--chunk-size", "4"])
        .stdout(Stdio::null()).stderr(Stdio::null())
        .spawn().unwrap();
    let t0 = Instant::now();
    loop {
        let done = std::fs::read(&out).map(|d| d.iter().filter(|&&b| b == b'\n').count()).unwrap_or(0);
        if done >= 8 || t0.elapsed() > Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Command::new("kill").args(["-9", &child.id().to_string()]).status().unwrap();
    child.wait().unwrap();
    let before = std::fs::read_to_string(&out).unwrap();
    let done = before.lines().count();
    assert!(done < n, "killed before the end ({done} lines)");
    // simulate a torn write as well
    std::fs::write(&out, format!("{before}{{\"id\":\"a0")).unwrap();

    let st = bin().args(["extract", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--quiet", "--chunk-size", "4", "--resume"]).status().unwrap();
    assert_eq!(st.code(), Some(0));
    let ids = |p: &std::path::Path| -> Vec<(String, Value)> {
        lines(&std::fs::read(p).unwrap()).into_iter().map(|l| (l["id"].as_str().unwrap().to_string(), l["entities"].clone())).collect()
    };
    let (got, want) = (ids(&out), ids(&full));
    assert_eq!(got.len(), n);
    let strip = |v: &[(String, Value)]| -> Vec<(String, Vec<(u64, u64, String)>)> {
        v.iter().map(|(id, es)| (id.clone(), es.as_array().unwrap().iter().map(|e| (e["start"].as_u64().unwrap(), e["end"].as_u64().unwrap(), e["label"].as_str().unwrap().to_string())).collect())).collect()
    };
    assert_eq!(strip(&got), strip(&want), "resumed output equals an uninterrupted run");

    // resuming against other inputs is refused
    let other = dir.path().join("other.jsonl");
    write(&other, &articles(n).replace("\"a0", "\"b0"));
    let o = bin().args(["extract", other.to_str().unwrap(), "-o", out.to_str().unwrap(), "--quiet", "--resume"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
#[ignore = "needs unshare -n"]
fn extraction_needs_no_network() {
    // `unshare -n` gives the process a network namespace with no interfaces.
    let probe = Command::new("unshare").args(["-n", "true"]).status();
    assert!(probe.is_ok_and(|s| s.success()), "this test needs `unshare -n` (root or user namespaces), which is not permitted here");
    let mut cmd = Command::new("unshare");
    cmd.arg("-n").arg(env!("CARGO_BIN_EXE_newsner")).args(["extract", "-", "--quiet"]).current_dir(root());
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"{\"id\": \"n\", \"text\": \"Angela Merkel flew to Madrid.\"}\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let l = &lines(&out.stdout)[0];
    assert!(l["entities"].as_array().unwrap().iter().any(|e| e["text"] == "Madrid"));
}

#[test]
fn model_configs_that_would_panic_are_exit_2_naming_the_field() {
    let shipped = root().join("models/ner-conll-minilm");
    let config: Value = serde_json::from_str(&std::fs::read_to_string(shipped.join("config.json")).unwrap()).unwrap();
    for (field, value) in [("num_attention_heads", json!(0)), ("num_attention_heads", json!(5)), ("vocab_size", json!(1_000_000_000_000u64))] {
        let dir = tempfile::tempdir().unwrap();
        let mut c = config.clone();
        c[field] = value.clone();
        write(&dir.path().join("config.json"), &c.to_string());
        std::fs::copy(shipped.join("tokenizer.json"), dir.path().join("tokenizer.json")).unwrap();
        std::os::unix::fs::symlink(shipped.join("model.safetensors"), dir.path().join("model.safetensors")).unwrap();
        let o = run(&["extract", "-", "--quiet", "--model", dir.path().to_str().unwrap()], Some(b"{\"text\": \"Paris.\"}\n"));
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{field} = {value}: {err}");
        assert!(err.contains(field) && err.contains(dir.path().to_str().unwrap()), "{err}");
    }
}


/// Runs `cmd` with stdout piped, reading at most `max_lines` lines: a run
/// that would write without end (one error line per line number of a broken
/// stream) fails here instead of filling the disk.
fn bounded_lines(mut cmd: Command, max_lines: usize) -> (Option<i32>, Vec<Value>, String) {
    use std::io::{BufRead, BufReader, Read};
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut got = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        got.push(serde_json::from_str(&line.unwrap()).expect("every output line is JSON"));
        if got.len() > max_lines {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("more than {max_lines} lines: the run does not end");
        }
    }
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    (child.wait().unwrap().code(), got, err)
}

#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().unwrap();
    let x = dir.path().join("x.jsonl");
    write(&x, &articles(3));
    let (sym, hard) = (dir.path().join("sym.jsonl"), dir.path().join("hard.jsonl"));
    std::os::unix::fs::symlink(&x, &sym).unwrap();
    std::fs::hard_link(&x, &hard).unwrap();
    let x_str = x.to_str().unwrap();
    let dotted = format!("{}/./x.jsonl", dir.path().display());
    for out in [x_str, sym.to_str().unwrap(), hard.to_str().unwrap(), &dotted] {
        for resume in [false, true] {
            let mut args = vec!["extract", x_str, "-o", out, "--quiet"];
            args.extend(resume.then_some("--resume"));
            let o = run(&args, None);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            assert!(String::from_utf8_lossy(&o.stderr).contains("would wipe the input"), "{}", String::from_utf8_lossy(&o.stderr));
            assert_eq!(std::fs::read_to_string(&x).unwrap(), articles(3), "{args:?} left the input as it was");
        }
    }
    // stdin redirected from the output file
    let o = bin().args(["extract", "-", "-o", x_str, "--quiet"]).stdin(std::fs::File::open(&x).unwrap()).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    // the other subcommands that write a file
    for args in [
        vec!["merge", x_str, "-o", hard.to_str().unwrap()],
        vec!["export", "muc4", x_str, "-o", sym.to_str().unwrap()],
        vec!["render", x_str, "-o", hard.to_str().unwrap()],
    ] {
        assert_eq!(run(&args, None).status.code(), Some(2), "{args:?}");
    }
    assert_eq!(std::fs::read_to_string(&x).unwrap(), articles(3));
}

#[test]
fn a_read_error_ends_its_input_after_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("t.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut enc, articles(60).as_bytes()).unwrap();
    let whole = enc.finish().unwrap();
    std::fs::write(&gz, &whole[..whole.len() / 2]).unwrap();
    let mut cmd = bin();
    cmd.args(["extract", gz.to_str().unwrap(), "--quiet", "--ner-only"]).stdin(Stdio::null());
    let (code, ls, _) = bounded_lines(cmd, 100);
    assert_eq!(code, Some(1));
    let (last, before) = ls.split_last().unwrap();
    assert!(!before.is_empty());
    assert_eq!(codes(last), ["read_error"]);
    assert!(before.iter().all(|l| codes(l).is_empty()), "the records before the break are processed");

    // stdin that is a folder
    let mut cmd = bin();
    cmd.args(["extract", "-", "--quiet"]).stdin(std::fs::File::open(dir.path()).unwrap());
    let (code, ls, _) = bounded_lines(cmd, 100);
    assert_eq!((code, ls.len()), (Some(1), 1));
    assert_eq!(codes(&ls[0]), ["read_error"]);

    // the review page cannot be complete: a clear error, not a spin
    let annotated = dir.path().join("a.jsonl");
    write(&annotated, &articles(2));
    let out = dir.path().join("review.html");
    let o = run(&["render", annotated.to_str().unwrap(), "--input", gz.to_str().unwrap(), "-o", out.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("t.jsonl.gz") && err.contains("not read"), "{err}");
}

#[test]
fn folder_walks_survive_loops_fifos_and_unreadable_folders() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("articles");
    std::fs::create_dir_all(folder.join("sub")).unwrap();
    std::fs::create_dir_all(folder.join("locked")).unwrap();
    write(&folder.join("a.txt"), "Angela Merkel visited Paris.");
    write(&folder.join("sub/b.txt"), "Joe Biden flew to Madrid.");
    write(&folder.join("locked/c.txt"), "Rome.");
    symlink(".", folder.join("s1")).unwrap();
    symlink(".", folder.join("s2")).unwrap();
    symlink("..", folder.join("sub/up")).unwrap();
    assert!(Command::new("mkfifo").arg(folder.join("pipe")).status().unwrap().success());
    std::fs::set_permissions(folder.join("locked"), std::fs::Permissions::from_mode(0)).unwrap();
    // root reads any folder: drop that privilege for the run if we have it
    let mut cmd = if std::fs::read_dir(folder.join("locked")).is_ok() {
        let setpriv = Command::new("setpriv").arg("--version").output().is_ok_and(|o| o.status.success());
        assert!(setpriv, "running as root, this test needs setpriv (util-linux) to make an unreadable folder");
        let mut c = Command::new("setpriv");
        c.args(["--bounding-set=-dac_override,-dac_read_search", env!("CARGO_BIN_EXE_newsner")]);
        c
    } else {
        bin()
    };
    cmd.args(["extract", folder.to_str().unwrap(), "--quiet", "--ner-only"]).current_dir(root()).stdin(Stdio::null());
    let (code, ls, err) = bounded_lines(cmd, 20);
    std::fs::set_permissions(folder.join("locked"), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, Some(1), "{err}");
    let got: Vec<(&str, Vec<&str>)> = ls.iter().map(|l| (l["id"].as_str().unwrap(), codes(l))).collect();
    assert_eq!(got, vec![("a.txt", vec![]), ("locked", vec!["read_error"]), ("pipe", vec!["not_a_file"]), ("sub/b.txt", vec![])]);
}

fn codes(l: &Value) -> Vec<&str> {
    l["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect()
}

#[test]
fn a_byte_order_mark_does_not_lose_the_first_record() {
    let input = "\u{FEFF}{\"id\": \"first\", \"text\": \"Angela Merkel visited Paris.\"}\n{\"id\": \"second\", \"text\": \"Rome.\"}\n";
    let out = run(&["extract", "-", "--quiet", "--ner-only"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let ls = lines(&out.stdout);
    assert_eq!(ls[0]["id"], "first");
    assert_offsets("Angela Merkel visited Paris.", &ls[0]);
    assert_eq!(ls[0]["entities"][0]["start"], 0);
}


#[test]
fn lone_surrogates_and_huge_numbers_keep_the_record() {
    let input = concat!(
        "{\"id\": \"s\", \"text\": \"Angela Merkel visited Paris.\", \"note\": \"cut emoji \\ud83d\"}\n",
        "{\"id\": \"n\", \"text\": \"Joe Biden flew to Madrid.\", \"score\": 1e400}\n",
        "{\"id\": \"t\", \"text\": \"A half \\udc00 in Rome.\"}\n",
    );
    let out = run(&["extract", "-", "--quiet", "--ner-only"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let ls = lines(&out.stdout);
    let ids: Vec<&str> = ls.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["s", "n", "t"]);
    for l in &ls {
        assert!(codes(l).is_empty() && l["warnings"][0]["code"] == "lossy_json", "{l}");
        assert!(!l["entities"].as_array().unwrap().is_empty(), "{l}");
    }
    assert_eq!(ls[0]["meta"]["note"], "cut emoji \u{FFFD}");
    assert_eq!(ls[1]["meta"]["score"], "1e400");
    assert_offsets("A half \u{FFFD} in Rome.", &ls[2]);
}

#[test]
fn zero_and_absurd_sizes_are_usage_errors() {
    for flag in ["--max-len", "--batch-size", "--chunk-size", "--threads", "--torch-threads", "--max-bytes"] {
        let o = run(&["extract", "-", "--quiet", flag, "0"], Some(b"{\"text\": \"Paris.\"}\n"));
        assert_eq!(o.status.code(), Some(2), "{flag} 0");
        assert!(String::from_utf8_lossy(&o.stderr).contains(flag), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(run(&["extract", "-", "--quiet", "--max-len", "2"], Some(b"{\"text\": \"Paris.\"}\n")).status.code(), Some(2));
}

#[test]
fn eval_refuses_empty_gold_and_predictions_for_other_documents() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    write(&empty, "");
    let gold = root().join("tests/fixtures/muc4/gold.jsonl");
    let other = dir.path().join("other.jsonl");
    write(&other, "{\"docid\": \"NOT-IN-GOLD\", \"extracts\": {}}\n");
    for (args, says) in [
        (vec!["eval", "ner", "--gold", empty.to_str().unwrap()], "no gold"),
        (vec!["eval", "muc4", "--gold", empty.to_str().unwrap(), "--pred", gold.to_str().unwrap()], "no gold"),
        (vec!["eval", "muc4", "--gold", gold.to_str().unwrap(), "--pred", other.to_str().unwrap()], "none of the ids"),
        (vec!["eval", "incidents", "--keys", empty.to_str().unwrap(), "--pred", other.to_str().unwrap()], "no gold"),
    ] {
        let o = run(&args, None);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn a_full_disk_names_the_output() {
    assert!(std::path::Path::new("/dev/full").exists(), "this test needs /dev/full (Linux)");
    let o = run(&["extract", "-", "--quiet", "--ner-only", "-o", "/dev/full"], Some(b"{\"text\": \"Paris.\"}\n"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("/dev/full"), "{err}");
}

/// Starts a run and kills it (-9) once at least `at_least` lines are written.
fn interrupted_run(args: &[&str], out: &std::path::Path, at_least: usize) {
    let mut child = bin().args(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    loop {
        let done = std::fs::read(out).map(|d| d.iter().filter(|&&b| b == b'\n').count()).unwrap_or(0);
        if done >= at_least || child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Command::new("kill").args(["-9", &child.id().to_string()]).status().unwrap();
    child.wait().unwrap();
}

#[test]
fn resume_refuses_a_run_started_otherwise_and_checks_every_line() {
    let dir = tempfile::tempdir().unwrap();
    let n = 80;
    // no ids: the ids are line numbers, so only the run record tells files apart
    let no_ids = |s: String| -> String {
        s.lines().map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            v.as_object_mut().unwrap().remove("id");
            v.to_string() + "\n"
        }).collect()
    };
    let body = format!("{{not json\n{}", no_ids(articles(n - 1)));
    let input = dir.path().join("in.jsonl");
    write(&input, &body);
    let (inp, out) = (input.to_str().unwrap(), dir.path().join("out.jsonl"));
    let out_s = out.to_str().unwrap();
    let full = dir.path().join("full.jsonl");
    let st = bin().args(["extract", inp, "-o", full.to_str().unwrap(), "--quiet", "--chunk-size", "4"]).status().unwrap();
    assert_eq!(st.code(), Some(1), "line 1 is not JSON");
    assert!(!dir.path().join("full.jsonl.resume.json").exists(), "a finished run leaves no run record");

    interrupted_run(&["extract", inp, "-o", out_s, "--quiet", "--chunk-size", "4"], &out, 8);
    let partial = std::fs::read(&out).unwrap();
    let done = partial.iter().filter(|&&b| b == b'\n').count();
    assert!(done < n, "killed before the end ({done} lines)");
    let sidecar = dir.path().join("out.jsonl.resume.json");
    assert!(sidecar.exists());

    let other = dir.path().join("other.jsonl");
    write(&other, &body.replace("mayor", "major"));
    let refused = |args: &[&str], says: &str| {
        let before = std::fs::read_to_string(&out).unwrap();
        let o = run(&[&["extract", "-o", out_s, "--quiet", "--resume"], args].concat(), None);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(std::fs::read_to_string(&out).unwrap() == before, "{args:?} changed the output");
    };
    refused(&[other.to_str().unwrap()], "the inputs were");
    refused(&[inp, "--ner-only"], "--ner-only was false then, true now");
    refused(&[inp, "--max-len", "64"], "--max-len was 256 then, 64 now");
    std::fs::copy(&input, dir.path().join("saved")).unwrap();
    std::fs::copy(&other, &input).unwrap();
    refused(&[inp], "changed since");
    std::fs::copy(dir.path().join("saved"), &input).unwrap();
    // every line's id is checked, not only the last one's
    let text = String::from_utf8(partial.clone()).unwrap();
    std::fs::write(&out, text.replacen("\"id\":\"3\"", "\"id\":\"x\"", 1)).unwrap();
    let o = run(&["extract", inp, "-o", out_s, "--quiet", "--resume"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains(":3:"), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::write(&out, &partial).unwrap();

    let o = run(&["extract", inp, "-o", out_s, "--quiet", "--chunk-size", "4", "--resume"], None);
    assert_eq!(o.status.code(), Some(1), "the error of line 1, written before the resume, still counts: {}", String::from_utf8_lossy(&o.stderr));
    let ents = |p: &std::path::Path| -> Vec<(String, usize)> {
        lines(&std::fs::read(p).unwrap()).iter().map(|l| (l["id"].as_str().unwrap().to_string(), l["entities"].as_array().unwrap().len())).collect()
    };
    assert_eq!(ents(&out), ents(&full));
    assert!(!sidecar.exists());
    refused(&[inp], "no ");
}
