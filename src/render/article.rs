//! One annotated output line plus its text → the page's view of the article.
//!
//! Everything that needs offsets happens here, in Rust, so the page's script
//! only paints what it is given.

use serde::Serialize;

use super::cards::{card, Card, Context};
use super::segments::{segment, Segment};
use crate::output::{Geo, Line};

/// An entity as the page labels it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ent {
    pub id: String,
    #[serde(rename = "l")]
    pub label: String,
    #[serde(rename = "sc", skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Name of the alias cluster the mention belongs to.
    #[serde(rename = "c", skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// Where a place mention was resolved ("Karabulak, Ingushetiya, RU"),
    /// shown on hover so a reviewer sees the geoparser's reading.
    #[serde(rename = "g", skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
}

/// "name, admin1, country" of an entity's `geo`, each part once.
fn place_of(geo: &Geo) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for v in [Some(&geo.name), geo.admin1.as_ref(), geo.country.as_ref()].into_iter().flatten() {
        if !v.is_empty() && !parts.contains(&v.as_str()) {
            parts.push(v);
        }
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub level: &'static str,
    pub msg: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(rename = "pub", skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub ents: Vec<Ent>,
    pub segs: Vec<Segment>,
    pub inc: Vec<Card>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

fn nonempty(s: &str) -> Option<&str> {
    Some(s).filter(|s| !s.is_empty())
}

/// Builds the article view of one output line. `text` is `None` when
/// neither the line nor `--input` had it.
pub fn article(line: &Line, text: Option<&str>) -> Article {
    let mut notes: Vec<Note> = Vec::new();
    for (list, level) in [(&line.errors, "error"), (&line.warnings, "warning")] {
        for e in list {
            notes.push(Note { level, msg: format!("{}: {}", nonempty(&e.code).unwrap_or(level), e.message) });
        }
    }
    if text.is_none() {
        notes.push(Note { level: "warning", msg: "text not available: the line has no \"text\" field and --input has no record with this id".into() });
    }
    let text = text.unwrap_or("");
    let mut ctx = Context::new(text);
    let chars: Vec<char> = text.chars().collect();

    // Entities in text order; one that overlaps an earlier one cannot be
    // drawn as a separate mark, so it is reported instead of silently lost.
    let mut sorted: Vec<_> = line.entities.iter().collect();
    sorted.sort_by_key(|e| e.start);
    let mut ents = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut mismatches = Vec::new();
    for e in sorted {
        let (s, end) = (e.start, e.end);
        if !text.is_empty() && (s >= end || end > chars.len()) {
            notes.push(Note { level: "warning", msg: format!("entity {} [{s}, {end}) falls outside the text ({} characters)", e.id, chars.len()) });
            continue;
        }
        if spans.last().is_some_and(|&(_, pe)| s < pe) {
            notes.push(Note { level: "warning", msg: format!("entity {} overlaps the previous entity and is not highlighted", e.id) });
            continue;
        }
        let found: String = chars.get(s..end).map(|c| c.iter().collect()).unwrap_or_default();
        if !text.is_empty() && !e.text.is_empty() && e.text != found {
            mismatches.push(format!("{} is {:?} but the text there reads {found:?}", e.id, e.text));
        }
        ctx.entities.insert(&e.id, (s, end));
        spans.push((s, end));
        ents.push(Ent {
            id: e.id.clone(),
            label: nonempty(&e.label).unwrap_or("ENT").to_string(),
            score: Some(e.score),
            cluster: None,
            place: e.geo.as_ref().and_then(place_of),
        });
    }
    if let Some(first) = mismatches.first() {
        notes.push(Note {
            level: "warning",
            msg: format!("{} entities do not match the text ({first}): was this text the one annotated?", mismatches.len()),
        });
    }

    for c in line.clusters.iter().flatten() {
        let mentions: Vec<&str> = c.mentions.iter().map(String::as_str).collect();
        if !c.name.is_empty() {
            for ent in ents.iter_mut().filter(|e| mentions.contains(&e.id.as_str())) {
                ent.cluster = Some(c.name.clone());
            }
        }
        ctx.clusters.insert(&c.id, mentions);
    }

    let inc: Vec<Card> = line.incidents.iter().flatten().enumerate().map(|(i, v)| card(&mut ctx, v, i + 1)).collect();
    notes.extend(ctx.notes.drain(..).map(|msg| Note { level: "warning", msg }));

    Article {
        title: line.meta.get::<String>("title").filter(|t| !t.is_empty()),
        published: line.published.clone().filter(|p| !p.is_empty()),
        // Only web links become clickable: a `javascript:` url in the data must not run.
        url: line.meta.get::<String>("url").filter(|u| u.starts_with("https://") || u.starts_with("http://")),
        segs: segment(text, &spans, &ctx.spans),
        id: line.id.clone(),
        ents,
        inc,
        notes,
    }
}

/// Display colour of an entity label: displaCy's for the labels it knows,
/// otherwise a stable pick from a pastel palette.
pub fn label_color(label: &str) -> &'static str {
    match label {
        "PER" | "PERSON" => "#aa9cfc",
        "ORG" => "#7aecec",
        "LOC" => "#ff9561",
        "GPE" => "#feca74",
        "MISC" => "#ffeb80",
        "NORP" => "#c887fb",
        "FAC" => "#9cc9cc",
        "EVENT" => "#ffeb80",
        "DATE" | "TIME" => "#bfe1d9",
        "LAW" | "LANGUAGE" => "#ff8197",
        "WORK_OF_ART" => "#f0d0ff",
        "PRODUCT" => "#bfeeb7",
        "MONEY" | "QUANTITY" | "ORDINAL" | "CARDINAL" | "PERCENT" => "#e4e7d2",
        _ => {
            const PALETTE: [&str; 8] = ["#f4b6c2", "#b5ead7", "#c7ceea", "#ffdac1", "#e2f0cb", "#ffb7b2", "#d5c6e0", "#a0e7e5"];
            let h = label.bytes().fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize));
            PALETTE[h % PALETTE.len()]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::annotated;
    use serde_json::json;

    #[test]
    fn entities_and_clusters_become_labelled_segments() {
        let text = "Ana Ruiz 🙂 visited Zürich. Ruiz left.";
        let line = annotated(json!({
            "id": "7", "meta": {"title": "A visit", "url": "javascript:alert(1)"}, "published": "2031-01-02",
            "entities": [
                {"id": "m3", "text": "Ruiz", "label": "PER", "start": 27, "end": 31, "score": 0.9},
                {"id": "m1", "text": "Ana Ruiz", "label": "PER", "start": 0, "end": 8, "score": 0.99},
                {"id": "m2", "text": "Zürich", "label": "LOC", "start": 19, "end": 25, "score": 0.98,
                 "geo": {"id": 2657896, "name": "Zürich", "kind": "city", "country": "CH", "admin1": "Zurich", "lat": 47.37, "lon": 8.55, "score": 0.99, "why": ["population"]}},
                {"id": "m4", "text": "Zür", "label": "ORG", "start": 19, "end": 22, "score": 0.5}
            ],
            "clusters": [{"id": "c1", "name": "Ana Ruiz", "label": "PER", "mentions": ["m1", "m3"]}],
            "incidents": [], "errors": [], "warnings": [{"code": "w", "message": "odd"}]
        }));
        let a = article(&line.line, Some(text));
        assert_eq!(a.id, "7");
        assert_eq!(a.title.as_deref(), Some("A visit"));
        let places: Vec<Option<&str>> = a.ents.iter().map(|e| e.place.as_deref()).collect();
        assert!(places.contains(&Some("Zürich, Zurich, CH")) && places.iter().filter(|p| p.is_some()).count() == 1, "{places:?}");
        assert_eq!(a.url, None, "only http(s) links are kept");
        let marked: Vec<(&str, &str)> =
            a.segs.iter().filter_map(|s| Some((s.text.as_str(), a.ents[s.entity?].label.as_str()))).collect();
        assert_eq!(marked, [("Ana Ruiz", "PER"), ("Zürich", "LOC"), ("Ruiz", "PER")]);
        assert_eq!(a.ents[2].cluster.as_deref(), Some("Ana Ruiz"));
        assert_eq!(a.ents[1].cluster, None);
        assert!(a.notes.iter().any(|n| n.msg.contains("m4 overlaps")), "{:?}", a.notes);
        assert!(a.notes.iter().any(|n| n.level == "warning" && n.msg == "w: odd"));
    }

    #[test]
    fn text_that_does_not_match_the_offsets_is_flagged() {
        let line = annotated(json!({"id": "x", "entities": [{"id": "m1", "text": "Oslo", "label": "LOC", "start": 0, "end": 4, "score": 0.9}]}));
        let a = article(&line.line, Some("Bergen is wet."));
        assert!(a.notes[0].msg.contains("\"Oslo\" but the text there reads \"Berg\""), "{:?}", a.notes);
        let missing = article(&line.line, None);
        assert!(missing.notes[0].msg.starts_with("text not available"));
    }

    #[test]
    fn known_labels_get_displacy_colours_and_others_a_stable_one() {
        assert_eq!(label_color("ORG"), "#7aecec");
        assert_eq!(label_color("WEAPON"), label_color("WEAPON"));
        assert!(label_color("WEAPON").starts_with('#'));
    }
}
