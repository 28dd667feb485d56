//! The incident linker: from tagged mentions and sentence text to alias
//! clusters and incident records (type, date, place, actors, targets,
//! weapons, casualties, claim, evidence), several per article.
//!
//! Rules over the tagger's PER/ORG/LOC/MISC mentions and the words around
//! triggers ("attack", "gunmen opened fire", "kidnapped" …), not a model:
//! every slot then points at the text it came from, and the rules read
//! news prose and MUC's ALL CAPS wire copy alike.

mod aliases;
mod arguments;
pub(crate) mod dates;
mod discourse;
mod link;
mod numbers;
mod places;
mod record;
mod roles;
mod tokens;
mod types;
mod units;

use rayon::prelude::*;

use crate::document::{Document, Resolved};
use crate::error::Result;
use crate::stage::{Field, Stage};
use crate::text::calendar;

/// The linking stage: [`link`] on every document.
pub struct Link;

impl Stage for Link {
    fn name(&self) -> &'static str {
        "link"
    }
    fn requires(&self) -> &'static [Field] {
        &[Field::Text, Field::Sentences, Field::Entities, Field::Places]
    }
    fn assigns(&self) -> &'static [Field] {
        &[Field::Clusters, Field::Incidents]
    }
    fn run(&self, docs: &mut [Document]) -> Result<()> {
        docs.par_iter_mut().filter(|d| !d.failed).for_each(link);
        Ok(())
    }
}

/// Sets `doc.clusters` and `doc.incidents`. Needs `doc.sentences` and
/// `doc.mentions` (in text order); `doc.published`, or else a dateline, anchors
/// relative dates.
pub fn link(doc: &mut Document) {
    let kinds = aliases::kinds(&doc.text, &doc.mentions);
    let clusters = aliases::clusters(&doc.text, &doc.mentions, &kinds);
    let cluster_of = cluster_of(&clusters, doc.mentions.len());
    let published = doc.published.as_deref().and_then(calendar::parse_iso);
    let dateline = dates::dateline(&doc.text, published);
    // Without a publication date, the dateline's date or else the date the
    // page prints in its header is the day relative dates count back from.
    let header = dates::header_date(&doc.text);
    let header_day = header.and_then(|h| Some(calendar::Day { y: h.value.year, m: h.value.month?, d: h.value.day? }));
    let anchor = published.or(dateline.map(|d| d.day)).or(header_day);
    // an undated dateline ("CLANDESTINE, NO DATE") still says where from
    let filed_place = dateline.map(|d| d.place).or_else(|| dates::undated_dateline(&doc.text));
    let filed_from = filed_place.map(|p| places::resolve_filed(doc.slice(p), p));
    let ctx = units::Context {
        text: &doc.text,
        mentions: &doc.mentions,
        kinds: &kinds,
        anchor,
        filed: dateline.map(|d| d.span).into_iter().chain(header.map(|h| h.span)).collect(),
        countries: places::article_countries(&doc.text, &doc.mentions, filed_from.and_then(|p| p.country)),
        places: &doc.places,
    };
    let units = units::units(&ctx, &doc.sentences);
    let mut incidents = link::incidents(&doc.text, &units, anchor);
    // Wire copy often names no place for an incident, or one the gazetteer
    // does not know (a neighbourhood, a village, "MORAZAN DEPARTMENT"); the
    // article's main country (see `places::main_country`) is the best the
    // text says, never a city (the incident may be in another town).
    // Likewise an undated lead incident happened when the lead says, else
    // by the dateline's date; recalled ones may be years older and stay
    // undated.
    let abroad = filed_place.is_some_and(|p| places::filed_abroad(doc.slice(p)));
    let station = places::station_country(&doc.text);
    let main_country = places::main_country(&doc.text, &doc.mentions, &doc.places, filed_from, abroad, station);
    for inc in &mut incidents {
        match &mut inc.place {
            None => inc.place = main_country,
            Some(p) if p.country.is_none() => p.country = main_country.and_then(|m| m.country),
            Some(_) => {}
        }
    }
    if let Some(main) = incidents.first_mut().filter(|inc| inc.date.is_none()) {
        main.date = dates::lead_date(&doc.text, &doc.sentences, anchor, &ctx.filed).or(dateline.map(|d| d.date()));
    }
    let record = record::Record { doc, cluster_of, units: &units };
    let inherited: Vec<bool> = incidents.iter().map(|inc| inc.inherited).collect();
    let mut incidents: Vec<_> = incidents.iter().map(|inc| record.incident(inc)).collect();
    for (inc, inherited) in incidents.iter_mut().zip(inherited) {
        let Some(loc) = inc.location.as_mut() else { continue };
        from_geoparser(doc, loc, filed_place);
        // the record quotes the site ("the Oxford Street bus station"), its
        // point stays the place's
        loc.span.end = places::site_end(&doc.text, loc.span);
        // a place taken from an earlier incident's group names its region
        // and country, never its town (see `link::incidents`)
        if inherited {
            (loc.city, loc.lat, loc.lon) = (None, None, None);
        }
    }
    doc.clusters = Some(clusters);
    doc.incidents = Some(incidents);
}

