//! The one data type every stage reads and extends.
//!
//! Offsets: internally stages work on byte offsets (what Rust string slicing
//! needs); the JSON line carries Unicode code-point offsets, because that is
//! what `text[start:end]` means to the Python and Spark users who read it.
//! The conversion happens once, in [`Document::to_output`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A half-open byte range `[start, end)` into [`Document::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// An entity mention found by the tagger (byte span internally).
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub span: Span,
    pub label: String,
    /// Mean probability of the chosen tags over the mention's words.
    pub score: f32,
}

impl Mention {
    /// The `nth` occurrence of `needle` in `text` as a mention (for tests
    /// that place mentions by hand).
    #[cfg(test)]
    pub fn at(text: &str, needle: &str, nth: usize, label: &str) -> Mention {
        let start = text.match_indices(needle).nth(nth).expect("needle occurs in text").0;
        Mention { span: Span::new(start, start + needle.len()), label: label.into(), score: 0.9 }
    }
}

/// A problem with one record, reported in-band so no input line disappears.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordError {
    pub code: String,
    pub message: String,
}

impl RecordError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        RecordError { code: code.to_string(), message: message.into() }
    }
}

/// One article flowing through read → segment → tag → link → write.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub id: String,
    pub text: String,
    /// Every input field other than id/text/published, passed through untouched.
    pub meta: Map<String, Value>,
    pub published: Option<String>,
    pub sentences: Vec<Span>,
    pub mentions: Vec<Mention>,
    /// The gazetteer record of each mention that names a place, aligned
    /// with `mentions` (set by the geoparsing stage, [`crate::geo`]).
    pub places: Vec<Option<crate::geo::Resolution>>,
    /// Mentions labelled with MUC-4 roles by a role model, when one ran
    /// (`extract --roles`); written decoded, one filler per referent.
    pub roles: Option<Vec<Mention>>,
    /// Everything the linker adds (clusters, incidents), already in output form.
    pub extra: Map<String, Value>,
    pub errors: Vec<RecordError>,
    /// Warnings do not make a record fail (exit code stays 0) but are reported.
    pub warnings: Vec<RecordError>,
    /// Set when the record could not be processed at all (no entities computed).
    pub failed: bool,
}

/// An entity as written in the output line, code-point offsets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputEntity {
    pub id: String,
    pub text: String,
    pub label: String,
    pub start: usize,
    pub end: usize,
    pub score: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo: Option<OutputGeo>,
}

/// Where a place mention is, as written in the output line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputGeo {
    /// GeoNames id, where known.
    pub id: Option<u32>,
    pub name: String,
    pub kind: String,
    /// ISO 3166-1 alpha-2; null for a continent.
    pub country: Option<String>,
    /// Name of the first-level division.
    pub admin1: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub score: f64,
    /// The evidence that chose this place over others of the same name.
    pub why: Vec<String>,
    /// Where the place is named when that is only part of the entity
    /// ("Kentucky" in "Kentucky Department of Fish and Wildlife").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<OutputPart>,
}

/// A piece of the text, code-point offsets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputPart {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl OutputGeo {
    fn of(r: &crate::geo::Resolution, doc: &Document, map: &crate::text::offsets::CharIndex) -> OutputGeo {
        let p = r.place;
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        OutputGeo {
            id: p.id,
            name: p.name.to_string(),
            kind: p.kind.name().to_string(),
            country: some(p.country),
            admin1: some(p.admin1),
            lat: round(f64::from(p.lat)),
            lon: round(f64::from(p.lon)),
            score: round(f64::from(r.score)),
            why: r.why.iter().map(|w| w.name().to_string()).collect(),
            part: r.part.map(|s| OutputPart { text: doc.slice(s).to_string(), start: map.char_of(s.start), end: map.char_of(s.end) }),
        }
    }
}

/// Four decimals: scores and coordinates (11 m) need no more.
fn round(x: f64) -> f64 {
    (x * 10000.0).round() / 10000.0
}

