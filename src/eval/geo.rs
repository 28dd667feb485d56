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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Places {
    /// The `geo` each entity of the lines carries, as `extract` wrote it.
    AsWritten,
    /// This build's place stage run again over the lines' entities and the
    /// corpus's texts: work on the place stage needs no new tagger run
    /// (minutes per corpus). The entities are the tagger's as `extract` wrote
    /// them, so the figures are those `extract` would give with this build.
    /// `write`: where to write the lines so resolved, to read the errors.
    ResolvedAgain { write: Option<std::path::PathBuf> },
}

/// Scores the annotated lines in `pred` against the corpus `gold`. Refuses
/// a corpus without articles and predictions none of whose ids is a gold
/// article's: scores of nothing would only hide the mistake.
pub fn score_files(gold: &Path, pred: &Path, places: Places) -> Result<GeoScores> {
    let articles = read_corpus(gold)?;
    let predictions = match places {
        Places::AsWritten => read_predictions(pred)?,
        Places::ResolvedAgain { write } => resolve_again(&articles, pred, write.as_deref())?,
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
    Ok(score(&articles, &predictions))
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
    // (start, end, phrase, lat, lon, country)
    let mut gold = Vec::new();
    for loc in below("location") {
        let (start, end) = (int(loc, "start")?, int(loc, "end")?);
        let (Some(start), Some(end)) = (start, end) else {
            return Err(Error::Data { path: path.to_string(), line: line(loc), message: "<location> without <start> or <end>".into() });
        };
        gold.push((start, end, child_text(loc, "name"), float(loc, "lat"), float(loc, "lon"), None));
    }
    for t in below("toponym") {
        let (Some(start), Some(end)) = (int(t, "start")?, int(t, "end")?) else { continue };
        if let Some(g) = child(t, "gaztag") {
            let country = child_text(g, "country").map(|c| py::strip(&c).to_string()).filter(|c| !c.is_empty());
            gold.push((start, end, child_text(t, "phrase"), float(g, "lat"), float(g, "lon"), country));
        } else if child_text(t, "nonLocational").as_deref().map(py::strip) != Some("Yes") {
            gold.push((start, end, child_text(t, "extractedName"), float(t, "latitude"), float(t, "longitude"), None));
        }
    }
    let toponyms = gold
        .into_iter()
        .filter_map(|(start, end, phrase, lat, lon, country)| {
            let (start, end) = align(&text, start, end, phrase.as_deref());
            Some(GoldToponym { start, end, lat: lat?, lon: lon?, country })
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

/// The placed entities of each line of `pred` whose id is an article of
/// `articles`, after running the place stage again (see
/// [`Places::ResolvedAgain`]) over the article's text and the line's entities.
fn resolve_again(articles: &[GoldArticle], pred: &Path, write: Option<&Path>) -> Result<HashMap<String, Vec<PlacedEntity>>> {
    let name = pred.display().to_string();
    let text = std::fs::read_to_string(pred).map_err(|e| Error::Input { path: name.clone(), message: e.to_string() })?;
    let by_id: HashMap<&str, &GoldArticle> = articles.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut out = HashMap::new();
    let mut written = String::new();
    for (i, l) in text.lines().enumerate().filter(|(_, l)| !py::strip(l).is_empty()) {
        let data = |e: serde_json::Error| Error::Data { path: name.clone(), line: i + 1, message: e.to_string() };
        let line: output::Line = serde_json::from_str(l).map_err(data)?;
        let Some(art) = by_id.get(line.id.as_str()) else { continue };
        let mut doc = Document::new(line.id.as_str(), art.text.as_str());
        let at = CharIndex::new(&doc.text);
        doc.mentions = line
            .entities
            .iter()
            .map(|e| Mention { span: Span::new(at.byte_of(e.start), at.byte_of(e.end)), label: e.label.clone(), score: e.score as f32 })
            .collect();
        crate::geo::resolve(&mut doc);
        let json = serde_json::to_string(&output::Line::of(&doc)).map_err(data)?;
        let again: Line = serde_json::from_str(&json).map_err(data)?;
        out.insert(line.id, again.entities.iter().filter_map(placed).collect());
        written += &json;
        written.push('\n');
    }
    if let Some(path) = write {
        std::fs::write(path, written).map_err(|e| Error::Output { path: path.display().to_string(), message: e.to_string() })?;
    }
    Ok(out)
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
        GoldToponym { start, end, lat, lon, country: country.map(String::from) }
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
        assert_eq!(articles[0].toponyms, [toponym(3, 8, 34.5, 69.2, Some("Afghanistan"))]);
        assert_eq!(articles[1].text, "");

        let err = corpus("<articles>\n<article>\n<location><start>x</start></location></article></articles>").unwrap_err().to_string();
        assert!(err.contains(":3") && err.contains("<start> of <location> is not an integer"), "{err}");
        let err = corpus("<articles>\n<article><text>Kabul &nbsp;city</text></article>\n</articles>").unwrap_err().to_string();
        assert!(err.contains(":2") && err.contains("undefined entity &nbsp;"), "{err}");
        assert!(corpus("<a><b></a>").is_err() && corpus("").is_err());
    }
}
