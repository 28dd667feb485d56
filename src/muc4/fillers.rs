//! Role-labelled mentions → one predicted filler per referent.
//!
//! A role tagger labels mentions; MUC-4 (CEAF-REE) scores entities. Left as
//! one filler per distinct string, every second way of naming a referent
//! ("the substation" after "the electric power substation", "fmln" after
//! "farabundo marti national liberation front", "quintero" after "waldemar
//! franklin quintero") is a false positive, and a filler with several
//! mentions matches only when every one of them is a gold mention. So the
//! mentions of one role are grouped into referents, each referent is
//! predicted once by its most informative (longest) mention, and weak
//! guesses are dropped: a referent named once with low confidence, and every
//! filler of a document in which the tagger is nowhere confident (most such
//! documents report no terrorist incident at all). A first word the keys
//! leave out ("several", "another", a title) is cut first, from a list
//! learned from the training keys (see [`crate::muc4::leading`]).
//!
//! The two thresholds were chosen on the MUC-4 dev split (TST1+TST2); see
//! the model card of the role model.

use crate::muc4::reader::{FillerMention, Role, RoleFillers};
use crate::document::{GroupSpan, Mention, Span};
use crate::text::offsets::CharIndex;
use crate::muc4::leading::{self, strip_leading};
use crate::muc4::score::normalise;

/// One role-labelled mention as the tagger found it.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleMention {
    pub text: String,
    pub role: Role,
    /// The tagger's confidence (mean word probability).
    pub score: f32,
    /// Code-point offsets `[start, end)` in the document, when known.
    pub offset: Option<usize>,
    pub end: Option<usize>,
}

/// How strict the decoder is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecodeOptions {
    /// A referent mentioned once must have at least this score.
    pub min_single: f32,
    /// A document predicts nothing unless its three most confident role
    /// mentions sum to at least this.
    pub min_document: f32,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions { min_single: 0.6, min_document: 0.0 }
    }
}

/// Words that join the words of a name and are not initials.
const CONNECTORS: &[&str] = &["of", "the", "de", "del", "la", "el", "los", "las", "y", "and", "for", "in"];

fn content_words(norm: &str) -> impl Iterator<Item = &str> {
    norm.split(' ').filter(|w| !w.is_empty() && !CONNECTORS.contains(w))
}

/// Whether two normalised mentions of one role name the same referent:
/// the same string; an acronym of the other's initials in any order
/// ("urng" ~ "guatemalan national revolutionary unity", translated from
/// Spanish), or one initial short when the first agrees ("fmln" ~
/// "farabundo marti national liberation front"); or every
/// content word of one inside the other ("substation" ~ "electric power
/// substation", "quintero" ~ "waldemar franklin quintero").
pub fn same_referent(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    for (x, y) in [(a, b), (b, a)] {
        let initials: String = content_words(y).filter_map(|w| w.chars().next()).collect();
        if !x.contains(' ') && x.chars().count() >= 2 && y.split(' ').count() >= 2 {
            let sorted = |s: &str| {
                let mut v: Vec<char> = s.chars().collect();
                v.sort_unstable();
                v
            };
            let loose = x.chars().next() == initials.chars().next()
                && x.chars().all(|c| initials.contains(c))
                && x.chars().count() + 1 >= initials.chars().count();
            if loose || sorted(x) == sorted(&initials) {
                return true;
            }
        }
        let ys: Vec<&str> = y.split(' ').collect();
        let mut xs = content_words(x).peekable();
        if xs.peek().is_some() && xs.all(|w| ys.contains(&w)) {
            return true;
        }
    }
    false
}

/// Words a tagger leaves dangling at the end of a cut span ("two
/// individuals in", "rightist sectors and"); no filler ends with one.
const DANGLING: &[&str] = &["of", "in", "and", "or", "with", "from", "at", "to", "on", "by", "for", "s", "who", "that", "which"];

/// Repairs the tagger's span errors: a name split in two where the tagger
/// restarted the role mid-name ("todd" + "ray wilson burdenson", adjacent
/// with at most one space between) becomes one mention; dangling words
/// leave the end of a span.
fn repaired(mentions: &[RoleMention]) -> Vec<RoleMention> {
    let mut out: Vec<RoleMention> = Vec::with_capacity(mentions.len());
    for m in mentions {
        if let Some(prev) = out.last_mut() {
            if let (Some(pe), Some(s), Some(e)) = (prev.end, m.offset, m.end) {
                if prev.role == m.role && (pe..=pe + 1).contains(&s) {
                    prev.text = format!("{}{}{}", prev.text, " ".repeat(s - pe), m.text);
                    prev.end = Some(e);
                    prev.score = prev.score.max(m.score);
                    continue;
                }
            }
        }
        out.push(m.clone());
    }
    for m in &mut out {
        // cut at the end of the last word that is not dangling, keeping the text as written
        let mut keep = m.text.len();
        loop {
            let head = m.text[..keep].trim_end();
            let Some(cut) = head.rfind(char::is_whitespace) else { break };
            if !DANGLING.contains(&head[cut..].trim_start().to_lowercase().as_str()) {
                break;
            }
            keep = head[..cut].trim_end().len();
        }
        if keep < m.text.len() {
            m.text.truncate(keep);
            m.end = m.offset.map(|s| s + m.text.chars().count());
        }
        let (rest, cut) = strip_leading(&m.text, leading::committed());
        if cut > 0 {
            m.text = rest.to_string();
            m.offset = m.offset.map(|s| s + cut);
        }
    }
    out
}

