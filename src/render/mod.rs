//! The review page: annotated articles as one self-contained HTML file, for
//! analysts who check extractions by eye before they trust a database.
//!
//! The output lines carry code-point offsets but not the text, so the text
//! comes from the line itself (`"text"`) or from the original input, joined
//! by id. Offsets are resolved here and the browser gets ready-cut segments;
//! the page pages through the articles so 10,000 of them stay responsive.

mod article;
mod cards;
mod page;
mod segments;

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::corpus::reader::{Format, Reader};
use crate::corpus::walk::READ_ERROR;
use crate::error::{Error, Result};
use crate::output::Line;

pub use page::escape_html;

/// An annotated line as the page reads it: the output line, and the
/// article's text when the line carries one (`"text"`: `extract` does not
/// write it, but a line that has it needs no `--input`).
#[derive(Debug, Clone)]
pub struct Annotated {
    pub line: Line,
    pub text: Option<String>,
}

impl Annotated {
    /// One line of `extract`'s output, as JSON text.
    pub fn from_json(json: &str) -> serde_json::Result<Annotated> {
        #[derive(Deserialize)]
        struct Text {
            #[serde(default)]
            text: Option<String>,
        }
        let line: Line = serde_json::from_str(json)?;
        let Text { text } = serde_json::from_str(json)?;
        Ok(Annotated { line, text })
    }

    /// The article text: the line's own, or the original input's (see [`Texts`]).
    fn text<'a>(&'a self, texts: &'a Texts) -> Result<Option<&'a str>> {
        match &self.text {
            Some(t) => Ok(Some(t.as_str())),
            None => texts.of(&self.line),
        }
    }
}

/// Article texts from the original input, for lines that do not carry
/// their own. A line finds its record by the input fingerprint `extract`
/// writes on it, which is right even where ids repeat; a line without one
/// (another tool's) by its id, which is refused when the input gives that
/// id to records with different texts: by id alone, one article would show
/// another's text, offsets and all.
#[derive(Debug, Default)]
pub struct Texts {
    texts: Vec<String>,
    by_fingerprint: HashMap<String, usize>,
    by_id: HashMap<String, usize>,
    /// Where each id first occurs (`FILE line N`), to name it when it repeats.
    first_place: HashMap<String, String>,
    /// Ids the input repeats with another text: where they first and next occur.
    repeated: HashMap<String, (String, String)>,
}

impl Texts {
    /// Texts by id only (ids taken to be distinct), as a caller that has them in hand gives them.
    pub fn by_id(texts: HashMap<String, String>) -> Texts {
        let mut out = Texts::default();
        for (id, text) in texts {
            out.by_id.insert(id, out.texts.len());
            out.texts.push(text);
        }
        out
    }

    /// Adds the text of record `id` (input fingerprint `fingerprint`, at `place`).
    fn add(&mut self, id: String, fingerprint: Option<u64>, text: String, place: String) {
        let i = self.texts.len();
        if let Some(h) = fingerprint {
            self.by_fingerprint.entry(format!("{h:016x}")).or_insert(i);
        }
        match self.by_id.get(&id) {
            Some(&j) if self.texts[j] != text => {
                let first = self.first_place.get(&id).cloned().unwrap_or_default();
                self.repeated.entry(id).or_insert((first, place));
            }
            Some(_) => {}
            None => {
                self.first_place.insert(id.clone(), place);
                self.by_id.insert(id, i);
            }
        }
        self.texts.push(text);
    }

    fn of(&self, line: &Line) -> Result<Option<&str>> {
        if let Some(&i) = line.fingerprint.as_ref().and_then(|f| self.by_fingerprint.get(f)) {
            return Ok(Some(&self.texts[i]));
        }
        if let Some((first, next)) = self.repeated.get(&line.id) {
            return Err(Error::Usage(format!(
                "the input gives id {:?} to different articles ({first} and {next}), and its annotated line carries no input fingerprint to tell which: give the records distinct ids, or render the lines `newsner extract` wrote",
                line.id
            )));
        }
        Ok(self.by_id.get(&line.id).map(|&i| self.texts[i].as_str()))
    }
}

