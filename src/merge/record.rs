//! A merged incident: one output line built from the reports of one group.

use serde::{Deserialize, Serialize};

use super::report::{Figure, Report, ReportedPlace};
use super::rules::normalise;
use crate::output::merged::{
    Link, MergeEvidence, Merged, MergedCasualties, MergedDate, MergedOrganization, MergedPlace, Reconciled, ReportedFigure, Source, SourceDate,
    SourcePlace,
};
use crate::output::Evidence;

/// The output order: date (ISO value, so a month sorts before its days;
/// undated last), country (unknown last), then the first source. Derived
/// `Ord` compares the fields in this order; the flags put absent values last.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OrderKey {
    undated: bool,
    date: String,
    no_country: bool,
    country: String,
    unpublished: bool,
    published: String,
    article: String,
    position: u32,
    input: u32,
    line: u64,
}

impl OrderKey {
    /// The output bucket: records of one bucket sort before the next
    /// bucket's, so buckets can be sorted one at a time. A year-precision
    /// date is its own bucket ("2024" before "2024-01").
    pub fn bucket(&self) -> (String, bool, String) {
        let period = if self.undated { "~".to_string() } else { self.date.chars().take(7).collect() };
        (period, self.no_country, self.country.clone())
    }
}

/// The merged record of `members` (any order) and where it sorts, with the
/// links that joined them (see [`super::rules::score`]).
pub fn record(mut members: Vec<Report>, links: &[Link]) -> (OrderKey, Merged) {
    members.sort_by(|a, b| a.source_key().cmp(&b.source_key()));
    let first = &members[0];
    let date = merged_date(&members);
    let location = merged_location(&members);
    let country = location.as_ref().and_then(|l| l.country.clone());
    let key = OrderKey {
        undated: date.is_none(),
        date: date.as_ref().map_or(String::new(), |d| d.value.clone()),
        no_country: country.is_none(),
        country: country.unwrap_or_default(),
        unpublished: first.published.is_none(),
        published: first.published.clone().unwrap_or_default(),
        article: first.article.clone(),
        position: first.position,
        input: first.input,
        line: first.line,
    };
    let merged = Merged {
        id: first.incident.clone(),
        kind: merged_type(&members).to_string(),
        date,
        location,
        perpetrator_organizations: organizations(&members),
        claimed_by: unique_names(members.iter().flat_map(|r| &r.claimed_by)).into_iter().cloned().collect(),
        casualties: MergedCasualties { killed: reconcile(&members, |r| r.killed.as_ref()), injured: reconcile(&members, |r| r.injured.as_ref()) },
        confidence: members.iter().map(|r| r.confidence).fold(0.0, f64::max),
        merge: merge_evidence(links),
        sources: members.iter().map(source).collect(),
    };
    (key, merged)
}

/// The known type most sources give (ties: the first source's), else
/// `unknown`; the sources keep their own.
fn merged_type(members: &[Report]) -> &str {
    let known = || members.iter().map(|r| r.kind.as_str()).filter(|k| *k != "unknown");
    let votes = |k: &str| known().filter(|x| *x == k).count();
    // max_by_key keeps the last maximum; reversed, that is the first source's.
    known().collect::<Vec<_>>().into_iter().rev().max_by_key(|k| votes(k)).unwrap_or("unknown")
}

/// How the sources were joined: every link with its score and the fields
/// that agreed (sorted, so the record does not depend on the order links
/// were found in), and a confidence from the weakest: 0.5 at the
/// threshold, nearer 1 the more evidence the weakest link had.
fn merge_evidence(links: &[Link]) -> Option<MergeEvidence> {
    if links.is_empty() {
        return None;
    }
    let mut links = links.to_vec();
    links.sort_by(|a, b| (&a.from, &a.to).cmp(&(&b.from, &b.to)));
    let weakest = links.iter().map(|l| l.score).fold(f64::INFINITY, f64::min);
    let confidence = 1.0 - 0.5f64.powf(weakest / super::rules::LINK_THRESHOLD);
    Some(MergeEvidence { confidence: (confidence * 1000.0).round() / 1000.0, links })
}

