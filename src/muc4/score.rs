//! CEAF-REE (strict) for MUC-4 role fillers, the metric of GRIT and its
//! successors, computed exactly as `../shared/tools/ceaf_ree.py` does so
//! that our figures and the reference's never differ, down to the printed
//! text:
//!
//! * mention strings are normalised (lower-case, ASCII punctuation deleted,
//!   the words a/an/the removed, white space collapsed);
//! * a predicted entity (a set of normalised mentions) matches a gold entity
//!   when all its mentions are among the gold entity's mentions;
//! * per document and role, predicted and gold entities are aligned one to
//!   one so that the number of matches is maximal — only that number is
//!   reported, so which of several optimal alignments is chosen never shows;
//! * P = matched / predicted, R = matched / gold, summed over documents;
//!   micro sums the five roles. Predictions for documents absent from the
//!   gold are ignored; gold documents without a prediction count as empty.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::eval::py;
use crate::eval::report::{Report, ScoreRow};
use crate::muc4::reader::{read_muc4, Filler, Muc4Doc, Role, RoleFillers};
use crate::error::Result;

/// Counts and percentages of one role, or of all roles (micro).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RoleScore {
    pub matched: usize,
    pub predicted: usize,
    pub gold: usize,
    /// Percentages rounded to two decimals as Python's `round` does.
    pub p: f64,
    pub r: f64,
    pub f1: f64,
}

impl RoleScore {
    fn from_counts(matched: usize, predicted: usize, gold: usize) -> Self {
        let p = if predicted > 0 { matched as f64 / predicted as f64 } else { 0.0 };
        let r = if gold > 0 { matched as f64 / gold as f64 } else { 0.0 };
        let f = if p + r != 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        RoleScore {
            matched,
            predicted,
            gold,
            p: py::round(100.0 * p, 2),
            r: py::round(100.0 * r, 2),
            f1: py::round(100.0 * f, 2),
        }
    }

    fn to_json(self) -> Value {
        json!({"p": self.p, "r": self.r, "f1": self.f1,
               "matched": self.matched, "predicted": self.predicted, "gold": self.gold})
    }
}

/// The scores of one prediction file against one gold file.
#[derive(Debug, Clone, PartialEq)]
pub struct Muc4Report {
    /// In [`Role::ALL`] order.
    pub per_role: Vec<(Role, RoleScore)>,
    pub micro: RoleScore,
    /// Gold documents scored.
    pub documents: usize,
}

impl Muc4Report {
    /// The `eval --report` of these scores (CEAF-REE, strict). Here, not in
    /// `eval::report`: the scoring core needs no MUC-4 adapter.
    pub fn report(&self, title: &str) -> Report {
        let r = self;
        let row = |name: &str, s: &RoleScore| ScoreRow { name: name.into(), p: s.p, r: s.r, f1: s.f1, support: s.gold };
        Report {
            title: title.into(),
            row_kind: "role".into(),
            rows: r.per_role.iter().map(|(role, s)| row(role.name(), s)).collect(),
            micro: row("micro", &r.micro),
            confusion: None,
            notes: vec![format!(
                "{} gold documents; CEAF-REE (strict): {} of {} predicted role fillers match {} gold ones.",
                r.documents, r.micro.matched, r.micro.predicted, r.micro.gold
            )],
        }
    }

    /// Exactly what the reference script prints (`json.dumps(…, indent=1)`
    /// and a newline), so the two outputs can be compared byte for byte.
    pub fn to_text(&self) -> String {
        let mut out = String::from("{\n");
        let rows = self.per_role.iter().map(|(r, s)| (r.name(), s)).chain([("micro", &self.micro)]);
        for (i, (name, s)) in rows.enumerate() {
            if i > 0 {
                out.push_str(",\n");
            }
            let _ = write!(
                out,
                " \"{name}\": {{\n  \"p\": {},\n  \"r\": {},\n  \"f1\": {}\n }}",
                py::repr(s.p),
                py::repr(s.r),
                py::repr(s.f1)
            );
        }
        out.push_str("\n}\n");
        out
    }

    /// `{"micro": {…}, "per_role": {"PerpInd": {…}, …}, "documents": n}`,
    /// percentages plus the counts behind them.
    pub fn to_json(&self) -> Value {
        let per_role: Map<String, Value> = self.per_role.iter().map(|(r, s)| (r.name().to_string(), s.to_json())).collect();
        json!({"micro": self.micro.to_json(), "per_role": per_role, "documents": self.documents})
    }
}

