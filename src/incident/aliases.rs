//! Within-document alias groups: "Islamic State", "IS", "IS-Khorasan",
//! "ISIS-K", "its Khorasan branch"; "Farabundo Marti National Liberation
//! Front" and "FMLN"; "Vladimir Putin" and "Putin".
//!
//! Three rules, applied between mentions of the same label and closed
//! transitively: same words; an acronym of the other's initials (in any
//! order, or extended by up to two letters, as "ISIS" extends "IS"); a name
//! that repeats one distinctive word of a longer one, or leads with an
//! acronym of it.

use crate::document::Mention;

/// One alias group, its members in text order.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub name: String,
    pub label: String,
    pub members: Vec<usize>,
}

/// Words that connect the words of a name and do not count as initials.
const CONNECTORS: &[&str] = &["of", "the", "and", "for", "de", "del", "la", "las", "los", "el", "y", "al"];
/// Words too common in organisation names to identify one on their own.
const GENERIC: &[&str] = &[
    "state", "states", "front", "army", "group", "party", "national", "forces", "force", "police",
    "government", "ministry", "council", "union", "movement", "liberation", "republic", "democratic",
    "people", "popular", "united", "new", "international", "service", "security", "federal", "city",
    "branch", "committee", "agency", "news", "north", "south", "east", "west",
];

/// Words of a name as written, split at spaces and hyphens, without article or possessive.
fn words(name: &str) -> Vec<String> {
    let n = name.trim().trim_end_matches("'s").trim_end_matches("’s");
    n.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("the"))
        .collect()
}

fn is_acronym(word: &str) -> bool {
    let letters: String = word.chars().filter(|c| *c != '.').collect();
    (2..=8).contains(&letters.chars().count()) && letters.chars().all(|c| c.is_ascii_uppercase())
}

fn content(words: &[String]) -> Vec<&String> {
    words.iter().filter(|w| !CONNECTORS.contains(&w.to_lowercase().as_str())).collect()
}

/// True when `acronym` abbreviates the multi-word `name`.
fn abbreviates(acronym: &str, name: &[String]) -> bool {
    let content = content(name);
    if content.len() < 2 || !is_acronym(acronym) {
        return false;
    }
    let acr: Vec<char> = acronym.chars().filter(|c| *c != '.').collect();
    let initials: Vec<char> = content.iter().filter_map(|w| w.chars().next()).map(|c| c.to_ascii_uppercase()).collect();
    if acr.starts_with(&initials) && acr.len() - initials.len() <= 2 {
        return true;
    }
    // Initials in another language's word order: "FMLN" for "Farabundo Marti National Liberation Front".
    let mut pool = initials.clone();
    let all_found = acr.iter().all(|c| match pool.iter().position(|p| p == c) {
        Some(i) => {
            pool.remove(i);
            true
        }
        None => false,
    });
    all_found && acr.first() == initials.first() && acr.len() + 1 >= initials.len()
}

/// True when two names (as split by `words`) may denote the same entity.
fn word_aliases(wa: &[String], wb: &[String]) -> bool {
    if wa.is_empty() || wb.is_empty() {
        return false;
    }
    let same = wa.len() == wb.len() && wa.iter().zip(wb).all(|(x, y)| x.to_lowercase() == y.to_lowercase());
    same || one_way(wa, wb) || one_way(wb, wa)
}

fn one_way(short: &[String], long: &[String]) -> bool {
    if short.len() == 1 && abbreviates(&short[0], long) {
        return true;
    }
    // A name led by an acronym of the other: "IS Khorasan", "ISIS-K" for "Islamic State".
    if short.len() > 1 && is_acronym(&short[0]) && (abbreviates(&short[0], long) || long.len() == 1 && long[0] == short[0]) {
        return true;
    }
    // One distinctive word of the longer name: "Putin", "Khorasan".
    short.len() == 1
        && long.len() > 1
        && short[0].chars().count() >= 3
        && !GENERIC.contains(&short[0].to_lowercase().as_str())
        && long.iter().any(|w| w.eq_ignore_ascii_case(&short[0]))
}

