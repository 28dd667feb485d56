//! The offline gazetteer: every GeoNames place of 500+ people, the first-
//! and second-level divisions by name, countries and continents, compiled
//! into the binary so it works from anywhere, with no network and no file to
//! find at run time. See corpus/gazetteer/README.md for the data and its
//! licence.
//!
//! 254,000 rows with their alternate names make about a million keys; a
//! `HashMap<String, _>` of them costs 0.5 s and 100 MB to build, so names are
//! kept as sorted 64-bit hashes of their folded form instead (a lookup
//! checks the name itself, so a hash collision can never give a wrong place).

use std::collections::HashMap;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::text::fold::{fold, fold_hash};
use crate::lexicon::ARABIC_ARTICLES;

/// corpus/gazetteer/places.tsv.gz, unpacked by build.rs.
const PLACES: &str = include_str!(concat!(env!("OUT_DIR"), "/places.tsv"));
const COUNTRY_ALIASES: &str = include_str!("../../corpus/gazetteer/country-aliases.tsv");
const ABBREVIATIONS: &str = include_str!("../../corpus/gazetteer/abbreviations.tsv");
const DEMONYMS: &str = include_str!("../../corpus/gazetteer/demonyms.tsv");
const LANDMARKS: &str = include_str!("../../corpus/gazetteer/landmarks.tsv");

/// What kind of unit a place is; the order is the order of precedence for
/// a name that several kinds share ("Georgia", "Florida", "Punjab": the
/// division before the town).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    City,
    Admin2,
    Admin1,
    /// A region, island, sea or range that is no administrative unit
    /// ("Darfur", "Sumatra", "Black Sea"): inside one country or across several.
    Region,
    Country,
    Continent,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "city" | "capital" => Kind::City,
            "admin2" => Kind::Admin2,
            "admin1" => Kind::Admin1,
            "region" => Kind::Region,
            "country" => Kind::Country,
            "continent" => Kind::Continent,
            _ => return None,
        })
    }

    /// The name the output line uses (`geo.kind`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::City => "city",
            Kind::Admin2 => "admin2",
            Kind::Admin1 => "admin1",
            Kind::Country => "country",
            Kind::Region | Kind::Continent => "place",
        }
    }

    /// A division (country, state, province, county) rather than a town.
    pub fn is_division(self) -> bool {
        self != Kind::City
    }
}

/// One gazetteer row.
#[derive(Debug, PartialEq)]
pub struct Place {
    /// Index of the row in the gazetteer ([`Gazetteer::place`]).
    pub row: u32,
    /// GeoNames id, where the sources give one (divisions other than US
    /// states have none in them).
    pub id: Option<u32>,
    pub name: &'static str,
    pub kind: Kind,
    /// ISO 3166-1 alpha-2; empty for continents.
    pub country: &'static str,
    /// Name of the first-level division the place lies in (its own name for
    /// an admin1); empty where unknown or not applicable.
    pub admin1: &'static str,
    pub lat: f32,
    pub lon: f32,
    pub population: u64,
    /// A country's capital city.
    pub capital: bool,
}

impl Place {
    /// True when `self` lies inside (or is) `outer`.
    pub fn within(&self, outer: &Place) -> bool {
        match outer.kind {
            Kind::Continent | Kind::Region => false,
            Kind::Country => self.country == outer.country && self.kind <= Kind::Country,
            Kind::Admin1 => self.country == outer.country && self.admin1 == outer.admin1 && self.kind <= Kind::Admin1,
            Kind::Admin2 | Kind::City => std::ptr::eq(self, outer),
        }
    }
}

/// A place found by name, and whether by its main name or an alternate one.
#[derive(Debug, Clone, Copy)]
pub struct Match {
    pub place: &'static Place,
    pub main: bool,
}

/// Marks a key as an alternate name (the place index uses the low bits).
const ALTERNATE: u32 = 1 << 31;

pub struct Gazetteer {
    places: Vec<Place>,
    /// (hash of a folded name, place index | ALTERNATE), sorted.
    keys: Vec<(u64, u32)>,
    countries: HashMap<&'static str, u32>,
    demonyms: HashMap<String, &'static str>,
    /// Folded landmark name → (its town's name, ISO country).
    landmarks: HashMap<String, (&'static str, &'static str)>,
}

/// The process-wide gazetteer, built on first use (about 0.2 s).
pub fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(Gazetteer::load)
}

