//! Geoparsing scores of annotated lines against a toponym-annotated news
//! corpus, computed exactly as `../shared/tools/geo_score.py score` does, so
//! that our figures and the reference's never differ, down to the printed
//! text.
//!
//! * Gold: the corpus XML as its authors publish it. GeoVirus `<location>`
//!   (start, end, name, lat, lon); TR-News and LGL `<toponym>` (start, end,
//!   phrase, `<gaztag>` with lat, lon, country name); GeoWebNews `<toponym>`
//!   (extractedName, latitude, longitude; nonLocational "Yes" is skipped).
//!   Only toponyms with both coordinates count. Article ids are the `docid`
//!   attribute, else `file`, else the article's position.
//! * A gold toponym is found when an entity with coordinates in `geo`
//!   overlaps its code-point span; the closest such entity (least distance
//!   of both ends, first on ties) is the one scored.
//! * Figures: recall; accuracy within 161 km over all gold toponyms and over
//!   the found ones; median error (the upper median) and Gritta et al.'s AUC
//!   over the found ones; country accuracy over found toponyms whose gold
//!   names a country.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::py;
use crate::document::{Document, Mention, Span};
use crate::error::{Error, Result};
use crate::geo::ranker::{accuracy, fit, roc_auc, Choice, Fit};
use crate::geo::{resolve_with, RankedName, Ranker};
use crate::output;
use crate::text::offsets::CharIndex;

/// One gold toponym with coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldToponym {
    /// Code-point offsets, as repaired by [`align`].
    pub start: i64,
    pub end: i64,
    pub lat: f64,
    pub lon: f64,
    /// Country name (TR-News, LGL), stripped and non-empty.
    pub country: Option<String>,
    /// What the gold says the place is, for [`city_or_smaller`]: GeoNames'
    /// feature class (TR-News, LGL), or the name and the Wikipedia page
    /// (GeoVirus).
    pub class: Option<String>,
    pub name: Option<String>,
    pub page: Option<String>,
}

/// One gold article: its id, its text and its toponyms with coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldArticle {
    pub id: String,
    pub text: String,
    pub toponyms: Vec<GoldToponym>,
}

/// A predicted entity that carries coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedEntity {
    pub start: i64,
    pub end: i64,
    pub lat: f64,
    pub lon: f64,
    /// `geo.country`, upper-cased ("" when absent).
    pub country: String,
}

/// The reference's figures, in its order. Percentages are rounded to 2
/// decimals, the median to 1 and the AUC to 4, as Python's `round` does.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoScores {
    pub articles: usize,
    pub articles_missing_in_pred: usize,
    pub gold_toponyms: usize,
    pub recall: f64,
    pub acc161: f64,
    pub acc161_found: f64,
    pub median_km_found: Option<f64>,
    pub auc_found: f64,
    pub country_found: Option<f64>,
}

/// A printed value: Python prints ints, floats and None differently.
enum Figure {
    Count(usize),
    Float(f64),
    Missing,
}

impl GeoScores {
    fn figures(&self) -> [(&'static str, Figure); 9] {
        let opt = |x: Option<f64>| x.map_or(Figure::Missing, Figure::Float);
        [
            ("articles", Figure::Count(self.articles)),
            ("articles_missing_in_pred", Figure::Count(self.articles_missing_in_pred)),
            ("gold_toponyms", Figure::Count(self.gold_toponyms)),
            ("recall", Figure::Float(self.recall)),
            ("acc161", Figure::Float(self.acc161)),
            ("acc161_found", Figure::Float(self.acc161_found)),
            ("median_km_found", opt(self.median_km_found)),
            ("auc_found", Figure::Float(self.auc_found)),
            ("country_found", opt(self.country_found)),
        ]
    }

    /// The reference's text: `f"{name:26} {value}"` per figure.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (name, v) in self.figures() {
            let v = match v {
                Figure::Count(n) => n.to_string(),
                Figure::Float(x) => py::repr(x),
                Figure::Missing => "None".into(),
            };
            let _ = writeln!(out, "{name:26} {v}");
        }
        out
    }

    /// The reference's `--json` line (`json.dumps` of the figures, newline
    /// included).
    pub fn to_json(&self) -> String {
        let fields: Vec<String> = self
            .figures()
            .into_iter()
            .map(|(name, v)| {
                let v = match v {
                    Figure::Count(n) => n.to_string(),
                    Figure::Float(x) => py::json(x),
                    Figure::Missing => "null".into(),
                };
                format!("\"{name}\": {v}")
            })
            .collect();
        format!("{{{}}}\n", fields.join(", "))
    }
}

/// Where the scored places come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Places {
    /// The `geo` each entity of the lines carries, as `extract` wrote it.
    AsWritten,
    /// This build's place stage run again over the lines' entities and the
    /// corpus's texts: work on the place stage needs no new tagger run
    /// (minutes per corpus). The entities are the tagger's as `extract` wrote
    /// them, so the figures are those `extract` would give with this build.
    /// `write`: where to write the lines so resolved, to read the errors;
    /// `ranker`: the candidate ranker's weights (default: the shipped ones).
    ResolvedAgain { write: Option<std::path::PathBuf>, ranker: Option<Ranker> },
}

