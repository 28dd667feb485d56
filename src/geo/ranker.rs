//! The candidate ranker: a linear score over features of a (name,
//! candidate) pair, the same weights for every candidate of every name, so
//! that the candidates of one name compete in a softmax (a conditional
//! logit, multinomial logistic regression over a varying set of choices).
//!
//! The weights were set by hand first (they are the units the resolver's
//! comments speak of: a division is worth 5, a town of a million 4.2); they
//! are now learned from the dev corpora's gold by [`fit`] (see `newsner eval
//! geo --cv`), and shipped as `corpus/gazetteer/geo-ranker.tsv`, compiled
//! in. Training starts from the hand-set weights and is pulled back towards
//! them (L2), so a feature the data says little about keeps its hand-set
//! worth.

use std::sync::OnceLock;

/// The features, in the order of a [`Feats`] vector. See
/// `resolve::Group::features` and `resolve::context_pass` for how each is
/// computed.
pub const FEATURES: [&str; NF] = [
    "country",
    "division",
    "county",
    "town",
    "town_log10_population",
    "capital",
    "main_name",
    "not_a_town",
    "qualifier",
    "qualifies",
    "apposition",
    "dateline",
    "dateline_region",
    "foreign",
    "near",
    "neighbours",
    "article_country",
    "article_region",
    "article_country_share",
    "article_region_share",
    "closeness",
    "dateline_country",
    "dateline_admin1",
    "colocated",
];
pub const NF: usize = 24;

/// Indices into [`Feats`].
pub mod f {
    pub const COUNTRY: usize = 0;
    pub const DIVISION: usize = 1;
    pub const COUNTY: usize = 2;
    pub const TOWN: usize = 3;
    pub const TOWN_LOG_POPULATION: usize = 4;
    pub const CAPITAL: usize = 5;
    pub const MAIN_NAME: usize = 6;
    pub const NOT_A_TOWN: usize = 7;
    pub const QUALIFIER: usize = 8;
    pub const QUALIFIES: usize = 9;
    pub const APPOSITION: usize = 10;
    pub const DATELINE: usize = 11;
    pub const DATELINE_REGION: usize = 12;
    pub const FOREIGN: usize = 13;
    pub const NEAR: usize = 14;
    pub const NEIGHBOURS: usize = 15;
    pub const ARTICLE_COUNTRY: usize = 16;
    pub const ARTICLE_REGION: usize = 17;
    pub const ARTICLE_COUNTRY_SHARE: usize = 18;
    pub const ARTICLE_REGION_SHARE: usize = 19;
    pub const CLOSENESS: usize = 20;
    pub const DATELINE_COUNTRY: usize = 21;
    pub const DATELINE_ADMIN1: usize = 22;
    pub const COLOCATED: usize = 23;
}

/// One candidate's features.
pub type Feats = [f32; NF];

/// The weights before any learning: the resolver's hand-set bonuses.
pub const HAND_SET: Feats = {
    let mut w = [0.0; NF];
    w[f::COUNTRY] = 5.5;
    w[f::DIVISION] = 5.0;
    w[f::COUNTY] = 3.5;
    w[f::TOWN_LOG_POPULATION] = 0.7;
    w[f::CAPITAL] = 1.5;
    w[f::MAIN_NAME] = 0.8;
    w[f::NOT_A_TOWN] = -3.0;
    w[f::QUALIFIER] = 4.0;
    w[f::QUALIFIES] = 4.0;
    w[f::APPOSITION] = 4.0;
    w[f::DATELINE] = 4.0;
    w[f::DATELINE_REGION] = 2.0;
    w[f::FOREIGN] = -1.5;
    w[f::NEAR] = 1.0;
    w[f::NEIGHBOURS] = 1.0;
    w[f::ARTICLE_COUNTRY] = 1.5;
    w[f::ARTICLE_REGION] = 1.0;
    w[f::COLOCATED] = 1.0;
    w
};

/// Weights of a linear candidate score.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranker {
    pub w: Feats,
}

const SHIPPED: &str = include_str!("../../corpus/gazetteer/geo-ranker.tsv");

