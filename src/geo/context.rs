//! The local cues that tell which of several same-named places a mention
//! means: a qualifier after it ("Salt Lake City, Utah"; "PESHAWAR,
//! Pakistan"), an apposition before it ("the Afghan capital Kabul", "the
//! northwestern Pakistani city of Peshawar") and the dateline that names
//! where the report was filed.

use crate::document::{Mention, Span};
use crate::lexicon::APPOSITION_PLACE_NOUNS;

/// Index of the mention that qualifies mention `i` ("City, State",
/// "City, Country"): the next mention, a LOC, separated from `i` by a comma
/// and nothing else.
pub fn qualifier(text: &str, mentions: &[Mention], i: usize) -> Option<usize> {
    let next = mentions.get(i + 1)?;
    if next.label != "LOC" {
        return None;
    }
    let between = text.get(mentions[i].span.end..next.span.start)?;
    (between.trim() == ",").then_some(i + 1)
}

/// The words just before `span` in its own clause, when they read as an
/// apposition that introduces a place ("the Afghan capital", "the
/// northwestern Pakistani city of"): those words, for the caller to look
/// for a demonym or a country name in. Stops at punctuation, so a demonym
/// from another clause never qualifies the place.
pub fn apposition(text: &str, span: Span) -> Option<&str> {
    let from = span.start.saturating_sub(60);
    let from = (from..span.start).find(|&b| text.is_char_boundary(b))?;
    let before = &text[from..span.start];
    let is_break = |c: char| matches!(c, '.' | ',' | ';' | ':' | '(' | ')' | '"' | '“' | '”' | '\n');
    let clause_start = before.char_indices().filter(|(_, c)| is_break(*c)).last().map_or(0, |(k, c)| k + c.len_utf8());
    let clause = before[clause_start..].trim_end();
    let words: Vec<&str> = clause.split_whitespace().collect();
    let last = words.iter().rposition(|w| APPOSITION_PLACE_NOUNS.contains(&w.to_lowercase().as_str()))?;
    // only "of" or nothing may follow the place noun: "the city of Kaluga", "the capital Kabul"
    let tail_ok = words[last + 1..].iter().all(|w| w.eq_ignore_ascii_case("of"));
    (tail_ok && words.len() - last <= 2).then_some(clause)
}

/// Where a report was filed, from a dateline opening its first line:
/// "KABUL, Afghanistan (AP) —", "PESHAWAR, Pakistan, May 10 (Reuters) -",
/// "PESHAWAR:", "WASHINGTON (Reuters) -". The place is written in capitals,
/// as datelines are; a qualifier after it is returned too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dateline {
    pub place: Span,
    pub qualifier: Option<Span>,
}

pub fn dateline(text: &str) -> Option<Dateline> {
    let start = text.len() - text.trim_start().len();
    dateline_at(text, start).or_else(|| {
        // local papers' articles open with their headline: "Fire guts
        // store. TORRINGTON — A fire …"
        let title_end = text[start..].char_indices().take_while(|&(k, _)| k < MAX_TITLE).find(|&(k, c)| c == '.' && text[start + k + 1..].starts_with(' '))?.0;
        let after = start + title_end + 1;
        dateline_at(text, after + text[after..].len() - text[after..].trim_start().len())
    })
}

/// The longest headline before a dateline, in bytes.
const MAX_TITLE: usize = 200;

fn dateline_at(text: &str, start: usize) -> Option<Dateline> {
    let line_end = text[start..].find('\n').map_or(text.len(), |k| start + k);
    let line = &text[start..line_end];
    let end = line.find([',', ':', '(', '—', '–']).or_else(|| line.find(" -"))?;
    let place = line[..end].trim_end();
    let words: Vec<&str> = place.split_whitespace().collect();
    let capitals = |w: &str| w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase);
    if words.is_empty() || words.len() > 4 || !words.iter().all(|w| capitals(w)) || place.chars().count() < 3 {
        return None;
    }
    let place_span = Span::new(start, start + place.len());
    let mut qualifier = None;
    if line[end..].starts_with(',') {
        let rest = &line[end + 1..];
        let q_end = rest.find([',', '(', '—', '–', ':']).or_else(|| rest.find(" -")).unwrap_or(rest.len());
        let q = rest[..q_end].trim();
        let lead = rest[..q_end].len() - rest[..q_end].trim_start().len();
        let looks_like_name = q.split_whitespace().count() <= 4 && q.starts_with(char::is_uppercase) && !q.chars().any(|c| c.is_ascii_digit());
        if looks_like_name && !q.is_empty() {
            let q_start = start + end + 1 + lead;
            qualifier = Some(Span::new(q_start, q_start + q.len()));
        }
    }
    Some(Dateline { place: place_span, qualifier })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, s: Option<Span>) -> Option<&str> {
        s.map(|s| &text[s.start..s.end])
    }

    #[test]
    fn datelines_in_the_usual_forms() {
        let t = "KABUL, Afghanistan (AP) — A bomb went off.";
        let d = dateline(t).unwrap();
        assert_eq!((slice(t, Some(d.place)), slice(t, d.qualifier)), (Some("KABUL"), Some("Afghanistan")));
        let t = "PESHAWAR, Pakistan, May 10 (Reuters) - Gunmen";
        let d = dateline(t).unwrap();
        assert_eq!((slice(t, Some(d.place)), slice(t, d.qualifier)), (Some("PESHAWAR"), Some("Pakistan")));
        let t = "PESHAWAR: Gunmen killed";
        assert_eq!(slice(t, dateline(t).map(|d| d.place)), Some("PESHAWAR"));
        let t = "WASHINGTON, Dec. 3 (Reuters) - The";
        let d = dateline(t).unwrap();
        assert_eq!((slice(t, Some(d.place)), d.qualifier), (Some("WASHINGTON"), None));
        assert_eq!(dateline("The president said, on Monday"), None);
        let t = "Barn fire destroys hay. MILLBROOK — A barn burned.";
        assert_eq!(slice(t, dateline(t).map(|d| d.place)), Some("MILLBROOK"), "after a headline");
        assert_eq!(dateline("Barn fire destroys hay. The MILLBROOK crew said: no"), None);
        assert_eq!(dateline("Gunmen attacked: many dead"), None);
    }

    #[test]
    fn appositions_introduce_places() {
        let t = "in the Afghan capital Kabul";
        assert!(apposition(t, Span::new(22, 27)).unwrap().contains("Afghan"));
        let t = "the northwestern Pakistani city of Peshawar";
        assert!(apposition(t, Span::new(35, 43)).unwrap().contains("Pakistani"));
        let t = "Afghan officials said. The city of Kabul";
        assert!(!apposition(t, Span::new(35, 40)).unwrap().contains("Afghan"));
        let t = "officials said: “the city of Kabul";
        assert!(apposition(t, Span::new(t.len() - 5, t.len())).is_some());
        let t = "the Afghan president visited Kabul";
        assert_eq!(apposition(t, Span::new(29, 34)), None);
    }
}
