//! The review page checked in a real browser: headless Chromium runs the
//! page's script, and its DOM dump shows whether the highlights, cards and
//! pager came out and whether any script error fired (the page counts them
//! into `data-errors`). `#[ignore]`d ("needs chromium"): `make test` runs
//! them where Chromium is installed; without it they fail, never pass.
//!
//! `NEWSNER_SCREENSHOT=docs/review.png cargo test --release --test render_browser -- --ignored`
//! also keeps the screenshot there.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use newsner::render::{render_html, Annotated, Texts};
use serde_json::{json, Value};

/// Chromium's binary; fails the test when there is none.
fn chromium() -> PathBuf {
    let fixed = PathBuf::from("/usr/bin/chromium");
    if fixed.exists() {
        return fixed;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    ["chromium", "chromium-browser"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
        .find(|p| p.is_file())
        .expect("this test needs chromium (or chromium-browser) on PATH: apt-get install chromium")
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

/// The line as `extract` writes it: every field the fixtures leave out,
/// empty (the page reads typed output lines).
fn complete(mut line: Value) -> Annotated {
    let fill = |v: &mut Value, defaults: Value| {
        for (k, d) in defaults.as_object().unwrap() {
            if v.get(k).is_none() {
                v[k] = d.clone();
            }
        }
    };
    fill(&mut line, json!({"meta": {}, "published": null, "entities": [], "errors": []}));
    for inc in line.get_mut("incidents").and_then(Value::as_array_mut).into_iter().flatten() {
        fill(inc, json!({"date": null, "location": null, "perpetrator_organizations": [], "perpetrator_individuals": [],
            "targets": [], "victims": [], "weapons": [], "casualties": {"killed": null, "injured": null}, "claimed_by": []}));
        if let Some(place) = inc.get_mut("location").filter(|l| l.is_object()) {
            fill(place, json!({"city": null, "admin1": null, "country": null, "lat": null, "lon": null}));
        }
    }
    Annotated::from_json(&line.to_string()).unwrap_or_else(|e| panic!("{e}: {line}"))
}

fn render(lines: &[Value], texts: &HashMap<String, String>) -> String {
    let lines: Vec<Annotated> = lines.iter().cloned().map(complete).collect();
    render_html(&lines, &Texts::by_id(texts.clone())).unwrap()
}

/// `{"text", "start", "end"}` of `needle` plus other fields.
fn quote(text: &str, needle: &str, fields: Value) -> Value {
    let mut v = span(text, needle);
    for (k, f) in fields.as_object().unwrap() {
        v[k] = f.clone();
    }
    v
}

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
             "date": quote(CAFE, "Saturday night", json!({"value": "2031-05-03", "precision": "day"})),
             "location": quote(CAFE, "Port Aurel", json!({"city": "Port Aurel", "country": "FR", "lat": 43.3, "lon": 5.4})),
             "perpetrator_organizations": [quote(CAFE, "Crimson Hand", json!({"name": "Crimson Hand", "cluster": "c1", "claimed": true}))],
             "perpetrator_individuals": [quote(CAFE, "Gunmen", json!({"count": null, "nationality": null}))],
             "targets": [span(CAFE, "Café Zélie")], "victims": [span(CAFE, "guests")], "weapons": [],
             "casualties": {"killed": quote(CAFE, "12", json!({"value": 12, "approx": true})),
                            "injured": quote(CAFE, "30", json!({"value": 30, "approx": false}))},
             "evidence": [evidence("Gunmen", "radio station.")], "confidence": 0.82},
            {"id": "harbour-2031#2", "type": "bombing",
             "date": quote(CAFE, "April 20", json!({"value": "2031-04-20", "precision": "day"})),
             "location": quote(CAFE, "Santa Brisa", json!({"city": "Santa Brisa", "country": "ES"})),
             "targets": [span(CAFE, "Hôtel Miramar")], "victims": [span(CAFE, "three soldiers")],
             "weapons": [span(CAFE, "car bomb")],
             "casualties": {"killed": quote(CAFE, "three", json!({"value": 3, "approx": false})), "injured": null},
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
            "date": quote(DAM, "Thursday", json!({"value": "2031-06-12", "precision": "day"})),
            "location": quote(DAM, "Río Claro", json!({"country": "PE", "lat": -9.53, "lon": -77.53})),
            "perpetrator_organizations": [quote(DAM, "Frente del Valle", json!({"name": "Frente del Valle", "cluster": "c1", "claimed": false}))],
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
#[ignore = "needs chromium"]
fn review_page_in_headless_chromium() {
    let bin = chromium();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("review.html");
    let (lines, texts) = lines();
    std::fs::write(&page, render(&lines, &texts)).unwrap();

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
    // the map: bundled country outlines, a marker per place with coordinates
    // (Port Aurel and Río Claro; Santa Brisa has none), countries with incidents shaded
    assert!(d.contains("<svg id=\"map-svg\"") && d.contains("viewBox=\"0 0 1440 568\""), "map drawn");
    assert!(d.matches("<path d=\"M").count() > 170, "country outlines drawn");
    assert_eq!(d.matches("<circle class=\"mk\"").count(), 2, "one marker per incident place with coordinates");
    for cc in ["FR", "ES", "PE"] {
        assert!(d.contains(&format!("class=\"land has\" data-cc=\"{cc}\"")), "{cc} shaded");
    }
    assert!(d.contains("class=\"land\" data-cc=\"DE\""), "a country without incidents is not");
    assert!(d.contains("2 places on the map"));

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

    // a click on a country filters the list to its incidents, a second click clears it
    let clicked = |name: &str, script: &str| {
        let page_with = dir.path().join(name);
        let html = std::fs::read_to_string(&page).unwrap().replace("</body>", &format!("<script>{script}</script>\n</body>"));
        std::fs::write(&page_with, html).unwrap();
        dom(&bin, &page_with, "")
    };
    let country = |cc: &str| format!("document.querySelector('path[data-cc=\"{cc}\"]').dispatchEvent(new MouseEvent('click', {{bubbles: true}}));");
    let d = clicked("fr.html", &country("FR"));
    assert!(d.contains("articles 1–1 of 1") && d.contains("data-id=\"harbour-2031\""), "only the article with an incident in France");
    assert!(d.contains("class=\"land has sel\" data-cc=\"FR\"") && d.contains("Incidents in France"));
    assert!(!d.contains("id=\"map-reset\" hidden"), "the reset shows while a country is picked");
    let d = clicked("pe.html", &(country("FR") + &country("PE")));
    assert!(d.contains("articles 1–1 of 1") && d.contains("data-id=\"dam-2031\""), "another country replaces the first");
    let d = clicked("pe-twice.html", &(country("PE") + &country("PE")));
    assert!(d.contains("articles 1–20 of 25") && !d.contains(" sel\""), "a second click clears the filter");
    let d = clicked("reset.html", &(country("PE") + "document.getElementById('map-reset').click();"));
    assert!(d.contains("articles 1–20 of 25") && d.contains("id=\"map-reset\" hidden"));
    // a marker opens its incident, even from a filter that hid it
    let marker = "[...document.querySelectorAll('circle.mk')].find((c) => c.textContent.includes('dam-2031#1')).dispatchEvent(new MouseEvent('click', {bubbles: true}));";
    let d = clicked("marker.html", &(country("FR") + marker));
    assert!(d.contains("<section class=\"card on\" data-inc=\"dam-2031#1\">"), "the marker's incident is open");

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
        &format!("file://{}#c=FR", page.display()),
    );
    let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot ({e}):\n{log}"));
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "screenshot looks empty");
    if let Some(keep) = std::env::var_os("NEWSNER_SCREENSHOT") {
        std::fs::write(&keep, &png).unwrap();
    }
}

#[test]
#[ignore = "needs chromium"]
fn ten_thousand_articles_render_and_page() {
    let bin = chromium();
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
    let html = render(&lines, &HashMap::new());
    let build = t.elapsed();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("big.html");
    std::fs::write(&page, &html).unwrap();
    let d = dom(&bin, &page, "#inc=a9999%232");
    let ms: u64 = d.split("data-render-ms=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().parse().unwrap();
    eprintln!("10,000 articles: {} MB page, built in {build:.2?}, parsed and painted in {ms} ms", html.len() / 1_000_000);
    assert!(d.contains("page 500 of 500"));
    assert!(d.contains("<section class=\"card on\" data-inc=\"a9999#2\">"));
    // how fast is for a bench, not a test (a busy machine takes longer): here, that it renders and pages
}
