//! Day numbers for the ISO dates of incident records.
//!
//! Merging compares dates across month and year ends ("March 31" against
//! "April 1") and sorts reports into time partitions; both are plain integer
//! arithmetic once a date is a day number (the linker's [`Day`] does the
//! arithmetic); what merge adds is reading the ISO strings of written records.

use crate::incident::dates::Day;

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn day_number(y: i32, m: u32, d: u32) -> i64 {
    Day { y, m, d }.ordinal()
}

/// The (year, month) a day number falls in.
pub fn month_of(day: i64) -> (i32, u32) {
    let d = Day::from_ordinal(day);
    (d.y, d.m)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m as usize - 1]
}

/// The first and last day number an ISO value (`YYYY`, `YYYY-MM` or
/// `YYYY-MM-DD`) covers, or None for anything else, including impossible
/// dates. A timestamp's leading date counts (`published` may be one).
pub fn range(value: &str) -> Option<(i64, i64)> {
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = value.get(r)?;
        s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse().ok())?
    };
    let y = num(0..4)? as i32;
    let dash = |i: usize| value.as_bytes().get(i) == Some(&b'-');
    if value.len() == 4 {
        return Some((day_number(y, 1, 1), day_number(y + 1, 1, 1) - 1));
    }
    let m = num(5..7).filter(|m| dash(4) && (1..=12).contains(m))?;
    if value.len() == 7 {
        return Some((day_number(y, m, 1), day_number(y, m, days_in_month(y, m))));
    }
    let d = num(8..10).filter(|d| dash(7) && (1..=days_in_month(y, m)).contains(d))?;
    let rest = &value[10..];
    (rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')).then(|| (day_number(y, m, d), day_number(y, m, d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip_across_month_and_leap_year_ends() {
        assert_eq!(day_number(1970, 1, 1), 0);
        assert_eq!(day_number(2024, 3, 1) - day_number(2024, 2, 28), 2, "2024 is a leap year");
        assert_eq!(day_number(2023, 3, 1) - day_number(2023, 2, 28), 1);
        assert_eq!(day_number(2025, 1, 1) - day_number(2024, 12, 31), 1);
        for (y, m) in [(1989, 12), (2024, 2), (2024, 3), (1900, 2), (2000, 2)] {
            assert_eq!(month_of(day_number(y, m, 1)), (y, m));
            assert_eq!(month_of(day_number(y, m, days_in_month(y, m))), (y, m));
        }
    }

    #[test]
    fn ranges_of_iso_values_at_each_precision() {
        let d = |y, m, dd| day_number(y, m, dd);
        assert_eq!(range("2024-05-10"), Some((d(2024, 5, 10), d(2024, 5, 10))));
        assert_eq!(range("2024-02"), Some((d(2024, 2, 1), d(2024, 2, 29))));
        assert_eq!(range("1990"), Some((d(1990, 1, 1), d(1990, 12, 31))));
        assert_eq!(range("2024-05-10T08:00:00Z"), Some((d(2024, 5, 10), d(2024, 5, 10))));
        for bad in ["2024-13", "2023-02-29", "24-05-10", "2024/05/10", "May 2024", "", "2024-05-1x", "2024-05-10junk"] {
            assert_eq!(range(bad), None, "{bad}");
        }
    }
}
