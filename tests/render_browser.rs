//! The review page checked in a real browser: headless Chromium runs the
//! page's script, and its DOM dump shows whether the highlights, cards and
//! pager came out and whether any script error fired (the page counts them
//! into `data-errors`). Skipped, with a message, when Chromium is absent.
//!
//! `NEWSNER_SCREENSHOT=docs/review.png` also keeps the screenshot there.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use newsner::render::render_html;
use serde_json::{json, Value};

fn chromium() -> Option<PathBuf> {
    let fixed = PathBuf::from("/usr/bin/chromium");
    if fixed.exists() {
        return Some(fixed);
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
        .find(|p| p.is_file())
}

/// Runs Chromium on `url`; returns (stdout, stderr). Killed after 120 s so a
/// hung browser fails the test instead of hanging it.
fn run(bin: &Path, args: &[String], url: &str) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            r.read_to_string(&mut s).ok();
            s
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (out.join().unwrap(), err.join().unwrap())
}

/// The DOM after the page's script ran, checked for script errors.
fn dom(bin: &Path, page: &Path, hash: &str) -> String {
    let url = format!("file://{}{hash}", page.display());
    let (dom, log) = run(bin, &["--dump-dom".into(), "--virtual-time-budget=2000".into()], &url);
    assert!(dom.contains("data-ready=\"1\""), "the page's script did not finish ({url}):\n{log}");
    assert!(dom.contains("data-errors=\"0\""), "script errors on {url}:\n{log}");
    for line in log.lines() {
        assert!(!line.contains("Uncaught") && !line.contains(":CONSOLE"), "console output on {url}: {line}");
    }
    dom
}

/// `[start, end)` in code points of the `nth` occurrence of `needle`.
fn at(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let b = text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("{needle:?} not in the text")).0;
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

fn ents(text: &str, found: &[(&str, &str, usize)]) -> Value {
    let list: Vec<Value> = found
        .iter()
        .enumerate()
        .map(|(i, (needle, label, nth))| {
            let (s, e) = at(text, needle, *nth);
            json!({"id": format!("m{}", i + 1), "text": needle, "label": label, "start": s, "end": e, "score": 0.97})
        })
        .collect();
    Value::Array(list)
}

fn span(text: &str, needle: &str) -> Value {
    let (s, e) = at(text, needle, 0);
    json!({"text": needle, "start": s, "end": e})
}

const CAFE: &str = "PORT AUREL, 6 May 2031 — Gunmen stormed the Café Zélie in Port Aurel 🎭 on Saturday night, \
killing about 12 guests and wounding 30, police said. The Crimson Hand claimed the attack in a message to a local \
radio station.\n\nTwo weeks earlier, on April 20, a car bomb outside the Hôtel Miramar in Santa Brisa killed three \
soldiers. No group has said it was behind that blast.";

const DAM: &str = "LOS ALAMEDA, 14 June 2031 — Two engineers working for Hidroval were kidnapped on Thursday near the \
Río Claro dam, the regional governor said. Police blamed the Frente del Valle, which has not commented.";

const COUNCIL: &str = "😄 Members of the Nordby council voted on Tuesday to rename Kirkegade after the poet Åse Lind. \
The motion's footnote read </script><script>document.body.dataset.pwned=1</script> — a joke, its author said.";

