//! Turns incident records (issue 7's contract) into display cards whose every
//! slot points at the text it came from, so an analyst can audit a slot with
//! one click instead of reading the whole article.
//!
//! The page must keep working while the linker's output evolves: unknown slot
//! names are shown generically, and a slot without offsets is located by its
//! cluster's mentions or by finding its text, preferably inside the
//! incident's evidence.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::text::offsets::CharIndex;

/// Slots in the order an analyst reads an incident, with their display names.
const SLOT_ORDER: &[(&str, &str)] = &[
    ("date", "date"),
    ("location", "location"),
    ("perpetrator_organizations", "perpetrator organisations"),
    ("perpetrator_individuals", "perpetrators"),
    ("targets", "targets"),
    ("victims", "victims"),
    ("weapons", "weapons"),
    ("casualties", "casualties"),
    ("claimed_by", "claimed by"),
];

/// Keys that describe the incident rather than fill a slot.
const NOT_SLOTS: &[&str] = &["id", "type", "evidence", "confidence"];

/// Keys of a slot object that locate it rather than describe it.
const LOCATORS: &[&str] = &["text", "name", "start", "end", "cluster", "mentions"];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    pub rows: Vec<Row>,
    /// Highlight-span indices of the evidence sentences.
    #[serde(rename = "ev")]
    pub evidence: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    #[serde(rename = "k")]
    pub name: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    #[serde(rename = "v")]
    pub text: String,
    #[serde(rename = "d", skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// Highlight-span indices; empty when the slot cannot be found in the text.
    #[serde(rename = "s")]
    pub spans: Vec<usize>,
    /// False when the slot had no location of its own and points at the
    /// incident's evidence instead, which the page says in a tooltip.
    #[serde(rename = "x")]
    pub exact: bool,
}

/// What slot resolution needs to know about one article.
pub struct Context<'a> {
    pub text: &'a str,
    /// Entity id → code-point span.
    pub entities: HashMap<&'a str, (usize, usize)>,
    /// Cluster id → its mentions' entity ids.
    pub clusters: HashMap<&'a str, Vec<&'a str>>,
    /// Deduplicated highlight spans, in code points; the cards index into it.
    pub spans: Vec<(usize, usize)>,
    /// Problems worth showing on the article (offsets outside the text, …).
    pub notes: Vec<String>,
    index: CharIndex,
    chars: usize,
}

impl<'a> Context<'a> {
    pub fn new(text: &'a str) -> Self {
        Context {
            text,
            entities: HashMap::new(),
            clusters: HashMap::new(),
            spans: Vec::new(),
            notes: Vec::new(),
            index: CharIndex::new(text),
            chars: text.chars().count(),
        }
    }

    fn span_id(&mut self, span: (usize, usize)) -> usize {
        match self.spans.iter().position(|&s| s == span) {
            Some(i) => i,
            None => {
                self.spans.push(span);
                self.spans.len() - 1
            }
        }
    }

    fn valid(&self, s: usize, e: usize) -> bool {
        s < e && e <= self.chars
    }

    /// Finds `needle` in the text, inside `within` first; code points.
    fn find(&self, needle: &str, within: &[(usize, usize)]) -> Option<(usize, usize)> {
        if needle.trim().is_empty() || self.text.is_empty() {
            return None;
        }
        let index = &self.index;
        let len = needle.chars().count();
        let search = |from: usize, to: usize| {
            let (b0, b1) = (index.byte_of(from), index.byte_of(to));
            self.text[b0..b1].find(needle).map(|b| {
                let s = index.char_of(b0 + b);
                (s, s + len)
            })
        };
        within.iter().find_map(|&(s, e)| search(s, e)).or_else(|| search(0, self.chars))
    }

    /// Where a slot value is in the text: its own offsets, else its
    /// cluster's mentions, else its text found in the evidence.
    fn locate(&mut self, slot: &str, value: &Value, evidence: &[(usize, usize)]) -> Vec<(usize, usize)> {
        let obj = value.as_object();
        let get = |k: &str| obj.and_then(|o| o.get(k));
        if let (Some(s), Some(e)) = (get("start").and_then(Value::as_u64), get("end").and_then(Value::as_u64)) {
            let (s, e) = (s as usize, e as usize);
            if self.valid(s, e) {
                return vec![(s, e)];
            }
            self.notes.push(format!("{slot}: offsets [{s}, {e}) fall outside the text ({} characters)", self.chars));
        }
        if let Some(c) = get("cluster").and_then(Value::as_str) {
            let found: Vec<(usize, usize)> = self
                .clusters
                .get(c)
                .map(|ms| ms.iter().filter_map(|m| self.entities.get(m).copied()).collect())
                .unwrap_or_default();
            if !found.is_empty() {
                return found;
            }
        }
        let text = match value {
            Value::String(s) => Some(s.as_str()),
            _ => get("text").or_else(|| get("name")).and_then(Value::as_str),
        };
        text.and_then(|t| self.find(t, evidence)).into_iter().collect()
    }

