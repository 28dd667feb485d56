//! Date expressions in news text, resolved against the article's date.
//!
//! Reports say "March 22", "weeks earlier on March 3", "last December",
//! "on Friday", "yesterday" or, in MUC wire copy, "30 DECEMBER" and
//! "3 JAN 90". Only the publication date (or the dateline) turns these into
//! calendar values, and a month-day that would lie after that date belongs to
//! the previous year: reports look back.

use crate::text::calendar::{self, is_valid, parse_iso, Day};
use crate::text::months::MONTHS;
use super::tokens::{cover, index_at, Token};
use crate::document::Span;
use crate::lexicon::{DATE_FILLERS, DAY_PARTS, HEADER_WORDS, MONTH_CUES, PERIOD_BOUNDS, PROCEDURE_WORDS, REPORTING_VERBS, REPORT_NOUNS};

/// A resolved date at year, month or day precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateValue {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

/// A date expression found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMention {
    pub span: Span,
    pub value: DateValue,
    /// The date of a report about the event ("police said on Tuesday"):
    /// the event happened by then, so it is a last resort.
    pub report: bool,
}

impl DateValue {
    fn of_day(d: Day) -> Self {
        DateValue { year: d.y, month: Some(d.m), day: Some(d.d) }
    }

    /// ISO 8601 at the value's own precision: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        calendar::iso(self.year, self.month, self.day)
    }

    pub fn precision(&self) -> &'static str {
        match (self.month, self.day) {
            (Some(_), Some(_)) => "day",
            (Some(_), None) => "month",
            _ => "year",
        }
    }
}

/// True for a day-precision date no more than a week before `anchor` (or on
/// it): the news the article reports, not history it recalls.
pub fn is_recent(value: &DateValue, anchor: Day) -> bool {
    let (Some(m), Some(d)) = (value.month, value.day) else { return false };
    let back = anchor.ordinal() - Day { y: value.year, m, d }.ordinal();
    (0..=7).contains(&back)
}

const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Month number of a full or abbreviated month name ("Mar.", "SEPT", "December").
fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    let found = MONTHS.iter().position(|m| *m == w || (w.len() <= 4 && m.starts_with(w) && w != "marc"));
    found.map(|i| i as u32 + 1)
}

/// True for a month name, full or abbreviated: a number next to it is a day, not a count.
pub fn is_month_name(word: &str) -> bool {
    month(word).is_some()
}

fn is_abbreviated(word: &str) -> bool {
    month(word).is_some_and(|m| MONTHS[m as usize - 1] != word)
}

