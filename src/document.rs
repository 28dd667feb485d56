//! The one data type every stage reads and extends.
//!
//! Everything here is typed and in byte offsets (what Rust string slicing
//! needs). The output line, with its ids, rounded scores and Unicode
//! code-point offsets, is made from a `Document` in one place:
//! [`crate::output`].

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

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

/// The input fields other than id/text/published, passed through to the
/// output line untouched: input metadata whose shape newsner never looks at
/// (title, url, source, MUC-4 extracts …). It is kept as the JSON object's
/// compact text, so a `Document` holds no JSON tree and the output line
/// carries exactly what the reader was given; [`Meta::get`] reads one field
/// for the few places that show it (the review page's title and link).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Meta(Box<RawValue>);

impl Meta {
    /// The metadata of a record: `fields` as one compact JSON object.
    pub fn new(fields: &impl Serialize) -> Meta {
        let text = serde_json::to_string(fields).expect("a JSON object always serialises");
        Meta(RawValue::from_string(text).expect("serde_json writes valid JSON"))
    }

    /// Field `key`, when present and of type `T`.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        let mut fields: HashMap<String, Box<RawValue>> = serde_json::from_str(self.0.get()).ok()?;
        serde_json::from_str(fields.remove(key)?.get()).ok()
    }
}

impl Default for Meta {
    fn default() -> Meta {
        Meta(RawValue::from_string("{}".to_string()).expect("{} is JSON"))
    }
}

impl PartialEq for Meta {
    fn eq(&self, other: &Meta) -> bool {
        self.0.get() == other.0.get()
    }
}

/// One article flowing through read → segment → tag → link → write.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub id: String,
    pub text: String,
    pub meta: Meta,
    pub published: Option<String>,
    pub sentences: Vec<Span>,
    pub mentions: Vec<Mention>,
    /// The gazetteer record of each mention that names a place, aligned
    /// with `mentions` (the geoparsing stage, [`crate::geo`]).
    pub places: Vec<Option<Resolved>>,
    /// A second span group beside the entities, from another tagger (the
    /// MUC-4 adapter puts its decoded role fillers here, `extract --roles`).
    /// The core only quotes them and places them in incidents by position;
    /// what the labels mean is the adapter's business.
    pub roles: Option<Vec<GroupSpan>>,
    /// The attack-argument model's spans (triggers `Attack`/`Harm`, arguments
    /// `Perp`, `Target`, `Victim`, `Weapon`, `Place`; see
    /// `train::events::LABELS`), in text order, when that model ran. The
    /// linker fills incident slots from them.
    pub arguments: Option<Vec<Mention>>,
    /// Alias clusters, when the linker ran.
    pub clusters: Option<Vec<Cluster>>,
    /// Incident records, when the linker ran.
    pub incidents: Option<Vec<Incident>>,
    pub errors: Vec<RecordError>,
    /// Warnings do not make a record fail (exit code stays 0) but are reported.
    pub warnings: Vec<RecordError>,
    /// Set when the record could not be processed at all (no entities computed).
    pub failed: bool,
    /// FNV-1a of the input record's bytes (see [`crate::corpus::reader`]),
    /// written on its line so `--resume` can tell the line belongs to the
    /// record, not only to a record with the same id.
    pub fingerprint: Option<u64>,
}

/// A place mention resolved against the gazetteer by the geoparsing stage
/// (`crate::geo`), which owns the gazetteer: the row is its index there.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The gazetteer row (`geo::gazetteer().place(row)`).
    pub row: u32,
    /// The winner's share of the candidates' softmax: 1.0 when nothing
    /// else was possible, about 0.5 for a coin toss.
    pub score: f32,
    /// The evidence that chose this place (the names `geo.why` shows).
    pub why: Vec<&'static str>,
    /// The place's own words when they are only part of the mention.
    pub part: Option<Span>,
}