/// Three hand-written articles (one whose text comes from the original
/// input, with markup in it) and 22 short bulletins: 25, so two pages.
fn lines() -> (Vec<Value>, HashMap<String, String>) {
    let evidence = |a: &str, b: &str| {
        let (s, _) = at(CAFE, a, 0);
        let (_, e) = at(CAFE, b, 0);
        json!({"start": s, "end": e})
    };
    let cafe = json!({
        "id": "harbour-2031", "text": CAFE, "published": "2031-05-06",
        "meta": {"title": "Gunmen storm café in Port Aurel 🎭", "url": "https://example.org/news/harbour"},
        "entities": ents(CAFE, &[("Café Zélie", "LOC", 0), ("Port Aurel", "LOC", 0), ("Crimson Hand", "ORG", 0),
                                 ("Hôtel Miramar", "LOC", 0), ("Santa Brisa", "LOC", 0)]),
        "clusters": [{"id": "c1", "name": "Crimson Hand", "label": "ORG", "mentions": ["m3"]}],
        "incidents": [
            {"id": "harbour-2031#1", "type": "armed_assault",
             "date": {"text": "Saturday night", "value": "2031-05-03", "precision": "day"},
             "location": {"text": "Port Aurel", "city": "Port Aurel", "country": "FR", "lat": 43.3, "lon": 5.4},
             "perpetrator_organizations": [{"name": "Crimson Hand", "cluster": "c1", "claimed": true}],
             "perpetrator_individuals": [{"text": "Gunmen", "count": null}],
             "targets": [span(CAFE, "Café Zélie")], "victims": [span(CAFE, "guests")], "weapons": [],
             "casualties": {"killed": {"value": 12, "approx": true}, "injured": {"value": 30, "approx": false}},
             "evidence": [evidence("Gunmen", "radio station.")], "confidence": 0.82},
            {"id": "harbour-2031#2", "type": "bombing",
             "date": {"text": "April 20", "value": "2031-04-20", "precision": "day"},
             "location": {"text": "Santa Brisa", "city": "Santa Brisa", "country": "ES"},
             "targets": [{"text": "Hôtel Miramar"}], "victims": [span(CAFE, "three soldiers")],
             "weapons": [span(CAFE, "car bomb")],
             "casualties": {"killed": {"value": 3, "approx": false}},
             "evidence": [evidence("Two weeks", "blast.")], "confidence": 0.64}
        ],
        "errors": []
    });
    let council = json!({
        "id": "council-7", "published": null,
        "meta": {"title": "Council </script><img src=x onerror=\"document.body.dataset.pwned=1\"> vote"},
        "entities": ents(COUNCIL, &[("Nordby", "LOC", 0), ("Kirkegade", "LOC", 0), ("Åse Lind", "PER", 0)]),
        "clusters": [], "incidents": [], "errors": []
    });
    let (s, _) = at(DAM, "Two engineers", 0);
    let dam = json!({
        "id": "dam-2031", "text": DAM, "published": "2031-06-14", "meta": {"title": "Engineers kidnapped near Río Claro dam"},
        "entities": ents(DAM, &[("Hidroval", "ORG", 0), ("Río Claro", "LOC", 0), ("Frente del Valle", "ORG", 0)]),
        "clusters": [{"id": "c1", "name": "Frente del Valle", "label": "ORG", "mentions": ["m3"]}],
        "incidents": [{"id": "dam-2031#1", "type": "kidnapping",
            "date": {"text": "Thursday", "value": "2031-06-12", "precision": "day"},
            "location": {"text": "Río Claro", "country": "PE"},
            "perpetrator_organizations": [{"name": "Frente del Valle", "cluster": "c1", "claimed": false}],
            "victims": [span(DAM, "Two engineers")], "targets": [span(DAM, "Hidroval")],
            "evidence": [{"start": s, "end": DAM.chars().count()}], "confidence": 0.71}],
        "errors": []
    });
    let mut lines = vec![cafe, dam, council];
    for i in 0..22 {
        let text = format!("District bulletin {i}: the library in Vesterby opens at nine on weekdays.");
        lines.push(json!({"id": format!("bulletin-{i}"), "text": text, "entities": ents(&text, &[("Vesterby", "LOC", 0)]),
                          "incidents": [], "errors": []}));
    }
    (lines, HashMap::from([("council-7".to_string(), COUNCIL.to_string())]))
}