/// Day of month from "22", "22nd", "3rd".
fn day_number(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// A four-digit year, or a two-digit one as wire copy writes it ("90").
fn year(word: &str, two_digit_ok: bool) -> Option<i32> {
    if !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i32 = word.parse().ok()?;
    match word.len() {
        4 if (1900..2100).contains(&n) => Some(n),
        2 if two_digit_ok => Some(if n < 50 { 2000 + n } else { 1900 + n }),
        _ => None,
    }
}

/// What a date expression says before it meets the calendar.
enum Expr {
    Full(Day),
    MonthDay { m: u32, d: u32 },
    MonthYear { y: i32, m: u32 },
    Month { m: u32, last: bool },
    Year(i32),
    DaysBack(i64),
    /// "4 YEARS AGO", "two months ago": only as precise as the unit counted.
    MonthsBack(i64),
    YearsBack(i64),
    Weekday { wd: i64, last: bool },
}

/// Date expressions in `tokens`, resolved against `anchor` where they need it.
pub fn find_dates(tokens: &[Token], anchor: Option<Day>) -> Vec<DateMention> {
    let mut out = Vec::new();
    for (i, len, expr) in point_expressions(tokens, anchor) {
        if let Some(value) = resolve(expr, anchor) {
            out.push(DateMention { span: cover(tokens, i, i + len), value, report: next_to(tokens, i, i + len, report_words()) });
        }
    }
    out
}

/// The month (and day) `tokens` name when no year and no anchor pin it down ("In April, two dozen fighters were killed" in
/// an article without a date): a time of its own, not the main event's,
/// though it cannot be dated.
pub fn unknown_time(tokens: &[Token], anchor: Option<Day>) -> Option<(u32, Option<u32>)> {
    if anchor.is_some() {
        return None;
    }
    point_expressions(tokens, anchor).into_iter().find_map(|(_, _, e)| match e {
        Expr::Month { m, .. } => Some((m, None)),
        Expr::MonthDay { m, d } => Some((m, Some(d))),
        _ => None,
    })
}

/// (first token, length, expression) of each date expression that names
/// when something happened: not a bound ("until March"), a procedural step
/// ("the trial on 4 May") or a coming day.
fn point_expressions(tokens: &[Token], anchor: Option<Day>) -> Vec<(usize, usize, Expr)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some((expr, len)) = parse_at(tokens, i) else {
            i += 1;
            continue;
        };
        let bounded = i > 0 && PERIOD_BOUNDS.contains(&tokens[i - 1].lower.as_str())
            || i > 1 && PERIOD_BOUNDS.contains(&tokens[i - 2].lower.as_str()) && matches!(tokens[i - 1].lower.as_str(), "early" | "late" | "mid");
        let step = next_to(tokens, i, i + len, &PROCEDURE_WORDS);
        if !bounded && !step && !upcoming(&expr, anchor) {
            out.push((i, len, expr));
        }
        i += len;
    }
    out
}

/// How many days after the anchor a month and day without a year may lie
/// and still be read as ahead of it: "A STRIKE TO BEGIN ON 16 MARCH" in a
/// report of 12 March names a coming day, not one of the year before.
const UPCOMING_DAYS: i64 = 31;

/// True for a month and day a few weeks after `anchor` at most (see
/// `UPCOMING_DAYS`): a date of something planned, which dates no incident.
fn upcoming(expr: &Expr, anchor: Option<Day>) -> bool {
    let (Expr::MonthDay { m, d }, Some(a)) = (expr, anchor) else { return false };
    let this_year = Day { y: a.y, m: *m, d: *d };
    let ahead = this_year.ordinal() - a.ordinal();
    is_valid(a.y, *m, *d) && ahead > 1 && ahead <= UPCOMING_DAYS
}