/// The stage that hands the attack-argument model's spans to the linker's
/// incidents ([`apply_arguments`] on every document the model read).
pub struct ApplyArguments;

impl Stage for ApplyArguments {
    fn name(&self) -> &'static str {
        "apply arguments"
    }
    fn requires(&self) -> &'static [Field] {
        &[Field::Text, Field::Entities, Field::Places, Field::Clusters, Field::Incidents, Field::Arguments]
    }
    fn assigns(&self) -> &'static [Field] {
        &[Field::Incidents]
    }
    fn run(&self, docs: &mut [Document]) -> Result<()> {
        docs.par_iter_mut().filter(|d| !d.failed).for_each(apply_arguments);
        Ok(())
    }
}

/// Lets the model's spans decide the slots of the incidents [`link`] found
/// (see `arguments`); a no-op where the model did not read the document.
pub fn apply_arguments(doc: &mut Document) {
    let (Some(clusters), Some(mut incidents)) = (doc.clusters.as_ref(), doc.incidents.take()) else { return };
    let cluster_of = cluster_of(clusters, doc.mentions.len());
    arguments::apply(doc, &cluster_of, &mut incidents);
    doc.incidents = Some(incidents);
}

/// Each mention's cluster index: what `link` and `apply_arguments` both
/// read slots through (a person is one cluster however often named).
fn cluster_of(clusters: &[crate::document::Cluster], mentions: usize) -> Vec<usize> {
    let mut of = vec![0; mentions];
    for (c, cluster) in clusters.iter().enumerate() {
        for &m in &cluster.members {
            of[m] = c;
        }
    }
    of
}

/// The incident's location as the geoparsing stage resolved its mention,
/// where it did: the admin1 name ("Ingushetiya"), the point and the country
/// of a place in context, which the linker's own reading of a name cannot
/// give (it takes only towns of 15,000 people or more, see
/// `places::towns`, and no state or province). A
/// location the linker took from the dateline names only the country (the
/// attack may be in another town), and stays so.
fn from_geoparser(doc: &Document, loc: &mut crate::document::Location, filed_from: Option<crate::document::Span>) {
    let g = crate::geo::gazetteer();
    let named = loc.refers_to.unwrap_or(loc.span);
    let Some(i) = doc.mentions.iter().position(|m| m.span == named) else { return };
    let resolved = |k: usize| doc.places.get(k).and_then(Option::as_ref).filter(|r| r.part.is_none());
    let Some(r) = resolved(i).or_else(|| enclosing(doc, i, loc, resolved)) else { return };
    let p = g.place(r.row);
    let town = p.kind == crate::geo::Kind::City;
    if town && loc.city.is_none() && loc.country.is_some() && filed_from == Some(loc.span) {
        return;
    }
    let named = |s: &str| (!s.is_empty()).then(|| s.to_string());
    loc.city = town.then(|| p.name.to_string());
    loc.admin1 = named(p.admin1);
    loc.country = named(p.country).or(loc.country.take());
    loc.lat = Some(f64::from(p.lat));
    loc.lon = Some(f64::from(p.lon));
}

/// The town or province a site the gazetteer does not know lies in, as the
/// same sentence names it next ("at the Rolando cafe in Calle del Correo,
/// Madrid, Spain", "outside shops in Cavehill Road in north Belfast"): the
/// first place after it, at most a few words on, that resolves to a town or
/// an administrative area of the country the linker gave, if any.
fn enclosing<'d>(doc: &Document, i: usize, loc: &crate::document::Location, resolved: impl Fn(usize) -> Option<&'d Resolved>) -> Option<&'d Resolved> {
    if loc.city.is_some() {
        return None;
    }
    let g = crate::geo::gazetteer();
    let site = doc.mentions[i].span;
    let sentence = doc.sentences.iter().find(|s| s.start <= site.start && site.end <= s.end)?;
    (i + 1..doc.mentions.len())
        .take_while(|&k| {
            let m = &doc.mentions[k];
            m.span.end <= sentence.end && doc.text[site.end..m.span.start].split_whitespace().count() <= 8
        })
        .filter_map(resolved)
        .find(|r| {
            let p = g.place(r.row);
            let within = matches!(p.kind, crate::geo::Kind::City | crate::geo::Kind::Admin2 | crate::geo::Kind::Admin1);
            within && loc.country.as_deref().is_none_or(|c| c == p.country)
        })
}

#[cfg(test)]
pub(crate) mod tests;
