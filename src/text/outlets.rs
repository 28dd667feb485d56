//! News outlets and wire services by name. They are named in every other
//! article as the source of a quote, never as a detail of the event: no
//! perpetrator, no claimant, no key for joining reports.

use crate::lexicon::OUTLETS;

/// A news outlet or wire service by name ("Reuters", "the New York Daily
/// News", "WCCO-TV").
pub fn is_outlet(name: &str) -> bool {
    let lower: String = crate::text::fold::fold(name).chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    if words.first() == Some(&"the") {
        words.remove(0);
    }
    let norm = words.join(" ");
    OUTLETS.contains(&norm.as_str()) || norm.ends_with(" news") || norm.ends_with(" times") || norm.ends_with(" tv") || norm.contains(" tv ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_services_and_papers_but_not_groups() {
        for name in ["Reuters", "the Associated Press", "New York Daily News", "WCCO-TV", "AFP"] {
            assert!(is_outlet(name), "{name}");
        }
        for name in ["Islamic State", "Hamas", "Boko Haram", "Apple"] {
            assert!(!is_outlet(name), "{name}");
        }
    }
}
