//! Where an incident happened: place mentions resolved against the gazetteer.
//!
//! A place name counts as the incident's place only in a locative position
//! ("in Kabul", "at a hotel in the city of Kaluga", "the Moscow attack"),
//! never as an origin or a direction ("from Tajikistan", "via Turkey",
//! "southwest of Moscow").

use super::tokens::{index_at, is_clause_break, Token};
use super::types::Trigger;
use crate::document::{Mention, Resolved, Span};
use crate::geo::{gazetteer, Kind};
use crate::lexicon::{DEFINITE_DIVISION_NOUNS, DEFINITE_NOUN_COMPOUNDS, DEFINITE_TOWN_NOUNS, EVENT_NAME_WORDS, FACILITIES, LOCATIVES, LOCATIVE_BRIDGES, PLACE_WORDS, REPORTING_VERBS, RESPONDERS, STREET_PREFIXES, STREET_SUFFIXES};

/// A place mention and what the gazetteer makes of it.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub span: Span,
    /// The town, a row of the geo stage's gazetteer.
    pub city: Option<&'static crate::geo::Place>,
    pub country: Option<&'static str>,
    /// A site the gazetteer does not know ("Cavehill Road", "the Rolando
    /// cafe"): the folded first word of its name, so that a later report
    /// from one part of a wave of bombs ("At Oxford St, …") finds that part
    /// (see `link::incidents`).
    pub site: Option<u64>,
    /// The name only describes the facility that was hit ("the bombing of
    /// the Oklahoma City federal building"): another mention of the same
    /// place as the scene ("in Oklahoma City") is the better citation.
    pub hit_site: bool,
    /// The place name a common noun stands for ("bombings … in the
    /// republic" -> "Dagestan"): `span` quotes the noun phrase.
    pub refers_to: Option<Span>,
}

impl Place {
    /// Two places can describe one incident unless they name different
    /// cities or different countries. Two unknown sites may: "people eating
    /// in the neighbouring El Tobogan restaurant" are at the Rolando cafe's
    /// bombing.
    pub fn compatible(&self, other: &Place) -> bool {
        if let (Some(a), Some(b)) = (self.city, other.city) {
            return std::ptr::eq(a, b);
        }
        match (self.country, other.country) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    }
}

/// The bare name: no article, possessive or "department"/"region" tail.
fn bare_name(name: &str) -> &str {
    let mut n = name.trim().trim_end_matches("'s").trim_end_matches("’s");
    for prefix in ["the ", "The ", "THE "] {
        n = n.strip_prefix(prefix).unwrap_or(n);
    }
    if let Some((head, last)) = n.rsplit_once(' ') {
        if PLACE_WORDS.contains(&last.to_lowercase().as_str()) {
            return head;
        }
    }
    n
}

/// The smallest town a bare name is taken for, capitals aside. The linker
/// kept its own table of GeoNames' cities15000 until it read the geo
/// stage's gazetteer (500+ people); the floor keeps its reading of names
/// as it was: without it a place name that some village also bears would
/// become that village, in whatever country the article names.
const TOWN_MIN_POPULATION: u64 = 15_000;

/// Towns called `name` (of [`TOWN_MIN_POPULATION`] or capitals), largest
/// first: by their main name, else by an alternate one.
pub fn towns(name: &str) -> Vec<&'static crate::geo::Place> {
    // a one- or two-letter alternate name is a transliteration ("No" for
    // Ho, Ghana), never how news names a town, and "NO CITY" is a wire
    // dateline's "no place" (`bare_name` leaves "NO")
    let short = name.chars().filter(|c| c.is_alphabetic()).count() <= 2;
    let found: Vec<_> = gazetteer().lookup(name).into_iter().filter(|m| m.place.kind == Kind::City && (m.place.population >= TOWN_MIN_POPULATION || m.place.capital) && (m.main || !short)).collect();
    let main = found.iter().any(|m| m.main);
    found.into_iter().filter(|m| m.main == main).map(|m| m.place).collect()
}

