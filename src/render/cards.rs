//! Turns incident records into display cards whose every slot points at
//! the text it came from, so an analyst can audit a slot with one click
//! instead of reading the whole article.
//!
//! A slot whose offsets fall outside the text (a line reviewed against the
//! wrong text) is located by its cluster's mentions or by finding its words,
//! preferably inside the incident's evidence.

use std::collections::HashMap;

use serde::Serialize;

use crate::output::{Count, Incident, IncidentRole, Quote};
use crate::text::offsets::CharIndex;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub confidence: f64,
    /// `[lat, lon]` of the incident's location, for its marker on the map.
    #[serde(rename = "ll", skip_serializing_if = "Option::is_none")]
    pub at: Option<[f64; 2]>,
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
    /// cluster's mentions, else its words found in the evidence.
    fn locate(&mut self, slot: &str, value: &Slot, evidence: &[(usize, usize)]) -> Vec<(usize, usize)> {
        let (s, e) = value.at;
        if self.valid(s, e) {
            return vec![(s, e)];
        }
        self.notes.push(format!("{slot}: offsets [{s}, {e}) fall outside the text ({} characters)", self.chars));
        if let Some(c) = value.cluster {
            let found: Vec<(usize, usize)> = self
                .clusters
                .get(c)
                .map(|ms| ms.iter().filter_map(|m| self.entities.get(m).copied()).collect())
                .unwrap_or_default();
            if !found.is_empty() {
                return found;
            }
        }
        self.find(value.words, evidence).into_iter().collect()
    }

    /// The slot as a card item; none when it has nothing to show.
    fn item(&mut self, slot: &str, value: Slot, evidence: &[(usize, usize)]) -> Option<Item> {
        let (text, detail) = match (value.head.is_empty(), value.detail.is_empty()) {
            (true, true) => return None,
            (true, false) => (value.detail.clone(), String::new()),
            _ => (value.head.clone(), value.detail.clone()),
        };
        let found = self.locate(slot, &value, evidence);
        let exact = !found.is_empty();
        let spans = if exact { found } else { evidence.to_vec() };
        Some(Item { text, detail, spans: spans.into_iter().map(|s| self.span_id(s)).collect(), exact })
    }
}

/// One slot value: where it is, and what the card says about it.
struct Slot<'a> {
    /// Its own offsets, in code points.
    at: (usize, usize),
    /// Its words as quoted, to find when the offsets do not fit the text.
    words: &'a str,
    /// The alias cluster of an organisation, whose mentions locate it too.
    cluster: Option<&'a str>,
    head: String,
    detail: String,
}

impl<'a> Slot<'a> {
    fn new(quote: &'a Quote, detail: String) -> Self {
        Slot { at: (quote.start, quote.end), words: &quote.text, cluster: None, head: quote.text.clone(), detail }
    }

    /// A role filler of the role model, inside the incident's evidence.
    fn role(r: &'a IncidentRole) -> Self {
        let detail = if r.role.is_empty() { String::new() } else { format!("role {}", r.role) };
        Slot { at: (r.start, r.end), words: &r.text, cluster: None, head: r.text.clone(), detail }
    }
}

fn join(parts: impl IntoIterator<Item = Option<String>>, sep: &str) -> String {
    parts.into_iter().flatten().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(sep)
}

/// `{"value": 140, "approx": true}` → "≈140 killed".
fn count<'a>(c: &'a Count, kind: &str) -> Slot<'a> {
    let n = if c.approx { format!("≈{}", c.value) } else { c.value.to_string() };
    Slot { head: format!("{n} {kind}"), ..Slot::new(&c.quote, String::new()) }
}

