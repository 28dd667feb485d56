//! Property-based fuzzing of the JSONL reader, the sentence splitter, the word
//! splitter and the byte → code-point offset mapping (proptest).
//!
//! CI runs each target for a few seconds; a fuzzing session runs them longer:
//! `FUZZ_SECONDS=600 cargo test --release --test fuzz -- --nocapture --test-threads 3`.
//! Inputs that once failed are pinned in `regressions`.

use std::io::Write;
use std::time::{Duration, Instant, SystemTime};

use newsner::corpus::reader::{parse_record, Format, Reader};
use newsner::document::{Document, Mention};
use newsner::output::Line;
use newsner::text::{offsets::CharIndex, sentences::sentences, words::words};
use newsner::Span;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

/// Pieces that exercise the splitters' special cases, mixed with arbitrary chars.
const NASTY: &[&str] = &[
    ".", "!", "?", "...", " ", "  ", "\n", "\n\n", "\r\n", "\t", "Mr.", "U.S.", "Gen.", "e.g.", "“", "”", "‘", "’", "\"",
    "'s", "(", ")", "[", "«", "»", "—", "-", "é", "Zürich", "東京", "。", "👍🏽", "👨\u{200D}👩\u{200D}👧", "\u{200B}", "\u{200D}",
    "\u{FEFF}", "\u{0}", "\u{7}", "\u{1B}", "\u{2028}", "\u{85}", "\u{A0}", "مرحبا", "שלום", "<b>", "</b>", "&amp;", "&#39;",
    "&", ";", "Moscow", "IS", "March 22", "1,200", "A", "a", "x",
];

fn text_strategy(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            2 => any::<char>().prop_map(|c| c.to_string()),
            5 => prop::sample::select(NASTY).prop_map(String::from),
        ],
        0..max,
    )
    .prop_map(|v| v.concat())
}

