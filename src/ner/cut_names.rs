//! The stage that mends the tagger's names from the same article and the
//! gazetteer: names it cut short or in two ("IS" + "Khorasan", "Rue" +
//! "Victor Hugo"), two countries it joined ("US-Mexico"), and towns it read
//! as people ("in Bagram,").

use std::collections::HashMap;

use rayon::prelude::*;

use crate::document::{Document, Mention, Span};
use crate::error::Result;
use crate::geo::gazetteer::{gazetteer, Kind, Place};
use crate::stage::{Field, Stage};
use crate::text::words::words;
use crate::lexicon::{NAME_PARTICLES, STREET_PREFIXES};

/// Runs `complete_cut_names`, `split_country_pairs`, `join_street_names`
/// and `places_read_as_people` on every document.
pub struct CompleteCutNames;

impl Stage for CompleteCutNames {
    fn name(&self) -> &'static str {
        "complete cut names"
    }
    fn requires(&self) -> &'static [Field] {
        &[Field::Entities]
    }
    fn assigns(&self) -> &'static [Field] {
        &[Field::Entities]
    }
    fn run(&self, docs: &mut [Document]) -> Result<()> {
        docs.par_iter_mut().filter(|d| !d.failed).for_each(|d| {
            complete_cut_names(d);
            split_country_pairs(d);
            join_street_names(d);
            places_read_as_people(d);
        });
        Ok(())
    }
}

/// A document-level consistency pass: the tagger sometimes stops a name a
/// word short in one place ("Islamic" in the headline "Islamic State’s
/// Moscow Attack") or cuts it in two ("IS" ORG + "Khorasan" LOC) while
/// tagging it whole elsewhere in the same article. A mention whose
/// capitalised neighbours (up to two words each side, separated by single
/// spaces) complete it to another mention of the article grows to that name,
/// takes its label and absorbs the pieces it covers; hyphens and spaces
/// count alike ("IS Khorasan" = "IS-Khorasan").
fn complete_cut_names(doc: &mut Document) {
    let key = |s: &str| s.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ").to_lowercase();
    let mut known: HashMap<String, String> = HashMap::new();
    for m in &doc.mentions {
        known.entry(key(doc.slice(m.span))).or_insert_with(|| m.label.clone());
    }
    let text = &doc.text;
    let ws = words(text, Span::new(0, text.len()));
    let mut absorbed = vec![false; doc.mentions.len()];
    for i in 0..doc.mentions.len() {
        if absorbed[i] {
            continue;
        }
        let m = &doc.mentions[i];
        let (first, after) = (ws.partition_point(|w| w.start < m.span.start), ws.partition_point(|w| w.start < m.span.end));
        let capitalised = |k: usize| text[ws[k].start..].starts_with(char::is_uppercase);
        let joined = |a: usize, b: usize| (a..b - 1).all(|k| &text[ws[k].end..ws[k + 1].start] == " ");
        let cuts = |span: &Span, o: &Mention| o.span.overlaps(span) && !(span.start <= o.span.start && o.span.end <= span.end);
        let longest = (0..=first.min(2))
            .flat_map(|l| (0..=2).map(move |r| (first - l, after + r)))
            .filter(|&(a, b)| b <= ws.len() && b - a > after - first)
            .filter(|&(a, b)| (a..first).chain(after..b).all(capitalised) && joined(a, b))
            .map(|(a, b)| (Span::new(ws[a].start, ws[b - 1].end), b - a))
            .filter(|(span, _)| !doc.mentions.iter().any(|o| cuts(span, o)))
            .filter_map(|(span, n)| known.get(&key(&text[span.start..span.end])).map(|label| (span, label, n)))
            .max_by_key(|(_, _, n)| *n);
        if let Some((span, label, _)) = longest {
            let label = label.clone();
            for (j, o) in doc.mentions.iter().enumerate() {
                absorbed[j] |= j != i && span.overlaps(&o.span);
            }
            doc.mentions[i].span = span;
            doc.mentions[i].label = label;
        }
    }
    let mut keep = absorbed.iter().map(|a| !a);
    doc.mentions.retain(|_| keep.next().unwrap_or(true));
}

