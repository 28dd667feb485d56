//! Training windows for the attack-argument model, from event-annotated news
//! (WikiEvents, RAMS): each document's words with IOB2 tags for the attack
//! and harm triggers and for the arguments an incident record needs.
//!
//! The words are cut by the same splitter that `extract` uses
//! ([`crate::text::words`]), so the model sees at training time the words it
//! will be given at inference. The role mapping is the one the WikiEvents
//! incident scorer applies (`../shared/tools/incidents_wikievents.py`): an
//! attack's Attacker, Target, Instrument/ExplosiveDevice and Place; a death's
//! or an injury's Victim, Killer/Injurer, Instrument and Place — in WikiEvents
//! only in documents that hold an attack (elsewhere a death is not an
//! incident's), never a judicial death sentence or a suicide.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::bio::Tag;
use crate::corpus::conll::TaggedSentence;
use crate::corpus::input::read_json_lines;
use crate::corpus::reader::Shard;
use crate::corpus::wikievents::{self, Document as WeDocument};
use crate::document::Span;
use crate::error::Result;
use crate::text::words::words;

/// The model's span types. Triggers: `Attack` (an attack, bombing, shooting …)
/// and `Harm` (a death or an injury in one). Arguments: `Perp`, `Target`,
/// `Victim`, `Weapon`, `Place`. Where two fall on the same words, the earlier
/// in this list is kept.
pub const LABELS: [&str; 7] = ["Attack", "Harm", "Perp", "Victim", "Target", "Weapon", "Place"];

/// Whether a model's labels (`O`, `B-X`, `I-X`) are this model's: it marks attack triggers.
pub fn is_argument_model(labels: &[String]) -> bool {
    labels.iter().any(|l| Tag::parse(l).is_some_and(|t| t.label() == Some("Attack")))
}

