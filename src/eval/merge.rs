//! Cross-article merging scored against gold event clusters (ECB+): the
//! figures `../shared/tools/merge_score.py` prints, byte for byte.
//!
//! Each article is represented by the merged record holding its first
//! incident (a source whose incident id ends in `#1`); articles without one
//! are counted as not covered and left out. B-cubed precision and recall
//! are averaged over the covered articles, with two baselines: every
//! article alone, and every article of a topic together (which joins the
//! look-alike events a topic holds).

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::py;
use crate::corpus::input::read_json_lines;
use crate::error::{Error, Result};

/// B-cubed precision, recall and F1 in percent, rounded as the script does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bcubed {
    pub p: f64,
    pub r: f64,
    pub f: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MergeScores {
    pub articles: usize,
    pub covered: usize,
    pub coverage: f64,
    pub gold_events: usize,
    pub records_for_covered: usize,
    pub merged_records_total: usize,
    pub bcubed: Bcubed,
    pub baseline_singletons: Bcubed,
    pub baseline_topic: Bcubed,
}

/// Python's `str()` of a JSON scalar, as the script formats ids and labels.
fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Number(n) => match n.as_f64() {
            Some(x) if n.is_f64() => py::repr(x),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// Scores `pred` (merged records) against `gold` (articles with `id`,
/// `topic`, `subcorpus`).
pub fn score_files(gold: &Path, pred: &Path) -> Result<MergeScores> {
    let name = gold.display().to_string();
    // Insertion order of first appearance, as a Python dict keeps it.
    let mut order: Vec<String> = Vec::new();
    let mut gold_all: HashMap<String, (String, String)> = HashMap::new();
    for (line, d) in read_json_lines::<Value>(gold)? {
        let field = |k: &str| d.get(k).map(py_str).ok_or_else(|| Error::Data { path: name.clone(), line, message: format!("no \"{k}\"") });
        let (id, topic, sub) = (field("id")?, field("topic")?, field("subcorpus")?);
        if gold_all.insert(id.clone(), (topic, sub)).is_none() {
            order.push(id);
        }
    }
    super::ensure_scorable(gold, order.len(), None)?;
    let mut record_of: HashMap<String, String> = HashMap::new();
    let (mut records, mut known) = (0, 0);
    for (_, r) in read_json_lines::<Value>(pred)? {
        records += 1;
        let id = r.get("id").map_or("None".to_string(), |v| v.to_string());
        for s in r.get("sources").and_then(Value::as_array).into_iter().flatten() {
            let incident = s.get("incident").map_or(String::new(), py_str);
            let article = s.get("article").map_or("None".to_string(), py_str);
            known += usize::from(gold_all.contains_key(&article));
            if incident.ends_with("#1") && gold_all.contains_key(&article) {
                record_of.insert(article, id.clone());
            }
        }
    }
    // Predictions for other articles would score zeros that look like a result.
    super::ensure_scorable(gold, order.len(), Some((pred, known)))?;
    let covered: Vec<&String> = order.iter().filter(|a| record_of.contains_key(*a)).collect();
    let event = |a: &String| format!("{}/{}", gold_all[a].0, gold_all[a].1);
    let gold_events = covered.iter().map(|a| event(a)).collect::<std::collections::HashSet<_>>().len();
    let records_for_covered = covered.iter().map(|a| &record_of[*a]).collect::<std::collections::HashSet<_>>().len();
    let gold_of: Vec<String> = covered.iter().map(|a| event(a)).collect();
    let pred_of: Vec<String> = covered.iter().map(|a| record_of[*a].clone()).collect();
    let alone: Vec<String> = covered.iter().map(|a| a.to_string()).collect();
    let topic: Vec<String> = covered.iter().map(|a| gold_all[*a].0.clone()).collect();
    let n = order.len();
    Ok(MergeScores {
        articles: n,
        covered: covered.len(),
        coverage: if n == 0 { 0.0 } else { py::round(100.0 * covered.len() as f64 / n as f64, 1) },
        gold_events,
        records_for_covered,
        merged_records_total: records,
        bcubed: bcubed(&pred_of, &gold_of),
        baseline_singletons: bcubed(&alone, &gold_of),
        baseline_topic: bcubed(&topic, &gold_of),
    })
}

/// B-cubed of item clusterings given as labels per item (same items, same
/// order), summed in item order as the script sums them.
pub fn bcubed(pred: &[String], gold: &[String]) -> Bcubed {
    if gold.is_empty() {
        return Bcubed { p: 0.0, r: 0.0, f: 0.0 };
    }
    let mut pc: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut gc: HashMap<&str, Vec<usize>> = HashMap::new();
    for i in 0..gold.len() {
        pc.entry(&pred[i]).or_default().push(i);
        gc.entry(&gold[i]).or_default().push(i);
    }
    let both = |i: usize| pc[pred[i].as_str()].iter().filter(|j| gold[**j] == gold[i]).count() as f64;
    let mut p = 0.0;
    let mut r = 0.0;
    for i in 0..gold.len() {
        p += both(i) / pc[pred[i].as_str()].len() as f64;
    }
    for i in 0..gold.len() {
        r += both(i) / gc[gold[i].as_str()].len() as f64;
    }
    let (p, r) = (p / gold.len() as f64, r / gold.len() as f64);
    let f = if p + r != 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    Bcubed { p: py::round(100.0 * p, 1), r: py::round(100.0 * r, 1), f: py::round(100.0 * f, 1) }
}

impl Bcubed {
    fn text(&self) -> String {
        format!("{{'P': {}, 'R': {}, 'F': {}}}", py::repr(self.p), py::repr(self.r), py::repr(self.f))
    }

    fn json(&self) -> String {
        format!("{{\"P\": {}, \"R\": {}, \"F\": {}}}", py::json(self.p), py::json(self.r), py::json(self.f))
    }
}

impl MergeScores {
    fn fields(&self, b: impl Fn(&Bcubed) -> String) -> Vec<(&'static str, String)> {
        vec![
            ("articles", self.articles.to_string()),
            ("covered", self.covered.to_string()),
            ("coverage", py::repr(self.coverage)),
            ("gold_events", self.gold_events.to_string()),
            ("records_for_covered", self.records_for_covered.to_string()),
            ("merged_records_total", self.merged_records_total.to_string()),
            ("bcubed", b(&self.bcubed)),
            ("baseline_singletons", b(&self.baseline_singletons)),
            ("baseline_topic", b(&self.baseline_topic)),
        ]
    }

    /// The script's table: `f"{k:22} {v}"` per line.
    pub fn to_text(&self) -> String {
        self.fields(Bcubed::text).into_iter().map(|(k, v)| format!("{k:22} {v}\n")).collect()
    }

    /// The script's `--json` line.
    pub fn to_json(&self) -> String {
        let body: Vec<String> = self.fields(Bcubed::json).into_iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
        format!("{{{}}}\n", body.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn bcubed_of_perfect_split_and_lumped_clusterings() {
        let gold = labels("a a b b");
        assert_eq!(bcubed(&labels("x x y y"), &gold), Bcubed { p: 100.0, r: 100.0, f: 100.0 });
        assert_eq!(bcubed(&labels("1 2 3 4"), &gold), Bcubed { p: 100.0, r: 50.0, f: 66.7 });
        assert_eq!(bcubed(&labels("t t t t"), &gold), Bcubed { p: 50.0, r: 100.0, f: 66.7 });
        assert_eq!(bcubed(&[], &[]), Bcubed { p: 0.0, r: 0.0, f: 0.0 });
    }

    #[test]
    fn python_str_of_ids() {
        assert_eq!(py_str(&serde_json::json!(12)), "12");
        assert_eq!(py_str(&serde_json::json!("12_1ecb")), "12_1ecb");
        assert_eq!(py_str(&serde_json::json!(null)), "None");
    }
}