/// "Turkish-Russian talks", "the US-Mexico border": the tagger joins two
/// countries into one name, which can then stand for only one of them. A
/// mention of two words joined by a hyphen or dash, each a country's name
/// or its demonym and the two different countries, becomes two mentions
/// with its label; "African-American" (a continent, not a country) stays
/// whole.
fn split_country_pairs(doc: &mut Document) {
    let g = gazetteer();
    let country = |w: &str| -> Option<&'static Place> {
        g.demonym(w).filter(|p| p.kind == Kind::Country).or_else(|| g.lookup(w).into_iter().find(|m| m.main && m.place.kind == Kind::Country).map(|m| m.place))
    };
    let text = &doc.text;
    let mentions = std::mem::take(&mut doc.mentions);
    for m in mentions {
        let name = &text[m.span.start..m.span.end];
        let pair = name.split_once(['-', '–']).filter(|(a, b)| {
            let one = |w: &str| !w.is_empty() && w.chars().all(char::is_alphabetic);
            one(a) && one(b) && m.label != "PER" && country(a).zip(country(b)).is_some_and(|(x, y)| !std::ptr::eq(x, y))
        });
        match pair {
            Some((a, b)) => {
                doc.mentions.push(Mention { span: Span::new(m.span.start, m.span.start + a.len()), ..m.clone() });
                doc.mentions.push(Mention { span: Span::new(m.span.end - b.len(), m.span.end), ..m });
            }
            None => doc.mentions.push(m),
        }
    }
}

/// True when `w` is a street prefix written with a capital, as it opens a
/// street's name ("Rue", "Praça"; not "RUE" nor "rue").
fn is_street_prefix(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(|c| c.is_uppercase()) && STREET_PREFIXES.iter().any(|p| {
        let mut p = p.chars();
        p.next().is_some_and(|c| c.to_uppercase().eq(w.chars().take(1))) && p.eq(chars.clone())
    })
}

/// "The explosion targeted a bakery on the central street Rue Victor Hugo":
/// the tagger reads the prefix as a place and the rest as a person. A
/// street prefix and the capitalised name right after it become one place
/// mention when the tagger marked some of it; a street it left untagged
/// stays so (its silence is not repaired here, only its cuts).
fn join_street_names(doc: &mut Document) {
    let text = &doc.text;
    let ws = words(text, Span::new(0, text.len()));
    let mut k = 0;
    let mut joined: Vec<Span> = Vec::new();
    while k < ws.len() {
        let w = &text[ws[k].start..ws[k].end];
        if !is_street_prefix(w) {
            k += 1;
            continue;
        }
        let mut end = k + 1;
        let mut last_name = None;
        while end < ws.len() && end - k <= 5 && &text[ws[end - 1].end..ws[end].start] == " " {
            let n = &text[ws[end].start..ws[end].end];
            if n.starts_with(char::is_uppercase) && n.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'') {
                last_name = Some(end);
            } else if !NAME_PARTICLES.contains(&n) {
                break;
            }
            end += 1;
        }
        match last_name {
            Some(l) => {
                joined.push(Span::new(ws[k].start, ws[l].end));
                k = l + 1;
            }
            None => k += 1,
        }
    }
    for span in joined {
        let inside: Vec<usize> = (0..doc.mentions.len()).filter(|&i| doc.mentions[i].span.overlaps(&span)).collect();
        let spills = inside.iter().any(|&i| doc.mentions[i].span.start < span.start || doc.mentions[i].span.end > span.end);
        let whole = inside.len() == 1 && doc.mentions[inside[0]].span == span && doc.mentions[inside[0]].label == "LOC";
        if inside.is_empty() || spills || whole {
            continue;
        }
        let score = inside.iter().map(|&i| doc.mentions[i].score).fold(f32::INFINITY, f32::min);
        let at = inside[0];
        doc.mentions[at] = Mention { span, label: "LOC".into(), score };
        let mut k = 0;
        doc.mentions.retain(|_| {
            k += 1;
            k - 1 == at || !inside.contains(&(k - 1))
        });
    }
}