impl Document {
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Document { id: id.into(), text: text.into(), ..Default::default() }
    }

    /// A record that could not be read; it still yields an output line.
    pub fn failed(id: impl Into<String>, error: RecordError) -> Self {
        Document { id: id.into(), errors: vec![error], failed: true, ..Default::default() }
    }

    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    /// Entities with code-point offsets and stable ids (`m1`, `m2`, … in text order).
    pub fn output_entities(&self) -> Vec<OutputEntity> {
        let map = crate::text::offsets::CharIndex::new(&self.text);
        self.mentions
            .iter()
            .enumerate()
            .map(|(i, m)| OutputEntity {
                id: format!("m{}", i + 1),
                text: self.slice(m.span).to_string(),
                label: m.label.clone(),
                start: map.char_of(m.span.start),
                end: map.char_of(m.span.end),
                score: round(f64::from(m.score)),
                geo: self.places.get(i).and_then(|p| p.as_ref()).map(|r| OutputGeo::of(r, self, &map)),
            })
            .collect()
    }

    /// Gives each entity the id of its alias cluster (`"cluster": "c1"`), so a
    /// reader of one entity needs not scan the cluster list.
    fn attach_clusters(&self, entities: &mut Value) {
        let Some(Value::Array(clusters)) = self.extra.get("clusters") else { return };
        let mut of: std::collections::HashMap<&str, &Value> = std::collections::HashMap::new();
        for c in clusters {
            for m in c["mentions"].as_array().into_iter().flatten() {
                if let Some(m) = m.as_str() {
                    of.insert(m, &c["id"]);
                }
            }
        }
        for e in entities.as_array_mut().into_iter().flatten() {
            if let Some(c) = e["id"].as_str().and_then(|id| of.get(id)) {
                e["cluster"] = (*c).clone();
            }
        }
    }

    /// The role model's mentions decoded into fillers (see
    /// [`crate::export::fillers`]): `{role, text, start, end, score, mentions}`
    /// with code-point offsets, the text quoted exactly from the article.
    fn output_roles(&self) -> Option<Value> {
        use crate::corpus::muc4::Role;
        use crate::export::fillers::{referents, DecodeOptions, RoleMention};
        let roles = self.roles.as_ref()?;
        let map = crate::text::offsets::CharIndex::new(&self.text);
        let mentions: Vec<RoleMention> = roles
            .iter()
            .filter_map(|m| {
                Some(RoleMention {
                    text: self.slice(m.span).to_string(),
                    role: Role::from_name(&m.label)?,
                    score: m.score,
                    offset: Some(map.char_of(m.span.start)),
                    end: Some(map.char_of(m.span.end)),
                })
            })
            .collect();
        let list = referents(&mentions, DecodeOptions::default())
            .into_iter()
            .filter_map(|r| {
                let (start, end) = (r.offset?, r.end?);
                Some(serde_json::json!({
                    "role": r.role.name(),
                    // from the article, not the decoder's text: a joined name keeps its own separator
                    "text": &self.text[map.byte_of(start)..map.byte_of(end)],
                    "start": start,
                    "end": end,
                    "score": (f64::from(r.score) * 10000.0).round() / 10000.0,
                    "mentions": r.mentions,
                }))
            })
            .collect();
        Some(Value::Array(list))
    }

    /// The JSON output line (see `schema/`).
    pub fn to_output(&self) -> Value {
        let mut out = Map::new();
        out.insert("id".into(), Value::String(self.id.clone()));
        out.insert("meta".into(), Value::Object(self.meta.clone()));
        out.insert(
            "published".into(),
            self.published.clone().map(Value::String).unwrap_or(Value::Null),
        );
        let mut entities = serde_json::to_value(self.output_entities()).unwrap();
        self.attach_clusters(&mut entities);
        out.insert("entities".into(), entities);
        for (k, v) in &self.extra {
            out.insert(k.clone(), v.clone());
        }
        if let Some(roles) = self.output_roles() {
            attach_roles(&mut out, &roles);
            out.insert("roles".into(), roles);
        }
        out.insert("errors".into(), serde_json::to_value(&self.errors).unwrap());
        if !self.warnings.is_empty() {
            out.insert("warnings".into(), serde_json::to_value(&self.warnings).unwrap());
        }
        Value::Object(out)
    }
}

/// Gives each incident the role fillers quoted inside its evidence, so an
/// analyst sees the model's perpetrators, targets, victims and weapons next
/// to the linker's rule-based slots, each with the words it came from.
fn attach_roles(line: &mut Map<String, Value>, roles: &Value) {
    let Some(Value::Array(incidents)) = line.get_mut("incidents") else { return };
    let fillers = roles.as_array().map(Vec::as_slice).unwrap_or(&[]);
    for inc in incidents {
        let spans: Vec<(u64, u64)> = inc["evidence"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| Some((e.get("start")?.as_u64()?, e.get("end")?.as_u64()?)))
            .collect();
        let inside: Vec<Value> = fillers
            .iter()
            .filter(|f| {
                let (s, e) = (f["start"].as_u64().unwrap_or(0), f["end"].as_u64().unwrap_or(0));
                spans.iter().any(|&(a, b)| a <= s && e <= b)
            })
            .map(|f| serde_json::json!({"role": f["role"], "text": f["text"], "start": f["start"], "end": f["end"]}))
            .collect();
        inc["roles"] = Value::Array(inside);
    }
}