fn rows(table: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).map(|l| l.split('\t').collect())
}

impl Gazetteer {
    fn load() -> Gazetteer {
        let mut g = Gazetteer { places: Vec::with_capacity(260_000), keys: Vec::new(), countries: HashMap::new(), demonyms: HashMap::new(), landmarks: HashMap::new() };
        let mut names: Vec<(&'static str, u32)> = Vec::with_capacity(1_200_000);
        for line in PLACES.lines().filter(|l| !l.starts_with('#')) {
            let mut f = line.splitn(9, '\t');
            let mut next = || f.next().unwrap_or("");
            let (id, name, kind_name, country, admin1, lat, lon, population, alternates) =
                (next(), next(), next(), next(), next(), next(), next(), next(), next());
            let Some(kind) = Kind::parse(kind_name) else { continue };
            let i = g.places.len() as u32;
            g.places.push(Place {
                row: i,
                id: id.parse().ok(),
                name,
                kind,
                country,
                admin1,
                lat: lat.parse().unwrap_or(0.0),
                lon: lon.parse().unwrap_or(0.0),
                population: population.parse().unwrap_or(0),
                capital: kind_name == "capital",
            });
            if kind == Kind::Country {
                g.countries.insert(country, i);
            }
            names.push((name, i));
            names.extend(alternates.split('|').filter(|a| !a.is_empty()).map(|a| (a, i | ALTERNATE)));
        }
        // hashing a million names is most of the start-up: both cores share it
        let mut keys: Vec<(u64, u32)> = names.par_iter().map(|&(name, i)| (fold_hash(name), i)).collect();
        // well-known short forms count as main names: "U.S." is the United States
        for f in rows(COUNTRY_ALIASES) {
            if let Some(&i) = g.countries.get(f[1]) {
                keys.push((fold_hash(f[0]), i));
            }
        }
        for f in rows(ABBREVIATIONS).filter(|f| f.len() >= 3) {
            let admin = g.places.iter().position(|p| p.kind == Kind::Admin1 && p.country == f[2] && p.name == f[1]);
            if let Some(i) = admin {
                keys.push((fold_hash(f[0]), i as u32));
            }
        }
        keys.par_sort_unstable();
        keys.dedup();
        g.keys = keys;
        for f in rows(DEMONYMS) {
            g.demonyms.insert(fold(f[0]), f[1]);
        }
        for f in rows(LANDMARKS).filter(|f| f.len() >= 3) {
            g.landmarks.insert(fold(f[0]), (f[1], f[2]));
        }
        g
    }

    /// Every place called `name` (main or alternate name, any kind):
    /// divisions first, then by population; a place found by both its main
    /// and an alternate name counts as found by its main name.
    pub fn lookup(&'static self, name: &str) -> Vec<Match> {
        let mut found = self.lookup_spelled(name);
        // "St. Petersburg" is the Florida town's main name and Russia's
        // city's short form: both are meant by it (towns only: "St. Paul"
        // is no parish of Antigua)
        if let Some(long) = unabbreviated(name) {
            found.extend(self.lookup_spelled(&long).into_iter().filter(|m| m.main && m.place.kind == Kind::City));
            sort_matches(&mut found);
        }
        if !found.is_empty() {
            return found;
        }
        // "Al Anbar" is "Anbar", "Sulaymaniyah" is "As Sulaymaniyah": news
        // writes the Arabic article or leaves it out as it likes
        match strip_arabic_article(name) {
            Some(rest) => self.lookup_spelled(rest),
            None => ARABIC_ARTICLES.iter().map(|a| self.lookup_spelled(&format!("{a} {name}"))).find(|f| !f.is_empty()).unwrap_or_default(),
        }
    }

    /// Places called `name` as written, or with its hyphens as spaces or
    /// its spaces as hyphens.
    fn lookup_spelled(&'static self, name: &str) -> Vec<Match> {
        let found = self.lookup_exact(name);
        if !found.is_empty() {
            return found;
        }
        // "Kasai Occidental" is "Kasai-Occidental", "Nord-Kivu" is "Nord Kivu"
        if name.contains('-') {
            return self.lookup_exact(&name.replace('-', " "));
        }
        if name.contains(' ') {
            return self.lookup_exact(&name.replace(' ', "-"));
        }
        found
    }

    fn lookup_exact(&'static self, name: &str) -> Vec<Match> {
        let h = fold_hash(name);
        let from = self.keys.partition_point(|k| k.0 < h);
        let mut out: Vec<Match> = self.keys[from..]
            .iter()
            .take_while(|k| k.0 == h)
            .map(|k| Match { place: &self.places[(k.1 & !ALTERNATE) as usize], main: k.1 & ALTERNATE == 0 })
            .collect();
        sort_matches(&mut out);
        out
    }

    /// The place in row `row` (see [`Place::row`]).
    pub fn place(&'static self, row: u32) -> &'static Place {
        &self.places[row as usize]
    }

    /// The country with ISO code `iso`.
    pub fn country(&'static self, iso: &str) -> Option<&'static Place> {
        self.countries.get(iso).map(|&i| &self.places[i as usize])
    }

    /// The country a name or well-known short form names ("Tajikistan",
    /// "the Netherlands", "U.S.", "DRC"): the GeoNames name of a country
    /// (country-aliases.tsv adds the short forms), case and accents aside,
    /// with or without a leading "the". No alternate names, no towns: the
    /// linker's test for "this name is a country".
    pub fn country_named(&'static self, name: &str) -> Option<&'static Place> {
        let named = |n: &str| self.lookup_exact(n).into_iter().find(|m| m.main && m.place.kind == Kind::Country).map(|m| m.place);
        let key = fold(name);
        named(&key).or_else(|| named(key.strip_prefix("the ")?))
    }

    /// The first-level division called `name` in country `iso`.
    pub fn admin1(&'static self, iso: &str, name: &str) -> Option<&'static Place> {
        self.lookup(name).into_iter().map(|m| m.place).find(|p| p.kind == Kind::Admin1 && p.country == iso)
    }

    /// The town a landmark stands in ("White House": Washington; "Kremlin":
    /// Moscow): the most populous town of that name in its country.
    pub fn landmark(&'static self, name: &str) -> Option<&'static Place> {
        let &(town, country) = self.landmarks.get(&fold(name))?;
        self.lookup(town).into_iter().map(|m| m.place).filter(|p| p.kind == Kind::City && p.country == country).max_by_key(|p| p.population)
    }

    /// The country (or continent) of a demonym or national adjective,
    /// singular or plural ("Tajik", "Tajiks", "Afghan", "European").
    pub fn demonym(&'static self, word: &str) -> Option<&'static Place> {
        let target = self.nationality(word)?;
        self.country(target).or_else(|| self.lookup(target).into_iter().map(|m| m.place).find(|p| p.kind == Kind::Continent))
    }

    /// What demonyms.tsv says a demonym or national adjective stands for,
    /// singular or plural: an ISO code ("Tajiks": "TJ") or a continent's
    /// name ("European": "Europe").
    pub fn nationality(&'static self, word: &str) -> Option<&'static str> {
        let key = fold(word);
        self.demonyms.get(&key).or_else(|| self.demonyms.get(key.strip_suffix('s')?)).copied()
    }
}

/// Divisions first, then by population, a place found by its main name
/// before the same place found by an alternate one; each place once.
fn sort_matches(found: &mut Vec<Match>) {
    found.sort_by(|a, b| b.place.kind.cmp(&a.place.kind).then(b.place.population.cmp(&a.place.population)).then(b.main.cmp(&a.main)));
    found.dedup_by(|a, b| std::ptr::eq(a.place, b.place));
}

/// Abbreviations of the first word of place names, and their long form.
const ABBREVIATED: &[(&str, &str)] = &[("St.", "Saint"), ("St", "Saint"), ("Ste.", "Sainte"), ("Mt.", "Mount"), ("Mt", "Mount"), ("Ft.", "Fort"), ("Pt.", "Point")];

/// `name` with an abbreviated first word written out ("St. Petersburg" →
/// "Saint Petersburg").
fn unabbreviated(name: &str) -> Option<String> {
    let (first, rest) = name.split_once(' ')?;
    let long = ABBREVIATED.iter().find(|(a, _)| a.eq_ignore_ascii_case(first))?.1;
    Some(format!("{long} {rest}"))
}

/// `name` without a leading Arabic article ("Al-Anbar", "al Anbar", "Al Anbar" → "Anbar").
fn strip_arabic_article(name: &str) -> Option<&str> {
    let cut = name.find([' ', '-'])?;
    let (article, rest) = (&name[..cut], name[cut + 1..].trim_start());
    (ARABIC_ARTICLES.iter().any(|a| a.eq_ignore_ascii_case(article)) && rest.starts_with(char::is_uppercase)).then_some(rest)
}

/// True for a demonym or national adjective ("Indian", "Somalis"),
/// singular or plural, without loading the gazetteer: in an organisation's
/// name ("Indian Navy") it says whose, not which.
pub fn is_demonym(word: &str) -> bool {
    static WORDS: std::sync::OnceLock<std::collections::HashSet<String>> = std::sync::OnceLock::new();
    let words = WORDS.get_or_init(|| DEMONYMS.lines().filter(|l| !l.starts_with('#')).filter_map(|l| l.split('\t').next()).map(fold).collect());
    let key = fold(word);
    words.contains(&key) || key.strip_suffix('s').is_some_and(|k| words.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demonyms_are_known_without_the_gazetteer() {
        assert!(is_demonym("Indian") && is_demonym("somalis") && is_demonym("Afghan"));
        assert!(!is_demonym("Sukanya") && !is_demonym("Winston"));
    }


    fn first(name: &str) -> (&'static str, Kind, &'static str) {
        let p = gazetteer().lookup(name)[0].place;
        (p.name, p.kind, p.country)
    }

    #[test]
    fn names_of_every_kind_resolve() {
        assert_eq!(first("Florida"), ("Florida", Kind::Admin1, "US"));
        assert_eq!(first("Oklahoma"), ("Oklahoma", Kind::Admin1, "US"));
        assert_eq!(first("Helmand"), ("Helmand", Kind::Admin1, "AF"));
        assert_eq!(first("New South Wales"), ("New South Wales", Kind::Admin1, "AU"));
        assert_eq!(first("NSW"), ("New South Wales", Kind::Admin1, "AU"));
        assert_eq!(first("Calif."), ("California", Kind::Admin1, "US"));
        assert_eq!(first("U.S."), ("United States", Kind::Country, "US"));
        assert_eq!(first("Africa"), ("Africa", Kind::Continent, ""));
        assert_eq!(first("KABUL").2, "AF");
        assert_eq!(first("Usulutan").2, "SV");
        assert!(gazetteer().lookup("Narnia").is_empty());
    }

    #[test]
    fn small_towns_and_counties_are_in() {
        let karabulak = gazetteer().lookup("Karabulak");
        assert!(karabulak.iter().any(|m| m.place.country == "RU" && m.place.admin1 == "Ingushetiya"), "{karabulak:?}");
        let metcalfe = gazetteer().lookup("Metcalfe County");
        assert!(metcalfe.iter().any(|m| m.place.kind == Kind::Admin2 && m.place.admin1 == "Kentucky"));
    }

    #[test]
    fn containment_follows_the_hierarchy() {
        let g = gazetteer();
        let us = g.country("US").unwrap();
        let florida = g.admin1("US", "Florida").unwrap();
        let miami = g.lookup("Miami").into_iter().map(|m| m.place).find(|p| p.country == "US").unwrap();
        assert!(miami.within(florida) && miami.within(us) && florida.within(us));
        assert!(!us.within(florida));
        assert_eq!(g.demonym("Tajiks").map(|p| p.country), Some("TJ"));
    }

    #[test]
    fn countries_by_name_and_short_form_and_nationalities() {
        let g = gazetteer();
        let iso = |name: &str| g.country_named(name).map(|p| p.country);
        assert_eq!(iso("Tajikistan"), Some("TJ"));
        assert_eq!(iso("the Netherlands"), Some("NL"));
        assert_eq!(iso("THE NETHERLANDS"), Some("NL"));
        assert_eq!(iso("EL SALVADOR"), Some("SV"));
        assert_eq!(iso("U.S."), Some("US"));
        assert_eq!(iso("Réunion"), Some("RE"));
        assert_eq!(iso("IVORY COAST"), Some("CI"));
        // no towns, no alternate names, no Arabic-article variants
        assert_eq!(iso("Kabul"), None);
        assert_eq!(iso("Georgia"), Some("GE"));
        assert_eq!(iso("Deutschland"), None);
        assert_eq!(g.nationality("Tajiks"), Some("TJ"));
        assert_eq!(g.nationality("Salvadoran"), Some("SV"));
        assert_eq!(g.nationality("European"), Some("Europe"));
        assert_eq!(g.nationality("Moscow"), None);
    }
}