/// Scores a prediction file against a gold file (either may be JSON lines or
/// one JSON array/object; gold in GRIT `extracts` or GTT `templates` form,
/// predictions in `extracts` form).
/// Refuses files that share no docid (see [`crate::eval::ensure_scorable`]).
pub fn score_files(gold: &Path, pred: &Path) -> Result<Muc4Report> {
    let (gold_docs, pred_docs) = (read_muc4(gold)?, read_muc4(pred)?);
    let gold_ids: HashSet<&str> = gold_docs.iter().map(|d| d.docid.as_str()).collect();
    let matched = pred_docs.iter().filter(|d| gold_ids.contains(d.docid.as_str())).count();
    crate::eval::ensure_scorable(gold, gold_ids.len(), Some((pred, matched)))?;
    Ok(score_docs(&gold_docs, &pred_docs))
}

/// Scores parsed documents; a docid given twice counts once, the last
/// record winning, as in the reference.
pub fn score_docs(gold: &[Muc4Doc], pred: &[Muc4Doc]) -> Muc4Report {
    let gold: HashMap<&str, &Muc4Doc> = gold.iter().map(|d| (d.docid.as_str(), d)).collect();
    let pred: HashMap<&str, &Muc4Doc> = pred.iter().map(|d| (d.docid.as_str(), d)).collect();
    let empty = RoleFillers::default();
    let mut counts = [(0usize, 0usize, 0usize); 5];
    for (docid, g) in &gold {
        let g = g.gold();
        let p = pred.get(docid).and_then(|d| d.extracts.as_ref()).unwrap_or(&empty);
        for (k, role) in Role::ALL.into_iter().enumerate() {
            let ge = entity_sets(g.role(role));
            let pe: Vec<BTreeSet<String>> = entity_sets(p.role(role))
                .into_iter()
                .filter(|e| !e.is_empty() && !(e.len() == 1 && e.contains("")))
                .collect();
            counts[k].0 += max_matching(&pe, &ge);
            counts[k].1 += pe.len();
            counts[k].2 += ge.len();
        }
    }
    let per_role: Vec<(Role, RoleScore)> =
        Role::ALL.into_iter().zip(counts).map(|(r, (m, p, g))| (r, RoleScore::from_counts(m, p, g))).collect();
    let sum = |f: fn(&(usize, usize, usize)) -> usize| counts.iter().map(f).sum::<usize>();
    let micro = RoleScore::from_counts(sum(|c| c.0), sum(|c| c.1), sum(|c| c.2));
    Muc4Report { per_role, micro, documents: gold.len() }
}

fn entity_sets(fillers: &[Filler]) -> Vec<BTreeSet<String>> {
    fillers.iter().map(|f| f.iter().map(|m| normalise(&m.text)).collect()).collect()
}