/// Renders annotated output lines as the review page. `texts` maps article
/// ids to their original text, for lines without a `"text"` field.
///
/// Fails when no line has a text at all: the page would show nothing to
/// review, and the fix (pass the original input) is the user's to make.
pub fn render_html(lines: &[Annotated], texts: &Texts) -> Result<String> {
    let own: Vec<Option<&str>> = lines.iter().map(|l| l.text(texts)).collect::<Result<_>>()?;
    if !lines.is_empty() && own.iter().all(Option::is_none) {
        return Err(Error::Usage(format!(
            "none of the {} annotated lines has its text: pass the original input with --input ORIGINAL.jsonl",
            lines.len()
        )));
    }
    let docs: Vec<article::Article> = lines.iter().zip(own).map(|(l, text)| article::article(&l.line, text)).collect();
    let labels: BTreeMap<&str, &str> =
        docs.iter().flat_map(|d| &d.ents).map(|e| (e.label.as_str(), article::label_color(&e.label))).collect();
    #[derive(Serialize)]
    struct Data<'a> {
        labels: BTreeMap<&'a str, &'static str>,
        docs: &'a [article::Article],
    }
    let data = serde_json::to_string(&Data { labels, docs: &docs }).expect("plain structs with string keys always serialise");
    Ok(page::page("newsner review", &data))
}

/// Reads an annotated JSONL file (the output of `extract`); blank lines are
/// skipped, anything else that is not an output line is an error with its
/// line number and what is wrong with it.
pub fn read_annotated(path: &Path) -> Result<Vec<Annotated>> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Error::Input { path: name.clone(), message: e.to_string() })?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| Error::Input { path: name.clone(), message: e.to_string() })?;
        if line.trim().is_empty() {
            continue;
        }
        let data = |message: String| Error::Data { path: name.clone(), line: i + 1, message };
        if !line.trim_start().starts_with('{') {
            return Err(data("not a JSON object; is this the output of `newsner extract`?".into()));
        }
        out.push(Annotated::from_json(&line).map_err(|e| data(format!("not an output line of `newsner extract`: {e}")))?);
    }
    Ok(out)
}

