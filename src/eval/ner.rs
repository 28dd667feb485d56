//! conlleval-equivalent exact-span scoring of word-level tag sequences.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::corpus::conll::spans;

/// Precision, recall and F1 in percent, with the gold count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    pub p: f64,
    pub r: f64,
    pub f1: f64,
    pub support: usize,
}

impl Prf {
    pub fn from_counts(tp: usize, n_pred: usize, n_gold: usize) -> Self {
        let p = if n_pred == 0 { 0.0 } else { tp as f64 / n_pred as f64 };
        let r = if n_gold == 0 { 0.0 } else { tp as f64 / n_gold as f64 };
        let f1 = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
        let pct = |x: f64| (x * 10000.0).round() / 100.0;
        Prf { p: pct(p), r: pct(r), f1: pct(f1), support: n_gold }
    }
}

/// The result of scoring a tagged corpus against gold.
#[derive(Debug, Clone, Serialize)]
pub struct NerReport {
    pub micro: Prf,
    pub per_type: BTreeMap<String, Prf>,
    /// Most frequent errors: ("gold → predicted", count); `-` stands for none.
    pub confusions: Vec<(String, usize)>,
    pub sentences: usize,
    pub tokens: usize,
}

/// Scores predicted against gold tag sequences (IOB1 or IOB2, read as conlleval does).
pub fn score(gold: &[Vec<String>], pred: &[Vec<String>]) -> NerReport {
    assert_eq!(gold.len(), pred.len(), "one prediction per gold sentence");
    let mut per: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut confusions: HashMap<String, usize> = HashMap::new();
    let (mut tp, mut np, mut ng, mut tokens) = (0, 0, 0, 0);
    for (g, p) in gold.iter().zip(pred) {
        tokens += g.len();
        let gs = spans(g);
        let ps = spans(p);
        for s in &gs {
            per.entry(s.2.clone()).or_default().2 += 1;
        }
        for s in &ps {
            per.entry(s.2.clone()).or_default().1 += 1;
        }
        for s in &gs {
            if ps.contains(s) {
                per.get_mut(&s.2).unwrap().0 += 1;
                tp += 1;
                continue;
            }
            let key = match ps.iter().find(|q| q.0 < s.1 && s.0 < q.1) {
                Some(q) if q.0 == s.0 && q.1 == s.1 => format!("{} → {}", s.2, q.2),
                Some(q) if q.2 == s.2 => format!("{} → {} (boundary)", s.2, q.2),
                Some(q) => format!("{} → {} (type and boundary)", s.2, q.2),
                None => format!("{} → -", s.2),
            };
            *confusions.entry(key).or_default() += 1;
        }
        for q in &ps {
            if !gs.iter().any(|s| s.0 < q.1 && q.0 < s.1) {
                *confusions.entry(format!("- → {}", q.2)).or_default() += 1;
            }
        }
        np += ps.len();
        ng += gs.len();
    }
    let mut confusions: Vec<(String, usize)> = confusions.into_iter().collect();
    confusions.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    confusions.truncate(10);
    NerReport {
        micro: Prf::from_counts(tp, np, ng),
        per_type: per.into_iter().map(|(k, (t, p, g))| (k, Prf::from_counts(t, p, g))).collect(),
        confusions,
        sentences: gold.len(),
        tokens,
    }
}

impl NerReport {
    /// The `--json` form: `{"micro": {p, r, f1}, "per_type": {T: {p, r, f1, support}}, …}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "micro": {"p": self.micro.p, "r": self.micro.r, "f1": self.micro.f1},
            "per_type": self.per_type,
            "confusions": self.confusions.iter().map(|(k, n)| serde_json::json!({"error": k, "count": n})).collect::<Vec<_>>(),
            "sentences": self.sentences,
            "tokens": self.tokens,
        })
    }

    /// A conlleval-like text table.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "processed {} tokens in {} sentences\n{:<8} {:>7} {:>7} {:>7} {:>8}\n",
            self.tokens, self.sentences, "type", "P", "R", "F1", "support"
        );
        for (t, m) in &self.per_type {
            s += &format!("{:<8} {:>7.2} {:>7.2} {:>7.2} {:>8}\n", t, m.p, m.r, m.f1, m.support);
        }
        let m = self.micro;
        s += &format!("{:<8} {:>7.2} {:>7.2} {:>7.2} {:>8}\n", "micro", m.p, m.r, m.f1, m.support);
        if !self.confusions.is_empty() {
            s += "most frequent errors (gold → predicted):\n";
            for (k, n) in &self.confusions {
                s += &format!("  {n:>5}  {k}\n");
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn hand_computed_scores() {
        // gold: PER(0-2) LOC(3) ORG(5); pred: PER(0-2) ✓, LOC(3) as MISC ✗, ORG missed, spurious LOC(6)
        let gold = vec![v("B-PER I-PER O B-LOC O B-ORG O")];
        let pred = vec![v("B-PER I-PER O B-MISC O O B-LOC")];
        let r = score(&gold, &pred);
        // tp 1, pred 3, gold 3
        assert_eq!(r.micro.p, 33.33);
        assert_eq!(r.micro.r, 33.33);
        assert_eq!(r.per_type["PER"].f1, 100.0);
        assert_eq!(r.per_type["LOC"], Prf { p: 0.0, r: 0.0, f1: 0.0, support: 1 });
        assert_eq!(r.per_type["MISC"].support, 0);
        assert!(r.confusions.iter().any(|(k, n)| k == "LOC → MISC" && *n == 1));
        assert!(r.confusions.iter().any(|(k, _)| k == "ORG → -"));
        assert!(r.confusions.iter().any(|(k, _)| k == "- → LOC"));
    }

    #[test]
    fn iob1_gold_scores_like_iob2() {
        let iob1 = vec![v("I-PER I-PER O I-LOC B-LOC")];
        let iob2 = vec![v("B-PER I-PER O B-LOC B-LOC")];
        assert_eq!(score(&iob1, &iob2).micro.f1, 100.0);
        // a boundary error: one span of two words vs two spans
        let merged = vec![v("B-PER I-PER O B-LOC I-LOC")];
        let r = score(&iob2, &merged);
        assert_eq!((r.micro.p, r.micro.r), (50.0, 33.33));
    }
}