/// The reference's string normalisation. Python's `\b` sees a word as a run
/// of alphanumeric characters (underscore is already gone with the
/// punctuation), so an article is a whole such run.
pub fn normalise(s: &str) -> String {
    let kept: String = s.to_lowercase().chars().filter(|c| !c.is_ascii_punctuation()).collect();
    let mut spaced = String::with_capacity(kept.len());
    let mut rest = kept.as_str();
    while let Some(c) = rest.chars().next() {
        let run = if c.is_alphanumeric() {
            rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len())
        } else {
            c.len_utf8()
        };
        let piece = &rest[..run];
        spaced.push_str(if matches!(piece, "a" | "an" | "the") { " " } else { piece });
        rest = &rest[run..];
    }
    // Python's str.split() also splits at the ASCII separators U+001C–U+001F.
    spaced
        .split(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Maximum bipartite matching (augmenting paths): predicted `i` may take
/// gold `j` when `pred[i] ⊆ gold[j]`.
fn max_matching(pred: &[BTreeSet<String>], gold: &[BTreeSet<String>]) -> usize {
    fn augment(i: usize, pred: &[BTreeSet<String>], gold: &[BTreeSet<String>], seen: &mut [bool], owner: &mut [Option<usize>]) -> bool {
        for j in 0..gold.len() {
            if seen[j] || !pred[i].is_subset(&gold[j]) {
                continue;
            }
            seen[j] = true;
            if owner[j].map_or(true, |k| augment(k, pred, gold, seen, owner)) {
                owner[j] = Some(i);
                return true;
            }
        }
        false
    }
    let mut owner = vec![None; gold.len()];
    (0..pred.len()).filter(|&i| augment(i, pred, gold, &mut vec![false; gold.len()], &mut owner)).count()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::process::Command;

    use super::*;
    use crate::muc4::reader::parse_muc4;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/muc4").join(name)
    }

    /// `../shared` with the reference scorer, and python3 to run it; fails
    /// the test without them (the tests calling this are `#[ignore]`d).
    fn shared() -> PathBuf {
        let shared = crate::testing::shared("tools/ceaf_ree.py");
        crate::testing::python3();
        shared
    }

    /// The reference's stdout on two files.
    fn reference(shared: &Path, gold: &Path, pred: &Path) -> String {
        let out = Command::new("python3").arg(shared.join("tools/ceaf_ree.py")).arg(gold).arg(pred).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn counts(r: &Muc4Report, role: Role) -> (usize, usize, usize) {
        let s = r.per_role.iter().find(|(x, _)| *x == role).unwrap().1;
        (s.matched, s.predicted, s.gold)
    }

    #[test]
    fn normalisation_follows_the_reference() {
        assert_eq!(normalise("The F.M.L.N."), "fmln");
        assert_eq!(normalise("  an  M-16   rifle "), "m16 rifle");
        assert_eq!(normalise("the-a theater, an anthem"), "thea theater anthem");
        assert_eq!(normalise("A"), "");
        assert_eq!(normalise("Zürich\u{1f}THE\tbank"), "zürich bank");
    }

    /// Every mention string of the dev gold, plus Unicode the corpus lacks.
    #[test]
    #[ignore = "needs ../shared + python3"]
    fn normalisation_equals_the_reference() {
        let shared = shared();
        let mut strings: Vec<String> = ["İstanbul's ΣΟΦΟΣ", "Théâtre\u{a0}the\u{2003}Bank", "a_b the_c", "½ the ²", "L'ÉTAT, an État", "ﬁre THE\u{1c}END"]
            .map(String::from)
            .to_vec();
        for doc in read_muc4(&shared.join("corpus/muc4/gtt/dev.json")).unwrap() {
            let gold = doc.gold();
            strings.extend(Role::ALL.into_iter().flat_map(|r| gold.role(r).iter().flatten().map(|m| m.text.clone())));
        }
        let script = "import json, sys\nsys.path.insert(0, sys.argv[1])\nfrom ceaf_ree import normalise\n\
                      print(json.dumps([normalise(s) for s in json.load(sys.stdin)]))";
        let mut child = Command::new("python3")
            .args(["-c", script])
            .arg(shared.join("tools"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        serde_json::to_writer(child.stdin.take().unwrap(), &strings).unwrap();
        let theirs: Vec<String> = serde_json::from_slice(&child.wait_with_output().unwrap().stdout).unwrap();
        let ours: Vec<String> = strings.iter().map(|s| normalise(s)).collect();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn matching_is_maximal_not_greedy() {
        let set = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<BTreeSet<String>>();
        // A greedy pass would give gold 0 to pred 0 and leave pred 1 unmatched.
        let gold = vec![set(&["fmln", "farabundo marti national liberation front"]), set(&["fmln"])];
        let pred = vec![set(&["fmln"]), set(&["farabundo marti national liberation front"])];
        assert_eq!(max_matching(&pred, &gold), 2);
        assert_eq!(max_matching(&[set(&["fmln", "urng"])], &gold), 0);
    }

    #[test]
    fn fixture_counts() {
        let r = score_files(&fixture("gold.jsonl"), &fixture("pred.jsonl")).unwrap();
        assert_eq!(r.documents, 4);
        assert_eq!(counts(&r, Role::PerpInd), (2, 4, 3), "the last line of a docid wins; its extra wrong mention spoils the filler");
        assert_eq!(counts(&r, Role::PerpOrg), (2, 3, 2), "an alias list matches once, its duplicate not");
        assert_eq!(counts(&r, Role::Target), (2, 3, 2), "an empty filler is not a prediction");
        assert_eq!(counts(&r, Role::Victim), (2, 4, 3), "fillers that normalise to nothing are dropped");
        assert_eq!(counts(&r, Role::Weapon), (1, 1, 1), "case does not matter");
        assert_eq!((r.micro.matched, r.micro.predicted, r.micro.gold), (9, 15, 11));
        assert_eq!((r.micro.p, r.micro.r, r.micro.f1), (60.0, 81.82, 69.23));
        let j = r.to_json();
        assert_eq!(j["per_role"]["Victim"]["f1"], json!(57.14));
        assert_eq!(j["micro"]["gold"], json!(11));
    }

    #[test]
    fn predictions_in_templates_form_score_nothing_as_in_the_reference() {
        let gold = parse_muc4(r#"{"docid": "d", "extracts": {"Target": [["bank"]]}}"#, "g").unwrap();
        let pred = parse_muc4(r#"{"docid": "d", "templates": [{"Target": [["bank"]]}]}"#, "p").unwrap();
        assert_eq!(score_docs(&gold, &pred).micro.matched, 0);
        assert_eq!(score_docs(&gold, &gold).micro.f1, 100.0);
    }

    #[test]
    #[ignore = "needs ../shared + python3"]
    fn text_output_equals_the_reference_on_fixtures() {
        let shared = shared();
        let pairs = [
            ("gold.jsonl", "pred.jsonl"),
            ("gold_templates.jsonl", "pred.jsonl"),
            ("gold.jsonl", "pred_by_docid.json"),
            ("gold_templates.jsonl", "gold.jsonl"),
            ("gold.jsonl", "gold_templates.jsonl"),
            ("gold.jsonl", "gold.jsonl"),
        ];
        for (g, p) in pairs {
            let (g, p) = (fixture(g), fixture(p));
            assert_eq!(score_files(&g, &p).unwrap().to_text(), reference(&shared, &g, &p), "{g:?} vs {p:?}");
        }
    }

    #[test]
    #[ignore = "needs python3"]
    fn rounding_equals_the_reference_on_all_small_ratios() {
        crate::testing::python3();
        let script = "for p in range(1, 400):\n for m in range(p + 1):\n  print(repr(round(100 * (m / p), 2)))";
        let out = Command::new("python3").args(["-c", script]).output().unwrap();
        let ours: String = (1..400usize)
            .flat_map(|p| (0..=p).map(move |m| py::repr(py::round(100.0 * (m as f64 / p as f64), 2)) + "\n"))
            .collect();
        assert_eq!(ours, String::from_utf8(out.stdout).unwrap());
    }

    /// The real dev gold against a degraded copy: every third filler
    /// dropped, every fourth given a wrong extra mention, every fifth
    /// replaced by a bare string of its last mention.
    #[test]
    #[ignore = "needs ../shared + python3"]
    fn text_output_equals_the_reference_on_perturbed_dev_gold() {
        let shared = shared();
        let dir = tempfile::tempdir().unwrap();
        for gold in ["corpus/muc4/grit/dev.json", "corpus/muc4/gtt/dev.json"] {
            let gold = shared.join(gold);
            let text = std::fs::read_to_string(&gold).unwrap();
            let mut k = 0usize;
            let mut lines = String::new();
            for line in text.lines() {
                let doc: Value = serde_json::from_str(line).unwrap();
                let mut extracts = Map::new();
                let fillers = parse_muc4(line, "dev").unwrap().remove(0).gold();
                for role in Role::ALL {
                    let mut out = Vec::new();
                    for f in fillers.role(role) {
                        k += 1;
                        let mut mentions: Vec<Value> = f.iter().map(|m| json!(m.text)).collect();
                        match k % 60 {
                            x if x % 3 == 0 => continue,
                            x if x % 4 == 0 => mentions.push(json!("the wrong one")),
                            x if x % 5 == 0 => {
                                out.extend(mentions.pop());
                                continue;
                            }
                            _ => {}
                        }
                        out.push(Value::Array(mentions));
                    }
                    extracts.insert(role.name().into(), Value::Array(out));
                }
                lines.push_str(&json!({"docid": doc["docid"], "extracts": extracts}).to_string());
                lines.push('\n');
            }
            let pred = dir.path().join("pred.jsonl");
            std::fs::write(&pred, lines).unwrap();
            let ours = score_files(&gold, &pred).unwrap();
            assert!(ours.micro.f1 > 30.0 && ours.micro.f1 < 90.0, "{}", ours.to_text());
            assert_eq!(ours.to_text(), reference(&shared, &gold, &pred), "{gold:?}");
        }
    }
}
