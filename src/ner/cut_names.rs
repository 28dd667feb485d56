//! The stage that completes names the tagger cut short, from the same article.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::document::{Document, Mention, Span};
use crate::error::Result;
use crate::geo::gazetteer::{gazetteer, Kind, Place};
use crate::stage::{Field, Stage};
use crate::text::words::words;

/// Runs [`complete_cut_names`] on every document.
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let got: Vec<(&str, &str)> = d.mentions.iter().map(|m| (d.slice(m.span), m.label.as_str())).collect();
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
        let got: Vec<(&str, &str)> = d.mentions.iter().map(|m| (d.slice(m.span), m.label.as_str())).collect();
        assert_eq!(got, vec![("Turkish", "MISC"), ("Russian", "MISC"), ("US", "LOC"), ("Mexico", "LOC"), ("African-American", "MISC"), ("Jean-Pierre", "PER")]);
    }
}