/// Scores the annotated lines in `pred` against the corpus `gold` (with
/// `cities`, only its toponyms that [`city_or_smaller`] keeps). Refuses
/// a corpus without articles and predictions none of whose ids is a gold
/// article's: scores of nothing would only hide the mistake.
pub fn score_files(gold: &Path, pred: &Path, places: Places, cities: bool) -> Result<GeoScores> {
    let mut articles = read_corpus(gold)?;
    let predictions = match places {
        Places::AsWritten => read_predictions(pred)?,
        Places::ResolvedAgain { write, ranker } => resolve_again(&articles, pred, write.as_deref(), ranker.as_ref().unwrap_or(Ranker::shipped()))?,
    };
    let Some(first) = articles.first() else {
        return Err(Error::Input { path: gold.display().to_string(), message: "no <article> element".into() });
    };
    if !articles.iter().any(|a| predictions.contains_key(&a.id)) {
        let theirs = predictions.keys().min().map_or("no lines".to_string(), |id| format!("{id:?}, …"));
        return Err(Error::Input {
            path: pred.display().to_string(),
            message: format!(
                "no id is an article's of {}: the corpus has {:?}, …, the predictions {theirs} (an article's id is \
                 its docid or file attribute, else its position from 0)",
                gold.display(),
                first.id
            ),
        });
    }
    if cities {
        articles = cities_only(&articles);
    }
    Ok(score(&articles, &predictions))
}

/// True when a gold toponym names a town or something smaller (a village, a
/// building, a street), not a country, a division, a region or a sea: the
/// places whose point all sources put in the same spot, where a country's
/// or a state's point differs by hundreds of km between Wikipedia
/// (GeoVirus) and GeoNames. GeoNames' feature class where the gold gives it
/// (P, populated places; S, spots and buildings); otherwise (GeoVirus) a
/// town of the gold's name or its Wikipedia page's title within 161 km of
/// the gold point, else the kind of the gazetteer's place of that name
/// nearest it; a name the gazetteer lacks counts as a small place. A page titled as a division ("New_York_(state)",
/// "Georgia_(country)") is one.
pub fn city_or_smaller(t: &GoldToponym) -> bool {
    use crate::geo::Kind;
    if let Some(class) = &t.class {
        return class == "P" || class == "S";
    }
    let mut names: Vec<String> = t.name.iter().map(|n| py::strip(n).to_string()).collect();
    if let Some(page) = &t.page {
        let title = page_title(page);
        if let Some((head, what)) = title.strip_suffix(')').and_then(|t| t.rsplit_once(" (")) {
            if ["country", "state", "province", "region", "county", "U.S. state"].contains(&what) {
                return false;
            }
            names.push(head.to_string());
        } else {
            names.extend(title.split_once(',').map(|(head, _)| head.trim().to_string()));
            names.push(title);
        }
    }
    let g = crate::geo::gazetteer();
    let from_gold = |p: &crate::geo::Place| km((t.lat, t.lon), (f64::from(p.lat), f64::from(p.lon)));
    let places: Vec<&crate::geo::Place> = names.iter().filter(|n| !n.is_empty()).flat_map(|n| g.lookup(n)).map(|m| m.place).collect();
    // a town that is its own municipality ("São Paulo") is a town
    let town_here = places.iter().any(|p| p.kind == Kind::City && from_gold(p) <= RIGHT_KM);
    let nearest = places.into_iter().min_by(|a, b| from_gold(a).total_cmp(&from_gold(b)));
    town_here || nearest.is_none_or(|p| p.kind == Kind::City)
}

/// A Wikipedia address's title: its last path segment, percent-decoded,
/// with spaces for underscores ("…/wiki/S%C3%A3o_Paulo" is "São Paulo").
fn page_title(page: &str) -> String {
    let last = py::strip(page).rsplit('/').next().unwrap_or("").as_bytes();
    let mut bytes = Vec::with_capacity(last.len());
    let mut i = 0;
    while i < last.len() {
        let hex = (last[i] == b'%').then(|| last.get(i + 1..i + 3)).flatten().and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) => {
                bytes.push(b);
                i += 3;
            }
            None => {
                bytes.push(if last[i] == b'_' { b' ' } else { last[i] });
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The articles with only their toponyms that [`city_or_smaller`] keeps.
pub fn cities_only(articles: &[GoldArticle]) -> Vec<GoldArticle> {
    articles.iter().map(|a| GoldArticle { toponyms: a.toponyms.iter().filter(|t| city_or_smaller(t)).cloned().collect(), ..a.clone() }).collect()
}

/// The figures for gold articles and the placed entities of each predicted
/// article id.
pub fn score(articles: &[GoldArticle], predictions: &HashMap<String, Vec<PlacedEntity>>) -> GeoScores {
    let (mut gold, mut found, mut within, mut with_country, mut country_ok, mut missing) = (0, 0, 0, 0, 0, 0);
    let mut errors = Vec::new();
    for art in articles {
        let entities = predictions.get(&art.id).map_or_else(
            || {
                missing += 1;
                &[][..]
            },
            Vec::as_slice,
        );
        for t in &art.toponyms {
            gold += 1;
            let hit = entities
                .iter()
                .filter(|x| x.start < t.end && t.start < x.end)
                .min_by_key(|x| (x.start - t.start).abs() + (x.end - t.end).abs());
            let Some(x) = hit else { continue };
            found += 1;
            let err = km((t.lat, t.lon), (x.lat, x.lon));
            errors.push(err);
            within += usize::from(err <= 161.0);
            if let Some(name) = &t.country {
                with_country += 1;
                country_ok += usize::from(names_country(&x.country, name));
            }
        }
    }
    errors.sort_by(f64::total_cmp);
    // Gritta et al.: errors capped at half the Earth's circumference, on a log scale;
    // summed left to right as Python 3.11 sums (3.12 compensates, which may move the
    // last bit, never the 4th decimal in practice)
    let cap: f64 = 20039.0;
    let auc = if errors.is_empty() {
        0.0
    } else {
        errors.iter().map(|e| (e.min(cap) + 1.0).ln() / cap.ln()).sum::<f64>() / errors.len() as f64
    };
    let pct = |a: usize, b: usize| if b > 0 { py::round(100.0 * a as f64 / b as f64, 2) } else { 0.0 };
    GeoScores {
        articles: articles.len(),
        articles_missing_in_pred: missing,
        gold_toponyms: gold,
        recall: pct(found, gold),
        acc161: pct(within, gold),
        acc161_found: pct(within, found),
        median_km_found: errors.get(errors.len() / 2).map(|&e| py::round(e, 1)),
        auc_found: py::round(auc, 4),
        country_found: (with_country > 0).then(|| pct(country_ok, with_country)),
    }
}

/// Great-circle distance, as the reference computes it (the place stage's own).
pub use crate::geo::km;

/// Names gold corpora give countries besides the current GeoNames name (the
/// gazetteer's): names of older GeoNames releases and a dissolved country.
const OTHER_COUNTRY_NAMES: [(&str, &str); 4] =
    [("NL", "Netherlands"), ("CZ", "Czech Republic"), ("BQ", "Bonaire"), ("AN", "Netherlands Antilles")];

/// True when `name` (case aside) is a name of the country with ISO code
/// `iso`. The reference reads the same GeoNames names (and these others)
/// from its countries.tsv, plus pycountry's names when that is installed;
/// the figures agree with it run without pycountry. (Its table writes
/// "Bonaire, Saint Eustatius and Saba " with a trailing space, a name no
/// stripped gold name can equal; here that name counts.)
fn names_country(iso: &str, name: &str) -> bool {
    let name = name.to_lowercase();
    crate::geo::gazetteer().country(iso).is_some_and(|c| c.name.to_lowercase() == name)
        || OTHER_COUNTRY_NAMES.iter().any(|&(i, n)| i == iso && n.to_lowercase() == name)
}

/// Reads a corpus file (see the module doc for the formats).
pub fn read_corpus(path: &Path) -> Result<Vec<GoldArticle>> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::Input { path: name.clone(), message: e.to_string() })?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Input { path: name.clone(), message: format!("not UTF-8: {e}") })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| Error::Data {
        path: name.clone(),
        line: e.pos().row as usize,
        message: format!("{} (column {}); not a well-formed XML corpus", xml_error(&e), e.pos().col),
    })?;
    let articles = doc.root_element().descendants().filter(|n| is(n, "article"));
    articles.enumerate().map(|(n, art)| read_article(art, n, &name)).collect()
}

