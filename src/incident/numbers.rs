//! Counts ("some 140", "at least 12", "six", "dozens", "1,200") and the
//! killed/injured figures they give when they sit next to a casualty word.

use super::tokens::{is_clause_break, matches_at, Token};
use crate::document::Span;
use crate::lexicon::{CASUALTY_LINKS, HEDGES, INJURY_WORDS, KILL_WORDS, NON_PERSON_UNITS};

/// A number of people as the text gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub value: u64,
    /// The text hedges the figure ("about", "at least", "dozens").
    pub approx: bool,
    pub span: Span,
}

fn small_number(word: &str) -> Option<u64> {
    const ONES: [&str; 20] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];
    const TENS: [&str; 8] = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    if let Some(i) = ONES.iter().position(|w| *w == word) {
        return Some(i as u64);
    }
    TENS.iter().position(|w| *w == word).map(|i| (i as u64 + 2) * 10)
}

/// Vague quantities and the least number they can stand for.
fn vague_number(word: &str) -> Option<u64> {
    match word {
        "dozens" => Some(24),
        "scores" => Some(40),
        "hundreds" => Some(200),
        "thousands" => Some(2000),
        _ => None,
    }
}

/// "140", "1,200" (a plain four-digit run looks like a year and is left alone
/// unless it has a comma).
fn digits(word: &str) -> Option<u64> {
    let plain: String = word.chars().filter(|&c| c != ',').collect();
    if plain.is_empty() || !plain.bytes().all(|b| b.is_ascii_digit()) || plain.len() > 7 {
        return None;
    }
    let grouped_ok = !word.contains(',') || word.split(',').skip(1).all(|g| g.len() == 3);
    (grouped_ok && (plain.len() != 4 || word.contains(','))).then(|| plain.parse().ok()).flatten()
}

/// Number words from `i` on ("one hundred and forty", "twenty-five"): value and tokens used.
fn spelled(tokens: &[Token], i: usize) -> Option<(u64, usize)> {
    let (mut total, mut current, mut used, mut any) = (0u64, 0u64, 0usize, false);
    while let Some(t) = tokens.get(i + used) {
        let parts: Vec<&str> = t.lower.split('-').collect();
        let mut ok = true;
        for p in &parts {
            match (*p, small_number(p)) {
                (_, Some(n)) => current += n,
                ("hundred", _) if any => current = current.max(1) * 100,
                ("thousand", _) if any => {
                    total += current.max(1) * 1000;
                    current = 0;
                }
                _ => ok = false,
            }
        }
        if ok {
            any = true;
            used += 1;
        } else if any && t.lower == "and" && tokens.get(i + used + 1).is_some_and(|n| small_number(&n.lower).is_some()) {
            used += 1;
        } else {
            break;
        }
    }
    any.then_some((total + current, used))
}

/// The count that starts at token `i`, with the number of tokens it spans.
pub fn count_at(tokens: &[Token], i: usize) -> Option<(Count, usize)> {
    let hedge = HEDGES.iter().find(|h| matches_at(tokens, i, h));
    let start = i + hedge.map_or(0, |h| h.split(' ').count());
    let word = tokens.get(start)?.lower.as_str();
    let (value, len, vague) = if let Some(v) = digits(word) {
        (v, 1, false)
    } else if let Some(v) = vague_number(word) {
        (v, 1, true)
    } else if word == "a" && tokens.get(start + 1).is_some_and(|t| t.lower == "dozen") {
        (12, 2, true)
    } else {
        let (v, len) = spelled(tokens, start)?;
        (v, len, false)
    };
    // "two dozen": the number counts dozens, and the figure is a round one
    let dozens = tokens.get(start + len).is_some_and(|t| t.lower == "dozen");
    let (value, len, vague) = if dozens && len > 0 && word != "a" { (value * 12, len + 1, true) } else { (value, len, vague) };
    let end = start + len;
    let after_month = start > 0 && super::dates::is_month_name(&tokens[start - 1].lower);
    if after_month || tokens.get(end).is_some_and(|t| NON_PERSON_UNITS.contains(&t.lower.as_str()) || super::dates::is_month_name(&t.lower)) {
        return None;
    }
    let or_more = matches_at(tokens, end, "or more");
    let used = end - i + if or_more { 2 } else { 0 };
    let span = Span::new(tokens[i].span.start, tokens[i + used - 1].span.end);
    Some((Count { value, approx: hedge.is_some() || vague || or_more, span }, used))
}

/// Killed and injured figures of one stretch of text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Casualties {
    pub killed: Option<Count>,
    pub injured: Option<Count>,
}

