//! Month names: the one list the date reader (`incident::dates`) and the
//! geoparser (a month is no town, `geo::resolve`) both use.

use crate::lexicon::ISLAMIC_MONTHS;

/// The Gregorian months in lower case, January first.
pub const MONTHS: [&str; 12] = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
];

/// True for the full name of a month of the Gregorian or the Islamic
/// calendar ("March", "Ramadan", "Dhu al-Hijjah", "SHAWWAL"): a time,
/// whatever town a gazetteer also gives that name.
pub fn is_full_month_name(name: &str) -> bool {
    let key: String = name.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
    MONTHS.contains(&key.as_str()) || ISLAMIC_MONTHS.contains(&key.as_str())
}