/// The finest precision any source gives, and at it the earliest value:
/// reports dated later tend to date the report, not the event ("late on
/// Friday" becomes Saturday's "overnight").
fn merged_date(members: &[Report]) -> Option<MergedDate> {
    let rank = |p: &str| ["year", "month", "day"].iter().position(|x| *x == p).unwrap_or(0);
    let finest = members.iter().filter_map(|r| r.date.as_ref()).map(|d| rank(&d.precision)).max()?;
    let value = members.iter().filter_map(|r| r.date.as_ref()).filter(|d| rank(&d.precision) == finest).map(|d| &d.value).min()?;
    Some(MergedDate { value: value.clone(), precision: ["year", "month", "day"][finest].to_string() })
}

/// The city most sources name (ties: the first source's), else the
/// country; the sources keep their own places.
fn merged_location(members: &[Report]) -> Option<MergedPlace> {
    let places: Vec<&ReportedPlace> = members.iter().filter_map(|r| r.place.as_ref()).filter(|p| p.country.is_some()).collect();
    let votes = |p: &ReportedPlace| places.iter().filter(|q| q.city == p.city && q.admin1 == p.admin1).count();
    // max_by_key keeps the last maximum; reversed, that is the first source's.
    let best = places.iter().filter(|p| p.city.is_some()).rev().max_by_key(|p| votes(p));
    match best {
        Some(p) => Some(MergedPlace { city: p.city.clone(), admin1: p.admin1.clone(), country: p.country.clone(), lat: p.lat, lon: p.lon }),
        None => places.first().map(|p| MergedPlace { city: None, admin1: None, country: p.country.clone(), lat: None, lon: None }),
    }
}

/// Every organisation once (by normalised name, first spelling kept),
/// claimed if any source says it claimed the act.
fn organizations(members: &[Report]) -> Vec<MergedOrganization> {
    let mut out: Vec<(String, MergedOrganization)> = Vec::new();
    for o in members.iter().flat_map(|r| &r.organizations) {
        let key = normalise(&o.name);
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.claimed |= o.claimed,
            None => out.push((key, MergedOrganization { name: o.name.clone(), claimed: o.claimed })),
        }
    }
    out.into_iter().map(|(_, v)| v).collect()
}

fn unique_names<'a>(names: impl Iterator<Item = &'a String>) -> Vec<&'a String> {
    let mut out: Vec<&String> = Vec::new();
    for n in names {
        if !out.iter().any(|o| normalise(o) == normalise(n)) {
            out.push(n);
        }
    }
    out
}

/// The reconciled figure with every source's report. Rule `max_exact`: the
/// largest exact figure, because tolls rise as bodies are found and the
/// injured die, so the latest report is usually the highest, and hedged
/// figures ("at least 15", "dozens") are not counts. Rule `max_approx`,
/// only when no source gives an exact figure: the largest hedged one,
/// still marked approx.
fn reconcile(members: &[Report], figure: impl Fn(&Report) -> Option<&Figure>) -> Option<Reconciled> {
    let reports: Vec<(&Report, &Figure)> = members.iter().filter_map(|r| Some((r, figure(r)?))).collect();
    let exact = reports.iter().filter(|(_, f)| !f.approx).map(|(_, f)| f.value).max();
    let (value, approx, rule) = match exact {
        Some(v) => (v, false, "max_exact"),
        None => (reports.iter().map(|(_, f)| f.value).max()?, true, "max_approx"),
    };
    let conflict = reports.iter().any(|(_, f)| f.value != reports[0].1.value);
    let reports = reports
        .iter()
        .map(|(r, f)| ReportedFigure { value: f.value, approx: f.approx, text: f.text.clone(), article: r.article.clone(), incident: r.incident.clone() })
        .collect();
    Some(Reconciled { value, approx, rule: rule.to_string(), conflict, reports })
}

