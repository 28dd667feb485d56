//! When two reports can describe the same real-world incident.
//!
//! Every rule errs towards keeping reports apart: a missed merge leaves two
//! records a reader can still join, a wrong merge hides an incident and
//! mixes its casualty figures into another's.

use serde::{Deserialize, Serialize};

pub use super::report::normalise;
use super::report::{Figure, Name, Report};

/// The one type both reports allow: equal types, or `unknown` (the text
/// said only that something happened) against anything. None when they
/// conflict.
pub fn common_type<'a>(a: &'a str, b: &'a str) -> Option<&'a str> {
    match (a, b) {
        _ if a == b => Some(a),
        ("unknown", _) => Some(b),
        (_, "unknown") => Some(a),
        // "the navy foiled an attack" and "pirates tried to hijack the ship":
        // a foiled act may be reported as the act attempted
        ("plot", _) => Some(b),
        (_, "plot") => Some(a),
        _ => None,
    }
}

/// No two different countries, and, where both name a city, the same city
/// or at least the same first-level admin area ("Peshawar" and "Charsadda
/// district" are both in Khyber Pakhtunkhwa). A place stated at a coarser
/// level, or not at all, fits any finer one inside it.
pub fn places_fit(a: &Report, b: &Report) -> bool {
    if matches!((a.country(), b.country()), (Some(x), Some(y)) if x != y) {
        return false;
    }
    match (city(a), city(b)) {
        (Some((ca, aa)), Some((cb, ab))) => aa == ab && (aa.is_some() || ca == cb),
        _ => true,
    }
}

/// The city and admin1 area a report names, if it names a city.
fn city(r: &Report) -> Option<(&str, Option<&str>)> {
    let p = r.place.as_ref()?;
    Some((p.city.as_deref()?, p.admin1.as_deref()))
}

/// Perpetrator organisations overlap by name (cluster name or the mention
/// that cast them, normalised), or one side names none.
pub fn actors_fit(a: &Report, b: &Report) -> bool {
    a.organizations.is_empty() || b.organizations.is_empty() || shares_organization(a, b)
}

fn shares_organization(a: &Report, b: &Report) -> bool {
    let theirs = organization_names(b);
    organization_names(a).iter().any(|n| theirs.contains(n))
}

/// Cluster names and mentions of the perpetrator organisations, normalised.
fn organization_names(r: &Report) -> Vec<String> {
    r.organizations.iter().flat_map(|o| [normalise(&o.name), normalise(&o.text)]).filter(|n| !n.is_empty()).collect()
}

/// The score two reports must reach to be joined: a shared day and place,
/// or a shared place, type and distinctive names, but never a shared type
/// and country alone (see [`score`]).
pub const LINK_THRESHOLD: f64 = 2.6;

/// Why two reports were joined: the score and the fields that agreed
/// (`day`, `period`, `city`, `admin1`, `country`, `type`, `perpetrator`,
/// `killed`, `injured`, `name:<key>` for each shared name) and the
/// penalties it overcame (`dates differ`, `types differ`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub score: f64,
    pub agreed: Vec<String>,
    /// Two people named in both: the pair may join across a date conflict.
    #[serde(skip)]
    pub strong: bool,
}