#[test]
fn review_page_in_headless_chromium() {
    let Some(bin) = chromium() else {
        eprintln!("SKIP review_page_in_headless_chromium: no chromium (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("review.html");
    let (lines, texts) = lines();
    std::fs::write(&page, render_html(&lines, &texts).unwrap()).unwrap();

    let d = dom(&bin, &page, "");
    assert!(!d.contains("data-pwned"), "markup in the data ran");
    assert_eq!(d.matches("<article class=\"doc\"").count(), 20, "one page of 20 articles");
    assert!(d.contains("articles 1–20 of 25 · page 1 of 2"));
    // highlights, with the right text even after emoji (code points vs UTF-16)
    assert!(d.contains("Café Zélie</span><span class=\"lbl\">LOC</span></mark>"), "slot-covered entity");
    assert!(d.contains("data-label=\"LOC\" title=\"LOC · 0.97 · m2\""));
    assert!(d.contains("Port Aurel</span><span class=\"lbl\">LOC</span></mark>"), "entity after an emoji and a slot");
    assert!(d.contains("Crimson Hand</span><span class=\"lbl\">ORG</span></mark>"));
    assert!(d.contains(">Åse Lind<span class=\"lbl\">PER</span></mark>"), "entity after an emoji");
    assert!(d.contains(">Kirkegade<span class=\"lbl\">LOC</span></mark>"));
    // markup in text and title is shown as text
    assert!(d.contains("&lt;/script&gt;&lt;script&gt;document.body.dataset.pwned=1&lt;/script&gt;"));
    assert!(d.contains("Council &lt;/script&gt;&lt;img src=x"));
    // cards and their slots
    assert_eq!(d.matches("<section class=\"card\"").count(), 3);
    for slot in ["armed assault", "bombing", "≈12 killed", "30 injured", "2031-05-03 (day)", "Hôtel Miramar", "Port Aurel, FR · 43.30, 5.40"] {
        assert!(d.contains(slot), "card text {slot:?} missing");
    }
    assert!(d.contains("<small>claimed</small>"));

    // a deep link from an incident row opens its evidence
    let d = dom(&bin, &page, "#inc=harbour-2031%232");
    assert!(d.contains("<section class=\"card on\" data-inc=\"harbour-2031#2\">"));
    assert!(d.contains("class=\"sp ev\""), "evidence highlighted");
    let hotel = d.find(">Hôtel Miramar</span><span class=\"lbl\">").expect("Hôtel Miramar marked");
    assert!(d[..hotel].rsplit("<span").next().unwrap().contains("class=\"sp ev\""), "the evidence covers the target");

    // a click on a slot marks its own text on top of the incident's evidence
    let clicked = dir.path().join("clicked.html");
    let click = "<script>[...document.querySelectorAll('button.slot')].find((b) => b.textContent === 'Café Zélie').click();</script>\n</body>";
    std::fs::write(&clicked, std::fs::read_to_string(&page).unwrap().replace("</body>", click)).unwrap();
    let d = dom(&bin, &clicked, "");
    let cafe = d.find(">Café Zélie</span><span class=\"lbl\">").expect("Café Zélie marked");
    assert!(d[..cafe].rsplit("<span").next().unwrap().contains("class=\"sp ev hl\""), "slot and evidence highlighted");
    assert_eq!(d.matches(" hl\"").count(), 1, "only the clicked slot's text");
    assert!(d.contains("<button class=\"slot on\" type=\"button\" title=\"show in the text\">Café Zélie</button>"));
    assert!(d.contains("<section class=\"card on\" data-inc=\"harbour-2031#1\">"));

    // pagination and filters restored from the URL
    let d = dom(&bin, &page, "#p=2");
    assert!(d.contains("articles 21–25 of 25 · page 2 of 2"));
    assert_eq!(d.matches("<article class=\"doc\"").count(), 5);
    let d = dom(&bin, &page, "#t=bombing&c=ES");
    assert!(d.contains("articles 1–1 of 1") && d.contains("data-id=\"harbour-2031\""));
    let d = dom(&bin, &page, "#t=bombing&c=FR");
    assert!(d.contains("No article matches these filters."), "type and country must hold for the same incident");
    let d = dom(&bin, &page, "#q=VESTERBY");
    assert!(d.contains("of 22 ·"));

    let shot = dir.path().join("review.png");
    let (_, log) = run(
        &bin,
        &[format!("--screenshot={}", shot.display()), "--window-size=1280,860".into(), "--hide-scrollbars".into()],
        &format!("file://{}#inc=harbour-2031%231", page.display()),
    );
    let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot ({e}):\n{log}"));
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "screenshot looks empty");
    if let Some(keep) = std::env::var_os("NEWSNER_SCREENSHOT") {
        std::fs::write(&keep, &png).unwrap();
    }
}

#[test]
fn ten_thousand_articles_stay_responsive() {
    let Some(bin) = chromium() else {
        eprintln!("SKIP ten_thousand_articles_stay_responsive: no chromium (apt-get install chromium)");
        return;
    };
    let (base, _) = lines();
    let template = &base[0];
    let lines: Vec<Value> = (0..10_000)
        .map(|i| {
            let mut l = template.clone();
            l["id"] = json!(format!("a{i}"));
            for (k, inc) in l["incidents"].as_array_mut().unwrap().iter_mut().enumerate() {
                inc["id"] = json!(format!("a{i}#{}", k + 1));
            }
            l
        })
        .collect();
    let t = Instant::now();
    let html = render_html(&lines, &HashMap::new()).unwrap();
    let build = t.elapsed();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("big.html");
    std::fs::write(&page, &html).unwrap();
    let d = dom(&bin, &page, "#inc=a9999%232");
    let ms: u64 = d.split("data-render-ms=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().parse().unwrap();
    eprintln!("10,000 articles: {} MB page, built in {build:.2?}, parsed and painted in {ms} ms", html.len() / 1_000_000);
    assert!(d.contains("page 500 of 500"));
    assert!(d.contains("<section class=\"card on\" data-inc=\"a9999#2\">"));
    assert!(ms < 5000, "first paint took {ms} ms");
}
