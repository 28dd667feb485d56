//! Which reports are one event: candidate pairs from blocking keys, a
//! scored decision per pair ([`rules::score`]), then groups joined
//! strongest link first, never across a conflict.
//!
//! # Bounded candidate sets
//!
//! Comparing every report with every other is quadratic, and most reports
//! of a corpus carry no usable date, so time alone cannot cut the work.
//! Each report instead emits a few blocking keys: each distinctive name
//! (and the article's 12 heaviest names outside the incident's sentences),
//! its day (and the next, so dates a day apart meet) in its country and in
//! any country (so a report without a resolved place meets one with), its
//! admin1 area or city, and the months of its date. Reports are compared only within
//! a key, and within a key only with the [`WINDOW`] neighbours that follow
//! in (date, source) order (the sorted-neighbourhood method), so the work
//! and the memory per key are bounded by the window whatever the corpus
//! size. Key lines live in hashed partition files, one in memory at a time.
//!
//! # Groups
//!
//! Links at or above [`rules::LINK_THRESHOLD`] are taken strongest first
//! (ties by source, so input order never matters). Two groups join only if
//! their [`Profile`]s agree (one country, fitting cities, shared
//! perpetrators, overlapping dates unless two people named in both say
//! otherwise). A report whose two best links point at
//! groups that conflict with each other, with scores too close to choose,
//! stays on its own rather than guess.

use std::collections::HashMap;

use super::report::{Name, Report};
use super::rules::{self, Link, Profile};
use crate::text::calendar::Day;
use crate::text::fold::fold_hash;

/// Neighbours each report is compared with inside one blocking key.
pub const WINDOW: usize = 24;

/// How close (in score) two links to conflicting groups must be for the
/// report between them to count as ambiguous.
const AMBIGUOUS: f64 = 0.5;

/// Document frequencies of names in fixed memory (a count-min sketch:
/// four rows of 2^18 counters, the minimum over rows; it can only
/// overcount, which only lowers a name's weight).
pub struct Sketch {
    rows: Vec<Vec<u32>>,
    reports: u64,
}

const SKETCH_BITS: u32 = 18;

impl Default for Sketch {
    fn default() -> Self {
        Sketch { rows: vec![vec![0; 1 << SKETCH_BITS]; 4], reports: 0 }
    }
}

impl Sketch {
    fn cells(key: &str) -> [usize; 4] {
        let h = fold_hash(key);
        let mask = (1u64 << SKETCH_BITS) - 1;
        let h2 = h.rotate_left(29).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        std::array::from_fn(|i| ((h.wrapping_add((i as u64).wrapping_mul(h2))) & mask) as usize)
    }

    /// Counts one report's names, its own and its article's (each once).
    pub fn add(&mut self, r: &Report) {
        self.reports += 1;
        let mut keys: Vec<&str> = r.names.iter().chain(&r.context).map(|n| n.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            for (row, cell) in Self::cells(key).into_iter().enumerate() {
                self.rows[row][cell] = self.rows[row][cell].saturating_add(1);
            }
        }
    }

    pub fn count(&self, key: &str) -> u32 {
        Self::cells(key).into_iter().enumerate().map(|(row, cell)| self.rows[row][cell]).min().unwrap_or(0)
    }

    /// What a shared name is worth. A person's surname weighs most, then
    /// an organisation, a ship, a shop or a street; a name becomes worth
    /// less as more reports of the corpus carry it ("police", a big
    /// country's army), down to nothing at ten times the rare level. Rare
    /// means in at most 5 reports or 1 in 50, whichever is more.
    pub fn weight(&self, n: &Name) -> f64 {
        let base = match n.label.as_str() {
            "PER" => 2.2,
            "ORG" => 1.5,
            _ => 0.6,
        };
        let df = f64::from(self.count(&n.key).max(1));
        let rare = (self.reports as f64 / 50.0).max(20.0);
        let damp = if df <= rare { 1.0 } else { (1.0 - (df / rare).ln() / 10f64.ln()).max(0.0) };
        base * damp
    }
}