fn parse_at(t: &[Token], i: usize) -> Option<(Expr, usize)> {
    let w = |k: usize| t.get(k).map(|x| x.lower.as_str()).unwrap_or("");
    let prev = if i > 0 { w(i - 1) } else { "" };
    let two_digit_after_month = |k: usize| year(w(k), true).filter(|_| w(k).len() == 2);
    if let Some(d) = parse_iso(w(i)).filter(|_| w(i).len() == 10) {
        return Some((Expr::Full(d), 1));
    }
    match w(i) {
        "yesterday" => return Some((Expr::DaysBack(1), 1)),
        "today" | "tonight" => return Some((Expr::DaysBack(0), 1)),
        "last" if w(i + 1) == "night" => return Some((Expr::DaysBack(1), 2)),
        "this" if matches!(w(i + 1), "morning" | "afternoon" | "evening") => return Some((Expr::DaysBack(0), 2)),
        _ => {}
    }
    if let Some((expr, len)) = ago(t, i).or_else(|| within_hours(t, i)) {
        return Some((expr, len));
    }
    if let Some(wd) = WEEKDAYS.iter().position(|d| *d == w(i)) {
        // "on Monday, 4 August": the calendar date says more than the weekday
        let comma = usize::from(w(i + 1) == ",");
        if let Some((expr @ (Expr::Full(_) | Expr::MonthDay { .. }), len)) = parse_at(t, i + 1 + comma).filter(|_| day_number(w(i + 1 + comma)).is_some() || month(w(i + 1 + comma)).is_some()) {
            return Some((expr, 1 + comma + len));
        }
        return Some((Expr::Weekday { wd: wd as i64, last: prev == "last" }, 1));
    }
    if let Some(m) = month(w(i)) {
        let comma = usize::from(w(i + 1) == ",");
        if let Some(d) = day_number(w(i + 1)) {
            let after = i + 2 + usize::from(w(i + 2) == ",");
            if let Some(y) = year(w(after), false) {
                return is_valid(y, m, d).then_some((Expr::Full(Day { y, m, d }), after + 1 - i));
            }
            return Some((Expr::MonthDay { m, d }, 2));
        }
        if let Some(y) = year(w(i + 1 + comma), false).or_else(|| two_digit_after_month(i + 1)) {
            return Some((Expr::MonthYear { y, m }, 2 + comma));
        }
        if MONTH_CUES.contains(&prev) && !is_abbreviated(w(i)) {
            return Some((Expr::Month { m, last: prev == "last" }, 1));
        }
        return None;
    }
    if let Some(d) = day_number(w(i)) {
        let m = month(w(i + 1))?;
        let y = year(w(i + 2), true);
        return match y {
            Some(y) => is_valid(y, m, d).then_some((Expr::Full(Day { y, m, d }), 3)),
            None => Some((Expr::MonthDay { m, d }, 2)),
        };
    }
    if prev == "in" {
        return year(w(i), false).map(|y| (Expr::Year(y), 1));
    }
    None
}

fn resolve(expr: Expr, anchor: Option<Day>) -> Option<DateValue> {
    let value = match (expr, anchor) {
        (Expr::Full(d), _) => DateValue::of_day(d),
        (Expr::MonthYear { y, m }, _) => DateValue { year: y, month: Some(m), day: None },
        (Expr::Year(y), _) => DateValue { year: y, month: None, day: None },
        (Expr::MonthDay { m, d }, Some(a)) => {
            let this_year = Day { y: a.y, m, d };
            let day = if this_year > a.plus(1) { Day { y: a.y - 1, m, d } } else { this_year };
            if !is_valid(day.y, m, d) {
                return None;
            }
            DateValue::of_day(day)
        }
        (Expr::Month { m, last }, Some(a)) => {
            let past = if last { m >= a.m } else { m > a.m };
            DateValue { year: if past { a.y - 1 } else { a.y }, month: Some(m), day: None }
        }
        (Expr::DaysBack(n), Some(a)) => DateValue::of_day(a.plus(-n)),
        (Expr::MonthsBack(n), Some(a)) => {
            let months = a.y as i64 * 12 + a.m as i64 - 1 - n;
            DateValue { year: months.div_euclid(12) as i32, month: Some(months.rem_euclid(12) as u32 + 1), day: None }
        }
        (Expr::YearsBack(n), Some(a)) => DateValue { year: a.y - n as i32, month: None, day: None },
        (Expr::Weekday { wd, last }, Some(a)) => {
            let mut back = (a.weekday() - wd).rem_euclid(7);
            if last && back == 0 {
                back = 7;
            }
            DateValue::of_day(a.plus(-back))
        }
        _ => return None,
    };
    Some(value)
}

/// "2 DAYS AGO", "four years ago": a count of days, months or years
/// before the anchor, at that unit's precision. Weeks have no honest
/// precision (a day would claim too much, a month may be wrong) and are
/// left out, as are vague counts ("a few days ago").
fn ago(t: &[Token], i: usize) -> Option<(Expr, usize)> {
    let n = t.get(i).and_then(|x| count(&x.lower))?;
    let unit = t.get(i + 1)?.lower.as_str();
    if t.get(i + 2)?.lower != "ago" {
        return None;
    }
    let expr = match unit.trim_end_matches('s') {
        "day" => Expr::DaysBack(n),
        "month" => Expr::MonthsBack(n),
        "year" => Expr::YearsBack(n),
        _ => return None,
    };
    Some((expr, 3))
}