    fn item(&mut self, slot: &str, value: &Value, text: String, detail: String, evidence: &[(usize, usize)]) -> Item {
        let found = self.locate(slot, value, evidence);
        let exact = !found.is_empty();
        let spans = if exact { found } else { evidence.to_vec() };
        Item { text, detail, spans: spans.into_iter().map(|s| self.span_id(s)).collect(), exact }
    }
}

/// A scalar as display text; objects and arrays are not scalars.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(true) => Some("yes".into()),
        _ => None,
    }
}

fn join(parts: impl IntoIterator<Item = Option<String>>, sep: &str) -> String {
    parts.into_iter().flatten().collect::<Vec<_>>().join(sep)
}

/// The descriptive fields of a slot object (`claimed`, `count 4`, …).
fn generic_detail(o: &Map<String, Value>) -> String {
    join(
        o.iter().filter(|(k, _)| !LOCATORS.contains(&k.as_str())).map(|(k, v)| match v {
            Value::Bool(true) => Some(k.clone()),
            _ => scalar(v).map(|s| format!("{k} {s}")),
        }),
        " · ",
    )
}

/// Main text and detail of one slot value.
fn describe(slot: &str, v: &Value) -> (String, String) {
    let Some(o) = v.as_object() else { return (scalar(v).unwrap_or_default(), String::new()) };
    let s = |k: &str| o.get(k).and_then(scalar);
    let head = s("text").or_else(|| s("name"));
    match slot {
        "date" => {
            let precision = s("precision").map(|p| format!("({p})"));
            match head {
                Some(h) => {
                    let value = s("value").filter(|v| *v != h);
                    (h, join([value, precision], " "))
                }
                None => (s("value").unwrap_or_default(), join([precision], " ")),
            }
        }
        "location" => {
            let coords = match (o.get("lat").and_then(Value::as_f64), o.get("lon").and_then(Value::as_f64)) {
                (Some(lat), Some(lon)) => Some(format!("{lat:.2}, {lon:.2}")),
                _ => None,
            };
            let place = join([s("city"), s("admin1"), s("country")], ", ");
            let head = head.or_else(|| Some(place.clone()).filter(|p| !p.is_empty())).unwrap_or_default();
            (head, join([Some(place).filter(|p| !p.is_empty()), coords], " · "))
        }
        _ => (head.unwrap_or_default(), generic_detail(o)),
    }
}

/// `{"value": 140, "approx": true}` → "≈140".
fn count(v: &Value) -> Option<String> {
    match v {
        Value::Object(o) => {
            let n = o.get("value").and_then(scalar).or_else(|| o.get("text").and_then(scalar))?;
            let approx = o.get("approx").and_then(Value::as_bool).unwrap_or(false);
            Some(if approx { format!("≈{n}") } else { n })
        }
        _ => scalar(v),
    }
}

fn items(ctx: &mut Context, slot: &str, v: &Value, evidence: &[(usize, usize)]) -> Vec<Item> {
    match v {
        Value::Null => vec![],
        Value::Array(a) => a.iter().flat_map(|x| items(ctx, slot, x, evidence)).collect(),
        Value::Object(o) if slot == "casualties" => o
            .iter()
            .filter_map(|(kind, n)| count(n).map(|c| (kind, n, c)))
            .map(|(kind, n, c)| ctx.item(slot, n, format!("{c} {kind}"), String::new(), evidence))
            .collect(),
        _ => {
            let (text, detail) = describe(slot, v);
            if text.is_empty() && detail.is_empty() {
                return vec![];
            }
            let (text, detail) = if text.is_empty() { (detail, String::new()) } else { (text, detail) };
            vec![ctx.item(slot, v, text, detail, evidence)]
        }
    }
}

fn spans_of(v: Option<&Value>) -> Vec<(usize, usize)> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| Some((s.get("start")?.as_u64()? as usize, s.get("end")?.as_u64()? as usize)))
                .collect()
        })
        .unwrap_or_default()
}

