//! Within-document alias groups: "Islamic State", "IS", "IS-Khorasan",
//! "ISIS-K", "its Khorasan branch"; "Farabundo Marti National Liberation
//! Front" and "FMLN"; "Vladimir Putin" and "Putin".
//!
//! Three rules, applied between mentions of the same label and closed
//! transitively: same words; an acronym of the other's initials (in any
//! order, or extended by up to two letters, as "ISIS" extends "IS"); a name
//! that repeats one distinctive word of a longer one, or leads with an
//! acronym of it.

use crate::document::{Cluster, Mention};
use crate::lexicon::{GENERIC_ORG_WORDS, GROUP_SUFFIXES, LANGUAGES_AND_FAITHS, NAME_CONNECTORS};

/// The kind each mention is linked as: "ORG" for whatever names a group,
/// else its tag. CoNLL tags groups and movements MISC ("Islamic State",
/// "Taliban") and a branch by its region LOC ("its Khorasan branch"), so
/// perpetrator and claim rules and alias groups cannot go by the tag alone;
/// adjectives of nationality, language or faith ("Russian", "Tajiks",
/// "Russian-language") name no group whatever their tag. A name tagged
/// differently across the article takes its most frequent kind, its own on a tie.
pub fn kinds(text: &str, mentions: &[Mention]) -> Vec<String> {
    let tagged: Vec<String> = mentions
        .iter()
        .map(|m| match m.label.as_str() {
            "PER" | "LOC" => m.label.clone(),
            _ if is_adjective(&text[m.span.start..m.span.end]) => "MISC".to_string(),
            _ => "ORG".to_string(),
        })
        .collect();
    let keys: Vec<String> = mentions.iter().map(|m| words(&text[m.span.start..m.span.end]).join(" ").to_lowercase()).collect();
    let votes = |i: usize, kind: &str| (0..mentions.len()).filter(|&j| keys[j] == keys[i] && tagged[j] == kind).count();
    (0..mentions.len())
        .map(|i| {
            let m = &mentions[i];
            let next: String = text[m.span.end..]
                .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '’' | '”'))
                .chars()
                .take_while(|c| c.is_alphabetic())
                .flat_map(char::to_lowercase)
                .collect();
            if tagged[i] != "PER" && tagged[i] != "MISC" && GROUP_SUFFIXES.contains(&next.as_str()) {
                return "ORG".to_string();
            }
            let mine = votes(i, &tagged[i]);
            tagged.iter().filter(|k| votes(i, k) > mine).max_by_key(|k| votes(i, k)).unwrap_or(&tagged[i]).clone()
        })
        .collect()
}

/// "Russian", "Tajiks", "Shiite", "Russian-language", "London-based".
fn is_adjective(name: &str) -> bool {
    let single = !name.trim().contains(char::is_whitespace);
    let compound = single && name.rsplit('-').next().is_some_and(|last| name.contains('-') && last.starts_with(char::is_lowercase));
    let lower = name.trim().to_lowercase();
    compound || single && (crate::geo::gazetteer::is_demonym(&lower) || LANGUAGES_AND_FAITHS.contains(&lower.trim_end_matches('s')))
}

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
    words.iter().filter(|w| !NAME_CONNECTORS.contains(&w.to_lowercase().as_str())).collect()
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
    // One distinctive word of the longer name: "Putin", "Khorasan"; but the
    // adjective "Russian" is no short form of "Russian-language".
    short.len() == 1
        && long.len() > 1
        && short[0].chars().count() >= 3
        && !GENERIC_ORG_WORDS.contains(&short[0].to_lowercase().as_str())
        && !crate::geo::gazetteer::is_demonym(&short[0])
        && long.iter().any(|w| w.eq_ignore_ascii_case(&short[0]))
}

/// The name a user knows the group by. A short form ("IS Khorasan", "FMLN")
/// never wins over the name it abbreviates. A person goes by the fullest
/// name ("Vladimir Putin", not "Putin"); anything else by the name the
/// article uses most ("Iran", not a one-off "Shiite Iran"), then the fuller.
fn cluster_name(names: &[&str], label: &str) -> String {
    let clean = |n: &str| n.trim().trim_end_matches("'s").trim_end_matches("’s").to_string();
    let split: Vec<Vec<String>> = names.iter().map(|n| words(n)).collect();
    let short_form = |w: &[String]| !w.is_empty() && split.iter().any(|o| abbreviates(&w[0], o));
    let rank = |i: usize| {
        let freq = if label == "PER" { 0 } else { names.iter().filter(|n| clean(n).to_lowercase() == clean(names[i]).to_lowercase()).count() };
        (!short_form(&split[i]), freq, split[i].len(), names[i].chars().count())
    };
    (0..names.len()).max_by_key(|&i| rank(i)).map(|i| clean(names[i])).unwrap_or_default()
}