/// A small count in digits or words ("2", "two", "a"): how far back a
/// report looks in days, months or years (the casualty counter in
/// `numbers` reads larger counts; this module stays below it).
fn count(word: &str) -> Option<i64> {
    const WORDS: [&str; 13] = ["a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
    if word == "an" {
        return Some(1);
    }
    WORDS.iter().position(|w| *w == word).map(|i| i.max(1) as i64).or_else(|| word.parse().ok().filter(|n| (1..=99).contains(n)))
}

/// "a few hours ago", "in the last few hours", "during the past hours":
/// the anchor's own day.
fn within_hours(t: &[Token], i: usize) -> Option<(Expr, usize)> {
    let w = |k: usize| t.get(k).map(|x| x.lower.as_str()).unwrap_or("");
    let mut k = i;
    let recent = matches!(w(k), "last" | "past");
    k += usize::from(recent);
    k += usize::from(w(k) == "a" && w(k + 1) == "few");
    if matches!(w(k), "few" | "several") || count(w(k)).is_some_and(|n| n < 24) {
        k += 1;
    }
    if w(k) != "hours" || k == i {
        return None;
    }
    if recent {
        return Some((Expr::DaysBack(0), k + 1 - i));
    }
    (w(k + 1) == "ago").then_some((Expr::DaysBack(0), k + 2 - i))
}

/// Words of reporting: a date next to one ("police said on Tuesday",
/// "TODAY REPORTED", "in a statement on Friday") dates the report, which
/// the event preceded. The verbs of reporting and the nouns for a report.
fn report_words() -> &'static [&'static str] {
    static WORDS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| REPORTING_VERBS.iter().chain(REPORT_NOUNS.iter()).copied().collect())
}

/// True when one of `words` stands just before the date at tokens
/// `from..to` (fillers aside) or right after it.
fn next_to(t: &[Token], from: usize, to: usize, words: &[&str]) -> bool {
    let before = t[..from].iter().rev().take(4).map(|x| x.lower.as_str()).find(|w| !DATE_FILLERS.contains(w));
    let after = t[to..].iter().map(|x| x.lower.as_str()).find(|w| !DAY_PARTS.contains(w));
    before.is_some_and(|w| words.contains(&w)) || after.is_some_and(|w| words.contains(&w))
}

/// Of the dates in a trigger group, the one closest to a trigger: "JUDGES
/// TODAY BEGAN STOPPAGES TO PROTEST THE ASSASSINATION OF JUDGE X THE
/// EVENING OF 1 NOVEMBER" dates the assassination by the date beside it;
/// the first in a tie; a report's date only when there is no other.
pub fn nearest<'a>(tokens: &[Token], dates: impl Iterator<Item = &'a DateMention>, triggers: &[super::types::Trigger]) -> Option<DateMention> {
    let distance = |d: &DateMention| {
        let (first, end) = (index_at(tokens, d.span.start), index_at(tokens, d.span.end));
        triggers.iter().map(|t| if end <= t.first { t.first - end } else { first.saturating_sub(t.end) }).min().unwrap_or(usize::MAX)
    };
    dates.min_by_key(|d| (d.report, distance(d))).copied()
}