/// How much two reports look like one event, or None when something they
/// both state tells them apart: another country, another city outside the
/// same admin1 area, other named perpetrators, or dates that cannot meet
/// (day-precise dates more than a day apart, periods that do not overlap).
/// Missing fields never conflict.
///
/// Evidence adds up: the same day 2.0 (a date period that merely overlaps
/// 0.4), the same city 1.0 (admin1 area 0.5, country 0.25), the same known
/// type 0.5 (two different known types cost 1.0: extracted types are
/// noisy, a heist whose getaway car burned reads as arson), a shared
/// perpetrator organisation 1.0, the same exact toll 0.5 per figure, and
/// each shared distinctive name its `weight` (a person's surname, a ship,
/// a shop: names rare in the corpus weigh most; matched by key whatever
/// the tagger's label; [`CONTEXT_SHARE`] of it when an article names it
/// only outside the incident's sentences), names together at most 3.0,
/// and a name both give as the target 0.5. So a day and a country with
/// the type (2.75) join; a period, city, type and perpetrator (2.9) join;
/// without a usable date, place and type need about 1.1 of shared names.
///
/// Two people named in both reports (surnames of full weight) identify
/// the event better than extracted dates and towns do: a follow-up on the
/// trial is dated by the verdict, a first report by the attack. Such a
/// pair's date conflict costs 1.0 instead of keeping it apart, and towns
/// in one country and named perpetrator groups may differ.
pub fn score(a: &Report, b: &Report, weight: &dyn Fn(&Name) -> f64) -> Option<Link> {
    let shared = shared_names(a, b, weight);
    let strong = shared.iter().filter(|s| s.person && s.own && s.weight >= 1.0).count() >= 2;
    let same_country = a.country().is_none() || b.country().is_none() || a.country() == b.country();
    if !(places_fit(a, b) || strong && same_country) || !(actors_fit(a, b) || strong) {
        return None;
    }
    let mut link = Link { score: 0.0, agreed: Vec::new(), strong };
    let mut add = |what: &str, points: f64| {
        link.score += points;
        link.agreed.push(what.to_string());
    };
    match (a.window(), b.window()) {
        (Some((alo, _)), Some((blo, _))) if a.is_day_precise() && b.is_day_precise() && (alo - blo).abs() <= 1 => add("day", 2.0),
        (Some((alo, ahi)), Some((blo, bhi))) if alo <= bhi && blo <= ahi && !(a.is_day_precise() && b.is_day_precise()) => add("period", 0.4),
        (Some(_), Some(_)) if strong => add("dates differ", -1.0),
        (Some(_), Some(_)) => return None,
        _ => {}
    }
    fn place(r: &Report) -> Option<(Option<&str>, Option<&str>, Option<&str>)> {
        r.place.as_ref().map(|p| (p.city.as_deref(), p.admin1.as_deref(), p.country.as_deref()))
    }
    match (place(a), place(b)) {
        (Some((Some(ca), aa, Some(_))), Some((Some(cb), ab, Some(_)))) if ca == cb && aa == ab => add("city", 1.0),
        (Some((_, Some(aa), Some(_))), Some((_, Some(ab), Some(_)))) if aa == ab => add("admin1", 0.5),
        (Some((_, _, Some(x))), Some((_, _, Some(y)))) if x == y => add("country", 0.25),
        _ => {}
    }
    match common_type(&a.kind, &b.kind) {
        None => add("types differ", -1.0),
        Some(kind) if kind != "unknown" && a.kind == b.kind => add("type", 0.5),
        Some(_) => {}
    }
    if !a.organizations.is_empty() && !b.organizations.is_empty() {
        add("perpetrator", 1.0);
    }
    let same_figure = |x: &Option<Figure>, y: &Option<Figure>| matches!((x, y), (Some(x), Some(y)) if !x.approx && !y.approx && x.value > 0 && x.value == y.value);
    if same_figure(&a.killed, &b.killed) {
        add("killed", 0.5);
    }
    if same_figure(&a.injured, &b.injured) {
        add("injured", 0.5);
    }
    if shared.iter().any(|s| a.targets.contains(&s.key) && b.targets.contains(&s.key)) {
        add("target", 0.5);
    }
    let names: f64 = shared.iter().map(|s| s.weight).sum();
    link.agreed.extend(shared.iter().map(|s| format!("{}:{}", if s.own { "name" } else { "context" }, s.key)));
    link.score += f64::min(names, 3.0);
    link.score = (link.score * 1000.0).round() / 1000.0;
    Some(link)
}

/// What a name is worth when one of the two articles gives it only
/// outside the incident's sentences. Low enough that such a name with the
/// same city and type (a city's police chief quoted in coverage of two
/// shootings) does not join two undated reports: 2.2 × 0.4 + 1.0 + 0.5 < 2.6.
const CONTEXT_SHARE: f64 = 0.4;

/// A name key two reports share.
struct Shared {
    key: String,
    /// What it is worth here: the lower of the two sides' weights, times
    /// [`CONTEXT_SHARE`] unless both reports name it in the incident's own sentences.
    weight: f64,
    /// In the incident's own sentences of both reports.
    own: bool,
    /// A person on both sides.
    person: bool,
}