impl Ranker {
    pub fn hand_set() -> Ranker {
        Ranker { w: HAND_SET }
    }

    /// The weights compiled in.
    pub fn shipped() -> &'static Ranker {
        static R: OnceLock<Ranker> = OnceLock::new();
        R.get_or_init(|| Ranker::parse(SHIPPED).expect("corpus/gazetteer/geo-ranker.tsv is a valid ranker"))
    }

    pub fn score(&self, x: &Feats) -> f32 {
        self.w.iter().zip(x).map(|(w, x)| w * x).sum()
    }

    /// Reads `feature<TAB>weight` lines (`#` comments, blank lines); a
    /// feature not listed weighs 0, an unknown one is an error.
    pub fn parse(text: &str) -> std::result::Result<Ranker, String> {
        let mut w = [0.0; NF];
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, value) = line.split_once('\t').ok_or_else(|| format!("line {}: not feature<TAB>weight", n + 1))?;
            let k = FEATURES.iter().position(|f| *f == name.trim()).ok_or_else(|| format!("line {}: unknown feature {name:?}", n + 1))?;
            w[k] = value.trim().parse().map_err(|e| format!("line {}: {e}", n + 1))?;
        }
        Ok(Ranker { w })
    }

    /// The weights as [`Ranker::parse`] reads them, after `comment` lines.
    pub fn to_tsv(&self, comment: &str) -> String {
        let mut out: String = comment.lines().map(|l| format!("# {l}\n")).collect();
        for (name, w) in FEATURES.iter().zip(&self.w) {
            out += &format!("{name}\t{w:.4}\n");
        }
        out
    }
}