/// The blocking keys of a report (see the module doc).
pub fn block_keys(r: &Report, weight: &dyn Fn(&Name) -> f64) -> Vec<String> {
    let country = r.country().unwrap_or("?");
    let mut keys: Vec<String> = r.names.iter().take(12).map(|n| format!("n|{}", n.key)).collect();
    // The article's heaviest other names, so reports that share only those meet.
    let mut context: Vec<(f64, &Name)> = r.context.iter().map(|n| (weight(n), n)).filter(|(w, _)| *w > 0.0).collect();
    context.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(y.1)));
    keys.extend(context.iter().take(12).map(|(_, n)| format!("n|{}", n.key)));
    if let Some(p) = r.place.as_ref() {
        if let Some(area) = p.admin1.as_deref().or(p.city.as_deref()) {
            keys.push(format!("p|{country}|{area}"));
        }
    }
    if let Some((lo, hi)) = r.window() {
        if r.is_day_precise() {
            keys.push(format!("d|{country}|{lo}"));
            keys.push(format!("d|{country}|{}", lo + 1));
            // A report whose place was not resolved ("the Afghan capital")
            // must still meet that day's reports that have one.
            keys.push(format!("d|*|{lo}"));
            keys.push(format!("d|*|{}", lo + 1));
        }
        let (first, last) = (Day::from_ordinal(lo), Day::from_ordinal(hi));
        keys.push(format!("m|{country}|{}-{:02}", first.y, first.m));
        if (last.y, last.m) != (first.y, first.m) {
            keys.push(format!("m|{country}|{}-{:02}", last.y, last.m));
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// A scored candidate pair, by report index.
#[derive(Debug, Clone)]
pub struct Edge {
    pub a: u32,
    pub b: u32,
    pub link: Link,
}

/// The links at or above the threshold among reports sharing one key,
/// each compared with the [`WINDOW`] that follow it in (date, source)
/// order. `group` holds (report index, report).
pub fn pairs(group: &mut [(u32, Report)], weight: &dyn Fn(&Name) -> f64, out: &mut Vec<Edge>) {
    group.sort_by(|(_, x), (_, y)| {
        let w = |r: &Report| r.window().map_or((1, 0), |(lo, _)| (0, lo));
        w(x).cmp(&w(y)).then_with(|| x.source_key().cmp(&y.source_key()))
    });
    for i in 0..group.len() {
        for j in i + 1..group.len().min(i + 1 + WINDOW) {
            let (ia, a) = &group[i];
            let (ib, b) = &group[j];
            if ia == ib {
                continue;
            }
            if let Some(link) = rules::score(a, b, weight).filter(|l| l.score >= rules::LINK_THRESHOLD) {
                let (a, b) = if ia < ib { (*ia, *ib) } else { (*ib, *ia) };
                out.push(Edge { a, b, link });
            }
        }
    }
}

/// Groups of reports: for each report index its group's representative,
/// and the links that made each group (keyed by representative).
pub struct Groups {
    pub root: Vec<u32>,
    pub links: HashMap<u32, Vec<Edge>>,
}

/// Joins reports along `edges`, strongest first. `profiles[i]` is report
/// i's own profile and `order[i]` its source key rank (for ties).
pub fn cluster(mut edges: Vec<Edge>, profiles: Vec<Profile>, order: &[u32]) -> Groups {
    let n = profiles.len();
    edges.sort_by(|x, y| (x.a, x.b).cmp(&(y.a, y.b)));
    edges.dedup_by(|x, y| x.a == y.a && x.b == y.b);
    let rank = |e: &Edge| {
        let (p, q) = (order[e.a as usize], order[e.b as usize]);
        (p.min(q), p.max(q))
    };
    edges.sort_by(|x, y| y.link.score.total_cmp(&x.link.score).then_with(|| rank(x).cmp(&rank(y))));
    let ambiguous = ambiguous(&edges, &profiles);
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut profile: Vec<Option<Profile>> = profiles.into_iter().map(Some).collect();
    let mut links: HashMap<u32, Vec<Edge>> = HashMap::new();
    for (k, e) in edges.into_iter().enumerate() {
        if ambiguous[k] {
            continue;
        }
        let (ra, rb) = (find(&mut parent, e.a), find(&mut parent, e.b));
        if ra == rb {
            continue;
        }
        let joined = match (&profile[ra as usize], &profile[rb as usize]) {
            (Some(pa), Some(pb)) => pa.join(pb, e.link.strong),
            _ => None,
        };
        let Some(joined) = joined else { continue };
        // The group keeps the representative whose source ranks first.
        let (keep, gone) = if order[ra as usize] <= order[rb as usize] { (ra, rb) } else { (rb, ra) };
        parent[gone as usize] = keep;
        profile[keep as usize] = Some(joined);
        profile[gone as usize] = None;
        let mut moved = links.remove(&gone).unwrap_or_default();
        let kept = links.entry(keep).or_default();
        kept.append(&mut moved);
        kept.push(e);
    }
    let root = (0..n as u32).map(|i| find(&mut parent, i)).collect();
    Groups { root, links }
}

fn find(parent: &mut [u32], mut i: u32) -> u32 {
    while parent[i as usize] != i {
        let up = parent[parent[i as usize] as usize];
        parent[i as usize] = up;
        i = up;
    }
    i
}

/// Edges of a report whose best links lead to reports that cannot be one
/// event, with scores within [`AMBIGUOUS`] of each other and no shared
/// name to tell them apart: the report fits both, so it joins neither.
fn ambiguous(edges: &[Edge], profiles: &[Profile]) -> Vec<bool> {
    let mut by_node: HashMap<u32, Vec<usize>> = HashMap::new();
    for (k, e) in edges.iter().enumerate() {
        by_node.entry(e.a).or_default().push(k);
        by_node.entry(e.b).or_default().push(k);
    }
    let mut out = vec![false; edges.len()];
    for (node, ks) in &by_node {
        let other = |k: usize| if edges[k].a == *node { edges[k].b } else { edges[k].a };
        // `ks` is in edge order, strongest first; the best few decide.
        let best = &ks[..ks.len().min(8)];
        let top = edges[best[0]].link.score;
        // Links through shared names are not vague, whatever else fits.
        let vague = |k: usize| !edges[k].link.agreed.iter().any(|a| a.starts_with("name:"));
        let close: Vec<usize> = best.iter().copied().filter(|&k| top - edges[k].link.score < AMBIGUOUS && vague(k)).collect();
        let torn = close.iter().enumerate().any(|(i, &x)| {
            close[i + 1..].iter().any(|&y| profiles[other(x) as usize].join(&profiles[other(y) as usize], false).is_none())
        });
        if torn {
            for &k in ks {
                out[k] = true;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::rules::tests::report;

    fn named(mut r: Report, names: &[(&str, &str)]) -> Report {
        r.names = names.iter().map(|(k, l)| Name { key: k.to_string(), label: l.to_string() }).collect();
        r.names.sort();
        r
    }

    #[test]
    fn rare_names_weigh_most_and_common_ones_fade() {
        let mut sketch = Sketch::default();
        for i in 0..200 {
            let mut names = vec![("police", "ORG")];
            if i < 3 {
                names.push(("kirkpatrick", "PER"));
            }
            if i < 20 {
                names.push(("tallgrass", "ORG"));
            }
            if i < 60 {
                names.push(("vancouver", "ORG"));
            }
            sketch.add(&named(report(&format!("a{i}"), "bombing", "", "", "", &[]), &names));
        }
        let w = |k: &str, l: &str| sketch.weight(&Name { key: k.into(), label: l.into() });
        assert_eq!(sketch.count("kirkpatrick"), 3);
        assert_eq!(w("kirkpatrick", "PER"), 2.2);
        assert_eq!(w("tallgrass", "ORG"), 1.5, "20 of 200 is still rare (at most 20, or 1 in 50)");
        let fading = w("vancouver", "ORG");
        assert!(fading > 0.0 && fading < 1.5, "60 of 200: {fading}");
        assert_eq!(w("police", "ORG"), 0.0, "in every report: ten times the rare level");
    }

    #[test]
    fn undated_reports_join_on_shared_names_and_look_alikes_stay_apart() {
        let weight = |n: &Name| if n.label == "PER" { 1.5 } else { 1.0 };
        let r = |a: &str, names: &[(&str, &str)]| named(report(a, "armed_assault", "", "Vancouver/British Columbia", "CA", &[]), names);
        let mut group = vec![
            (0, r("a", &[("kirkpatrick", "PER"), ("tallgrass", "ORG")])),
            (1, r("b", &[("kirkpatrick", "PER")])),
            (2, r("c", &[("lacalamita", "PER")])),
        ];
        let mut edges = Vec::new();
        pairs(&mut group, &weight, &mut edges);
        let found: Vec<(u32, u32)> = edges.iter().map(|e| (e.a, e.b)).collect();
        assert_eq!(found, [(0, 1)], "place, type and a surname join; place and type alone do not");
        assert!(edges[0].link.agreed.contains(&"name:kirkpatrick".to_string()), "{:?}", edges[0].link);
    }

    #[test]
    fn a_report_between_two_conflicting_groups_joins_neither() {
        let weight = |_: &Name| 0.0;
        let r = |a: &str, orgs: &[&str]| report(a, "bombing", "2024-03-22", "Moscow/Moscow", "RU", orgs);
        let reports = vec![r("a", &["IS"]), r("b", &["Taliban"]), r("c", &[])];
        let mut group: Vec<(u32, Report)> = reports.iter().cloned().enumerate().map(|(i, r)| (i as u32, r)).collect();
        let mut edges = Vec::new();
        pairs(&mut group, &weight, &mut edges);
        assert_eq!(edges.len(), 2, "a-c and b-c; a and b conflict");
        let groups = cluster(edges, reports.iter().map(Profile::of).collect(), &[0, 1, 2]);
        assert_eq!(groups.root, [0, 1, 2]);
    }

    #[test]
    fn groups_never_chain_across_a_conflict() {
        let weight = |_: &Name| 0.0;
        let r = |a: &str, date: &str, orgs: &[&str]| report(a, "bombing", date, "Moscow/Moscow", "RU", orgs);
        let reports = vec![r("a", "2024-03-30", &["IS"]), r("b", "2024-03-31", &["IS"]), r("c", "2024-04-01", &[])];
        let mut group: Vec<(u32, Report)> = reports.iter().cloned().enumerate().map(|(i, r)| (i as u32, r)).collect();
        let mut edges = Vec::new();
        pairs(&mut group, &weight, &mut edges);
        assert_eq!(edges.len(), 2, "a-b and b-c, each a day apart");
        let groups = cluster(edges, reports.iter().map(Profile::of).collect(), &[0, 1, 2]);
        assert_eq!(groups.root, [0, 0, 2], "b joins a (the stronger link); c, two days after a, stays apart");
    }
}