/// The names two reports share, by key: the NER label of one name varies
/// between outlets ("INS Sukanya" a person in one, a ship in the next), so
/// it sets the weight, not whether the names match. Names from the rest of
/// an article count less ([`CONTEXT_SHARE`]): it may recall an earlier event.
fn shared_names(a: &Report, b: &Report, weight: &dyn Fn(&Name) -> f64) -> Vec<Shared> {
    let mut out: Vec<Shared> = Vec::new();
    fn all(r: &Report) -> Vec<(&Name, bool)> {
        r.names.iter().map(|n| (n, true)).chain(r.context.iter().map(|n| (n, false))).collect()
    }
    let theirs = all(b);
    // Two incidents of one article share all of its other names: there they
    // say nothing about whether the incidents are one.
    let same_article = a.article == b.article;
    for (x, x_own) in all(a) {
        for (y, y_own) in theirs.iter().filter(|(y, _)| y.key == x.key) {
            let own = x_own && *y_own;
            if same_article && !own {
                continue;
            }
            let w = weight(x).min(weight(y)) * if own { 1.0 } else { CONTEXT_SHARE };
            if w <= 0.0 {
                continue;
            }
            let person = x.label == "PER" && y.label == "PER";
            match out.iter_mut().find(|s| s.key == x.key) {
                Some(s) if s.weight < w => *s = Shared { key: x.key.clone(), weight: w, own, person },
                Some(_) => {}
                None => out.push(Shared { key: x.key.clone(), weight: w, own, person }),
            }
        }
    }
    out
}

/// What a group of reports states, for judging a join between groups: a
/// group keeps what its members agree on (dates, country, cities,
/// perpetrators), and another group may join only if it contradicts none
/// of it (complete link on conflicts, so reports two days apart never
/// meet through one in between).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// Days the event can have happened on, meeting every member's window,
    /// each stretched one day on (so day-precise members are at most a day
    /// apart).
    pub window: Option<(i64, i64)>,
    pub country: Option<String>,
    /// (city, admin1) pairs named.
    pub cities: Vec<(String, Option<String>)>,
    /// Normalised perpetrator organisation names, per member that names any.
    pub organizations: Vec<Vec<String>>,
}

impl Profile {
    pub fn of(r: &Report) -> Profile {
        Profile {
            window: r.window().map(|(lo, hi)| (lo, hi + 1)),
            country: r.country().map(str::to_string),
            cities: r.place.as_ref().and_then(|p| Some((p.city.clone()?, p.admin1.clone()))).into_iter().collect(),
            organizations: if r.organizations.is_empty() { Vec::new() } else { vec![organization_names(r)] },
        }
    }

    /// The profile of both groups together, or None when they conflict.
    /// A `strong` join (two people named in both) may bridge a date, city
    /// or perpetrator conflict (extracted dates, towns and groups err more
    /// often than two shared names); the group then allows the days of both.
    pub fn join(&self, other: &Profile, strong: bool) -> Option<Profile> {
        let window = match (self.window, other.window) {
            (Some((alo, ahi)), Some((blo, bhi))) => {
                let (lo, hi) = (alo.max(blo), ahi.min(bhi));
                match lo <= hi {
                    true => Some((lo, hi)),
                    false if strong => Some((alo.min(blo), ahi.max(bhi))),
                    false => return None,
                }
            }
            (a, b) => a.or(b),
        };
        let country = match (&self.country, &other.country) {
            (Some(a), Some(b)) if a != b => return None,
            (a, b) => a.clone().or_else(|| b.clone()),
        };
        let city_fits = |(ca, aa): &(String, Option<String>), (cb, ab): &(String, Option<String>)| aa == ab && (aa.is_some() || ca == cb);
        if !strong && !self.cities.iter().all(|a| other.cities.iter().all(|b| city_fits(a, b))) {
            return None;
        }
        let shares = |a: &Vec<String>, b: &Vec<String>| a.iter().any(|n| b.contains(n));
        if !strong && !self.organizations.iter().all(|a| other.organizations.iter().all(|b| shares(a, b))) {
            return None;
        }
        Some(Profile { window, country, cities: union(&self.cities, &other.cities), organizations: union(&self.organizations, &other.organizations) })
    }
}