/// What is wrong with a document, in expat's words where the corpora's
/// authors (and Python's ElementTree) would see them.
fn xml_error(e: &roxmltree::Error) -> String {
    match e {
        roxmltree::Error::UnknownEntityReference(name, _) => format!("undefined entity &{name};"),
        e => e.to_string(),
    }
}

type Node<'a> = roxmltree::Node<'a, 'a>;

/// An element called `name`.
fn is(node: &Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name
}

/// The first child element called `name` (ElementTree's `find`).
fn child<'a>(node: Node<'a>, name: &str) -> Option<Node<'a>> {
    node.children().find(|c| is(c, name))
}

/// ElementTree's `text`: the character data (CDATA included) before the
/// first child element, without the comments and processing instructions
/// in between.
fn text(node: Node) -> String {
    node.children().take_while(|c| !c.is_element()).filter(|c| c.is_text()).filter_map(|c| c.text()).collect()
}

/// The text of the first child called `name` (ElementTree's `findtext`: ""
/// for an empty child, None without one).
fn child_text(node: Node, name: &str) -> Option<String> {
    child(node, name).map(text)
}

/// The line of an element's start tag, for error messages.
fn line(node: Node) -> usize {
    node.document().text_pos_at(node.range().start).row as usize
}

fn read_article(art: Node, n: usize, path: &str) -> Result<GoldArticle> {
    let text: Vec<char> = child_text(art, "text").unwrap_or_default().chars().collect();
    let id = [art.attribute("docid"), art.attribute("file")].into_iter().flatten().find(|s| !s.is_empty());
    let int = |el: Node, field: &str| -> Result<Option<i64>> {
        child_text(el, field)
            .map(|s| {
                py::parse_int(&s).ok_or_else(|| Error::Data {
                    path: path.to_string(),
                    line: line(el),
                    message: format!("<{field}> of <{}> is not an integer: {s:?}", el.tag_name().name()),
                })
            })
            .transpose()
    };
    let float = |el: Node, field: &str| child_text(el, field).and_then(|s| py::parse_float(&s));
    let below = |name: &'static str| art.descendants().filter(move |d| is(d, name));
    // (start, end, phrase, lat, lon, country, feature class, page)
    let mut gold = Vec::new();
    for loc in below("location") {
        let (start, end) = (int(loc, "start")?, int(loc, "end")?);
        let (Some(start), Some(end)) = (start, end) else {
            return Err(Error::Data { path: path.to_string(), line: line(loc), message: "<location> without <start> or <end>".into() });
        };
        gold.push((start, end, child_text(loc, "name"), float(loc, "lat"), float(loc, "lon"), None, None, child_text(loc, "page")));
    }
    for t in below("toponym") {
        let (Some(start), Some(end)) = (int(t, "start")?, int(t, "end")?) else { continue };
        if let Some(g) = child(t, "gaztag") {
            let country = child_text(g, "country").map(|c| py::strip(&c).to_string()).filter(|c| !c.is_empty());
            gold.push((start, end, child_text(t, "phrase"), float(g, "lat"), float(g, "lon"), country, child_text(g, "fclass"), None));
        } else if child_text(t, "nonLocational").as_deref().map(py::strip) != Some("Yes") {
            gold.push((start, end, child_text(t, "extractedName"), float(t, "latitude"), float(t, "longitude"), None, None, None));
        }
    }
    let toponyms = gold
        .into_iter()
        .filter_map(|(start, end, phrase, lat, lon, country, class, page)| {
            let (start, end) = align(&text, start, end, phrase.as_deref());
            let class = class.map(|c| py::strip(&c).to_string()).filter(|c| !c.is_empty());
            Some(GoldToponym { start, end, lat: lat?, lon: lon?, country, class, name: phrase, page })
        })
        .collect();
    Ok(GoldArticle { id: id.map_or_else(|| n.to_string(), String::from), text: text.into_iter().collect(), toponyms })
}