/// The model label of an event family's role, if the record uses it.
fn role_label(family: Family, role: &str) -> Option<&'static str> {
    let role = role.to_ascii_lowercase();
    Some(match (family, role.as_str()) {
        (Family::Attack, "attacker") => "Perp",
        (Family::Attack, "target") => "Target",
        (Family::Attack, "instrument" | "explosivedevice") => "Weapon",
        (Family::Harm, "victim") => "Victim",
        (Family::Harm, "killer" | "injurer") => "Perp",
        (Family::Harm, "instrument") => "Weapon",
        (_, "place") => "Place",
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Attack,
    Harm,
}

/// `conflict.attack.*` / `life.die.*` / `life.injure.*`, any case.
fn family(event_type: &str) -> Option<Family> {
    let t = event_type.to_ascii_lowercase();
    if t.starts_with("conflict.attack") {
        Some(Family::Attack)
    } else if t.starts_with("life.die") || t.starts_with("life.injure") {
        Some(Family::Harm)
    } else {
        None
    }
}

/// Training windows of a WikiEvents split file (`train.jsonl` with its texts
/// and coreference beside it), leaving out the documents of `holdout` (the
/// shard `extract --shard` would give: cross-validation by document).
pub fn wikievents_windows(path: &Path, holdout: Option<Shard>, max_words: usize) -> Result<Vec<TaggedSentence>> {
    let docs = wikievents::read_split_file(path)?;
    Ok(docs.iter().filter(|d| holdout.is_none_or(|h| !h.contains(&d.id))).flat_map(|d| document_windows(&d.text, &wikievents_spans(d), max_words)).collect())
}

/// The labelled byte spans of one WikiEvents document.
fn wikievents_spans(doc: &WeDocument) -> Vec<(Span, &'static str)> {
    let byte = code_point_bytes(&doc.text);
    let span = |s: wikievents::Span| Span::new(byte[s.start], byte[s.end]);
    let has_attack = doc.events.iter().any(|e| family(&e.event_type) == Some(Family::Attack));
    let mut out = Vec::new();
    for e in &doc.events {
        let Some(fam) = family(&e.event_type) else { continue };
        if fam == Family::Harm {
            let trigger = e.trigger.text.to_lowercase();
            let sentence = doc.sentences.get(e.trigger.sentence).map(|s| s.to_lowercase()).unwrap_or_default();
            if !has_attack || trigger == "suicide" || (trigger == "death" && sentence.contains("sentenc")) {
                continue;
            }
        }
        out.push((span(e.trigger.span), if fam == Family::Attack { "Attack" } else { "Harm" }));
        for a in &e.arguments {
            if let (Some(label), Some(&s)) = (role_label(fam, &a.role), doc.entities.get(&a.entity_id)) {
                out.push((span(s), label));
            }
        }
    }
    out
}

/// Byte offset of every code point of `text`, and of its end.
fn code_point_bytes(text: &str) -> Vec<usize> {
    text.char_indices().map(|(b, _)| b).chain([text.len()]).collect()
}

#[derive(Deserialize)]
struct RamsPassage {
    sentences: Vec<Vec<String>>,
    /// `[first token, last token (inclusive), [[event type, 1.0]]]`
    evt_triggers: Vec<(usize, usize, Vec<(String, f64)>)>,
    /// `[[trigger first, last], [argument first, last], "evtNNNargNNrole"]`
    gold_evt_links: Vec<((usize, usize), (usize, usize), String)>,
}

/// Training windows of a RAMS file: only passages whose event is an attack,
/// a death or an injury (RAMS marks one event a passage, so other passages
/// would teach the model that attacks named in passing are no attacks).
pub fn rams_windows(path: &Path, max_words: usize) -> Result<Vec<TaggedSentence>> {
    let mut out = Vec::new();
    for (_, p) in read_json_lines::<RamsPassage>(path)? {
        let tokens: Vec<&str> = p.sentences.iter().flatten().map(String::as_str).collect();
        let text = tokens.join(" ");
        let mut at = Vec::with_capacity(tokens.len());
        let mut pos = 0;
        for t in &tokens {
            at.push(Span::new(pos, pos + t.len()));
            pos += t.len() + 1;
        }
        let span = |(a, b): (usize, usize)| (a <= b && b < at.len()).then(|| Span::new(at[a].start, at[b].end));
        let mut spans = Vec::new();
        for (a, b, types) in &p.evt_triggers {
            let Some(fam) = types.first().and_then(|t| family(&t.0)) else { continue };
            if let Some(s) = span((*a, *b)) {
                spans.push((s, if fam == Family::Attack { "Attack" } else { "Harm" }));
            }
            for (trigger, arg, role) in &p.gold_evt_links {
                let role = role.rsplit(|c: char| c.is_ascii_digit()).next().unwrap_or("");
                if let (true, Some(label), Some(s)) = (*trigger == (*a, *b), role_label(fam, role), span(*arg)) {
                    spans.push((s, label));
                }
            }
        }
        if !spans.is_empty() {
            out.extend(document_windows(&text, &spans, max_words));
        }
    }
    Ok(out)
}

/// A document's words with IOB2 tags from labelled byte spans, cut into
/// windows of at most `max_words` words, never inside a tagged span unless
/// it is longer than a window. Spans that overlap one already tagged (longer
/// ones first, then by [`LABELS`] order) are dropped.
pub fn document_windows(text: &str, spans: &[(Span, &str)], max_words: usize) -> Vec<TaggedSentence> {
    let ws = words(text, Span::new(0, text.len()));
    let rank: HashMap<&str, usize> = LABELS.iter().enumerate().map(|(i, l)| (*l, i)).collect();
    let mut spans: Vec<(Span, &str)> = spans.to_vec();
    spans.sort_by_key(|(s, l)| (rank.get(l).copied().unwrap_or(usize::MAX), std::cmp::Reverse(s.len()), s.start));
    let mut tags = vec![Tag::Outside; ws.len()];
    for (s, label) in spans {
        let first = ws.partition_point(|w| w.end <= s.start);
        let last = ws.partition_point(|w| w.start < s.end);
        if first >= last || tags[first..last].iter().any(|t| *t != Tag::Outside) {
            continue;
        }
        tags[first] = Tag::Begin(label.to_string());
        for t in &mut tags[first + 1..last] {
            *t = Tag::Inside(label.to_string());
        }
    }
    tagged_windows(text, &ws, &tags, max_words)
}

/// Words and tags cut into windows of at most `max_words` words, never
/// inside a tagged span unless it is longer than a window (the next window
/// then reopens it with a `B-`).
pub fn tagged_windows(text: &str, spans: &[Span], tags: &[Tag], max_words: usize) -> Vec<TaggedSentence> {
    assert!(max_words > 0, "a window must hold at least one word");
    let mut out = Vec::new();
    let mut start = 0;
    while start < spans.len() {
        let mut end = (start + max_words).min(spans.len());
        while end > start && end < spans.len() && matches!(tags[end], Tag::Inside(_)) {
            end -= 1;
        }
        if end == start {
            end = start + max_words;
        }
        let mut window: Vec<Tag> = tags[start..end].to_vec();
        if let Tag::Inside(role) = &window[0] {
            window[0] = Tag::Begin(role.clone());
        }
        out.push(TaggedSentence {
            words: spans[start..end].iter().map(|s| text[s.start..s.end].to_string()).collect(),
            tags: window.iter().map(Tag::to_string).collect(),
        });
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(w: &[TaggedSentence]) -> Vec<String> {
        w.iter().flat_map(|s| s.words.iter().zip(&s.tags).map(|(w, t)| format!("{w}/{t}"))).collect()
    }

    #[test]
    fn spans_become_iob2_tags_and_overlaps_keep_the_stronger_label() {
        let text = "Gunmen attacked the Harbour Hotel in Port Emery, killing two guards.";
        let at = |needle: &str| {
            let s = text.find(needle).unwrap();
            Span::new(s, s + needle.len())
        };
        let spans = [
            (at("Gunmen"), "Perp"),
            (at("attacked"), "Attack"),
            (at("the Harbour Hotel"), "Target"),
            (at("Harbour Hotel"), "Place"),
            (at("Port Emery"), "Place"),
            (at("killing"), "Harm"),
            (at("two guards"), "Target"),
            (at("two guards"), "Victim"),
        ];
        let w = document_windows(text, &spans, 100);
        assert_eq!(
            tags(&w).join(" "),
            "Gunmen/B-Perp attacked/B-Attack the/B-Target Harbour/I-Target Hotel/I-Target in/O Port/B-Place Emery/I-Place ,/O \
             killing/B-Harm two/B-Victim guards/I-Victim ./O"
        );
    }

    #[test]
    fn windows_never_cut_a_span_they_can_hold_and_reopen_one_they_cannot() {
        let text = "a b c d e f";
        let ws = words(text, Span::new(0, text.len()));
        let t = |s: &str| Tag::parse(s).unwrap();
        let tags = [t("O"), t("B-X"), t("I-X"), t("I-X"), t("O"), t("O")];
        let w = tagged_windows(text, &ws, &tags, 3);
        assert_eq!(w.iter().map(|s| s.words.join("")).collect::<Vec<_>>(), ["a", "bcd", "ef"]);
        let w = tagged_windows(text, &ws, &tags, 2);
        assert_eq!(tags_of(&w), ["O", "B-X", "I-X", "B-X", "O", "O"]);
    }

    fn tags_of(w: &[TaggedSentence]) -> Vec<String> {
        w.iter().flat_map(|s| s.tags.clone()).collect()
    }

    #[test]
    fn roles_map_as_the_incident_scorer_maps_them() {
        assert_eq!(role_label(Family::Attack, "Attacker"), Some("Perp"));
        assert_eq!(role_label(Family::Harm, "Killer"), Some("Perp"));
        assert_eq!(role_label(Family::Attack, "ExplosiveDevice"), Some("Weapon"));
        assert_eq!(role_label(Family::Harm, "BodyPart"), None);
        assert_eq!(family("life.injure.illnessdegradationphysical"), Some(Family::Harm));
        assert_eq!(family("Conflict.Demonstrate.Unspecified"), None);
    }
}
