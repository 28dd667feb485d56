//! Lossy repair of the two things real archives hold that `serde_json`
//! refuses although the line is otherwise fine: a lone UTF-16 surrogate
//! escape (`"\ud800"`, left behind by a tool that cut a string between the
//! two halves of an emoji) and a number beyond the range of a double
//! (`1e400`). Refusing the line would lose the whole record, its id and
//! text included, for one bad character in some metadata field.

/// The line with every lone surrogate escape replaced by `\ufffd` (U+FFFD)
/// and every out-of-range number turned into a string of its digits, and
/// what was changed; `None` when there was nothing of the kind to repair
/// (the line is broken in some other way).
pub fn repair(line: &str) -> Option<(String, Vec<String>)> {
    let b = line.as_bytes();
    let mut out = String::with_capacity(line.len() + 8);
    let mut notes = Vec::new();
    // `copied` is where the next unchanged stretch of `line` starts; every
    // cut falls on an ASCII byte, so slicing never splits a character.
    let (mut i, mut copied, mut in_string) = (0, 0, false);
    let replace = |out: &mut String, copied: &mut usize, from: usize, to: usize, with: &str| {
        out.push_str(&line[*copied..from]);
        out.push_str(with);
        *copied = to;
    };
    while i < b.len() {
        if in_string {
            match b[i] {
                b'"' => in_string = false,
                b'\\' if b.get(i + 1) == Some(&b'u') => {
                    let unit = hex4(b, i + 2);
                    match unit {
                        Some(0xD800..=0xDBFF) if b.get(i + 6) == Some(&b'\\') && b.get(i + 7) == Some(&b'u') && matches!(hex4(b, i + 8), Some(0xDC00..=0xDFFF)) => {
                            i += 12;
                            continue;
                        }
                        Some(u @ 0xD800..=0xDFFF) => {
                            replace(&mut out, &mut copied, i, i + 6, "\\ufffd");
                            notes.push(format!("lone surrogate \\u{u:04x} replaced by U+FFFD"));
                            i += 6;
                            continue;
                        }
                        _ => i += 1,
                    }
                }
                b'\\' => i += 1,
                _ => {}
            }
            i += 1;
        } else if b[i] == b'"' {
            in_string = true;
            i += 1;
        } else if b[i] == b'-' || b[i].is_ascii_digit() {
            let end = i + b[i..].iter().position(|c| !matches!(c, b'0'..=b'9' | b'+' | b'-' | b'.' | b'e' | b'E')).unwrap_or(b.len() - i);
            let number = &line[i..end];
            if number.parse::<f64>().is_ok_and(f64::is_infinite) {
                replace(&mut out, &mut copied, i, end, &format!("\"{number}\""));
                notes.push(format!("number {number} is beyond the range of a double; kept as the string \"{number}\""));
            }
            i = end;
        } else {
            i += 1;
        }
    }
    if notes.is_empty() {
        return None;
    }
    out.push_str(&line[copied..]);
    Some((out, notes))
}

/// The value of four hex digits at `at`, if there are four.
fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let digits = std::str::from_utf8(b.get(at..at + 4)?).ok()?;
    u32::from_str_radix(digits, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogates_and_huge_numbers_are_repaired_pairs_kept() {
        let (fixed, notes) = repair(r#"{"id": "a\ud800", "n": 1e400, "m": -2E+999, "ok": "\ud83d\ude00 \\ud800", "x": 1.5}"#).unwrap();
        assert_eq!(fixed, r#"{"id": "a\ufffd", "n": "1e400", "m": "-2E+999", "ok": "\ud83d\ude00 \\ud800", "x": 1.5}"#);
        assert_eq!(notes.len(), 3, "{notes:?}");
        let v: serde_json::Value = serde_json::from_str(&fixed).unwrap();
        assert_eq!(v["id"], "a\u{fffd}");
        assert_eq!(v["ok"], "😀 \\ud800");
        assert!(repair(r#"{"id": "fine", "text": "1e400 inside a string", "low": "\udc00"}"#).unwrap().0.contains(r#""1e400 inside a string""#));
        assert_eq!(repair("{not json"), None);
        assert_eq!(repair(r#"{"a": 1e300}"#), None);
    }
}