/// The tag most of the group's mentions carry, ORG on a tie when the group
/// names an organisation.
fn cluster_label(labels: &[&str], kind: &str) -> String {
    let count = |l: &&str| labels.iter().filter(|x| *x == l).count();
    labels.iter().max_by_key(|l| (count(l), kind == "ORG" && **l == "ORG")).map_or(kind.to_string(), |l| l.to_string())
}

/// Alias groups over `mentions` (every mention in exactly one group), in
/// order of their first mention. Mentions group only within one of `kinds`.
pub fn clusters(text: &str, mentions: &[Mention], kinds: &[String]) -> Vec<Cluster> {
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
            if kinds[i] == kinds[j] && word_aliases(&split[i], &split[j]) {
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
            out.push(Cluster { name: String::new(), label: kinds[i].clone(), members: Vec::new() });
            out.len() - 1
        });
        out[c].members.push(i);
    }
    for c in &mut out {
        let members: Vec<&str> = c.members.iter().map(|&i| names[i]).collect();
        let labels: Vec<&str> = c.members.iter().map(|&i| mentions[i].label.as_str()).collect();
        c.label = cluster_label(&labels, &c.label);
        c.name = cluster_name(&members, &c.label);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mention = |w: &str, nth: usize, label: &str| Mention::at(text, w, nth, label);
        let mentions = [
            mention("Islamic State", 0, "ORG"),
            mention("IS-Khorasan", 0, "ORG"),
            mention("Khorasan", 1, "ORG"),
            mention("Moscow", 0, "LOC"),
            mention("IS", 1, "ORG"),
            mention("Khorasan", 2, "LOC"),
        ];
        assert_eq!(&text[mentions[4].span.start..mentions[4].span.end], "IS");
        let c = clusters(text, &mentions, &kinds(text, &mentions));
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].name, "Islamic State");
        assert_eq!(c[0].members, [0, 1, 2, 4]);
        assert_eq!(c[1].members, [3]);
        assert_eq!(c[2].members, [5]);
    }

    #[test]
    fn groups_tagged_misc_or_by_region_join_their_organisation() {
        let text = "The Islamic State group said its “Khorasan” branch and IS-Khorasan did it. Russian officials read Russian-language posts from Khorasan, a region. IS-Khorasan denied it; IS-Khorasan always does.";
        let at = |w: &str, nth: usize, label: &str| Mention::at(text, w, nth, label);
        let mentions = [
            at("Islamic State", 0, "MISC"),
            at("Khorasan", 0, "LOC"),
            at("IS-Khorasan", 0, "ORG"),
            at("Russian", 0, "MISC"),
            at("Russian-language", 0, "MISC"),
            at("Khorasan", 2, "LOC"),
            at("IS-Khorasan", 1, "LOC"),
            at("IS-Khorasan", 2, "ORG"),
        ];
        assert_eq!(text[mentions[5].span.end..].chars().next(), Some(','));
        let k = kinds(text, &mentions);
        assert_eq!(k, ["ORG", "ORG", "ORG", "MISC", "MISC", "LOC", "ORG", "ORG"]);
        let c = clusters(text, &mentions, &k);
        let names: Vec<(&str, &str, &[usize])> = c.iter().map(|c| (c.name.as_str(), c.label.as_str(), c.members.as_slice())).collect();
        assert_eq!(names[0], ("Islamic State", "ORG", &[0, 1, 2, 6, 7][..]));
        assert_eq!(names[1], ("Russian", "MISC", &[3][..]));
        assert_eq!(names[2], ("Russian-language", "MISC", &[4][..]));
    }

    #[test]
    fn names_go_by_use_except_for_people() {
        assert_eq!(cluster_name(&["Shiite Iran", "Iran", "Iran"], "LOC"), "Iran");
        assert_eq!(cluster_name(&["Putin", "Vladimir Putin", "Putin"], "PER"), "Vladimir Putin");
        assert_eq!(cluster_name(&["FMLN", "FMLN", "FARABUNDO MARTI NATIONAL LIBERATION FRONT"], "ORG"), "FARABUNDO MARTI NATIONAL LIBERATION FRONT");
    }
}