/// Killed and injured figures in `tokens`; the largest figure wins when a
/// passage repeats or updates a toll.
pub fn casualties(tokens: &[Token]) -> Casualties {
    let mut out = Casualties::default();
    for (i, t) in tokens.iter().enumerate() {
        let slot = if KILL_WORDS.contains(&t.lower.as_str()) {
            &mut out.killed
        } else if INJURY_WORDS.contains(&t.lower.as_str()) {
            &mut out.injured
        } else {
            continue;
        };
        if let Some(c) = count_near(tokens, i) {
            if slot.is_none_or(|s| s.value < c.value) {
                *slot = Some(c);
            }
        }
    }
    out
}

pub fn is_casualty_word(word: &str) -> bool {
    KILL_WORDS.contains(&word) || INJURY_WORDS.contains(&word)
}

/// The count a casualty word at token `cue` governs, after it (active voice)
/// or before it (passive voice).
pub fn count_near(tokens: &[Token], cue: usize) -> Option<Count> {
    count_after(tokens, cue).or_else(|| count_before(tokens, cue))
}

/// "killed three", "the killing of six", "injured about 150", "death toll rose to 12".
fn count_after(tokens: &[Token], cue: usize) -> Option<Count> {
    let mut k = cue + 1;
    while k < tokens.len() && k <= cue + 3 && CASUALTY_LINKS.contains(&tokens[k].lower.as_str()) && !starts_hedge(tokens, k) {
        k += 1;
    }
    count_at(tokens, k).map(|(c, _)| c)
}

fn starts_hedge(tokens: &[Token], k: usize) -> bool {
    HEDGES.iter().any(|h| matches_at(tokens, k, h))
}

/// "three soldiers were killed", "one dead terrorist": the nearest count
/// before the cue in the same clause.
fn count_before(tokens: &[Token], cue: usize) -> Option<Count> {
    let mut k = cue.saturating_sub(8);
    let mut best = None;
    while k < cue {
        if is_clause_break(&tokens[k]) || is_casualty_word(&tokens[k].lower) {
            best = None;
        } else if let Some((c, used)) = count_at(tokens, k).filter(|(_, used)| k + used <= cue) {
            best = Some(c);
            k += used;
            continue;
        }
        k += 1;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn toks(text: &str) -> Vec<Token> {
        tokenize(text, Span::new(0, text.len()))
    }

    fn count(text: &str) -> Option<(u64, bool)> {
        count_at(&toks(text), 0).map(|(c, _)| (c.value, c.approx))
    }

    #[test]
    fn number_words_digits_and_hedges() {
        assert_eq!(count("six"), Some((6, false)));
        assert_eq!(count("twenty-five"), Some((25, false)));
        assert_eq!(count("one hundred and forty people"), Some((140, false)));
        assert_eq!(count("1,200 people"), Some((1200, false)));
        assert_eq!(count("some 140"), Some((140, true)));
        assert_eq!(count("about 150"), Some((150, true)));
        assert_eq!(count("at least 12"), Some((12, true)));
        assert_eq!(count("more than 100"), Some((100, true)));
        assert_eq!(count("dozens of"), Some((24, true)));
        assert_eq!(count("a dozen"), Some((12, true)));
        assert_eq!(count("more than two dozen"), Some((24, true)));
        assert_eq!(count("3 dozen"), Some((36, true)));
        assert_eq!(count("10 or more"), Some((10, true)));
        assert_eq!(count("30 minutes"), None);
        assert_eq!(count("2023"), None);
    }

    fn toll(text: &str) -> (Option<(u64, bool)>, Option<(u64, bool)>) {
        let c = casualties(&toks(text));
        (c.killed.map(|c| (c.value, c.approx)), c.injured.map(|c| (c.value, c.approx)))
    }

    #[test]
    fn casualty_figures_active_and_passive() {
        assert_eq!(toll("Police said the gunmen killed three guards and injured about 150 others."), (Some((3, false)), Some((150, true))));
        assert_eq!(toll("THREE SUBVERSIVES WERE KILLED AND SEVEN OTHERS WERE WOUNDED."), (Some((3, false)), Some((7, false))));
        assert_eq!(toll("Rescuers retrieved the bodies of some 140 victims."), (Some((140, true)), None));
        assert_eq!(toll("The death toll rose to at least 12 on Friday."), (Some((12, true)), None));
        assert_eq!(toll("the killing of six militants"), (Some((6, false)), None));
        assert_eq!(toll("A clash that lasted 30 minutes left one dead soldier."), (Some((1, false)), None));
        assert_eq!(toll("Nobody was hurt in the fire that started on March 3."), (None, None));
    }
}