/// Resolves a place name, preferring cities in the countries the article talks about.
pub fn resolve(name: &str, span: Span, preferred: &[&'static str]) -> Place {
    resolve_in(name, span, preferred, None)
}

/// [`resolve`], taking `town` where the geo stage read the mention as one
/// (it weighs the context: "Moscow" in an Idaho story). Where it read a
/// division or a region ("Kaluga", the oblast; "Oklahoma"), the name's
/// towns still decide which places are one scene: taking the division's
/// country alone lowered the WikiEvents train place F1 (26.2 → 25.8).
pub fn resolve_in(name: &str, span: Span, preferred: &[&'static str], town: Option<&'static crate::geo::Place>) -> Place {
    let name = bare_name(name);
    if let Some(country) = country_code(name) {
        return Place { span, city: None, country: Some(country), site: None, hit_site: false, refers_to: None };
    }
    if let Some(town) = town.filter(|p| p.kind == Kind::City) {
        return Place { span, city: Some(town), country: Some(town.country), site: None, hit_site: false, refers_to: None };
    }
    let mut cities = towns(name);
    // A facility named after its town ("MONTERIA AIRPORT") is in that town;
    // not so an embassy, which is another country's.
    if let Some((town, last)) = name.rsplit_once(' ') {
        let last = last.to_lowercase();
        if cities.is_empty() && FACILITIES.contains(&last.as_str()) && !matches!(last.as_str(), "embassy" | "consulate") {
            cities = towns(town);
        }
    }
    let city = preferred
        .iter()
        .find_map(|c| cities.iter().find(|city| city.country == *c))
        .or(cities.first())
        .copied();
    // a sea or a region the geoparser knows ("Gulf of Aden") is no site
    let site = (city.is_none() && gazetteer().lookup(name).is_empty()).then(|| site_key(name)).flatten();
    Place { span, city, country: city.map(|c| c.country), site, hit_site: false, refers_to: None }
}

/// The ISO code of the country a name names ("Tajikistan", "the
/// Netherlands", "U.S."), by the geo stage's gazetteer.
pub fn country_code(name: &str) -> Option<&'static str> {
    gazetteer().country_named(name).map(|p| p.country)
}

/// The first word of a site's name, folded (see [`Place::site`]).
fn site_key(name: &str) -> Option<u64> {
    let word = name.split_whitespace().find(|w| !matches!(w.to_lowercase().as_str(), "the" | "a" | "an"))?;
    Some(crate::text::fold::fold_hash(word))
}

/// True for a dateline place with its country in brackets ("HAVANA
/// (CUBA)"): the report was filed abroad.
pub fn filed_abroad(name: &str) -> bool {
    name.trim_end().ends_with(')')
}

/// Resolves a dateline's place. Wire services filing from abroad add the
/// country in brackets ("SAN JOSE (COSTA RICA)", "NO CITY (PERU)"): the
/// town is looked up in that country, and the country stands when the town
/// is unknown.
pub fn resolve_filed(name: &str, span: Span) -> Place {
    let Some((town, rest)) = name.split_once('(') else { return resolve(name, span, &[]) };
    let country = country_code(rest.trim_end().trim_end_matches(')').trim());
    let place = resolve(town.trim(), span, country.as_slice());
    match (place.country, country) {
        (Some(_), Some(c)) if place.country != Some(c) => Place { span, city: None, country: Some(c), site: None, hit_site: false, refers_to: None },
        (None, Some(c)) => Place { span, city: None, country: Some(c), site: None, hit_site: false, refers_to: None },
        _ => place,
    }
}

/// Countries the article names (as places or demonyms) or files from (the
/// dateline's country), most often first: they break ties between cities
/// that share a name.
pub fn article_countries(text: &str, mentions: &[Mention], dateline: Option<&'static str>) -> Vec<&'static str> {
    let g = gazetteer();
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    let named = mentions.iter().filter(|m| m.label != "PER").filter_map(|m| {
        let name = bare_name(&text[m.span.start..m.span.end]);
        country_code(name).or_else(|| g.nationality(name))
    });
    for code in dateline.into_iter().chain(named) {
        match counts.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n += 1,
            None => counts.push((code, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1));
    counts.into_iter().map(|(c, _)| c).collect()
}

/// The country an incident lies in when the text gives it no place the
/// gazetteer knows. Wire copy filed from a town at home ("SAN SALVADOR, 3
/// JAN 90") reports on that town's country. A report filed abroad, with its
/// country in brackets ("HAVANA (CUBA)"), or from nowhere ("CLANDESTINE")
/// is about the country its places lie in: the one that the geoparsed
/// places and the demonyms name at least twice as often as any other (a
/// bracketed dateline counts once, and its country needs only the most).
/// An article divided between countries ("U.S. ADVISERS" in a Salvadoran
/// commentary, Spain's aid to El Salvador) gets none: a made-up country is
/// worse than none. The place points at the dateline, or else at the
/// country's first mention. Without a dateline
/// (most web news) the article gives no such default, and none is made up.
///
/// A clandestine station's home country (`station`, see [`station_country`])
/// stands in for a dateline without a place: it counts once in the vote, and
/// decides where the places do not.
pub fn main_country(text: &str, mentions: &[Mention], places: &[Option<Resolved>], filed: Option<Place>, abroad: bool, station: Option<&'static str>) -> Option<Place> {
    let filed = filed?;
    if filed.country.is_some() && !abroad {
        return Some(Place { city: None, site: None, hit_site: false, refers_to: None, ..filed });
    }
    let fallback = station.filter(|_| filed.country.is_none()).map(|c| Place { span: filed.span, city: None, country: Some(c), site: None, hit_site: false, refers_to: None });
    let geo = gazetteer();
    let mut counts: Vec<(&'static str, usize, Span)> = Vec::new();
    let filed = filed.country.or(station).map(|c| (c, filed.span));
    let located = mentions.iter().enumerate().filter(|(_, m)| m.label != "PER").filter_map(|(i, m)| {
        // the geoparser also resolves names tagged as organisations ("UCA"); only places count
        let resolved = places.get(i).and_then(Option::as_ref).filter(|_| m.label == "LOC").map(|r| geo.place(r.row).country).filter(|c| !c.is_empty());
        Some((resolved.or_else(|| geo.nationality(bare_name(&text[m.span.start..m.span.end])))?, m.span))
    });
    for (code, span) in filed.into_iter().chain(located) {
        match counts.iter_mut().find(|(c, _, _)| *c == code) {
            Some((_, n, _)) => *n += 1,
            None => counts.push((code, 1, span)),
        }
    }
    // stable: the dateline's country, pushed first, stays ahead in a tie
    counts.sort_by(|a, b| b.1.cmp(&a.1));
    let Some(&(code, n, span)) = counts.first() else { return fallback };
    let runner_up = counts.get(1).map_or(0, |second| second.1);
    let filed_top = filed.is_some_and(|(c, _)| c == code);
    (n >= 2 * runner_up || filed_top && n > runner_up).then_some(Place { span, city: None, country: Some(code), site: None, hit_site: false, refers_to: None }).or(fallback)
}

/// Clandestine stations that report on their own country's war, whose
/// messages name no place of filing ("CLANDESTINE, 23 NOV 89 (RADIO
/// VENCEREMOS) --"). From the MUC-3 training keys (DEV-MUC3, never the
/// dev or test keys): the stations behind at least 5 keyed clandestine
/// messages, 90 % or more of them about one country (Radio Venceremos: 64
/// of 66 templates in El Salvador; Radio Farabundo Marti: 8 of 8). A
/// broadcaster with a home city (Radio Rebelde in Havana) files from
/// there, and the dateline says so.
const STATIONS: &[(&str, &str)] = &[("radio venceremos", "SV"), ("radio farabundo marti", "SV")];

/// The home country of the clandestine station that a wire message's first
/// line names in brackets after its date ("(RADIO VENCEREMOS)").
pub fn station_country(text: &str) -> Option<&'static str> {
    let line = text.lines().next()?;
    let line = line.split("--").next()?;
    line.split('(').skip(1).filter_map(|group| group.split(')').next()).find_map(|name| {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        STATIONS.iter().find(|(station, _)| name == *station || name.starts_with(&format!("{station} "))).map(|(_, c)| *c)
    })
}

/// End of the site phrase a place name opens ("Oxford Street bus station",
/// "the Rolando cafe", "the Kabul airport"): up to three lower-case words
/// after the name, the last a facility noun; else the name's own end. The
/// site is what an analyst looks for in the text; the name alone
/// ("Oxford Street") reads as a street, not as the bus station on it.
pub fn site_end(text: &str, span: Span) -> usize {
    let mut at = span.end;
    for _ in 0..3 {
        let rest = &text[at..];
        let Some(word) = rest.strip_prefix(' ') else { break };
        let len = word.find(|c: char| !c.is_alphabetic()).unwrap_or(word.len());
        let w = &word[..len];
        if w.is_empty() || !w.chars().all(char::is_lowercase) {
            break;
        }
        at += 1 + len;
        if FACILITIES.contains(&w) {
            return at;
        }
    }
    span.end
}

/// Words that make the place name after them the scene of the event.

/// True when the place mention at `span` sits in a locative position, or
/// right before the trigger word at token `trigger` ("the Kabul bombing").
pub fn is_locative(tokens: &[Token], span: Span, trigger: usize) -> bool {
    let first = index_at(tokens, span.start);
    let after = index_at(tokens, span.end);
    // a people ("Venezuelans", tagged as a place) is nowhere to happen in
    let g = gazetteer();
    if after == first + 1 && g.nationality(&tokens[first].lower).is_some() && country_code(&tokens[first].lower).is_none() {
        return false;
    }
    if after == trigger {
        // "the Kabul bombing"; but "the U.S. killing of Muslims" names who did it
        return country_code(&tokens[first..after].iter().map(|t| t.lower.as_str()).collect::<Vec<_>>().join(" ")).is_none();
    }
    if names_hit_site(tokens, span, trigger) {
        return true;
    }
    // "four hours after the bombing, patrols were seen in East Belfast": an
    // act named only to time the clause does not own that clause's places;
    // "after the shooting at Tallgrass, a store in Mount Pleasant" still
    // does, and so does wire copy's "FIGHTING IN X AFTER THE ATTACK"
    if let Some(at) = adjunct(tokens, trigger) {
        let closes = tokens.get(trigger + 1).is_some_and(|t| t.lower == ",");
        // wire copy drops the comma after one that opens its clause: "(HE
        // SAID THAT) MINUTES AFTER THE KILLING THE DAS INTERCEPTED A
        // CONVERSATION IN MEDELLIN"
        let fronted = (at.saturating_sub(2)..=at).any(|k| k == 0 || matches!(tokens[k - 1].lower.as_str(), "that" | "," | ";" | "but"));
        if (closes || fronted) && first > trigger {
            return false;
        }
    }
    let mut k = first;
    // "in the northwestern Pakistani town of Yunguyo": a demonym or a
    // direction may stand among the bridge words too
    while k > 0 && first - k < 6 {
        k -= 1;
        let w = tokens[k].lower.as_str();
        // "a bakery on the central street Rue Victor Hugo", "the other on
        // Hill Road": "on" before a street is where, elsewhere it names a
        // target ("an attack on Kabul")
        let street = [first, after - 1].iter().any(|&n| STREET_SUFFIXES.contains(&tokens[n].lower.as_str()) || STREET_PREFIXES.contains(&tokens[n].lower.as_str()));
        if LOCATIVES.contains(&w) || w == "on" && street {
            return trigger >= tokens.len() || trigger < after || !k.checked_sub(1).is_some_and(|n| modifies_noun(&tokens[n]));
        }
        let direction = ["north", "south", "east", "west"].iter().any(|d| w.starts_with(d)) && w.ends_with("ern");
        if !LOCATIVE_BRIDGES.contains(&w) && !direction && g.nationality(w).is_none() {
            return false;
        }
    }
    false
}

/// "The republic has seen numerous bombings targeted at the military
/// stationed in the republic": an act with no place name of its own, whose
/// clause has a locative with a definite place noun ("in the republic",
/// "across the same province", "in the city"), happened in the place that
/// noun stands for: the nearest earlier place mention of that kind (a town
/// for "city", "town", "village", "capital"; a division for the others).
/// `places` is the geoparser's reading of `mentions`, which says each
/// mention's kind. Returns the noun phrase and the mention's index.
pub fn anaphoric(tokens: &[Token], found: &[Trigger], mentions: &[Mention], places: &[Option<Resolved>]) -> Option<(Span, usize)> {
    // true for a division below the country, false for a town
    let division_of = |m: usize| match gazetteer().place(places.get(m)?.as_ref()?.row).kind {
        crate::geo::Kind::City => Some(false),
        crate::geo::Kind::Admin1 | crate::geo::Kind::Admin2 => Some(true),
        _ => None,
    };
    for k in 0..tokens.len() {
        if !LOCATIVES.contains(&tokens[k].lower.as_str()) || tokens.get(k + 1).is_none_or(|t| t.lower != "the") {
            continue;
        }
        let same = tokens.get(k + 2).is_some_and(|t| t.lower == "same");
        let n = k + 2 + usize::from(same);
        let Some(division) = tokens.get(n).and_then(|t| {
            let w = t.lower.as_str();
            if DEFINITE_TOWN_NOUNS.contains(&w) { Some(false) } else if DEFINITE_DIVISION_NOUNS.contains(&w) { Some(true) } else { None }
        }) else { continue };
        // "the city of Lyon", "the city centre": a name or another noun follows
        if tokens.get(n + 1).is_some_and(|t| DEFINITE_NOUN_COMPOUNDS.contains(&t.lower.as_str())) {
            continue;
        }
        // in the trigger's clause, after it or just before it
        let near = found.iter().any(|t| {
            let (lo, hi) = if k >= t.end { (t.end, k) } else { (n + 1, t.first) };
            lo <= hi && !tokens[lo..hi].iter().any(is_clause_break)
        });
        if !near {
            continue;
        }
        let phrase = Span::new(tokens[k + 1].span.start, tokens[n].span.end);
        let mut before = mentions.iter().enumerate().rev().filter(|(_, m)| m.label == "LOC" && m.span.end <= phrase.start);
        let (antecedent, _) = before.find(|&(i, _)| division_of(i) == Some(division))?;
        return Some((phrase, antecedent));
    }
    None
}

/// "killed in IS attacks in Badia al-Sukhnah": the tagger calls many
/// unfamiliar toponyms MISC. Right after the attack word and "in" or
/// "near", a MISC name that is no people (a demonym), no language, no
/// named event or time and no word describing the name after it is the
/// scene.
pub fn misc_scene(text: &str, tokens: &[Token], span: Span, trigger_end: usize) -> bool {
    let first = index_at(tokens, span.start);
    let after = index_at(tokens, span.end);
    let right_after = first == trigger_end + 1 && tokens.get(trigger_end).is_some_and(|t| matches!(t.lower.as_str(), "in" | "near"));
    // not a word that describes the next name ("in Suburban Detroit")
    let describes = text[span.end..].trim_start_matches(' ').starts_with(char::is_uppercase);
    right_after
        && !describes
        && tokens[first..after].iter().all(|t| {
            let w = t.lower.as_str();
            !crate::geo::gazetteer::is_demonym(w) && !EVENT_NAME_WORDS.contains(&w) && !w.ends_with("ish") && !w.ends_with("ian")
        })
}

/// "the bombing of the Oklahoma City federal building", "the attack on the
/// Kabul airport": the town names the facility that was hit, so it is the
/// scene too, though only by way of the target.
pub fn names_hit_site(tokens: &[Token], span: Span, trigger: usize) -> bool {
    let first = index_at(tokens, span.start);
    let after = index_at(tokens, span.end);
    if trigger >= first || first - trigger > 3 {
        return false;
    }
    let between = &tokens[trigger + 1..first];
    let object = between.first().is_some_and(|t| ["of", "on", "against", "at"].contains(&t.lower.as_str()));
    object && between[1..].iter().all(|t| t.lower == "the") && tokens[after..].iter().take(2).any(|t| FACILITIES.contains(&t.lower.as_str()))
}

/// Where the word is that makes the trigger at `trigger` only time another
/// clause: "after the bombing", "hours before the attack", "since Monday's
/// blast".
fn adjunct(tokens: &[Token], trigger: usize) -> Option<usize> {
    if trigger >= tokens.len() {
        return None;
    }
    let mut k = trigger;
    while k > 0 && trigger - k < 3 {
        k -= 1;
        let w = tokens[k].lower.as_str();
        if matches!(w, "after" | "before" | "since" | "following" | "until") {
            return Some(k);
        }
        if !matches!(w, "the" | "a" | "an" | "this" | "that" | "its" | "their") && !w.ends_with("'s") && !w.ends_with("’s") {
            return None;
        }
    }
    None
}

/// True when `t`, the word before a locative, is a noun the place
/// describes such that a place phrase ahead of the trigger belongs to that
/// noun, not to the event (see [`RESPONDERS`]).
fn modifies_noun(t: &Token) -> bool {
    RESPONDERS.contains(&t.lower.as_str()) || REPORTING_VERBS.contains(&t.lower.as_str())
}


#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn place(name: &str, preferred: &[&'static str]) -> (Option<&'static str>, Option<&'static str>) {
        let p = resolve(name, Span::new(0, name.len()), preferred);
        (p.city.map(|c| c.name), p.country)
    }

    #[test]
    fn a_clandestine_station_is_read_from_the_first_line_only() {
        assert_eq!(station_country("CLANDESTINE, 23 NOV 89 (RADIO VENCEREMOS) -- [TEXT] X"), Some("SV"));
        assert_eq!(station_country("CLANDESTINE, NO DATE (Radio  Farabundo Marti Network) -- [TEXT]"), Some("SV"));
        assert_eq!(station_country("HAVANA (CUBA), 10 JAN 90 (RADIO REBELDE NETWORK) -- [TEXT]"), None);
        assert_eq!(station_country("LIMA, 6 SEP 89 -- [TEXT] HEARD ON (RADIO VENCEREMOS) --"), None, "after the dateline");
        assert_eq!(station_country("LIMA, 6 SEP 89 -- [TEXT]\nCLANDESTINE (RADIO VENCEREMOS)"), None);
    }

    #[test]
    fn resolves_cities_by_article_country_then_population() {
        assert_eq!(place("Moscow", &[]), (Some("Moscow"), Some("RU")));
        assert_eq!(place("Moscow", &["US"]).1, Some("US"));
        assert_eq!(place("SAN MIGUEL DEPARTMENT", &["SV"]).1, Some("SV"));
        assert_eq!(place("Tajikistan", &[]), (None, Some("TJ")));
        assert_eq!(place("Narnia", &[]), (None, None));
        assert_eq!(place("MONTERIA AIRPORT", &["CO"]).1, Some("CO"));
        assert_eq!(place("Kabul Embassy", &[]), (None, None));
    }

    #[test]
    fn towns_by_main_name_then_alternate_largest_first() {
        assert_eq!(towns("Moscow")[0].country, "RU");
        assert_eq!(towns("KABUL")[0].country, "AF");
        assert_eq!(towns("Usulutan")[0].country, "SV");
        assert!(towns("Moscow").iter().all(|t| t.population >= TOWN_MIN_POPULATION), "no village of that name");
        assert_eq!(towns("Valletta")[0].country, "MT", "a capital under the floor");
        assert_eq!(towns("Oklahoma")[0].name, "Oklahoma City", "an alternate name");
        assert!(towns("NO").is_empty(), "\"No\" is only an alternate name of Ho, Ghana");
        assert_eq!(place("NO CITY (PERU)", &[]), (None, None), "no town, and the brackets are not a name");
        assert_eq!(resolve_filed("NO CITY (PERU)", Span::new(0, 0)).country, Some("PE"));
    }

    #[test]
    fn compatibility_compares_cities_then_countries() {
        let kabul = resolve("Kabul", Span::new(0, 0), &[]);
        let moscow = resolve("Moscow", Span::new(0, 0), &[]);
        let russia = resolve("Russia", Span::new(0, 0), &[]);
        let unknown = resolve("Narnia", Span::new(0, 0), &[]);
        assert!(!kabul.compatible(&moscow));
        assert!(moscow.compatible(&russia));
        assert!(!kabul.compatible(&russia));
        assert!(unknown.compatible(&kabul));
    }

    fn span_of(text: &str, w: &str) -> Span {
        let s = text.find(w).unwrap();
        Span::new(s, s + w.len())
    }

    #[test]
    fn locative_positions_only() {
        let text = "a synagogue in the city of Kaluga, southwest of Moscow, by men from Tajikistan";
        let toks = tokenize(text, Span::new(0, text.len()));
        let span = |w: &str| {
            let s = text.find(w).unwrap();
            Span::new(s, s + w.len())
        };
        assert!(is_locative(&toks, span("Kaluga"), usize::MAX));
        assert!(!is_locative(&toks, span("Moscow"), usize::MAX));
        assert!(!is_locative(&toks, span("Tajikistan"), usize::MAX));
        let text = "the Kabul bombing";
        let toks = tokenize(text, Span::new(0, text.len()));
        assert!(is_locative(&toks, Span::new(4, 9), 2));
        let text = "the Afghanistan killing";
        let toks = tokenize(text, Span::new(0, text.len()));
        assert!(!is_locative(&toks, Span::new(4, 15), 2), "a country before the act names its doer");
        let text = "the blast hit a bakery on the central street Rue Victor Hugo after an attack on Kabul";
        let toks = tokenize(text, Span::new(0, text.len()));
        assert!(is_locative(&toks, span_of(text, "Rue Victor Hugo"), 1), "on before a street is where");
        assert!(!is_locative(&toks, span_of(text, "Kabul"), 1), "on before a town is what was hit");
    }

    #[test]
    fn a_place_ahead_of_the_trigger_that_describes_a_noun_is_not_the_scene() {
        let at = |text: &str, place: &str, trigger: &str| {
            let toks = tokenize(text, Span::new(0, text.len()));
            let s = text.find(place).unwrap();
            let t = toks.iter().position(|t| t.lower == trigger).unwrap();
            is_locative(&toks, Span::new(s, s + place.len()), t)
        };
        assert!(!at("Police in the city of Lyon were searching for the man behind the bombing", "Lyon", "bombing"));
        assert!(!at("Officials voiced frustration in Paris about the attack", "Paris", "attack"));
        assert!(!at("a meeting at Lyon castle about the bombing", "Lyon", "bombing"));
        assert!(at("On Friday in Lyon, a bomb exploded", "Lyon", "bomb"));
        assert!(at("In Lyon a bomb exploded", "Lyon", "bomb"));
        assert!(at("FIGHTING IS TAKING PLACE IN LYON AFTER THE ATTACK", "LYON", "attack"));
        assert!(at("A POLICE POST IN LYON WAS ATTACKED", "LYON", "attacked"));
        assert!(at("the suspect in the Lyon office shooting", "Lyon", "shooting"));
        assert!(at("pirates tried to take a vessel in the Gulf of Lyon before the attack", "Gulf of Lyon", "attack"));
        assert!(at("The federal building in Lyon was hit by an explosion", "Lyon", "explosion"));
        assert!(at("the leaders in Lyon condemned the bombing in Paris", "Paris", "bombing"), "after the trigger");
        assert!(!at("retaliation for the U.S. killing of Muslims", "U.S.", "killing"), "a country before the act names its doer");
        assert!(!at("IT HAS BEEN REPORTED IN LA PAZ THAT A BOMB ATTACK OCCURRED NEAR THE BORDER", "LA PAZ", "attack"), "where the report was made");
        assert!(!at("the minister said in Lima that the attack was planned abroad", "Lima", "attack"));
        assert!(!at("IN A DECLARATION ISSUED IN HAVANA, THE GROUP CONDEMNS THE ASSASSINATION", "HAVANA", "assassination"), "where the declaration was issued");
        assert!(at("a bomb was reported in La Paz", "La Paz", "bomb"), "after the trigger");
        assert!(at("A BOMB EXPLODED IN THE PERUVIAN TOWN OF YUNGUYO", "YUNGUYO", "bomb"));
        assert!(at("a bomb exploded in the northwestern Pakistani city of Peshawar", "Peshawar", "bomb"));
        assert!(at("the man who rented the truck used in the bombing of the Denver federal building", "Denver", "bombing"));
        assert!(at("after the attack on the Kabul airport", "Kabul", "attack"));
        assert!(!at("after the bombing of Denver residents' homes", "Denver", "bombing"), "no facility named");
        assert!(!at("the bombing of the Denver area", "Denver", "bombing"));
    }

    #[test]
    fn article_countries_count_names_and_demonyms() {
        let text = "Russian police in Russia met Tajik men";
        let m = |w: &str| {
            let s = text.find(w).unwrap();
            Mention { span: Span::new(s, s + w.len()), label: "MISC".into(), score: 1.0 }
        };
        assert_eq!(article_countries(text, &[m("Russian"), m("Russia"), m("Tajik")], None), ["RU", "TJ"]);
        assert_eq!(article_countries(text, &[m("Tajik")], Some("RU")), ["RU", "TJ"]);
    }
}