/// The date the article's lead (its first two sentences, since wire copy
/// often splits the first at an abbreviation) gives for what happened, when
/// that lies within a week before `anchor`: news leads say when the main
/// event happened ("YESTERDAY MORNING AT 0730, ... TERRORISTS
/// MACHINEGUNNED A BUS"), even where no trigger word stands next to the date.
/// Dates in `filed` (dateline, header) and dates of a report are skipped,
/// and so is a second sentence that turns to another event.
pub fn lead_date(text: &str, sentences: &[Span], anchor: Option<Day>, filed: &[Span]) -> Option<DateMention> {
    let anchor = anchor?;
    sentences
        .iter()
        .take(2)
        .map(|&s| super::tokens::tokenize(text, s))
        // "IT WAS ALSO REPORTED THAT … LAST NIGHT": another event's date
        .take_while(|tokens| !super::discourse::turns_to_another(&tokens[..tokens.len().min(8)]))
        .flat_map(|tokens| find_dates(&tokens, Some(anchor)))
        .filter(|d| !d.report && !filed.iter().any(|f| f.overlaps(&d.span)))
        .find(|d| is_recent(&d.value, anchor))
}

/// A dateline such as "SAN SALVADOR, 3 JAN 90 --" or "Moscow, March 29, 2024 -".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dateline {
    pub place: Span,
    /// Place and date together: the report's date is no incident's date.
    pub span: Span,
    pub day: Day,
    date: Span,
}

impl Dateline {
    /// The dateline's date as a date mention.
    pub fn date(&self) -> DateMention {
        DateMention { span: self.date, value: DateValue::of_day(self.day), report: false }
    }
}

/// The dateline in the first line of `text`, if it has one. A dateline
/// without a year ("WASHINGTON, Dec. 3 (Reuters) -") takes it from the
/// publication date `published`, as any month and day would.
pub fn dateline(text: &str, published: Option<Day>) -> Option<Dateline> {
    let (place, comma, line_end) = dateline_place(text)?;
    let tokens = super::tokens::tokenize(text, Span::new(comma + 1, line_end));
    let (expr, len) = parse_at(&tokens, 0)?;
    let day = match expr {
        Expr::Full(day) => day,
        Expr::MonthDay { .. } => {
            let v = resolve(expr, Some(published?))?;
            Day { y: v.year, m: v.month?, d: v.day? }
        }
        _ => return None,
    };
    let follows = tokens.get(len).map(|t| t.lower.as_str());
    if !matches!(follows, Some("-" | "--" | "(" | "/")) {
        return None;
    }
    let date = Span::new(tokens[0].span.start, tokens[len - 1].span.end);
    Some(Dateline { place, span: Span::new(place.start, date.end), day, date })
}

/// What may be a dateline's place: the first line's text before its first
/// comma, of at most four words; with that comma's offset and the end of
/// the line (at most 200 bytes are looked at).
fn dateline_place(text: &str) -> Option<(Span, usize, usize)> {
    let line_end = text.find('\n').unwrap_or(text.len()).min(200);
    let line_end = (0..=line_end).rev().find(|&b| text.is_char_boundary(b))?;
    let comma = text[..line_end].find(',')?;
    let place = text[..comma].trim();
    if place.is_empty() || place.split_whitespace().count() > 4 {
        return None;
    }
    let lead = comma - text[..comma].trim_start().len();
    Some((Span::new(lead, lead + place.len()), comma, line_end))
}

/// The place of a wire dateline that gives no date ("CLANDESTINE, NO DATE
/// (RADIO VENCEREMOS) --", "SAN SALVADOR, NO DATE --"): it still says where
/// the message was filed from, or that it names no place.
pub fn undated_dateline(text: &str) -> Option<Span> {
    let (place, comma, line_end) = dateline_place(text)?;
    let rest = text[comma + 1..line_end].trim_start();
    let after = rest.get(..7).filter(|w| w.eq_ignore_ascii_case("no date"))?;
    let follows = rest[after.len()..].trim_start();
    (follows.starts_with('(') || follows.starts_with('-')).then_some(place)
}