/// "On December 21, 2015 in Bagram, a suicide bomber …": a town the tagger
/// has never seen may come out as a person. A PER mention right after
/// "in", "near", "outside" or "inside" becomes a place when the gazetteer
/// knows the name as a town of some size, a division or a country, or the
/// same article names a place it begins ("Bagram Air Base"), and the
/// article never uses it as part of a longer person's name ("Barack
/// Obama"; "confidence in Obama" stays a person) nor in a possessive.
fn places_read_as_people(doc: &mut Document) {
    let g = gazetteer();
    let text = &doc.text;
    let name_of = |m: &Mention| &text[m.span.start..m.span.end];
    let known_place = |name: &str| {
        g.lookup(name).iter().any(|m| m.main && (m.place.kind != Kind::City || m.place.population >= 10_000))
            || doc.mentions.iter().any(|o| o.label == "LOC" && name_of(o).strip_prefix(name).is_some_and(|rest| rest.starts_with(' ')))
    };
    let person_elsewhere = |name: &str| {
        doc.mentions.iter().any(|o| {
            let other = name_of(o);
            o.label == "PER" && other != name && other.split_whitespace().any(|w| w == name || name.split_whitespace().any(|n| n == w))
        })
    };
    let mut relabel = Vec::new();
    for (i, m) in doc.mentions.iter().enumerate() {
        if m.label != "PER" {
            continue;
        }
        let before = text[..m.span.start].trim_end_matches(' ');
        let prep = before.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
        let locative = matches!(prep.to_lowercase().as_str(), "in" | "near" | "outside" | "inside") && before.len() + 1 == m.span.start;
        let possessive = text[m.span.end..].starts_with("'s") || text[m.span.end..].starts_with("’s");
        let name = name_of(m);
        // "trust in God": the town of Göd, Hungary, is not meant
        let divine = ["god", "allah", "christ", "jesus", "lord", "buddha", "heaven"].contains(&name.to_lowercase().as_str());
        if locative && !divine && !possessive && !person_elsewhere(name) && known_place(name) {
            relabel.push(i);
        }
    }
    for i in relabel {
        doc.mentions[i].label = "LOC".into();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each mention as (text, label), in order.
    fn labelled(d: &Document) -> Vec<(&str, &str)> {
        d.mentions.iter().map(|m| (d.slice(m.span), m.label.as_str())).collect()
    }

    #[test]
    fn cut_names_are_completed_from_the_same_article() {
        let text = "Islamic State’s attack. The Islamic State group said IS Khorasan did it; IS-Khorasan denied.";
        let mut d = Document::new("t", text);
        d.mentions = vec![
            Mention::at(text, "Islamic", 0, "MISC"),
            Mention::at(text, "Islamic State", 1, "ORG"),
            Mention::at(text, "IS ", 0, "ORG"),
            Mention::at(text, "Khorasan", 0, "LOC"),
            Mention::at(text, "IS-Khorasan", 0, "ORG"),
        ];
        d.mentions[2].span.end -= 1; // "IS" without the space
        complete_cut_names(&mut d);
        let got = labelled(&d);
        assert_eq!(got, vec![("Islamic State", "ORG"), ("Islamic State", "ORG"), ("IS Khorasan", "ORG"), ("IS-Khorasan", "ORG")]);
    }

    #[test]
    fn two_countries_joined_by_a_hyphen_become_two_mentions() {
        let text = "Turkish-Russian talks near the US-Mexico border; African-American voters; Jean-Pierre spoke.";
        let mut d = Document::new("t", text);
        d.mentions = vec![
            Mention::at(text, "Turkish-Russian", 0, "MISC"),
            Mention::at(text, "US-Mexico", 0, "LOC"),
            Mention::at(text, "African-American", 0, "MISC"),
            Mention::at(text, "Jean-Pierre", 0, "PER"),
        ];
        split_country_pairs(&mut d);
        let got = labelled(&d);
        assert_eq!(got, vec![("Turkish", "MISC"), ("Russian", "MISC"), ("US", "LOC"), ("Mexico", "LOC"), ("African-American", "MISC"), ("Jean-Pierre", "PER")]);
    }

    #[test]
    fn a_street_prefix_and_the_name_after_it_are_one_place() {
        let text = "A bakery on the street Rue Victor Hugo and a cafe in Calle del Correo; Via Roma was shut.";
        let mut d = Document::new("t", text);
        d.mentions = vec![Mention::at(text, "Rue", 0, "LOC"), Mention::at(text, "Victor Hugo", 0, "PER"), Mention::at(text, "Calle del Correo", 0, "LOC")];
        join_street_names(&mut d);
        let got = labelled(&d);
        assert_eq!(got, vec![("Rue Victor Hugo", "LOC"), ("Calle del Correo", "LOC")]);
    }

    #[test]
    fn a_person_after_in_is_a_place_only_when_nothing_says_person() {
        let text = "In Bagram, a bomber struck near Bagram Air Base. Voters in Kabul had faith in Obama and in God, as Barack Obama knew; Smith stayed in Smith's house in Jordan.";
        let mut d = Document::new("t", text);
        d.mentions = vec![
            Mention::at(text, "Bagram", 0, "PER"),
            Mention::at(text, "Bagram Air Base", 0, "LOC"),
            Mention::at(text, "Kabul", 0, "PER"),
            Mention::at(text, "Obama", 0, "PER"),
            Mention::at(text, "God", 0, "PER"),
            Mention::at(text, "Barack Obama", 0, "PER"),
            Mention::at(text, "Smith", 1, "PER"),
            Mention::at(text, "Jordan", 0, "PER"),
        ];
        places_read_as_people(&mut d);
        let got = labelled(&d);
        assert_eq!(
            got,
            vec![("Bagram", "LOC"), ("Bagram Air Base", "LOC"), ("Kabul", "LOC"), ("Obama", "PER"), ("God", "PER"), ("Barack Obama", "PER"), ("Smith", "PER"), ("Jordan", "LOC")]
        );
    }
}