fn source(r: &Report) -> Source {
    Source {
        article: r.article.clone(),
        incident: r.incident.clone(),
        published: r.published.clone(),
        kind: r.kind.clone(),
        date: r.date.as_ref().map(|d| SourceDate { text: d.text.clone(), value: d.value.clone(), precision: d.precision.clone() }),
        location: r.place.as_ref().map(|p| SourcePlace { text: p.text.clone(), city: p.city.clone(), admin1: p.admin1.clone(), country: p.country.clone() }),
        evidence: r.evidence.iter().map(|[start, end]| Evidence { start: *start as usize, end: *end as usize }).collect(),
        confidence: r.confidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::rules::tests::{killed, report};

    #[test]
    fn casualties_take_the_largest_exact_figure_and_keep_every_report() {
        let a = killed(report("wire", "bombing", "2024-05-10", "Peshawar/PK.03", "PK", &[]), 12, false);
        let b = killed(report("daily", "bombing", "2024-05-10", "Peshawar/PK.03", "PK", &[]), 15, true);
        let c = killed(report("later", "bombing", "2024-05-11", "Charsadda/PK.03", "PK", &[]), 14, false);
        let (_, r) = record(vec![a.clone(), b.clone(), c], &[]);
        let k = r.casualties.killed.unwrap();
        assert_eq!((k.value, k.approx, k.rule.as_str()), (14, false, "max_exact"));
        assert!(k.conflict);
        let reported: Vec<(u64, bool, &str)> = k.reports.iter().map(|x| (x.value, x.approx, x.article.as_str())).collect();
        assert_eq!(reported, vec![(15, true, "daily"), (14, false, "later"), (12, false, "wire")]);
        assert_eq!(r.casualties.injured, None);

        let (_, only_hedged) = record(vec![b.clone(), killed(report("x", "bombing", "2024-05-10", "", "PK", &[]), 20, true)], &[]);
        let k = only_hedged.casualties.killed.unwrap();
        assert_eq!((k.value, k.approx, k.rule.as_str()), (20, true, "max_approx"));
        let (_, agreed) = record(vec![a.clone(), killed(report("y", "bombing", "2024-05-10", "", "PK", &[]), 12, false)], &[]);
        assert!(!agreed.casualties.killed.unwrap().conflict);
    }

    #[test]
    fn merged_slots_prefer_the_finest_date_the_most_named_city_and_a_known_type() {
        let mut a = report("b-article", "unknown", "2024-05", "", "PK", &["the Pakistani Taliban"]);
        a.organizations[0].claimed = true;
        let b = report("a-article", "bombing", "2024-05-11", "Charsadda/PK.03", "PK", &["Pakistani Taliban"]);
        let c = report("c-article", "bombing", "2024-05-10", "Peshawar/PK.03", "PK", &[]);
        let d = report("d-article", "bombing", "2024-05-10", "Peshawar/PK.03", "PK", &["TTP"]);
        let (key, r) = record(vec![a, b, c, d], &[]);
        assert_eq!(r.id, "a-article#1", "first source by article id when none has a publication date");
        assert_eq!(r.kind, "bombing");
        assert_eq!(r.date, Some(MergedDate { value: "2024-05-10".into(), precision: "day".into() }));
        assert_eq!(r.location.unwrap().city.as_deref(), Some("Peshawar"));
        let orgs: Vec<(&str, bool)> = r.perpetrator_organizations.iter().map(|o| (o.name.as_str(), o.claimed)).collect();
        assert_eq!(orgs, [("Pakistani Taliban", true), ("TTP", false)]);
        assert_eq!(r.sources.len(), 4);
        assert_eq!(r.sources[0].evidence, [Evidence { start: 0, end: 10 }]);
        assert_eq!(key.bucket(), ("2024-05".to_string(), false, "PK".to_string()));
    }

    #[test]
    fn order_is_date_then_country_then_first_source() {
        let key = |article: &str, date: &str, country: &str| record(vec![report(article, "bombing", date, "", country, &[])], &[]).0;
        let mut keys = [
            key("z", "", "PK"),
            key("b", "2024-05-10", "PK"),
            key("a", "2024-05-10", "PK"),
            key("c", "2024-05-10", "AF"),
            key("d", "2024-05-10", ""),
            key("e", "2024-05", "PK"),
            key("f", "2024", "PK"),
            key("g", "2024-04-30", "PK"),
        ];
        keys.sort();
        let order: Vec<&str> = keys.iter().map(|k| k.article.as_str()).collect();
        assert_eq!(order, ["f", "g", "e", "c", "a", "b", "d", "z"]);
        let buckets: Vec<String> = keys.iter().map(|k| k.bucket().0).collect();
        assert!(buckets.windows(2).all(|w| w[0] <= w[1]), "bucket order agrees with key order: {buckets:?}");
    }
}
