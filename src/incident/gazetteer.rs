//! The linker's own city table: GeoNames cities (population ≥ 15,000),
//! compiled into the binary. Country names, their short forms and demonyms
//! are the geo stage's (`crate::geo::gazetteer()`: `country_named`,
//! `nationality`); this table is what is left of the linker's second
//! gazetteer, until the linker reads each mention's resolved place instead
//! (issue 32). See corpus/gazetteer/README.md for where the data comes from.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::text::fold::fold;

const CITIES: &str = include_str!("../../corpus/gazetteer/cities.tsv");

#[derive(Debug, PartialEq)]
pub struct City {
    pub name: &'static str,
    /// ISO 3166-1 alpha-2.
    pub country: &'static str,
    pub lat: f64,
    pub lon: f64,
}

pub struct Gazetteer {
    /// Ordered by population, largest first.
    cities: Vec<City>,
    by_name: HashMap<String, Vec<usize>>,
    by_alternate: HashMap<String, Vec<usize>>,
}

/// The process-wide gazetteer, parsed on first use.
pub fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(Gazetteer::load)
}

fn rows(table: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).map(|l| l.split('\t').collect())
}

impl Gazetteer {
    fn load() -> Gazetteer {
        let mut g = Gazetteer {
            cities: Vec::new(),
            by_name: HashMap::new(),
            by_alternate: HashMap::new(),
        };
        for f in rows(CITIES).filter(|f| f.len() >= 7) {
            let i = g.cities.len();
            g.cities.push(City {
                name: f[0],
                country: f[1],
                lat: f[3].parse().unwrap_or(0.0),
                lon: f[4].parse().unwrap_or(0.0),
            });
            g.by_name.entry(fold(f[0])).or_default().push(i);
            for alt in f[6].split('|').filter(|a| !a.is_empty()) {
                g.by_alternate.entry(fold(alt)).or_default().push(i);
            }
        }
        g
    }

    /// Cities called `name`, largest first; alternate names only when no
    /// city has it as its main name.
    pub fn cities(&self, name: &str) -> Vec<&City> {
        let key = fold(name);
        let ids = self.by_name.get(&key).or_else(|| self.by_alternate.get(&key));
        ids.map(|ids| ids.iter().map(|&i| &self.cities[i]).collect()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cities() {
        let g = gazetteer();
        assert_eq!(g.cities("Moscow")[0].country, "RU");
        assert_eq!(g.cities("KABUL")[0].country, "AF");
        assert_eq!(g.cities("Usulutan")[0].country, "SV");
    }
}