/// Runs `check` on fresh random inputs until the time budget is spent.
fn fuzz<S: Strategy>(name: &str, strategy: S, check: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let secs: u64 = std::env::var("FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    let start = Instant::now();
    let mut cases = 0u64;
    let mut round = 0u64;
    while start.elapsed() < Duration::from_secs(secs) {
        let seed = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_nanos() as u64 ^ round;
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
        let config = Config { cases: 500, failure_persistence: None, ..Config::default() };
        let mut runner = TestRunner::new_with_rng(config, rng);
        if let Err(e) = runner.run(&strategy, &check) {
            panic!("{name}: seed {seed}: {e}");
        }
        cases += 500;
        round += 1;
    }
    eprintln!("fuzz {name}: {cases} cases in {:.0} s, no failure", start.elapsed().as_secs_f64());
}

/// Sentences: ordered, disjoint, trimmed, on char boundaries, and covering
/// every visible character (nothing is lost between sentences).
fn check_sentences(text: &str) -> Result<Vec<Span>, TestCaseError> {
    let ss = sentences(text);
    let mut covered = vec![false; text.len()];
    let mut last = 0;
    for s in &ss {
        prop_assert!(s.start < s.end && s.end <= text.len(), "bad span {:?}", s);
        prop_assert!(s.start >= last, "spans out of order: {:?}", ss);
        prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        let t = &text[s.start..s.end];
        prop_assert_eq!(t.trim(), t, "untrimmed sentence");
        covered[s.start..s.end].iter_mut().for_each(|c| *c = true);
        last = s.end;
    }
    for (i, c) in text.char_indices() {
        prop_assert!(c.is_whitespace() || covered[i], "char {:?} at {} is in no sentence", c, i);
    }
    Ok(ss)
}

/// Words inside a sentence: ordered, disjoint, non-empty, on char boundaries.
fn check_words(text: &str, sentence: Span) -> Result<Vec<Span>, TestCaseError> {
    let ws = words(text, sentence);
    let mut last = sentence.start;
    for w in &ws {
        prop_assert!(w.start < w.end, "empty word");
        prop_assert!(w.start >= last && w.end <= sentence.end, "word {:?} outside or out of order", w);
        prop_assert!(text.is_char_boundary(w.start) && text.is_char_boundary(w.end));
        last = w.end;
    }
    Ok(ws)
}

#[test]
fn fuzz_sentence_and_word_splitting() {
    fuzz("sentences+words", text_strategy(300), |text| {
        for s in check_sentences(&text)? {
            check_words(&text, s)?;
        }
        Ok(())
    });
}

#[test]
fn fuzz_offset_mapping_through_the_output_line() {
    fuzz("offsets", text_strategy(200), |text| {
        let idx = CharIndex::new(&text);
        for (ci, (b, _)) in text.char_indices().enumerate() {
            prop_assert_eq!(idx.char_of(b), ci);
            prop_assert_eq!(idx.byte_of(ci), b);
        }
        // every word as a mention: the output's code-point offsets must slice back to its text
        let mut doc = Document::new("f", text.clone());
        doc.mentions = sentences(&text)
            .into_iter()
            .flat_map(|s| words(&text, s))
            .map(|span| Mention { span, label: "X".into(), score: 0.5 })
            .collect();
        for e in Line::of(&doc).entities {
            let slice: String = text.chars().skip(e.start).take(e.end - e.start).collect();
            prop_assert_eq!(slice, e.text);
        }
        Ok(())
    });
}

#[test]
fn fuzz_jsonl_reader_accounts_for_every_line() {
    let record = (text_strategy(40), text_strategy(200), any::<bool>(), 0usize..400, prop::collection::vec(any::<u8>(), 0..40));
    fuzz("jsonl", prop::collection::vec(record, 1..6), |records| {
        let mut data = Vec::new();
        for (id, text, cut, at, junk) in &records {
            let mut line = serde_json::json!({"id": id, "text": text, "published": "2024-03-29"}).to_string().into_bytes();
            if *cut {
                // a torn or corrupted line: truncate and splice in arbitrary bytes
                line.truncate(*at % (line.len() + 1));
                line.extend(junk.iter().filter(|&&b| b != b'\n'));
            }
            data.extend(line);
            data.push(b'\n');
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        std::fs::File::create(&path).unwrap().write_all(&data).unwrap();
        let docs: Vec<Document> = Reader::open(&[path], Format::Jsonl, 1000).unwrap().map(|r| r.doc).collect();
        prop_assert_eq!(docs.len(), records.len(), "one record per input line");
        for d in &docs {
            prop_assert!(!d.id.is_empty());
            prop_assert!(d.failed == !d.errors.is_empty(), "failed records carry an error and only they do");
            for e in d.errors.iter().chain(&d.warnings) {
                prop_assert!(!e.code.is_empty() && !e.message.is_empty());
            }
            let line = serde_json::to_value(Line::of(d)).unwrap();
            prop_assert!(line["errors"].is_array() && line["id"].is_string());
        }
        Ok(())
    });
}

#[test]
fn fuzz_parse_record_on_arbitrary_lines() {
    fuzz("parse_record", prop::collection::vec(any::<u8>(), 0..300), |bytes| {
        let line = String::from_utf8_lossy(&bytes);
        let d = parse_record(&line, "1", Format::Jsonl, 1000);
        prop_assert!(d.failed || !d.text.trim().is_empty());
        Ok(())
    });
}

/// Inputs that broke a splitter or the reader once.
#[test]
fn regressions() {
    // found by fuzzing: a multi-byte space (NEL, U+2028) before an abbreviation's period
    for text in ["<b>Lagos</b>, Nigeria&nbsp;said&amp;", "said&#39;", "&;", "x&amp;;", "\u{85}Mr. Smith. Next", "a\u{2028}U.S. b. C"] {
        for s in check_sentences(text).unwrap() {
            check_words(text, s).unwrap();
        }
    }
}

#[test]
fn regression_empty_id_falls_back_to_the_line_number() {
    // found by fuzzing: `"id": ""` gave a record with an empty id
    let d = parse_record(r#"{"id": "", "text": "x"}"#, "7", Format::Jsonl, 1000);
    assert_eq!(d.id, "7");
    assert_eq!(d.warnings[0].code, "empty_id");
}