/// Which of a referent's normalised mentions is the longest; the first of equally long ones.
fn longest(norms: &[String]) -> usize {
    let mut best = 0;
    for (k, n) in norms.iter().enumerate() {
        if n.chars().count() > norms[best].chars().count() {
            best = k;
        }
    }
    best
}

/// One predicted filler: the referent's longest mention, with what backs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Referent {
    pub role: Role,
    /// The longest mention (after repair), with its offsets as given.
    pub text: String,
    pub offset: Option<usize>,
    pub end: Option<usize>,
    /// The best score among the referent's mentions.
    pub score: f32,
    /// How many mentions the referent has.
    pub mentions: usize,
}

/// Groups, picks and filters as the module says, role by role, referents
/// in order of first mention. A mention joins the first earlier referent
/// of its role whose longest name so far names the same referent (greedy,
/// in the order given, which should be text order); comparing with the
/// longest name only keeps a bare "farm" from chaining "presidential farm"
/// and "la eminencia farm" into one.
pub fn referents(mentions: &[RoleMention], opts: DecodeOptions) -> Vec<Referent> {
    let mentions = repaired(mentions);
    let mut out = Vec::new();
    let mut top: Vec<f32> = mentions.iter().map(|m| m.score).collect();
    top.sort_by(|a, b| b.total_cmp(a));
    if top.iter().take(3).sum::<f32>() < opts.min_document {
        return out;
    }
    for role in Role::ALL {
        // (normalised forms, mentions) per referent
        let mut groups: Vec<(Vec<String>, Vec<&RoleMention>)> = Vec::new();
        for m in mentions.iter().filter(|m| m.role == role) {
            let norm = normalise(&m.text);
            if norm.is_empty() {
                continue;
            }
            match groups.iter_mut().find(|(norms, _)| same_referent(&norms[longest(norms)], &norm)) {
                Some((norms, ms)) => {
                    norms.push(norm);
                    ms.push(m);
                }
                None => groups.push((vec![norm], vec![m])),
            }
        }
        for (norms, ms) in groups {
            let best = ms.iter().map(|m| m.score).fold(f32::MIN, f32::max);
            if ms.len() == 1 && best < opts.min_single {
                continue;
            }
            let m = ms[longest(&norms)];
            out.push(Referent { role, text: m.text.clone(), offset: m.offset, end: m.end, score: best, mentions: ms.len() });
        }
    }
    out
}

/// [`referents`] as MUC-4 fillers, one mention each.
pub fn decode(mentions: &[RoleMention], opts: DecodeOptions) -> RoleFillers {
    let mut out = RoleFillers::default();
    for r in referents(mentions, opts) {
        out.role_mut(r.role).push(vec![FillerMention { text: r.text, offset: r.offset }]);
    }
    out
}

