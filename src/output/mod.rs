//! The output line as serde types: the only JSON writer, and what every
//! reader of output lines (merge, render, export, eval) deserializes.
//!
//! The field order of each struct is the key order of the line, so a line
//! read into a [`Line`] and written again is byte for byte the line that was
//! read (see the round-trip test). `schema/incident-record.schema.json` is
//! the contract these types implement; a test checks them against it.
//!
//! [`Line::of`] (in `from_document.rs`) is the one place that makes ids
//! (`m1`, `c1`, `<doc>#1`), rounds scores and turns byte offsets into Unicode
//! code-point offsets.

mod from_document;
pub mod merged;
#[cfg(test)]
mod schema_tests;

use std::io::Write;

use serde::{Deserialize, Serialize};

pub use crate::document::{Meta, RecordError};

/// One annotated article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub id: String,
    pub meta: Meta,
    pub published: Option<String>,
    pub entities: Vec<Entity>,
    /// Absent when the linker did not run (`--ner-only`, a failed record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clusters: Option<Vec<Cluster>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incidents: Option<Vec<Incident>>,
    /// Present when a role model ran (`extract --roles`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<Filler>>,
    /// Present when the attack-argument model ran (`extract --arguments`):
    /// its spans as decoded, so each incident slot can be traced to them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Vec<Argument>>,
    pub errors: Vec<RecordError>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<RecordError>,
    /// The input record's fingerprint (16 hex digits of FNV-1a over its
    /// bytes), which `extract --resume` checks a kept line against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

/// An entity mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// `m1`, `m2`, … in text order.
    pub id: String,
    pub text: String,
    pub label: String,
    pub start: usize,
    pub end: usize,
    pub score: f64,
    /// The id of the entity's alias cluster, when the linker ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// Where the place it names is, when it names one the gazetteer holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo: Option<Geo>,
}

/// A place mention's gazetteer record (see [`crate::geo`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Geo {
    /// GeoNames id, where the bundled sources give one.
    pub id: Option<u32>,
    pub name: String,
    /// `country`, `admin1`, `admin2`, `city` or `place` (a continent, region, island or sea).
    pub kind: String,
    /// ISO 3166-1 alpha-2; null for a continent or a region across countries.
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
    pub part: Option<Quote>,
}

/// A within-document alias group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    /// `c1`, `c2`, …
    pub id: String,
    pub name: String,
    pub label: String,
    /// Entity ids.
    pub mentions: Vec<String>,
}

/// A piece of the article text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// An evidence sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub start: usize,
    pub end: usize,
}

/// One incident record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// `<record id>#<n>`, n from 1 in order of first report.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub date: Option<Date>,
    pub location: Option<Place>,
    pub perpetrator_organizations: Vec<Organization>,
    pub perpetrator_individuals: Vec<Individuals>,
    pub targets: Vec<Quote>,
    pub victims: Vec<Quote>,
    pub weapons: Vec<Quote>,
    pub casualties: Casualties,
    pub claimed_by: Vec<Claimant>,
    pub evidence: Vec<Evidence>,
    pub confidence: f64,
    /// Present when a role model ran: the fillers quoted inside the evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<IncidentRole>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Date {
    #[serde(flatten)]
    pub quote: Quote,
    pub value: String,
    pub precision: String,
}

/// Where the incident happened (the line's `location`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    #[serde(flatten)]
    pub quote: Quote,
    pub city: Option<String>,
    pub admin1: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// The place name a common-noun location ("the republic") stands for;
    /// absent when the location quotes a name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refers_to: Option<Quote>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    #[serde(flatten)]
    pub quote: Quote,
    pub name: String,
    pub cluster: String,
    pub claimed: bool,
    /// `claimed`, `convicted`, `arrested`, `accused`, `suspected` or `unknown`.
    #[serde(default = "unknown")]
    pub status: String,
}

/// Lines written before perpetrators had a status read as `unknown`.
fn unknown() -> String {
    "unknown".to_string()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claimant {
    #[serde(flatten)]
    pub quote: Quote,
    pub name: String,
    pub cluster: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Individuals {
    #[serde(flatten)]
    pub quote: Quote,
    pub count: Option<u64>,
    pub nationality: Option<String>,
    /// The cluster's name, when the text names the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// As [`Organization::status`].
    #[serde(default = "unknown")]
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Casualties {
    pub killed: Option<Count>,
    pub injured: Option<Count>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Count {
    #[serde(flatten)]
    pub quote: Quote,
    pub value: u64,
    pub approx: bool,
}

/// A role filler of the line's `roles`: one per referent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Filler {
    pub role: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub score: f64,
    pub mentions: usize,
}

/// A span of the attack-argument model: a trigger or an argument.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Argument {
    pub label: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub score: f64,
}

/// A role filler inside one incident's evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentRole {
    pub role: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Writes one record as one JSON line with a single `write_all`, so a run
/// killed mid-write leaves at most one torn last line.
pub fn write_line(out: &mut dyn Write, record: &impl Serialize) -> std::io::Result<()> {
    let mut buf = serde_json::to_vec(record).map_err(std::io::Error::other)?;
    buf.push(b'\n');
    out.write_all(&buf)
}