/// Article texts by id, read exactly as `extract` read them (same reader, so
/// the same ids even for records that had none and got a line number). No
/// size cap: whatever was annotated can be reviewed. An input that cannot be
/// read to its end (a truncated gzip) is an error: a page missing the texts
/// after the break would look complete.
pub fn read_texts(inputs: &[PathBuf], format: Format) -> Result<Texts> {
    let mut texts = Texts::default();
    for r in Reader::open(inputs, format, usize::MAX)? {
        if let Some(e) = r.doc.errors.iter().find(|e| e.code == READ_ERROR) {
            return Err(Error::Input { path: r.origin.source, message: e.message.clone() });
        }
        if !r.doc.failed {
            let place = format!("{} line {}", r.origin.source, r.origin.line);
            texts.add(r.doc.id, r.doc.fingerprint, r.doc.text, place);
        }
    }
    Ok(texts)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// An incident with every field `extract` writes, `fields` over empty defaults.
    pub(crate) fn incident(fields: Value) -> Value {
        let mut inc = json!({"id": "", "type": "unknown", "date": null, "location": null, "perpetrator_organizations": [],
            "perpetrator_individuals": [], "targets": [], "victims": [], "weapons": [], "casualties": {"killed": null, "injured": null},
            "claimed_by": [], "evidence": [], "confidence": 0.5});
        for (k, v) in fields.as_object().unwrap() {
            inc[k] = v.clone();
        }
        inc
    }

    /// A complete output line from the fields a test cares about.
    pub(crate) fn annotated(fields: Value) -> Annotated {
        let mut line = json!({"id": "x", "meta": {}, "published": null, "entities": [], "errors": []});
        for (k, v) in fields.as_object().unwrap() {
            line[k] = match k.as_str() {
                "incidents" => Value::Array(v.as_array().unwrap().iter().map(|i| incident(i.clone())).collect()),
                _ => v.clone(),
            };
        }
        Annotated::from_json(&line.to_string()).unwrap_or_else(|e| panic!("{e}: {line}"))
    }

    fn blob(html: &str) -> Value {
        let start = html.find("id=\"newsner-data\">").unwrap() + "id=\"newsner-data\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        serde_json::from_str(&html[start..end]).unwrap()
    }

    #[test]
    fn texts_come_from_the_line_or_the_input_by_id() {
        let lines = vec![
            annotated(json!({"id": "a", "text": "Own text."})),
            annotated(json!({"id": "2", "entities": [{"id": "m1", "text": "Rīga", "label": "LOC", "start": 3, "end": 7, "score": 0.9}]})),
        ];
        let texts = Texts::by_id(HashMap::from([("2".to_string(), "In Rīga </script> 🎉.".to_string())]));
        let html = render_html(&lines, &texts).unwrap();
        let data = blob(&html);
        let docs = data["docs"].as_array().unwrap();
        assert_eq!(docs[0]["segs"][0]["t"], "Own text.");
        assert_eq!(docs[1]["segs"][1], json!({"t": "Rīga", "e": 0}));
        assert_eq!(docs[1]["segs"][2]["t"], " </script> 🎉.");
        assert_eq!(data["labels"], json!({"LOC": "#ff9561"}));
        let err = render_html(&lines[1..], &Texts::default()).unwrap_err().to_string();
        assert!(err.contains("--input"), "{err}");
    }

    #[test]
    fn every_article_is_in_the_data_and_the_script_pages_them() {
        let lines: Vec<Annotated> = (0..45).map(|i| annotated(json!({"id": format!("d{i}"), "text": format!("Article {i}.")}))).collect();
        let html = render_html(&lines, &Texts::default()).unwrap();
        let docs = blob(&html)["docs"].as_array().unwrap().clone();
        assert_eq!(docs.len(), 45);
        assert_eq!(docs[44]["id"], "d44");
        assert!(html.contains("const PAGE = 20;"));
        assert!(html.contains("id=\"pager-top\"") && html.contains("id=\"pager-bottom\""));
        assert!(!html.contains("http://") && !html.contains("https://"), "no network: nothing is fetched");
    }

    #[test]
    fn reads_annotated_lines_and_reports_bad_ones_by_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.jsonl");
        let good = r#"{"id":"a","meta":{"title":"T"},"published":null,"entities":[],"errors":[]}"#;
        std::fs::write(&p, format!("{good}\n\n[1]\n")).unwrap();
        let err = read_annotated(&p).unwrap_err().to_string();
        assert!(err.contains(":3:") && err.contains("not a JSON object"), "{err}");
        std::fs::write(&p, format!("{good}\n{{\"id\": \"b\", \"text\": \"An input record\"}}\n")).unwrap();
        let err = read_annotated(&p).unwrap_err().to_string();
        assert!(err.contains(":2:") && err.contains("not an output line") && err.contains("meta"), "{err}");
        std::fs::write(&p, format!("{good}\n\n{good}\n")).unwrap();
        let lines = read_annotated(&p).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].line.meta.get::<String>("title").as_deref(), Some("T"));
        let input = dir.path().join("in.jsonl");
        std::fs::write(&input, "{\"id\": \"x\", \"text\": \"Hi\"}\n{\"text\": \"No id\"}\n{\"id\": \"bad\"}\n").unwrap();
        let texts = read_texts(&[input], Format::Jsonl).unwrap();
        let text = |id: &str| annotated(json!({"id": id})).text(&texts).unwrap().map(str::to_string);
        assert_eq!((text("x"), text("2"), text("bad")), (Some("Hi".into()), Some("No id".into()), None));
    }
}