/// The slots of an incident in the order an analyst reads them, with their
/// display names.
fn slots<'a>(inc: &'a Incident) -> [(&'static str, &'static str, Vec<Slot<'a>>); 10] {
    let quotes = |list: &'a [Quote]| list.iter().map(|q| Slot::new(q, String::new())).collect();
    let date = inc.date.iter().map(|d| {
        let precision = Some(format!("({})", d.precision)).filter(|_| !d.precision.is_empty());
        let value = Some(d.value.clone()).filter(|v| *v != d.quote.text);
        match d.quote.text.is_empty() {
            false => Slot::new(&d.quote, join([value, precision], " ")),
            true => Slot { head: d.value.clone(), ..Slot::new(&d.quote, join([precision], " ")) },
        }
    });
    let location = inc.location.iter().map(|p| {
        let coords = match (p.lat, p.lon) {
            (Some(lat), Some(lon)) => Some(format!("{lat:.2}, {lon:.2}")),
            _ => None,
        };
        let place = join([p.city.clone(), p.admin1.clone(), p.country.clone()], ", ");
        let head = if p.quote.text.is_empty() { place.clone() } else { p.quote.text.clone() };
        // "the republic" says which name it stands for
        let means = p.refers_to.as_ref().map(|q| format!("= {}", q.text));
        Slot { head, ..Slot::new(&p.quote, join([means, Some(place), coords], " · ")) }
    });
    let organizations = inc.perpetrator_organizations.iter().map(|o| Slot {
        cluster: Some(&o.cluster),
        head: if o.quote.text.is_empty() { o.name.clone() } else { o.quote.text.clone() },
        ..Slot::new(&o.quote, if o.claimed { "claimed".into() } else { String::new() })
    });
    let individuals = inc.perpetrator_individuals.iter().map(|i| {
        let detail = join([i.count.map(|n| format!("count {n}")), i.nationality.as_ref().map(|n| format!("nationality {n}"))], " · ");
        Slot::new(&i.quote, detail)
    });
    let casualties = [(&inc.casualties.killed, "killed"), (&inc.casualties.injured, "injured")];
    let claimed = inc.claimed_by.iter().map(|c| Slot {
        cluster: Some(&c.cluster),
        head: if c.quote.text.is_empty() { c.name.clone() } else { c.quote.text.clone() },
        ..Slot::new(&c.quote, String::new())
    });
    [
        ("date", "date", date.collect()),
        ("location", "location", location.collect()),
        ("perpetrator_organizations", "perpetrator organisations", organizations.collect()),
        ("perpetrator_individuals", "perpetrators", individuals.collect()),
        ("targets", "targets", quotes(&inc.targets)),
        ("victims", "victims", quotes(&inc.victims)),
        ("weapons", "weapons", quotes(&inc.weapons)),
        ("casualties", "casualties", casualties.into_iter().filter_map(|(c, kind)| Some(count(c.as_ref()?, kind))).collect()),
        ("claimed_by", "claimed by", claimed.collect()),
        ("roles", "roles", inc.roles.iter().flatten().map(Slot::role).collect()),
    ]
}

/// One card per incident; `ordinal` numbers incidents that lack an id.
pub fn card(ctx: &mut Context, inc: &Incident, ordinal: usize) -> Card {
    let evidence: Vec<(usize, usize)> = inc
        .evidence
        .iter()
        .map(|e| (e.start, e.end))
        .filter(|&(s, e)| {
            let ok = ctx.valid(s, e);
            if !ok {
                ctx.notes.push(format!("evidence [{s}, {e}) falls outside the text ({} characters)", ctx.chars));
            }
            ok
        })
        .collect();
    let mut rows = Vec::new();
    for (key, name, values) in slots(inc) {
        let items: Vec<Item> = values.into_iter().filter_map(|v| ctx.item(key, v, &evidence)).collect();
        if !items.is_empty() {
            rows.push(Row { name: name.to_string(), items });
        }
    }
    let location = inc.location.as_ref();
    Card {
        id: if inc.id.is_empty() { format!("#{ordinal}") } else { inc.id.clone() },
        kind: inc.kind.clone(),
        country: location.and_then(|l| l.country.clone()),
        confidence: inc.confidence,
        at: location.and_then(|l| Some([l.lat?, l.lon?])),
        rows,
        evidence: evidence.into_iter().map(|s| ctx.span_id(s)).collect(),
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

    fn incident(fields: serde_json::Value) -> Incident {
        serde_json::from_value(crate::render::tests::incident(fields)).unwrap()
    }

    #[test]
    fn slots_point_at_their_own_text() {
        let mut c = ctx();
        let inc = incident(json!({
            "id": "a#1", "type": "armed_assault",
            "date": {"text": "4 May", "start": 8, "end": 13, "value": "2031-05-04", "precision": "day"},
            "location": {"text": "Ölberg", "start": 900, "end": 906, "city": "Ölberg", "admin1": null, "country": "DE", "lat": 50.0, "lon": 8.25},
            "perpetrator_organizations": [{"text": "Kestrels", "start": 900, "end": 908, "name": "Red Kestrels", "cluster": "c1", "claimed": true}],
            "targets": [{"text": "Café Nord", "start": 56, "end": 65}],
            "casualties": {"killed": {"text": "12", "start": 92, "end": 94, "value": 12, "approx": true}, "injured": null},
            "evidence": [{"start": 15, "end": 102}],
            "confidence": 0.7,
            "roles": [{"role": "target", "text": "Café Nord", "start": 56, "end": 65}]
        }));
        let card = card(&mut c, &inc, 1);
        assert_eq!((card.kind.as_str(), card.country.as_deref(), card.confidence, card.at), ("armed_assault", Some("DE"), 0.7, Some([50.0, 8.25])));
        let row = |k: &str| card.rows.iter().find(|r| r.name == k).unwrap_or_else(|| panic!("row {k}"));
        let date = &row("date").items[0];
        assert_eq!((date.text.as_str(), date.detail.as_str()), ("4 May", "2031-05-04 (day)"));
        assert_eq!(text_of(&c, date.spans[0]), "4 May");
        let loc = &row("location").items[0];
        assert_eq!(loc.detail, "Ölberg, DE · 50.00, 8.25");
        // offsets outside the text: found inside the evidence first, not in the dateline
        assert_eq!(c.spans[loc.spans[0]], (71, 77));
        let org = &row("perpetrator organisations").items[0];
        assert_eq!(org.detail, "claimed");
        assert_eq!(org.spans.iter().map(|&i| text_of(&c, i)).collect::<Vec<_>>(), ["Red Kestrels", "Kestrels"], "its cluster's mentions");
        assert_eq!(c.notes.len(), 2, "{:?}", c.notes);
        assert!(c.notes[0].starts_with("location: offsets [900, 906) fall outside the text"), "{:?}", c.notes);
        assert_eq!(text_of(&c, row("targets").items[0].spans[0]), "Café Nord");
        let killed = &row("casualties").items;
        assert_eq!(killed.len(), 1, "a null count is not shown");
        assert_eq!(killed[0].text, "≈12 killed");
        assert_eq!(text_of(&c, killed[0].spans[0]), "12");
        let roles = card.rows.last().unwrap();
        assert_eq!((roles.name.as_str(), roles.items[0].detail.as_str()), ("roles", "role target"));
    }

    #[test]
    fn bad_offsets_are_reported_and_slots_not_found_point_nowhere() {
        let mut c = ctx();
        let inc = incident(json!({"type": "bombing", "weapons": [{"text": "truck", "start": 500, "end": 505}],
                                  "evidence": [{"start": 0, "end": 9999}]}));
        let card = card(&mut c, &inc, 2);
        assert_eq!(card.id, "#2");
        assert!(card.evidence.is_empty() && card.at.is_none());
        assert_eq!(c.notes.len(), 2, "{:?}", c.notes);
        let w = &card.rows.iter().find(|r| r.name == "weapons").unwrap().items[0];
        assert!(w.spans.is_empty() && !w.exact);
    }
}
