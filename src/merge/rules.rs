//! When two reports can describe the same real-world incident.
//!
//! Every rule errs towards keeping reports apart: a missed merge leaves two
//! records a reader can still join, a wrong merge hides an incident and
//! mixes its casualty figures into another's.

use super::report::Report;

/// The one type both reports allow: equal types, or `unknown` (the text
/// said only that something happened) against anything. None when they
/// conflict.
pub fn common_type<'a>(a: &'a str, b: &'a str) -> Option<&'a str> {
    match (a, b) {
        _ if a == b => Some(a),
        ("unknown", _) => Some(b),
        (_, "unknown") => Some(a),
        _ => None,
    }
}

/// Same country (or both unknown: a report with no country is only ever
/// compared with others that have none, since "anywhere" cannot be
/// partitioned), and, where both name a city, the same city or at least the
/// same first-level admin area ("Peshawar" and "Charsadda district" are
/// both PK.03). A country-only place fits any city in that country.
pub fn places_fit(a: &Report, b: &Report) -> bool {
    if a.country() != b.country() {
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
    let names = |r: &Report| -> Vec<String> { r.organizations.iter().flat_map(|o| [normalise(&o.name), normalise(&o.text)]).filter(|n| !n.is_empty()).collect() };
    let theirs = names(b);
    names(a).iter().any(|n| theirs.contains(n))
}

/// Strong agreement, demanded when a date is coarser than a day or missing:
/// the same known type, the same city or admin area (both resolved), and a
/// shared perpetrator organisation (both named). With the date vague, only
/// all three together make "the same incident" more likely than "the same
/// kind of incident again".
pub fn strongly_agree(a: &Report, b: &Report) -> bool {
    let resolved = |r: &Report| r.place.as_ref().is_some_and(|p| p.city.is_some());
    a.kind == b.kind && a.kind != "unknown" && resolved(a) && resolved(b) && places_fit(a, b) && shares_organization(a, b)
}

/// Dates: both to the day, at most one day apart (a night attack is dated
/// either side of midnight, "yesterday" shifts with the wire's time zone);
/// otherwise the periods must overlap and the reports strongly agree. A
/// report with no time at all never fits.
pub fn times_fit(a: &Report, b: &Report) -> bool {
    let (Some((alo, ahi)), Some((blo, bhi))) = (a.window(), b.window()) else { return false };
    if a.is_day_precise() && b.is_day_precise() {
        return (alo - blo).abs() <= 1;
    }
    alo <= bhi && blo <= ahi && strongly_agree(a, b)
}

/// All four rules: the two reports can be one incident.
pub fn compatible(a: &Report, b: &Report) -> bool {
    common_type(&a.kind, &b.kind).is_some() && places_fit(a, b) && actors_fit(a, b) && times_fit(a, b)
}

/// An organisation name for comparison across articles: case, Latin
/// accents, punctuation and a leading "the" do not matter ("the Farabundo
/// Martí Front" = "FARABUNDO MARTI FRONT", "Lashkar-e-Jhangvi" =
/// "Lashkar e Jhangvi").
pub fn normalise(name: &str) -> String {
    const ACCENTED: &str = "áàâäãåéèêëíìîïóòôöõúùûüñçý";
    const PLAIN: &str = "aaaaaaeeeeiiiiooooouuuuncy";
    let folded: String = name
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match ACCENTED.chars().position(|a| a == c) {
            Some(i) => PLAIN.as_bytes()[i] as char,
            None if c.is_alphanumeric() => c,
            None => ' ',
        })
        .collect();
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    if words.first() == Some(&"the") {
        words.remove(0);
    }
    words.join(" ")
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
            evidence: vec![[0, 10]],
            confidence: 0.5,
        }
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
        assert!(compatible(&a, &b) && compatible(&b, &c));
        assert!(!compatible(&a, &c), "two days apart");
    }

    #[test]
    fn types_places_and_actors() {
        let base = report("a", "bombing", "2024-05-10", "Peshawar/PK.03", "PK", &["Pakistani Taliban"]);
        let with = |kind: &str, city: &str, country: &str, orgs: &[&str]| report("b", kind, "2024-05-10", city, country, orgs);
        assert!(compatible(&base, &with("unknown", "Peshawar/PK.03", "PK", &[])));
        assert!(!compatible(&base, &with("kidnapping", "Peshawar/PK.03", "PK", &[])));
        assert!(compatible(&base, &with("bombing", "Charsadda/PK.03", "PK", &[])), "same admin area");
        assert!(compatible(&base, &with("bombing", "", "PK", &[])), "country only");
        assert!(!compatible(&base, &with("bombing", "Quetta/PK.02", "PK", &[])), "other city, other admin area");
        assert!(!compatible(&base, &with("bombing", "Kabul/AF.13", "AF", &[])), "other country");
        assert!(!compatible(&base, &with("bombing", "", "", &[])), "no country is its own series");
        assert!(compatible(&base, &with("bombing", "Peshawar/PK.03", "PK", &["the PAKISTANI TALIBAN"])));
        assert!(!compatible(&base, &with("bombing", "Peshawar/PK.03", "PK", &["Baloch Liberation Army"])));
        assert_eq!(common_type("unknown", "arson"), Some("arson"));
        assert_eq!(normalise("The Farabundo Martí  Front"), "farabundo marti front");
        assert_eq!(normalise("Lashkar-e-Jhangvi"), "lashkar e jhangvi");
    }

    #[test]
    fn coarse_or_missing_dates_need_strong_agreement() {
        let day = report("a", "bombing", "2024-05-10", "Peshawar/PK.03", "PK", &["TTP"]);
        let month = report("b", "bombing", "2024-05", "Peshawar/PK.03", "PK", &["TTP"]);
        assert!(compatible(&day, &month));
        assert!(!compatible(&day, &report("b", "bombing", "2024-06", "Peshawar/PK.03", "PK", &["TTP"])), "periods must overlap");
        assert!(!compatible(&day, &report("b", "bombing", "2024-05", "Peshawar/PK.03", "PK", &[])), "no shared organisation");
        assert!(!compatible(&day, &report("b", "bombing", "2024-05", "", "PK", &["TTP"])), "no city");
        assert!(!compatible(&day, &report("b", "unknown", "2024-05", "Peshawar/PK.03", "PK", &["TTP"])), "type unknown");
        assert!(compatible(&day, &report("b", "bombing", "2024", "Peshawar/PK.03", "PK", &["TTP"])));

        let mut undated = report("c", "bombing", "", "Peshawar/PK.03", "PK", &["TTP"]);
        assert!(!compatible(&day, &undated), "no date and no publication date: cannot be placed");
        undated.published = Some("2024-05-12".into());
        assert!(compatible(&day, &undated), "within the week before publication");
        undated.published = Some("2024-05-20".into());
        assert!(!compatible(&day, &undated));
    }
}