/// A role tagger's mentions of one article (byte spans, text order) decoded
/// into the article's `roles` span group: one member per referent, spanning
/// the referent's longest mention as the article writes it. Mentions whose
/// label is no MUC-4 role are left out. The decoder counts in code points,
/// as the MUC-4 keys do, hence the round trip through them.
pub fn role_group(text: &str, mentions: &[Mention]) -> Vec<GroupSpan> {
    let chars = CharIndex::new(text);
    let mentions: Vec<RoleMention> = mentions
        .iter()
        .filter_map(|m| {
            Some(RoleMention {
                text: text[m.span.start..m.span.end].to_string(),
                role: Role::from_name(&m.label)?,
                score: m.score,
                offset: Some(chars.char_of(m.span.start)),
                end: Some(chars.char_of(m.span.end)),
            })
        })
        .collect();
    let group = referents(&mentions, DecodeOptions::default()).into_iter().filter_map(|r| {
        let span = Span::new(chars.byte_of(r.offset?), chars.byte_of(r.end?));
        Some(GroupSpan { span, label: r.role.name().to_string(), score: r.score, mentions: r.mentions })
    });
    group.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str, role: Role, score: f32) -> RoleMention {
        RoleMention { text: text.into(), role, score, offset: None, end: None }
    }

    /// A confident mention at code-point offset `start`.
    fn at(text: &str, role: Role, start: usize) -> RoleMention {
        RoleMention { text: text.into(), role, score: 0.9, offset: Some(start), end: Some(start + text.chars().count()) }
    }

    fn texts(f: &RoleFillers, role: Role) -> Vec<String> {
        f.role(role).iter().map(|e| e.iter().map(|m| m.text.clone()).collect::<Vec<_>>().join("|")).collect()
    }

    #[test]
    fn referents_merge_by_acronym_and_shared_words() {
        assert!(same_referent("fmln", "farabundo marti national liberation front"));
        assert!(same_referent("urng", "guatemalan national revolutionary unity"));
        assert!(same_referent("substation", "electric power substation"));
        assert!(same_referent("franklin quintero", "waldemar franklin quintero"));
        assert!(!same_referent("eln", "farabundo marti national liberation front"), "the first initial must agree");
        assert!(!same_referent("army", "armed forces"));
        assert!(!same_referent("la eminencia farm", "santo tomas presidential farm"));
        assert!(!same_referent("of", "members of fmln"), "connectors alone name nothing");
    }

    #[test]
    fn one_filler_per_referent_named_by_its_longest_mention() {
        let ms = vec![
            m("FMLN", Role::PerpOrg, 0.9),
            m("Farabundo Marti National Liberation Front", Role::PerpOrg, 0.8),
            m("fmln", Role::Victim, 0.9),
            m("substation", Role::Target, 0.9),
            m("electric power substation", Role::Target, 0.9),
            m("presidential farm", Role::Target, 0.9),
            m("farm", Role::Target, 0.9),
            m("La Eminencia farm", Role::Target, 0.9),
        ];
        let f = decode(&ms, DecodeOptions::default());
        assert_eq!(texts(&f, Role::PerpOrg), vec!["Farabundo Marti National Liberation Front"]);
        assert_eq!(texts(&f, Role::Victim), vec!["fmln"], "roles are decoded apart");
        assert_eq!(texts(&f, Role::Target), vec!["electric power substation", "presidential farm", "La Eminencia farm"]);
    }

    #[test]
    fn split_names_join_and_dangling_words_go() {
        // "todd ray wilson burdenson and two individuals in a car"
        let ms = vec![at("todd", Role::Victim, 0), at("ray wilson burdenson", Role::Victim, 5), at("two individuals in", Role::PerpInd, 30)];
        let f = decode(&ms, DecodeOptions::default());
        assert_eq!(texts(&f, Role::Victim), vec!["todd ray wilson burdenson"]);
        assert_eq!(texts(&f, Role::PerpInd), vec!["two individuals"]);
        assert_eq!(f.role(Role::PerpInd)[0][0].offset, Some(30));
        let apart = vec![at("todd", Role::Victim, 0), at("ray", Role::Victim, 6), at("of", Role::Weapon, 20)];
        assert_eq!(texts(&decode(&apart, DecodeOptions::default()), Role::Victim), vec!["todd", "ray"], "two characters apart is a list");
    }

    #[test]
    fn a_leading_word_the_keys_leave_out_goes_and_the_offset_follows() {
        // "several urban guerrillas ... the urban guerrillas ... another bomb"
        let ms = vec![at("several urban guerrillas", Role::PerpInd, 0), at("urban guerrillas", Role::PerpInd, 40), at("another bomb", Role::Weapon, 80)];
        let f = decode(&ms, DecodeOptions::default());
        assert_eq!(texts(&f, Role::PerpInd), vec!["urban guerrillas"]);
        assert_eq!(f.role(Role::PerpInd)[0][0].offset, Some(8));
        assert_eq!(texts(&f, Role::Weapon), vec!["bomb"]);
        assert_eq!(f.role(Role::Weapon)[0][0].offset, Some(88));
    }

    #[test]
    fn weak_singletons_and_unconfident_documents_predict_nothing() {
        let opts = DecodeOptions { min_single: 0.6, min_document: 2.0 };
        let ms = vec![m("bomb", Role::Weapon, 0.95), m("bombs", Role::Weapon, 0.5), m("the bombs", Role::Weapon, 0.4), m("car", Role::Target, 0.55), m("rebels", Role::PerpInd, 0.9)];
        let f = decode(&ms, opts);
        assert_eq!(texts(&f, Role::Weapon), vec!["bomb", "bombs"], "a weak name repeated is kept");
        assert!(texts(&f, Role::Target).is_empty());
        assert_eq!(texts(&f, Role::PerpInd), vec!["rebels"]);
        let weak = vec![m("rebels", Role::PerpInd, 0.9), m("bomb", Role::Weapon, 0.6)];
        assert!(decode(&weak, opts).is_empty());
        assert!(decode(&[], opts).is_empty());
    }
}