/// One member of a span group: a referent another tagger found, named by
/// its most informative mention.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSpan {
    pub span: Span,
    pub label: String,
    /// The best tagger score among the referent's mentions.
    pub score: f32,
    /// How many mentions of the referent the tagger found.
    pub mentions: usize,
}

/// A within-document alias group; every mention belongs to exactly one.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// The most complete name among the members.
    pub name: String,
    pub label: String,
    /// Indices into [`Document::mentions`], in text order.
    pub members: Vec<usize>,
}

/// One incident the linker found: every slot points at the text it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// The incident type's name (see `incident::types::IncidentType`).
    pub kind: &'static str,
    pub date: Option<Date>,
    pub location: Option<Location>,
    /// Perpetrator organisations, one per cluster, in order of first mention.
    pub organizations: Vec<Organization>,
    pub individuals: Vec<Individuals>,
    pub targets: Vec<Span>,
    pub victims: Vec<Span>,
    pub weapons: Vec<Span>,
    pub killed: Option<Count>,
    pub injured: Option<Count>,
    /// The sentences the incident was built from.
    pub evidence: Vec<Span>,
    /// How complete the record is, 0 to 1.
    pub confidence: f64,
}

/// A date expression and its calendar value.
#[derive(Debug, Clone, PartialEq)]
pub struct Date {
    pub span: Span,
    /// ISO 8601 at its own precision: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub value: String,
    /// `year`, `month` or `day`.
    pub precision: &'static str,
}

/// A place mention and what the gazetteer makes of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub span: Span,
    pub city: Option<String>,
    /// GeoNames admin1 code as `CC.code`.
    pub admin1: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// The place name `span` stands for when it quotes a common noun ("in
    /// the republic" -> "Dagestan").
    pub refers_to: Option<Span>,
}

/// A perpetrator organisation: the mention that casts it, and its cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Organization {
    /// Index into [`Document::mentions`].
    pub mention: usize,
    /// Index into [`Document::clusters`].
    pub cluster: usize,
    pub claimed: bool,
    /// What the text says of its part: `claimed`, `convicted`, `arrested`,
    /// `accused`, `suspected` or `unknown` (see `incident::roles::Status`).
    pub status: &'static str,
}

/// A group of attackers as the text describes them.
#[derive(Debug, Clone, PartialEq)]
pub struct Individuals {
    pub span: Span,
    pub count: Option<u64>,
    /// ISO 3166-1 alpha-2.
    pub nationality: Option<&'static str>,
    /// The person, when the text names them ("gunman Omar Mateen").
    pub person: Option<Person>,
    /// As [`Organization::status`].
    pub status: &'static str,
}

/// A named perpetrator: the mention that casts them, and their cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person {
    /// Index into [`Document::mentions`].
    pub mention: usize,
    /// Index into [`Document::clusters`].
    pub cluster: usize,
}

/// A number of people as the text gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub span: Span,
    pub value: u64,
    /// The text hedges the figure ("about", "at least", "dozens").
    pub approx: bool,
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_is_the_compact_object_and_reads_back_one_field() {
        let fields: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(r#"{"title": "Caf\u00e9 \ud83c\udfad", "n": 1.50, "tags": [1, {"a": null}], "url": "u"}"#).unwrap();
        let meta = Meta::new(&fields);
        let line = serde_json::to_string(&meta).unwrap();
        assert_eq!(line, r#"{"title":"Café 🎭","n":1.5,"tags":[1,{"a":null}],"url":"u"}"#, "what the JSON tree wrote before");
        let back: Meta = serde_json::from_str(&line).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), line, "read and written again byte for byte");
        assert_eq!(meta.get::<String>("title").as_deref(), Some("Café 🎭"));
        assert_eq!(meta.get::<String>("n"), None, "a field of another type is absent, not an error");
        assert_eq!(meta.get::<String>("missing"), None);
        assert_eq!(serde_json::to_string(&Meta::default()).unwrap(), "{}");
    }
}