/// Ranks candidate cluster names: spelled out, then more words, then longer.
fn name_rank(name: &str) -> (bool, usize, usize) {
    let w = words(name);
    (!w.iter().any(|x| is_acronym(x)), w.len(), name.chars().count())
}

/// Alias groups over `mentions` (every mention in exactly one group), in
/// order of their first mention.
pub fn clusters(text: &str, mentions: &[Mention]) -> Vec<Cluster> {
    let names: Vec<&str> = mentions.iter().map(|m| &text[m.span.start..m.span.end]).collect();
    let split: Vec<Vec<String>> = names.iter().map(|n| words(n)).collect();
    let mut parent: Vec<usize> = (0..mentions.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..mentions.len() {
        for j in 0..i {
            if mentions[i].label == mentions[j].label && word_aliases(&split[i], &split[j]) {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                parent[ri.max(rj)] = ri.min(rj);
            }
        }
    }
    let mut out: Vec<Cluster> = Vec::new();
    let mut index_of_root: Vec<Option<usize>> = vec![None; mentions.len()];
    for i in 0..mentions.len() {
        let r = root(&mut parent, i);
        let c = *index_of_root[r].get_or_insert_with(|| {
            out.push(Cluster { name: String::new(), label: mentions[i].label.clone(), members: Vec::new() });
            out.len() - 1
        });
        out[c].members.push(i);
    }
    for c in &mut out {
        let best = c.members.iter().map(|&i| names[i]).max_by_key(|n| name_rank(n)).unwrap_or_default();
        c.name = best.trim_end_matches("'s").trim_end_matches("’s").to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Span;

    fn are_aliases(a: &str, b: &str) -> bool {
        word_aliases(&words(a), &words(b))
    }

    #[test]
    fn acronyms_and_branches_of_one_organisation() {
        for alias in ["IS", "IS-Khorasan", "IS Khorasan", "ISIS", "ISIS-K", "ISIL"] {
            assert!(are_aliases(alias, "Islamic State"), "{alias}");
        }
        assert!(are_aliases("IS-Khorasan", "IS"));
        assert!(are_aliases("Khorasan", "IS Khorasan"));
        assert!(are_aliases("FMLN", "Farabundo Marti National Liberation Front"));
        assert!(are_aliases("FMLN", "FARABUNDO MARTI NATIONAL LIBERATION FRONT"));
        assert!(are_aliases("Putin", "Vladimir Putin"));
        assert!(are_aliases("the Taliban", "Taliban"));
    }

    #[test]
    fn different_names_stay_apart() {
        assert!(!are_aliases("State", "Islamic State"));
        assert!(!are_aliases("FSB", "Islamic State"));
        assert!(!are_aliases("UNICEF", "United Nations"));
        assert!(!are_aliases("John Smith", "John Brown"));
        assert!(!are_aliases("ARCE", "ATLACATL BATTALION"));
    }

    #[test]
    fn clusters_group_aliases_of_the_same_label() {
        let text = "Islamic State said IS-Khorasan, its Khorasan branch, hit Moscow; IS denied it. Khorasan is a region.";
        let mention = |w: &str, nth: usize, label: &str| {
            let s = text.match_indices(w).nth(nth).unwrap().0;
            Mention { span: Span::new(s, s + w.len()), label: label.into(), score: 0.9 }
        };
        let mentions = [
            mention("Islamic State", 0, "ORG"),
            mention("IS-Khorasan", 0, "ORG"),
            mention("Khorasan", 1, "ORG"),
            mention("Moscow", 0, "LOC"),
            mention("IS", 1, "ORG"),
            mention("Khorasan", 2, "LOC"),
        ];
        assert_eq!(&text[mentions[4].span.start..mentions[4].span.end], "IS");
        let c = clusters(text, &mentions);
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].name, "Islamic State");
        assert_eq!(c[0].members, [0, 1, 2, 4]);
        assert_eq!(c[1].members, [3]);
        assert_eq!(c[2].members, [5]);
    }
}