/// Both lists, each item once, at most 16: a group of hundreds of reports
/// still checks a newcomer against a handful of towns and groups.
fn union<T: Clone + PartialEq>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out = a.to_vec();
    for x in b {
        if !out.contains(x) && out.len() < 16 {
            out.push(x.clone());
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::merge::report::{Figure, Organization, ReportedDate, ReportedPlace};

    /// A hand-built report: `date` as an ISO value ("" for none), `city` as
    /// "City/ADMIN1" or "" for a country-only place, `country` "" for none.
    pub fn report(article: &str, kind: &str, date: &str, city: &str, country: &str, orgs: &[&str]) -> Report {
        let precision = match date.len() {
            4 => "year",
            7 => "month",
            _ => "day",
        };
        let (city, admin1) = city.split_once('/').map_or((None, None), |(c, a)| (Some(c.to_string()), Some(a.to_string())));
        Report {
            article: article.into(),
            incident: format!("{article}#1"),
            position: 0,
            input: 0,
            line: 1,
            published: None,
            kind: kind.into(),
            date: (!date.is_empty()).then(|| ReportedDate { text: date.into(), value: date.into(), precision: precision.into() }),
            place: (!country.is_empty()).then(|| ReportedPlace {
                text: city.clone().unwrap_or_else(|| country.into()),
                city,
                admin1,
                country: Some(country.into()),
                lat: None,
                lon: None,
            }),
            organizations: orgs.iter().map(|o| Organization { name: o.to_string(), text: o.to_string(), claimed: false }).collect(),
            claimed_by: Vec::new(),
            killed: None,
            injured: None,
            names: Vec::new(),
            context: Vec::new(),
            targets: Vec::new(),
            evidence: vec![[0, 10]],
            confidence: 0.5,
        }
    }

    /// The pair reaches the threshold (no names involved).
    pub fn joins(a: &Report, b: &Report) -> bool {
        score(a, b, &|_| 0.0).is_some_and(|l| l.score >= LINK_THRESHOLD)
    }

    pub fn killed(mut r: Report, value: u64, approx: bool) -> Report {
        r.killed = Some(Figure { value, approx, text: format!("{}{value}", if approx { "at least " } else { "" }) });
        r
    }

    #[test]
    fn one_day_apart_at_day_precision_across_a_month_end() {
        let a = report("a", "bombing", "2024-03-31", "Moscow/RU.48", "RU", &[]);
        let b = report("b", "bombing", "2024-04-01", "Moscow/RU.48", "RU", &[]);
        let c = report("c", "bombing", "2024-04-02", "Moscow/RU.48", "RU", &[]);
        assert!(joins(&a, &b) && joins(&b, &c));
        assert!(!joins(&a, &c), "two days apart");
    }

    #[test]
    fn types_places_and_actors() {
        let base = report("a", "bombing", "2024-05-10", "Peshawar/PK.03", "PK", &["Pakistani Taliban"]);
        let with = |kind: &str, city: &str, country: &str, orgs: &[&str]| report("b", kind, "2024-05-10", city, country, orgs);
        assert!(joins(&base, &with("unknown", "Peshawar/PK.03", "PK", &[])));
        assert!(!joins(&base, &with("kidnapping", "Peshawar/PK.03", "PK", &[])));
        assert!(joins(&base, &with("bombing", "Charsadda/PK.03", "PK", &[])), "same admin area");
        assert!(joins(&base, &with("bombing", "", "PK", &[])), "country only");
        assert!(!joins(&base, &with("bombing", "Quetta/PK.02", "PK", &[])), "other city, other admin area");
        assert!(!joins(&base, &with("bombing", "Kabul/AF.13", "AF", &[])), "other country");
        assert!(!joins(&base, &with("bombing", "", "", &[])), "the day and the type alone are not enough");
        assert!(joins(&base, &with("bombing", "Peshawar/PK.03", "PK", &["the PAKISTANI TALIBAN"])));
        assert!(!joins(&base, &with("bombing", "Peshawar/PK.03", "PK", &["Baloch Liberation Army"])));
        assert_eq!(common_type("unknown", "arson"), Some("arson"));
        assert_eq!(common_type("hijacking", "plot"), Some("hijacking"), "a foiled hijacking");
        assert_eq!(common_type("bombing", "arson"), None);
        assert_eq!(normalise("The Farabundo Martí  Front"), "farabundo marti front");
        assert_eq!(normalise("Lashkar-e-Jhangvi"), "lashkar e jhangvi");
        // the one accent folding (text::fold), so letters beyond the old
        // merge table fold too, and typographic apostrophes split words
        assert_eq!(normalise("Łódź Brigade"), "lodz brigade");
        assert_eq!(normalise("Jaysh al‐Adl’s"), "jaysh al adl s");
    }

    fn with_names(mut r: Report, own: &[(&str, &str)], context: &[(&str, &str)], targets: &[&str]) -> Report {
        let names = |list: &[(&str, &str)]| list.iter().map(|(k, l)| Name { key: k.to_string(), label: l.to_string() }).collect::<Vec<_>>();
        (r.names, r.context) = (names(own), names(context));
        r.targets = targets.iter().map(|t| t.to_string()).collect();
        r
    }

    #[test]
    fn names_match_whatever_their_label_the_article_s_other_names_count_less_and_a_shared_named_target_counts() {
        let weight = |n: &Name| if n.label == "PER" { 2.2 } else { 1.5 };
        let undated = |a: &str| report(a, "armed_assault", "", "Bloomington/Minnesota", "US", &[]);
        let score_of = |a: &Report, b: &Report| score(a, b, &weight).unwrap();
        // A ship tagged a person in one outlet and an organisation in the next: one name, at the lower weight.
        let l = score_of(&with_names(undated("a"), &[("sukanya", "PER")], &[], &[]), &with_names(undated("b"), &[("sukanya", "ORG")], &[], &[]));
        assert_eq!((l.score, l.agreed.last().map(String::as_str)), (3.0, Some("name:sukanya")));
        // Named only outside the incident's sentences on one side: 0.4 of its weight.
        let l = score_of(&with_names(undated("a"), &[("tabar", "ORG")], &[], &[]), &with_names(undated("b"), &[], &[("tabar", "ORG")], &[]));
        assert_eq!((l.score, l.agreed.last().map(String::as_str)), (2.1, Some("context:tabar")));
        let chief = |a: &str, own: &[(&str, &str)], context: &[(&str, &str)]| with_names(undated(a), own, context, &[]);
        let l = score_of(&chief("a", &[], &[("johnson", "PER")]), &chief("b", &[], &[("johnson", "PER")]));
        assert!(l.score < LINK_THRESHOLD, "a city, a type and a person both articles only quote are not enough: {l:?}");
        // The same shop named as the target of both.
        let shop = |a: &str, targets: &[&str]| with_names(report(a, "unknown", "", "Bloomington/Minnesota", "US", &[]), &[("sam", "ORG")], &[], targets);
        let l = score_of(&shop("a", &["sam"]), &shop("b", &["sam"]));
        assert_eq!(l.score, 3.0);
        assert!(l.agreed.contains(&"target".to_string()));
        assert_eq!(score_of(&shop("a", &["sam"]), &shop("b", &[])).score, 2.5, "a name one report gives as the target and the other only mentions");
        // Two incidents the linker kept apart in one article share all its other names.
        let (mut first, mut second) = (chief("a", &[], &[("tabar", "ORG"), ("johnson", "PER")]), chief("b", &[], &[("tabar", "ORG"), ("johnson", "PER")]));
        assert!(score_of(&first, &second).agreed.iter().any(|a| a.starts_with("context:")));
        (first.article, second.article) = ("one".into(), "one".into());
        assert!(score_of(&first, &second).agreed.iter().all(|a| !a.starts_with("context:")), "one article's names are no evidence between its incidents");
    }

    #[test]
    fn coarse_or_missing_dates_need_strong_agreement() {
        let day = report("a", "bombing", "2024-05-10", "Peshawar/PK.03", "PK", &["TTP"]);
        let month = report("b", "bombing", "2024-05", "Peshawar/PK.03", "PK", &["TTP"]);
        assert!(joins(&day, &month));
        assert!(!joins(&day, &report("b", "bombing", "2024-06", "Peshawar/PK.03", "PK", &["TTP"])), "periods must overlap");
        assert!(!joins(&day, &report("b", "bombing", "2024-05", "Peshawar/PK.03", "PK", &[])), "no shared organisation");
        assert!(!joins(&day, &report("b", "bombing", "2024-05", "", "PK", &["TTP"])), "no city");
        assert!(!joins(&day, &report("b", "unknown", "2024-05", "Peshawar/PK.03", "PK", &["TTP"])), "type unknown");
        assert!(joins(&day, &report("b", "bombing", "2024", "Peshawar/PK.03", "PK", &["TTP"])));

        let mut undated = report("c", "bombing", "", "Peshawar/PK.03", "PK", &["TTP"]);
        assert!(!joins(&day, &undated), "no date and no publication date: place, type and group alone are not enough");
        undated.published = Some("2024-05-12".into());
        assert!(joins(&day, &undated), "within the week before publication");
        undated.published = Some("2024-05-20".into());
        assert!(!joins(&day, &undated));
    }
}