/// Some corpora count offsets from 1 in some articles: a span whose text is
/// not its phrase moves to the nearest occurrence of the phrase within 3
/// code points (-1, +1, -2, …), as the reference's `_align` does.
fn align(text: &[char], start: i64, end: i64, phrase: Option<&str>) -> (i64, i64) {
    let Some(phrase) = phrase.filter(|p| !p.is_empty()) else { return (start, end) };
    let phrase: Vec<char> = phrase.chars().collect();
    if slice(text, start, end) == phrase {
        return (start, end);
    }
    let len = phrase.len() as i64;
    [-1, 1, -2, 2, -3, 3]
        .into_iter()
        .map(|d| (start + d, start + d + len))
        .find(|&(s, e)| slice(text, s, e) == phrase)
        .unwrap_or((start, end))
}

/// Python's `text[start:end]`: negative indices count from the end, and
/// indices beyond either end are clamped.
fn slice(text: &[char], start: i64, end: i64) -> &[char] {
    let n = text.len() as i64;
    let at = |i: i64| (if i < 0 { i + n } else { i }).clamp(0, n) as usize;
    let (s, e) = (at(start), at(end));
    if s < e { &text[s..e] } else { &[] }
}

/// One annotated line, as far as scoring reads it.
#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    id: Value,
    #[serde(default)]
    entities: Vec<LineEntity>,
}

#[derive(Deserialize)]
struct LineEntity {
    start: i64,
    end: i64,
    /// Anything; only an object with numeric lat and lon places the entity.
    #[serde(default)]
    geo: Value,
}

#[derive(Deserialize)]
struct LineGeo {
    #[serde(default)]
    lat: Value,
    #[serde(default)]
    lon: Value,
    #[serde(default)]
    country: Value,
}

/// Reads annotated JSON lines: per article id (as Python's `str` writes
/// it), the entities that carry coordinates. A later line with the same id
/// replaces an earlier one.
pub fn read_predictions(path: &Path) -> Result<HashMap<String, Vec<PlacedEntity>>> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::Input { path: name.clone(), message: e.to_string() })?;
    let mut out = HashMap::new();
    for (i, l) in text.lines().enumerate().filter(|(_, l)| !py::strip(l).is_empty()) {
        let line: Line = serde_json::from_str(l).map_err(|e| Error::Data { path: name.clone(), line: i + 1, message: e.to_string() })?;
        out.insert(python_str(&line.id), line.entities.iter().filter_map(placed).collect());
    }
    Ok(out)
}

/// The documents of the lines of `pred` whose id is an article of
/// `articles`: the article's text and the line's entities as mentions, with
/// the index of the article.
fn documents(articles: &[GoldArticle], pred: &Path) -> Result<Vec<(usize, Document)>> {
    let name = pred.display().to_string();
    let text = std::fs::read_to_string(pred).map_err(|e| Error::Input { path: name.clone(), message: e.to_string() })?;
    let by_id: HashMap<&str, usize> = articles.iter().enumerate().map(|(k, a)| (a.id.as_str(), k)).collect();
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate().filter(|(_, l)| !py::strip(l).is_empty()) {
        let line: output::Line = serde_json::from_str(l).map_err(|e| Error::Data { path: name.clone(), line: i + 1, message: e.to_string() })?;
        let Some(&k) = by_id.get(line.id.as_str()) else { continue };
        let mut doc = Document::new(line.id.as_str(), articles[k].text.as_str());
        let at = CharIndex::new(&doc.text);
        doc.mentions = line
            .entities
            .iter()
            .map(|e| Mention { span: Span::new(at.byte_of(e.start), at.byte_of(e.end)), label: e.label.clone(), score: e.score as f32 })
            .collect();
        out.push((k, doc));
    }
    Ok(out)
}

/// Resolves `doc`'s mentions with `ranker`: its annotated line and the
/// names as ranked.
fn resolve_doc(doc: &mut Document, ranker: &Ranker) -> Result<(String, Vec<PlacedEntity>, Vec<RankedName>)> {
    let (places, ranked) = resolve_with(&doc.text, &doc.mentions, ranker);
    doc.places = places;
    let data = |e: serde_json::Error| Error::Data { path: doc.id.clone(), line: 0, message: e.to_string() };
    let json = serde_json::to_string(&output::Line::of(doc)).map_err(data)?;
    let again: Line = serde_json::from_str(&json).map_err(data)?;
    Ok((json, again.entities.iter().filter_map(placed).collect(), ranked))
}

