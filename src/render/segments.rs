//! Cuts an article into runs the browser can paint without any offset
//! arithmetic: output offsets are code points, JavaScript strings are UTF-16,
//! so every emoji or astral character would shift a highlight computed in JS.

use serde::Serialize;

/// A maximal run of text with one entity (or none) and one set of covering
/// highlight spans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    #[serde(rename = "t")]
    pub text: String,
    /// Index into the article's entity list.
    #[serde(rename = "e", skip_serializing_if = "Option::is_none")]
    pub entity: Option<usize>,
    /// Indices of the highlight spans (slot or evidence) that cover this run.
    #[serde(rename = "s", skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<usize>,
}

/// Splits `text` at every entity and span boundary (`[start, end)` in code
/// points, clamped to the text). `entities` must not overlap one another;
/// spans may nest and overlap freely.
pub fn segment(text: &str, entities: &[(usize, usize)], spans: &[(usize, usize)]) -> Vec<Segment> {
    let mut starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    let n = starts.len();
    starts.push(text.len());
    let mut cuts: Vec<usize> = vec![0, n];
    for &(s, e) in entities.iter().chain(spans) {
        cuts.push(s.min(n));
        cuts.push(e.min(n));
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .filter(|w| w[0] < w[1])
        .map(|w| {
            let at = w[0];
            Segment {
                text: text[starts[w[0]]..starts[w[1]]].to_string(),
                entity: entities.iter().position(|&(s, e)| s <= at && at < e),
                spans: spans.iter().enumerate().filter(|(_, &(s, e))| s <= at && at < e).map(|(i, _)| i).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(segs: &[Segment]) -> Vec<&str> {
        segs.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn code_point_offsets_land_on_the_right_characters() {
        // "👍🏽" is two code points (four UTF-16 units); "é" one code point.
        let text = "👍🏽 Zélie met Ana in Łódź.";
        let chars: Vec<char> = text.chars().collect();
        let at = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
        assert_eq!(at(3, 8), "Zélie");
        assert_eq!(at(20, 24), "Łódź");
        let segs = segment(text, &[(3, 8), (20, 24)], &[(13, 24)]);
        assert_eq!(texts(&segs), ["👍🏽 ", "Zélie", " met ", "Ana in ", "Łódź", "."]);
        assert_eq!(segs[1].entity, Some(0));
        assert_eq!(segs[4].entity, Some(1));
        assert_eq!(segs[4].spans, vec![0]);
        assert_eq!(segs[3].spans, vec![0]);
        assert!(segs[2].spans.is_empty() && segs[2].entity.is_none());
        assert_eq!(segs.iter().map(|s| s.text.as_str()).collect::<String>(), text);
    }

    #[test]
    fn a_span_inside_an_entity_splits_it_but_keeps_the_entity() {
        let segs = segment("Crocus City Hall", &[(0, 16)], &[(7, 11), (0, 16)]);
        assert_eq!(texts(&segs), ["Crocus ", "City", " Hall"]);
        assert!(segs.iter().all(|s| s.entity == Some(0)));
        assert_eq!(segs[1].spans, vec![0, 1]);
        assert_eq!(segs[2].spans, vec![1]);
    }

    #[test]
    fn offsets_past_the_end_are_clamped_and_empty_text_gives_nothing() {
        let segs = segment("abc", &[(1, 99)], &[]);
        assert_eq!(texts(&segs), ["a", "bc"]);
        assert!(segment("", &[(0, 3)], &[(0, 1)]).is_empty());
    }
}