/// One card per incident; `ordinal` numbers incidents that lack an id.
pub fn card(ctx: &mut Context, incident: &Value, ordinal: usize) -> Card {
    let empty = Map::new();
    let o = incident.as_object().unwrap_or(&empty);
    let evidence: Vec<(usize, usize)> = spans_of(o.get("evidence"))
        .into_iter()
        .filter(|&(s, e)| {
            let ok = ctx.valid(s, e);
            if !ok {
                ctx.notes.push(format!("evidence [{s}, {e}) falls outside the text ({} characters)", ctx.chars));
            }
            ok
        })
        .collect();
    let slots = SLOT_ORDER.iter().map(|&(k, name)| (k, name.to_string())).chain(
        o.keys()
            .filter(|k| !NOT_SLOTS.contains(&k.as_str()) && !SLOT_ORDER.iter().any(|(s, _)| s == k))
            .map(|k| (k.as_str(), k.replace('_', " "))),
    );
    let mut rows = Vec::new();
    for (key, name) in slots.collect::<Vec<_>>() {
        if let Some(v) = o.get(key) {
            let items = items(ctx, key, v, &evidence);
            if !items.is_empty() {
                rows.push(Row { name, items });
            }
        }
    }
    let evidence = evidence.into_iter().map(|s| ctx.span_id(s)).collect();
    Card {
        id: o.get("id").and_then(scalar).unwrap_or_else(|| format!("#{ordinal}")),
        kind: o.get("type").and_then(Value::as_str).unwrap_or("unknown").to_string(),
        country: o.get("location").and_then(|l| l.get("country")).and_then(Value::as_str).map(str::to_string),
        confidence: o.get("confidence").and_then(Value::as_f64),
        rows,
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TEXT: &str = "Ölberg, 4 May. Gunmen from the Red Kestrels stormed the Café Nord 🍰 in Ölberg, killing some 12 guests. The Kestrels claimed it.";

    fn ctx() -> Context<'static> {
        let mut c = Context::new(TEXT);
        c.entities.insert("m1", (31, 43));
        c.entities.insert("m2", (107, 115));
        c.clusters.insert("c1", vec!["m1", "m2"]);
        c
    }

    fn text_of(c: &Context, i: usize) -> String {
        let (s, e) = c.spans[i];
        TEXT.chars().skip(s).take(e - s).collect()
    }

    #[test]
    fn slots_point_at_their_own_text() {
        let mut c = ctx();
        let inc = json!({
            "id": "a#1", "type": "armed_assault",
            "date": {"text": "4 May", "value": "2031-05-04", "precision": "day"},
            "location": {"text": "Ölberg", "city": "Ölberg", "country": "DE", "lat": 50.0, "lon": 8.25},
            "perpetrator_organizations": [{"name": "Red Kestrels", "cluster": "c1", "claimed": true}],
            "targets": [{"text": "Café Nord", "start": 56, "end": 65}],
            "casualties": {"killed": {"value": 12, "approx": true}, "injured": null},
            "evidence": [{"start": 15, "end": 102}],
            "confidence": 0.7
        });
        let card = card(&mut c, &inc, 1);
        assert_eq!((card.kind.as_str(), card.country.as_deref(), card.confidence), ("armed_assault", Some("DE"), Some(0.7)));
        let row = |k: &str| card.rows.iter().find(|r| r.name == k).unwrap_or_else(|| panic!("row {k}"));
        let date = &row("date").items[0];
        assert_eq!((date.text.as_str(), date.detail.as_str()), ("4 May", "2031-05-04 (day)"));
        assert_eq!(text_of(&c, date.spans[0]), "4 May");
        let loc = &row("location").items[0];
        assert_eq!(loc.detail, "Ölberg, DE · 50.00, 8.25");
        // found inside the evidence first: the dateline's "Ölberg" lies outside it
        assert_eq!(c.spans[loc.spans[0]], (71, 77));
        let org = &row("perpetrator organisations").items[0];
        assert_eq!(org.detail, "claimed");
        assert_eq!(org.spans.iter().map(|&i| text_of(&c, i)).collect::<Vec<_>>(), ["Red Kestrels", "Kestrels"]);
        assert_eq!(text_of(&c, row("targets").items[0].spans[0]), "Café Nord");
        let killed = &row("casualties").items;
        assert_eq!(killed.len(), 1, "a null count is not shown");
        assert_eq!(killed[0].text, "≈12 killed");
        assert!(!killed[0].exact, "no offsets of its own: it points at the evidence");
        assert_eq!(killed[0].spans, card.evidence);
    }

    #[test]
    fn bad_offsets_are_reported_and_unknown_slots_still_shown() {
        let mut c = ctx();
        let inc = json!({"type": "bombing", "weapons": [{"text": "truck", "start": 500, "end": 505}],
                         "evidence": [{"start": 0, "end": 9999}], "motive": "unknown"});
        let card = card(&mut c, &inc, 2);
        assert_eq!(card.id, "#2");
        assert!(card.evidence.is_empty());
        assert_eq!(c.notes.len(), 2, "{:?}", c.notes);
        let w = &card.rows.iter().find(|r| r.name == "weapons").unwrap().items[0];
        assert!(w.spans.is_empty() && !w.exact);
        assert_eq!(card.rows.last().unwrap().name, "motive");
    }
}
