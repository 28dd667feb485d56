//! The one calendar: proleptic Gregorian days, leap years and ISO 8601
//! dates, for the linker (dates against the publication date) and the merge
//! (dates compared across month and year ends, time partitions).
//!
//! A date is plain integer arithmetic once it is a day number (days since
//! 1970-01-01); nothing here knows time zones or times of day.

/// A calendar day. Build one with [`Day::new`] or [`parse_iso`] to have it
/// checked; the fields are public for the linker's month-day arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub y: i32,
    pub m: u32,
    pub d: u32,
}

pub fn is_leap(y: i32) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// Days in month `m` (1–12) of year `y`.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    [31, if is_leap(y) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m as usize - 1]
}

/// True when `y-m-d` is a day of the calendar (no February 30).
pub fn is_valid(y: i32, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

impl Day {
    /// The day, if it is one.
    pub fn new(y: i32, m: u32, d: u32) -> Option<Day> {
        is_valid(y, m, d).then_some(Day { y, m, d })
    }

    /// Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm).
    pub fn ordinal(self) -> i64 {
        let y = if self.m <= 2 { self.y - 1 } else { self.y } as i64;
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.m as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.d as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    /// The day `z` days after 1970-01-01.
    pub fn from_ordinal(z: i64) -> Day {
        let z = z + 719468;
        let era = z.div_euclid(146097);
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = (yoe + era * 400) as i32 + i32::from(m <= 2);
        Day { y, m, d }
    }

    pub fn plus(self, days: i64) -> Day {
        Day::from_ordinal(self.ordinal() + days)
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> i64 {
        (self.ordinal() + 3).rem_euclid(7)
    }
}

/// ISO 8601 at a value's own precision: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`
/// (a day without a month is written as the year).
pub fn iso(year: i32, month: Option<u32>, day: Option<u32>) -> String {
    match (month, day) {
        (Some(m), Some(d)) => format!("{year:04}-{m:02}-{d:02}"),
        (Some(m), None) => format!("{year:04}-{m:02}"),
        _ => format!("{year:04}"),
    }
}

/// The ASCII digits at `r` of `s` as a number (no sign, no spaces).
fn digits(s: &str, r: std::ops::Range<usize>) -> Option<u32> {
    let s = s.get(r)?;
    s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse().ok())?
}

/// The leading `YYYY-MM-DD` of an ISO date or timestamp (white space around
/// it ignored), if it is a day of the calendar.
pub fn parse_iso(s: &str) -> Option<Day> {
    let s = s.trim();
    let dash = |i: usize| s.as_bytes().get(i) == Some(&b'-');
    if !dash(4) || !dash(7) {
        return None;
    }
    Day::new(digits(s, 0..4)? as i32, digits(s, 5..7)?, digits(s, 8..10)?)
}

/// The first and last day number an ISO value (`YYYY`, `YYYY-MM` or
/// `YYYY-MM-DD`) covers, or None for anything else, including impossible
/// dates. A timestamp's leading date counts (`published` may be one).
pub fn range(value: &str) -> Option<(i64, i64)> {
    let y = digits(value, 0..4)? as i32;
    let dash = |i: usize| value.as_bytes().get(i) == Some(&b'-');
    let first = |m| Day { y, m, d: 1 }.ordinal();
    if value.len() == 4 {
        return Some((first(1), Day { y: y + 1, m: 1, d: 1 }.ordinal() - 1));
    }
    let m = digits(value, 5..7).filter(|m| dash(4) && (1..=12).contains(m))?;
    if value.len() == 7 {
        return Some((first(m), Day { y, m, d: days_in_month(y, m) }.ordinal()));
    }
    let day = Day::new(y, m, digits(value, 8..10).filter(|_| dash(7))?)?.ordinal();
    let rest = &value[10..];
    (rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')).then_some((day, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> i64 {
        Day { y, m, d }.ordinal()
    }

    #[test]
    fn day_numbers_round_trip_across_month_and_leap_year_ends() {
        assert_eq!(day(1970, 1, 1), 0);
        assert_eq!(day(2024, 3, 1) - day(2024, 2, 28), 2, "2024 is a leap year");
        assert_eq!(day(2023, 3, 1) - day(2023, 2, 28), 1);
        assert_eq!(day(2025, 1, 1) - day(2024, 12, 31), 1);
        assert!(is_leap(2000) && !is_leap(1900) && is_leap(2024) && !is_leap(2023));
        for (y, m) in [(1989, 12), (2024, 2), (2024, 3), (1900, 2), (2000, 2)] {
            for d in [1, days_in_month(y, m)] {
                assert_eq!(Day::from_ordinal(day(y, m, d)), Day { y, m, d });
            }
        }
        assert_eq!(Day { y: 2024, m: 3, d: 29 }.weekday(), 4, "a Friday");
        assert_eq!(Day { y: 2024, m: 2, d: 28 }.plus(2), Day { y: 2024, m: 3, d: 1 });
    }

    #[test]
    fn iso_values_at_each_precision() {
        assert_eq!(iso(2024, Some(3), Some(9)), "2024-03-09");
        assert_eq!(iso(990, Some(12), None), "0990-12");
        assert_eq!(iso(1990, None, None), "1990");
        assert_eq!(parse_iso(" 2024-02-29T10:00:00Z"), Some(Day { y: 2024, m: 2, d: 29 }));
        for bad in ["2023-02-29", "2024-5-10", "+202-05-10", "2024-+5-10", "2024-05", "May 10, 2024", ""] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn ranges_of_iso_values_at_each_precision() {
        assert_eq!(range("2024-05-10"), Some((day(2024, 5, 10), day(2024, 5, 10))));
        assert_eq!(range("2024-02"), Some((day(2024, 2, 1), day(2024, 2, 29))));
        assert_eq!(range("1990"), Some((day(1990, 1, 1), day(1990, 12, 31))));
        assert_eq!(range("2024-05-10T08:00:00Z"), Some((day(2024, 5, 10), day(2024, 5, 10))));
        for bad in ["2024-13", "2023-02-29", "24-05-10", "2024/05/10", "May 2024", "", "2024-05-1x", "2024-05-10junk"] {
            assert_eq!(range(bad), None, "{bad}");
        }
    }
}