/// The placed entities of each line of `pred` whose id is an article of
/// `articles`, after running the place stage again (see
/// [`Places::ResolvedAgain`]) over the article's text and the line's entities.
fn resolve_again(articles: &[GoldArticle], pred: &Path, write: Option<&Path>, ranker: &Ranker) -> Result<HashMap<String, Vec<PlacedEntity>>> {
    let mut out = HashMap::new();
    let mut written = String::new();
    for (_, mut doc) in documents(articles, pred)? {
        let (json, placed, _) = resolve_doc(&mut doc, ranker)?;
        out.insert(doc.id.clone(), placed);
        written += &json;
        written.push('\n');
    }
    if let Some(path) = write {
        std::fs::write(path, written).map_err(|e| Error::Output { path: path.display().to_string(), message: e.to_string() })?;
    }
    Ok(out)
}

/// Distance within which a place is right, as acc@161 counts it.
const RIGHT_KM: f64 = 161.0;
/// How far the gold point may be from the gazetteer's point of the division
/// the gold means (see [`choices`]).
const DIVISION_KM: f64 = 500.0;

/// A corpus for training and cross-validating the candidate ranker: the
/// gold articles and a document (text and tagger's entities) per article
/// the predictions have.
pub struct RankerCorpus {
    pub name: String,
    pub articles: Vec<GoldArticle>,
    /// The articles with their cities and smaller places only ([`cities_only`]).
    cities: Vec<GoldArticle>,
    docs: Vec<(usize, Document)>,
}

impl RankerCorpus {
    /// Reads the corpus `gold` and the annotated lines `pred` written over it.
    pub fn read(gold: &Path, pred: &Path) -> Result<RankerCorpus> {
        let articles = read_corpus(gold)?;
        let docs = documents(&articles, pred)?;
        if docs.is_empty() {
            return Err(Error::Input { path: pred.display().to_string(), message: format!("no line is an article of {}", gold.display()) });
        }
        let name = gold.file_stem().map_or_else(|| gold.display().to_string(), |s| s.to_string_lossy().into_owned());
        let cities = cities_only(&articles);
        Ok(RankerCorpus { name, articles, cities, docs })
    }
}

/// The gold's choices among the candidates of the names of one resolved
/// document: per mention that a gold toponym overlaps (the closest, as
/// scoring finds it), its name's candidates and which lie within 161 km of
/// the gold point.
fn choices(art: &GoldArticle, doc: &Document, ranked: &[RankedName]) -> Vec<Choice> {
    let at = CharIndex::new(&doc.text);
    let mut out = Vec::new();
    for name in ranked.iter().filter(|n| n.candidates.len() > 1) {
        for &i in &name.mentions {
            let span = doc.mentions[i].span;
            let (start, end) = (at.char_of(span.start) as i64, at.char_of(span.end) as i64);
            let gold = art.toponyms.iter().filter(|t| start < t.end && t.start < end).min_by_key(|t| (start - t.start).abs() + (end - t.end).abs());
            let Some(t) = gold else { continue };
            let dist: Vec<f64> = name.candidates.iter().map(|p| km((t.lat, t.lon), (f64::from(p.lat), f64::from(p.lon)))).collect();
            let mut right: Vec<bool> = dist.iter().map(|&d| d <= RIGHT_KM).collect();
            // the gazetteer's point for a division is the middle of its towns, the
            // gold's often GeoNames' own, further away: the nearest division is the one meant
            if !right.contains(&true) {
                let nearest = (0..dist.len()).min_by(|&a, &b| dist[a].total_cmp(&dist[b]));
                if let Some(c) = nearest.filter(|&c| name.candidates[c].kind.is_division() && dist[c] <= DIVISION_KM) {
                    right[c] = true;
                }
            }
            // a town and the division of its name can lie within 161 km of each other
            // ("Kabul"): where the gold says which it means (GeoNames' feature class: P a
            // town, A a division or a country), the other is wrong
            let kind_ok = |p: &crate::geo::Place| match t.class.as_deref() {
                Some("P") => p.kind == crate::geo::Kind::City,
                Some("A") => p.kind != crate::geo::Kind::City,
                _ => true,
            };
            let narrowed: Vec<bool> = right.iter().zip(&name.candidates).map(|(&r, p)| r && kind_ok(p)).collect();
            if narrowed.contains(&true) {
                right = narrowed;
            }
            out.push(Choice { feats: name.feats.clone(), right });
        }
    }
    out
}

/// Rounds of training: features are read off the place stage run with the
/// previous round's weights (the article's other names, as resolved, are
/// features of each name), so a round or two more lets them settle.
const ROUNDS: usize = 3;

/// Trains the ranker on the documents `which` selects, from the hand-set
/// weights, over [`ROUNDS`] rounds.
fn train(corpora: &[RankerCorpus], which: impl Fn(usize, usize) -> bool, opts: Fit) -> Result<Ranker> {
    let start = Ranker::hand_set();
    let mut r = start.clone();
    for _ in 0..ROUNDS {
        let mut all = Vec::new();
        for (c, corpus) in corpora.iter().enumerate() {
            for (_, (k, doc)) in corpus.docs.iter().enumerate().filter(|(d, _)| which(c, *d)) {
                let mut doc = doc.clone();
                let (_, _, ranked) = resolve_doc(&mut doc, &r)?;
                all.extend(choices(&corpus.articles[*k], &doc, &ranked));
            }
        }
        r = fit(&all, &start, opts);
    }
    Ok(r)
}

/// One corpus's figures under one ranker: the scorer's, and the ranker's
/// own over the gold's choices (top-1 accuracy and ROC AUC of candidate
/// scores, right against wrong candidates).
#[derive(Debug, Clone)]
pub struct RankerFigures {
    pub corpus: String,
    pub ranker: String,
    pub scores: GeoScores,
    /// The same over the gold's cities and smaller places ([`city_or_smaller`]).
    pub cities: GeoScores,
    pub choices: usize,
    pub top1: f64,
    pub roc_auc: f64,
}