/// A date the article prints in its header: a short line among the first
/// few that holds a full date (with its year) and otherwise only labels,
/// times, capitalised names and punctuation ("Apr 9, 2007", "9 September
/// 2013 Last updated at 14: 39 GMT", "June 5, 2017 (VOA)", "TNN Nov 12,
/// 2011, 05. 51AM IST MUMBAI:"). It stands in for a publication date when
/// the input has none: the day relative dates ("on Thursday") count back
/// from. Numeric dates ("4 / 9 / 2007") are skipped: month and day order
/// differ between outlets, and a wrong anchor is worse than none.
pub fn header_date(text: &str) -> Option<DateMention> {
    let mut start = 0;
    for line in text.split_inclusive('\n').take(4) {
        let span = Span::new(start, start + line.trim_end().len());
        start += line.len();
        if start > 600 {
            break;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.len() > 120 || trimmed.ends_with('.') && !trimmed.ends_with(" a. m.") && !trimmed.ends_with(" p. m.") {
            continue;
        }
        let tokens = super::tokens::tokenize(text, span);
        if tokens.len() > 24 {
            continue;
        }
        let mut i = 0;
        let mut found = None;
        while i < tokens.len() {
            match parse_at(&tokens, i) {
                Some((Expr::Full(day), len)) => {
                    found = found.or(Some(DateMention { span: cover(&tokens, i, i + len), value: DateValue::of_day(day), report: false }));
                    i += len;
                }
                _ => {
                    let t = &tokens[i];
                    let word = &text[t.span.start..t.span.end];
                    let lower_word = word.chars().next().is_some_and(char::is_lowercase);
                    if lower_word && !HEADER_WORDS.contains(&t.lower.trim_end_matches('.')) {
                        found = None;
                        break;
                    }
                    i += 1;
                }
            }
        }
        if found.is_some() {
            return found;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn dates(text: &str, anchor: &str) -> Vec<(String, String)> {
        let toks = tokenize(text, Span::new(0, text.len()));
        find_dates(&toks, parse_iso(anchor))
            .into_iter()
            .map(|d| (text[d.span.start..d.span.end].to_string(), d.value.iso()))
            .collect()
    }

    #[test]
    fn month_day_resolves_in_the_publication_year() {
        assert_eq!(dates("The attack on March 22 shocked the city.", "2024-03-29"), [("March 22".into(), "2024-03-22".into())]);
        assert_eq!(dates("weeks earlier on March 3, police said", "2024-03-29")[0].1, "2024-03-03");
    }

    #[test]
    fn month_day_after_the_publication_date_rolls_back_a_year() {
        assert_eq!(dates("Gunmen struck on December 28.", "2024-01-05")[0].1, "2023-12-28");
        assert_eq!(dates("THE KIDNAPPING TOOK PLACE ON 30 DECEMBER IN A VILLAGE", "1990-01-03")[0].1, "1989-12-30");
    }

    #[test]
    fn a_day_in_the_coming_weeks_is_no_event_date() {
        assert!(dates("THE REBELS HAVE CALLED FOR A STOPPAGE TO BEGIN ON 16 MARCH", "1989-03-12").is_empty());
        assert!(dates("the vote on April 20", "2024-03-29").is_empty());
        assert_eq!(dates("the bombing on May 2", "2024-03-29")[0].1, "2023-05-02", "more than a month ahead: last year's");
        assert_eq!(dates("the bombing on March 30", "2024-03-29")[0].1, "2024-03-30", "a day ahead: time zones");
    }

    #[test]
    fn months_years_and_relative_days() {
        assert_eq!(dates("a bombing in August 2022 and a raid in March", "2024-03-29"), [
            ("August 2022".into(), "2022-08".into()),
            ("March".into(), "2024-03".into())
        ]);
        assert_eq!(dates("as happened last December", "2024-03-29")[0].1, "2023-12");
        assert_eq!(dates("as happened last March", "2024-03-29")[0].1, "2023-03");
        // 2024-03-29 was a Friday.
        assert_eq!(dates("the blast on Friday", "2024-03-29")[0].1, "2024-03-29");
        assert_eq!(dates("the blast on Tuesday", "2024-03-29")[0].1, "2024-03-26");
        assert_eq!(dates("REBELS ATTACKED YESTERDAY", "1990-01-01")[0].1, "1989-12-31");
        assert_eq!(dates("It was built in 2019.", "2024-03-29")[0].1, "2019");
        assert_eq!(dates("On 22 March 2024 and on Jan. 5, 2023", "2000-01-01").len(), 2);
    }

    #[test]
    fn bounds_and_modal_may_are_not_event_dates() {
        assert!(dates("Since December 2023, dozens were held; by early March it knew.", "2024-03-29").is_empty());
        assert!(dates("They may strike again.", "2024-03-29").is_empty());
        assert!(dates("The blast on March 22 killed six.", "").is_empty(), "no anchor, no year");
    }

    #[test]
    fn counts_back_from_the_anchor_at_their_own_precision() {
        assert_eq!(dates("GUERRILLAS ATTACKED THE FARM 2 DAYS AGO", "1990-02-04"), [("2 DAYS AGO".into(), "1990-02-02".into())]);
        assert_eq!(dates("killed four years ago", "1989-03-29")[0].1, "1985");
        assert_eq!(dates("a raid two months ago", "1990-01-15")[0].1, "1989-11");
        assert_eq!(dates("KILLED IN THE LAST FEW HOURS", "1989-11-13")[0].1, "1989-11-13");
        assert_eq!(dates("a communique issued a few hours ago", "1989-07-06").len(), 1);
        assert!(dates("a few days ago, weeks ago", "1989-07-06").is_empty(), "vague counts and weeks have no honest precision");
        assert_eq!(dates("WAS KILLED ON MONDAY, 4 AUGUST", "1989-09-06"), [("MONDAY, 4 AUGUST".into(), "1989-08-04".into())]);
    }

    #[test]
    fn reports_are_a_last_resort_and_procedural_steps_no_date() {
        let found = |text: &str| {
            let toks = tokenize(text, Span::new(0, text.len()));
            find_dates(&toks, parse_iso("2024-03-29")).into_iter().map(|d| (text[d.span.start..d.span.end].to_string(), d.report)).collect::<Vec<_>>()
        };
        assert_eq!(found("Police said on Tuesday that the blast on Monday killed two."), [("Tuesday".into(), true), ("Monday".into(), false)]);
        assert_eq!(found("POLICE TODAY REPORTED THAT TROOPS KILLED NINE ON 17 MARCH"), [("TODAY".into(), true), ("17 MARCH".into(), false)]);
        assert_eq!(found("PRESIDENT DUARTE TONIGHT CALLED FOR CALM AFTER THE ATTACK ON 11 MARCH"), [("TONIGHT".into(), true), ("11 MARCH".into(), false)]);
        assert_eq!(found("He pleaded guilty on Tuesday to the March 2019 bombing."), [("March 2019".into(), false)]);
        assert!(found("The funeral on Friday drew thousands; his trial on Monday was brief.").is_empty());
        assert!(found("He is seen in this handout photo released, May 27, 2017, by the police.").is_empty());
        let text = "Police said on Tuesday that the bombing on Monday killed two.";
        let toks = tokenize(text, Span::new(0, text.len()));
        let all = find_dates(&toks, parse_iso("2024-03-29"));
        let trigger = super::super::types::triggers(&toks);
        assert_eq!(nearest(&toks, all.iter(), &trigger).map(|d| d.value.iso()).as_deref(), Some("2024-03-25"));
    }

    #[test]
    fn the_lead_dates_an_undated_main_incident() {
        let text = "SAN SALVADOR, 9 DEC 89 -- [TEXT] YESTERDAY MORNING AT 0730, TERRORISTS MACHINEGUNNED A BUS. THE ARMY SAID TODAY IT WAS THE FMLN.";
        let line = dateline(text, None).unwrap();
        let sentences = crate::text::sentences::sentences(text);
        let lead = lead_date(text, &sentences, Some(line.day), &[line.span]).unwrap();
        assert_eq!((&text[lead.span.start..lead.span.end], lead.value.iso().as_str()), ("YESTERDAY", "1989-12-08"));
        let text = "LIMA, 1 APR 90 -- [TEXT] THE COURT YESTERDAY PRESENTED THE CASE OF THE MARCH 1980 MURDER.";
        let line = dateline(text, None).unwrap();
        assert_eq!(lead_date(text, &crate::text::sentences::sentences(text), Some(line.day), &[line.span]), None, "a procedural day and old history date no lead event");
    }

    #[test]
    fn datelines_give_place_and_day() {
        let text = "SAN SALVADOR, 3 JAN 90 -- [TEXT] THE ARMY SAID";
        let line = dateline(text, None).unwrap();
        assert_eq!(&text[line.place.start..line.place.end], "SAN SALVADOR");
        assert_eq!(&text[line.span.start..line.span.end], "SAN SALVADOR, 3 JAN 90");
        assert_eq!(line.date().value.iso(), "1990-01-03");
        assert_eq!(line.day, Day { y: 1990, m: 1, d: 3 });
        assert_eq!(dateline("Moscow, March 29, 2024 - Officials said", None).unwrap().day, Day { y: 2024, m: 3, d: 29 });
        assert!(dateline("Officials, who asked not to be named, said", None).is_none());
        let reuters = "WASHINGTON, Dec. 3 (Reuters) - A gunman";
        assert_eq!(dateline(reuters, None), None, "no year, no publication date: no day");
        assert_eq!(dateline(reuters, parse_iso("2024-12-04")).map(|d| d.day), Some(Day { y: 2024, m: 12, d: 3 }));
    }

    #[test]
    fn an_undated_dateline_still_gives_its_place() {
        let text = "CLANDESTINE, NO DATE (RADIO VENCEREMOS) -- [TEXT] WE REPORT";
        assert_eq!(dateline(text, None), None);
        assert_eq!(undated_dateline(text).map(|s| &text[s.start..s.end]), Some("CLANDESTINE"));
        assert_eq!(undated_dateline("  SAN SALVADOR, NO DATE -- [TEXT]").map(|s| s.start), Some(2));
        assert_eq!(undated_dateline("Officials, no date was set, said"), None, "prose, not a dateline");
        assert_eq!(undated_dateline("SAN SALVADOR, 3 JAN 90 -- [TEXT]"), None);
    }

    #[test]
    fn header_dates_anchor_articles_without_a_publication_date() {
        let day = |t: &str| header_date(t).map(|d| (t[d.span.start..d.span.end].to_string(), d.value.iso()));
        assert_eq!(day("Navy foils pirate attack\nUpdated: November 11, 2011 20: 09 IST\nThe navy on Thursday thwarted it."), Some(("November 11, 2011".into(), "2011-11-11".into())));
        assert_eq!(day("Published on: Fri, 11 Nov 2011 at 09: 56 IST\nText.").unwrap().1, "2011-11-11");
        assert_eq!(day("9 September 2013 Last updated at 14: 39 GMT\nFrance jewels thefts").unwrap().1, "2013-09-09");
        assert_eq!(day("June 5, 2017 (VOA)\nGunmen attacked.").unwrap().1, "2017-06-05");
        assert_eq!(day("Mar 29, 2024\nBody.").unwrap().1, "2024-03-29");
        // a headline or a sentence dates an event, not the article
        assert_eq!(day("Attack on March 3, 2011 kills five in Kabul\nBody."), None);
        assert_eq!(day("Police said the blast on March 3, 2011 was the worst.\nMore."), None);
        // numeric dates are ambiguous between outlets; a date deep in the text is no header
        assert_eq!(day("Updated 4 / 9 / 2007 6: 04 PM\nBody."), None);
        assert_eq!(day("One.\nTwo.\nThree.\nFour.\nApril 10, 2007"), None);
    }
}
