//! BIO tags (`O`, `B-X`, `I-X`): the one place that reads and writes their
//! prefixes, for CoNLL files, MUC-4 training windows, a model's labels and
//! decoding.

use std::fmt;

/// One word's tag: it begins an `X`, continues one, or is outside any.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Tag {
    Begin(String),
    Inside(String),
    Outside,
}

impl Tag {
    /// `O`, `B-X` or `I-X` with a non-empty `X`; anything else is no tag.
    pub fn parse(s: &str) -> Option<Tag> {
        if s == "O" {
            return Some(Tag::Outside);
        }
        let (prefix, label) = s.split_once('-').filter(|(_, l)| !l.is_empty())?;
        match prefix {
            "B" => Some(Tag::Begin(label.to_string())),
            "I" => Some(Tag::Inside(label.to_string())),
            _ => None,
        }
    }

    /// The entity type, `None` outside.
    pub fn label(&self) -> Option<&str> {
        match self {
            Tag::Begin(l) | Tag::Inside(l) => Some(l),
            Tag::Outside => None,
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tag::Begin(l) => write!(f, "B-{l}"),
            Tag::Inside(l) => write!(f, "I-{l}"),
            Tag::Outside => f.write_str("O"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_parse_and_print_back() {
        for s in ["O", "B-PER", "I-PerpOrg", "B-X-Y"] {
            assert_eq!(Tag::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(Tag::parse("I-LOC").unwrap().label(), Some("LOC"));
        for bad in ["", "B-", "E-PER", "PER", "o"] {
            assert_eq!(Tag::parse(bad), None, "{bad}");
        }
    }
}