/// Resolves every document of `corpus`, each with the ranker `pick` gives
/// for it, and scores the result.
fn evaluate(corpus: &RankerCorpus, label: &str, pick: impl Fn(usize) -> Ranker) -> Result<RankerFigures> {
    let mut predictions = HashMap::new();
    let (mut top, mut n) = (0usize, 0usize);
    let mut scored: Vec<(f32, bool)> = Vec::new();
    for (d, (k, doc)) in corpus.docs.iter().enumerate() {
        let r = pick(d);
        let mut doc = doc.clone();
        let (_, placed, ranked) = resolve_doc(&mut doc, &r)?;
        predictions.insert(doc.id.clone(), placed);
        let cs: Vec<Choice> = choices(&corpus.articles[*k], &doc, &ranked).into_iter().filter(|c| c.right.iter().any(|&r| r)).collect();
        top += (accuracy(&r, &cs) * cs.len() as f64).round() as usize;
        n += cs.len();
        scored.extend(cs.iter().flat_map(|c| c.feats.iter().zip(&c.right).map(|(x, &ok)| (r.score(x), ok))));
    }
    Ok(RankerFigures {
        corpus: corpus.name.clone(),
        ranker: label.to_string(),
        scores: score(&corpus.articles, &predictions),
        cities: score(&corpus.cities, &predictions),
        choices: n,
        top1: if n > 0 { 100.0 * top as f64 / n as f64 } else { 0.0 },
        roc_auc: roc_auc(scored),
    })
}

/// Document-level `k`-fold cross-validation of the ranker over `corpora`
/// together (document `d` of each corpus is in fold `d % k`): per corpus,
/// the figures of the hand-set weights, the shipped ones, the folds' (each
/// document resolved by a ranker trained on the other folds, of every
/// corpus) and, in-sample, the ranker trained on everything, which is
/// returned. `k` = 0 skips the cross-validation.
pub fn cross_validate(corpora: &[RankerCorpus], k: usize, opts: Fit) -> Result<(Vec<RankerFigures>, Ranker)> {
    let mut folds = Vec::new();
    for fold in 0..k {
        folds.push(train(corpora, |_, d| d % k != fold, opts)?);
    }
    let all = train(corpora, |_, _| true, opts)?;
    let mut out = Vec::new();
    for corpus in corpora {
        out.push(evaluate(corpus, "hand-set", |_| Ranker::hand_set())?);
        out.push(evaluate(corpus, "shipped", |_| Ranker::shipped().clone())?);
        if k > 1 {
            out.push(evaluate(corpus, &format!("cv-{k}"), |d| folds[d % k].clone())?);
        }
        out.push(evaluate(corpus, "all-data (in-sample)", |_| all.clone())?);
    }
    Ok((out, all))
}

/// The figures as a table, or as JSON lines.
pub fn ranker_table(figures: &[RankerFigures], json: bool) -> String {
    let mut out = String::new();
    if !json {
        let _ = writeln!(
            out,
            "{:12} {:22} {:>7} {:>7} {:>7} {:>7} {:>9} {:>7} {:>7} {:>7} {:>6} {:>7}",
            "corpus", "ranker", "recall", "acc161", "found", "country", "auc_found", "city", "city_f", "choices", "top1", "roc_auc"
        );
    }
    for f in figures {
        let s = &f.scores;
        if json {
            let _ = writeln!(
                out,
                "{}",
                serde_json::json!({"corpus": f.corpus, "ranker": f.ranker, "recall": s.recall, "acc161": s.acc161, "acc161_found": s.acc161_found,
                    "country_found": s.country_found, "auc_found": s.auc_found, "median_km_found": s.median_km_found,
                    "city_toponyms": f.cities.gold_toponyms, "acc161_city": f.cities.acc161, "acc161_found_city": f.cities.acc161_found,
                    "choices": f.choices, "top1": py::round(f.top1, 2), "roc_auc": py::round(f.roc_auc, 4)})
            );
        } else {
            let country = s.country_found.map_or("-".to_string(), |c| format!("{c:.2}"));
            let _ = writeln!(
                out,
                "{:12} {:22} {:>7.2} {:>7.2} {:>7.2} {:>7} {:>9.4} {:>7.2} {:>7.2} {:>7} {:>6.2} {:>7.4}",
                f.corpus, f.ranker, s.recall, s.acc161, s.acc161_found, country, s.auc_found, f.cities.acc161, f.cities.acc161_found, f.choices, f.top1, f.roc_auc
            );
        }
    }
    out
}

fn placed(e: &LineEntity) -> Option<PlacedEntity> {
    let geo = LineGeo::deserialize(&e.geo).ok()?;
    Some(PlacedEntity {
        start: e.start,
        end: e.end,
        lat: number(&geo.lat)?,
        lon: number(&geo.lon)?,
        country: geo.country.as_str().unwrap_or("").to_uppercase(),
    })
}

/// Python's `float(v)` of a JSON value: numbers, numeric strings and
/// booleans; None for anything else.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => py::parse_float(s),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