/// One name's choice in the gold: its candidates' features and which of
/// them are right (within 161 km of the gold point).
#[derive(Debug, Clone)]
pub struct Choice {
    pub feats: Vec<Feats>,
    pub right: Vec<bool>,
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct Fit {
    /// Pull towards the starting weights, per choice (the shipped weights'
    /// setting; docs/evaluation.md has a sweep).
    pub l2: f32,
    pub steps: usize,
    pub rate: f32,
}

impl Default for Fit {
    fn default() -> Fit {
        Fit { l2: 0.01, steps: 400, rate: 0.05 }
    }
}

/// Mean negative log-likelihood of the right candidates over `choices`
/// (each choice: -log of the softmax mass on its right candidates), and its
/// gradient.
fn loss(w: &Feats, choices: &[Choice]) -> (f64, [f64; NF]) {
    let mut grad = [0.0f64; NF];
    let mut nll = 0.0f64;
    let r = Ranker { w: *w };
    for c in choices {
        let s: Vec<f64> = c.feats.iter().map(|x| f64::from(r.score(x))).collect();
        let top = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let e: Vec<f64> = s.iter().map(|s| (s - top).exp()).collect();
        let all: f64 = e.iter().sum();
        let right: f64 = e.iter().zip(&c.right).filter(|(_, r)| **r).map(|(e, _)| e).sum();
        nll -= (right / all).ln();
        for ((x, e), r) in c.feats.iter().zip(&e).zip(&c.right) {
            let p = e / all - if *r { e / right } else { 0.0 };
            for k in 0..NF {
                grad[k] += p * f64::from(x[k]);
            }
        }
    }
    let n = choices.len().max(1) as f64;
    (nll / n, grad.map(|g| g / n))
}

/// Learns weights for `choices` from `start` by Adam steps on the mean
/// negative log-likelihood plus `l2` times the squared distance from
/// `start`. Choices with no right candidate or no wrong one teach nothing
/// and are skipped. Deterministic.
pub fn fit(choices: &[Choice], start: &Ranker, opts: Fit) -> Ranker {
    let useful: Vec<Choice> = choices.iter().filter(|c| c.right.iter().any(|&r| r) && c.right.iter().any(|&r| !r)).cloned().collect();
    let mut w = start.w;
    let (mut m, mut v) = ([0.0f64; NF], [0.0f64; NF]);
    let (b1, b2, eps) = (0.9f64, 0.999f64, 1e-8f64);
    for t in 1..=opts.steps {
        let (_, mut g) = loss(&w, &useful);
        for k in 0..NF {
            g[k] += 2.0 * f64::from(opts.l2) * f64::from(w[k] - start.w[k]);
            m[k] = b1 * m[k] + (1.0 - b1) * g[k];
            v[k] = b2 * v[k] + (1.0 - b2) * g[k] * g[k];
            let (mh, vh) = (m[k] / (1.0 - b1.powi(t as i32)), v[k] / (1.0 - b2.powi(t as i32)));
            w[k] -= (f64::from(opts.rate) * mh / (vh.sqrt() + eps)) as f32;
        }
    }
    Ranker { w }
}

/// The share of choices whose top-scored candidate is a right one.
pub fn accuracy(r: &Ranker, choices: &[Choice]) -> f64 {
    let ok = choices
        .iter()
        .filter(|c| {
            let s: Vec<f32> = c.feats.iter().map(|x| r.score(x)).collect();
            let mut w = 0;
            for (i, x) in s.iter().enumerate() {
                if *x > s[w] {
                    w = i;
                }
            }
            c.right[w]
        })
        .count();
    ok as f64 / choices.len().max(1) as f64
}

/// Area under the ROC curve of the candidate scores, right candidates
/// against wrong ones of the same choices (ties count half): how well the
/// score orders candidates, whatever the winner.
pub fn auc(r: &Ranker, choices: &[Choice]) -> f64 {
    roc_auc(choices.iter().flat_map(|c| c.feats.iter().zip(&c.right).map(|(x, &ok)| (r.score(x), ok))).collect())
}

/// Area under the ROC curve of scores of right (true) and wrong (false)
/// items, ties counted half.
pub fn roc_auc(mut scored: Vec<(f32, bool)>) -> f64 {
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (pos, neg) = (scored.iter().filter(|s| s.1).count(), scored.iter().filter(|s| !s.1).count());
    if pos == 0 || neg == 0 {
        return 0.5;
    }
    // rank sum of the positives, ties given their mean rank
    let mut rank_sum = 0.0f64;
    let mut i = 0;
    while i < scored.len() {
        let mut j = i;
        while j < scored.len() && scored[j].0 == scored[i].0 {
            j += 1;
        }
        let mean_rank = (i + j + 1) as f64 / 2.0;
        rank_sum += mean_rank * scored[i..j].iter().filter(|s| s.1).count() as f64;
        i = j;
    }
    (rank_sum - (pos * (pos + 1)) as f64 / 2.0) / (pos * neg) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feats(pairs: &[(usize, f32)]) -> Feats {
        let mut x = [0.0; NF];
        for &(k, v) in pairs {
            x[k] = v;
        }
        x
    }

    #[test]
    fn the_shipped_file_reads_and_writes_back() {
        let r = Ranker::shipped();
        assert_eq!(Ranker::parse(&r.to_tsv("a comment")).unwrap(), *r);
        assert!(Ranker::parse("no_such_feature\t1").is_err());
        assert_eq!(Ranker::parse("# nothing\n").unwrap().w, [0.0; NF]);
    }

    #[test]
    fn fitting_learns_what_the_gold_prefers() {
        // the right candidate is always the one near the article's other
        // places, never the more populous one: closeness must come to weigh
        // more than a tenfold population
        let choice = Choice {
            feats: vec![feats(&[(f::TOWN, 1.0), (f::TOWN_LOG_POPULATION, 5.0)]), feats(&[(f::TOWN, 1.0), (f::TOWN_LOG_POPULATION, 4.0), (f::CLOSENESS, 0.8)])],
            right: vec![false, true],
        };
        let before = Ranker::hand_set();
        assert_eq!(accuracy(&before, std::slice::from_ref(&choice)), 0.0);
        let after = fit(&vec![choice.clone(); 20], &before, Fit::default());
        assert_eq!(accuracy(&after, &[choice.clone()]), 1.0);
        assert!(after.w[f::CLOSENESS] > 0.0);
        assert_eq!(auc(&after, &[choice]), 1.0);
    }
}
