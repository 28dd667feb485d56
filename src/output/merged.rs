//! The merged-incident line `merge` writes, as serde types beside the
//! article line's: `merge` decides what goes in it, these types decide how
//! it is written, so the key order and the shape of every field are fixed in
//! one place (the field order of each struct is the key order of the line).
//! The module doc of [`crate::merge`] describes each field.

use serde::{Deserialize, Serialize};

/// One real-world incident, built from the reports of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Merged {
    /// The first source's incident id.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub date: Option<MergedDate>,
    pub location: Option<MergedPlace>,
    pub perpetrator_organizations: Vec<MergedOrganization>,
    pub claimed_by: Vec<String>,
    pub casualties: MergedCasualties,
    /// The highest source confidence.
    pub confidence: f64,
    /// Null for a single report.
    pub merge: Option<MergeEvidence>,
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedDate {
    pub value: String,
    pub precision: String,
}

/// The merged place: GeoNames fields, null where only the country is known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergedPlace {
    pub city: Option<String>,
    pub admin1: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedOrganization {
    pub name: String,
    pub claimed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergedCasualties {
    pub killed: Option<Reconciled>,
    pub injured: Option<Reconciled>,
}

/// A casualty figure reconciled from the sources, with every source's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciled {
    pub value: u64,
    pub approx: bool,
    /// `max_exact` or `max_approx`.
    pub rule: String,
    /// The sources' values differ.
    pub conflict: bool,
    pub reports: Vec<ReportedFigure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedFigure {
    pub value: u64,
    pub approx: bool,
    pub text: String,
    pub article: String,
    pub incident: String,
}

/// How the sources were joined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeEvidence {
    /// From the weakest link: 0.5 at the threshold.
    pub confidence: f64,
    pub links: Vec<Link>,
}

/// A link that joined two sources of a record (incident ids), its score
/// and the fields that agreed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub from: String,
    pub to: String,
    pub score: f64,
    pub agreed: Vec<String>,
}

/// One merged incident as its article reported it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub article: String,
    pub incident: String,
    pub published: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub date: Option<SourceDate>,
    pub location: Option<SourcePlace>,
    pub evidence: Vec<super::Evidence>,
    pub confidence: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceDate {
    pub text: String,
    pub value: String,
    pub precision: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourcePlace {
    pub text: String,
    pub city: Option<String>,
    pub admin1: Option<String>,
    pub country: Option<String>,
}