/// Python's `str(v)` of a JSON id (an object or array id can match no
/// article and is written as JSON).
fn python_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Number(n) if n.is_f64() => py::repr(n.as_f64().unwrap_or(f64::NAN)),
        _ => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn haversine_agrees_with_known_distances() {
        assert_eq!(km((10.0, 20.0), (10.0, 20.0)), 0.0);
        // London to Paris, about 343.6 km
        assert!((km((51.5074, -0.1278), (48.8566, 2.3522)) - 343.56).abs() < 0.1);
        // antipodes: half the circumference, sqrt(h) capped at 1
        assert!((km((0.0, 0.0), (0.0, 180.0)) - std::f64::consts::PI * 6371.0088).abs() < 1e-6);
    }

    #[test]
    fn align_moves_a_span_to_its_phrase_within_three() {
        let text = chars("In Kabul, Afghanistan");
        assert_eq!(align(&text, 3, 8, Some("Kabul")), (3, 8));
        assert_eq!(align(&text, 4, 9, Some("Kabul")), (3, 8));
        assert_eq!(align(&text, 1, 6, Some("Kabul")), (3, 8));
        assert_eq!(align(&text, 10, 21, Some("Afghan")), (10, 21), "the phrase is at the start");
        assert_eq!(align(&text, 3, 8, Some("Paris")), (3, 8), "no phrase nearby: unchanged");
        assert_eq!(align(&text, 3, 8, None), (3, 8));
        assert_eq!(align(&text, 3, 8, Some("")), (3, 8));
    }

    #[test]
    fn slices_follow_python() {
        let t = chars("abcdef");
        assert_eq!(slice(&t, 1, 3), chars("bc"));
        assert_eq!(slice(&t, -2, 6), chars("ef"));
        assert_eq!(slice(&t, -1, 1), chars(""));
        assert_eq!(slice(&t, -10, 2), chars("ab"));
        assert_eq!(slice(&t, 4, 99), chars("ef"));
        assert_eq!(slice(&t, 5, 2), chars(""));
    }

    fn toponym(start: i64, end: i64, lat: f64, lon: f64, country: Option<&str>) -> GoldToponym {
        GoldToponym { start, end, lat, lon, country: country.map(String::from), class: None, name: None, page: None }
    }

    fn entity(start: i64, end: i64, lat: f64, lon: f64, country: &str) -> PlacedEntity {
        PlacedEntity { start, end, lat, lon, country: country.into() }
    }

    #[test]
    fn scores_found_far_and_country() {
        let gold = vec![
            GoldArticle {
                id: "a".into(),
                text: String::new(),
                toponyms: vec![
                    toponym(0, 5, 34.5, 69.2, Some("Afghanistan")),
                    toponym(10, 16, 52.37, 4.9, Some("Netherlands")),
                    toponym(20, 25, 40.7, -74.0, Some("United States")),
                    toponym(30, 35, 0.0, 0.0, None),
                ],
            },
            GoldArticle { id: "b".into(), text: String::new(), toponyms: vec![toponym(0, 3, 1.0, 1.0, None)] },
        ];
        let pred = HashMap::from([(
            "a".to_string(),
            vec![
                entity(0, 5, 34.5, 69.2, "AF"),
                entity(11, 16, 52.37, 4.9, "NL"),
                entity(9, 12, 0.0, 0.0, "NL"), // overlaps too, but further from the gold ends
                entity(20, 25, 30.0, -74.0, "CA"),
            ],
        )]);
        let s = score(&gold, &pred);
        assert_eq!((s.articles, s.articles_missing_in_pred, s.gold_toponyms), (2, 1, 5));
        assert_eq!((s.recall, s.acc161, s.acc161_found), (60.0, 40.0, 66.67));
        assert_eq!(s.median_km_found, Some(0.0));
        assert_eq!(s.country_found, Some(66.67));
        assert!(s.auc_found > 0.0);
        assert_eq!(
            s.to_text().lines().nth(3).unwrap(),
            "recall                     60.0",
            "{}",
            s.to_text()
        );
    }

    #[test]
    fn cities_and_smaller_places_by_feature_class_or_by_the_gazetteer() {
        let classed = |class: &str| GoldToponym { class: Some(class.into()), ..toponym(0, 1, 0.0, 0.0, None) };
        assert!(city_or_smaller(&classed("P")) && city_or_smaller(&classed("S")));
        assert!(!city_or_smaller(&classed("A")) && !city_or_smaller(&classed("L")) && !city_or_smaller(&classed("H")));
        // GeoVirus: a name and a Wikipedia page, no class
        let wiki = |name: &str, page: &str, lat: f64, lon: f64| GoldToponym {
            name: Some(name.into()),
            page: Some(format!("https://en.wikipedia.org/wiki/{page}")),
            ..toponym(0, 1, lat, lon, None)
        };
        assert!(city_or_smaller(&wiki("Pandi", "Pandi,_Bulacan", 14.87, 120.95)));
        assert!(city_or_smaller(&wiki("Sao Paulo", "S%C3%A3o_Paulo", -23.55, -46.63)), "the city, not the state");
        assert!(city_or_smaller(&wiki("Washington", "Washington,_D.C.", 38.9, -77.04)), "the capital, not the state");
        assert!(city_or_smaller(&wiki("Wuhan Institute of Virology", "Wuhan_Institute_of_Virology", 30.37, 114.26)), "no place of that name: a small one");
        assert!(!city_or_smaller(&wiki("Canada", "Canada", 60.0, -95.0)), "Wikipedia's point, far from GeoNames'");
        assert!(!city_or_smaller(&wiki("New York", "New_York_(state)", 43.0, -75.0)));
        assert_eq!(page_title("https://en.wikipedia.org/wiki/Pandi,_Bulacan"), "Pandi, Bulacan");
        // scored over the towns only
        let gold = vec![GoldArticle { id: "a".into(), text: String::new(), toponyms: vec![classed("P"), GoldToponym { start: 5, end: 9, ..classed("A") }] }];
        let pred = HashMap::from([("a".to_string(), vec![entity(0, 1, 0.0, 0.0, "")])]);
        assert_eq!((score(&gold, &pred).acc161, score(&cities_only(&gold), &pred).acc161), (50.0, 100.0));
    }

    /// Training labels: the candidates near the gold point, of the kind the
    /// gold's feature class says where it has one (Kabul the capital and
    /// Kabul the province lie within 161 km of each other).
    #[test]
    fn the_golds_feature_class_tells_a_town_from_its_province() {
        let text = "Flights to Kabul resumed on Monday.";
        let mut doc = Document::new("k", text);
        doc.mentions = vec![Mention { span: Span::new(11, 16), label: "LOC".into(), score: 0.9 }];
        let (_, _, ranked) = resolve_doc(&mut doc, &Ranker::hand_set()).unwrap();
        let kinds = |class: Option<&str>| -> Vec<&str> {
            let t = GoldToponym { class: class.map(String::from), ..toponym(11, 16, 34.53, 69.17, Some("Afghanistan")) };
            let art = GoldArticle { id: "k".into(), text: text.into(), toponyms: vec![t] };
            let c = choices(&art, &doc, &ranked).pop().expect("Kabul has several candidates");
            let name = ranked.iter().find(|n| n.mentions == [0]).unwrap();
            name.candidates.iter().zip(&c.right).filter(|(_, r)| **r).map(|(p, _)| p.kind.name()).collect()
        };
        assert_eq!(kinds(Some("P")), ["city"]);
        assert!(!kinds(Some("A")).is_empty() && !kinds(Some("A")).contains(&"city"), "{:?}", kinds(Some("A")));
        assert!(kinds(None).contains(&"city") && kinds(None).len() >= 2, "{:?}", kinds(None));
    }

    #[test]
    fn country_names_are_the_geonames_names_and_older_ones() {
        assert!(names_country("US", "united states"));
        assert!(names_country("NL", "The Netherlands") && names_country("NL", "Netherlands"));
        assert!(names_country("CZ", "Czechia") && names_country("CZ", "Czech Republic"));
        assert!(!names_country("US", "USA"), "aliases are not the reference's names");
        assert!(!names_country("", "United States"));
    }

    #[test]
    fn nothing_found_prints_as_python_prints_it() {
        let gold = vec![GoldArticle { id: "0".into(), text: String::new(), toponyms: vec![toponym(0, 3, 1.0, 1.0, None)] }];
        let s = score(&gold, &HashMap::new());
        assert_eq!(
            s.to_json(),
            "{\"articles\": 1, \"articles_missing_in_pred\": 1, \"gold_toponyms\": 1, \"recall\": 0.0, \"acc161\": 0.0, \
             \"acc161_found\": 0.0, \"median_km_found\": null, \"auc_found\": 0.0, \"country_found\": null}\n"
        );
        assert!(s.to_text().ends_with("median_km_found            None\nauc_found                  0.0\ncountry_found              None\n"));
    }

    #[test]
    fn predicted_coordinates_are_read_as_python_reads_them() {
        let line: Line = serde_json::from_str(
            r#"{"id": 7, "entities": [
                {"start": 0, "end": 1, "geo": {"lat": "12.5", "lon": 3, "country": "af"}},
                {"start": 2, "end": 3, "geo": {"lat": null, "lon": 3}},
                {"start": 4, "end": 5, "geo": "Kabul"},
                {"start": 6, "end": 7}]}"#,
        )
        .unwrap();
        assert_eq!(python_str(&line.id), "7");
        let placed: Vec<_> = line.entities.iter().filter_map(placed).collect();
        assert_eq!(placed, [entity(0, 1, 12.5, 3.0, "AF")]);
        assert_eq!(python_str(&serde_json::json!(2.0)), "2.0");
        assert_eq!(python_str(&Value::Null), "None");
    }

    fn corpus(xml: &str) -> Result<Vec<GoldArticle>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("corpus.xml");
        std::fs::write(&path, xml).unwrap();
        read_corpus(&path)
    }

    /// The XML as ElementTree reads it: a text is the character data before
    /// the first child (CDATA and references included, comments left out,
    /// line ends normalised); ids are docid, else file, else the position.
    #[test]
    fn corpora_are_read_as_element_tree_reads_them() {
        let xml = "\u{feff}<?xml version=\"1.0\"?>\n<!DOCTYPE articles>\n<articles>\r\n\
                   <article docid=\"a1\"><text>In <!-- x -->Kabul\r\n&amp; <![CDATA[<Herat>]]>&#233;<b>not</b> this</text>\
                   <toponyms><toponym><start>3</start><end>8</end><phrase>Kabul</phrase>\
                   <gaztag><lat>34.5</lat><lon>69.2</lon><country> Afghanistan </country></gaztag></toponym></toponyms></article>\n\
                   <article file=\"f.txt\"><text/></article><article docid=\"\"/></articles>";
        let articles = corpus(xml).unwrap();
        assert_eq!(articles.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["a1", "f.txt", "2"]);
        assert_eq!(articles[0].text, "In Kabul\n& <Herat>é");
        assert_eq!(articles[0].toponyms, [GoldToponym { name: Some("Kabul".into()), ..toponym(3, 8, 34.5, 69.2, Some("Afghanistan")) }]);
        assert_eq!(articles[1].text, "");

        let err = corpus("<articles>\n<article>\n<location><start>x</start></location></article></articles>").unwrap_err().to_string();
        assert!(err.contains(":3") && err.contains("<start> of <location> is not an integer"), "{err}");
        let err = corpus("<articles>\n<article><text>Kabul &nbsp;city</text></article>\n</articles>").unwrap_err().to_string();
        assert!(err.contains(":2") && err.contains("undefined entity &nbsp;"), "{err}");
        assert!(corpus("<a><b></a>").is_err() && corpus("").is_err());
    }
}
