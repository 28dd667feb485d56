//! Python's number semantics, for scorers that must print exactly what a
//! reference script in `../shared/tools` prints: `round(x, n)`, `repr` of a
//! float, and `float(s)` / `int(s)` / `s.strip()` on corpus fields.

use std::borrow::Cow;

/// Python's `round(x, ndigits)` for `ndigits` ≤ 19: the exact binary value
/// rounded half-to-even at that decimal, read back as the nearest double.
/// Done in integers because the exact value decides ties (0.125 → 0.12,
/// but 1.005, stored just below the tie, → 1.0).
pub fn round(x: f64, ndigits: u32) -> f64 {
    debug_assert!(ndigits <= 19);
    if !x.is_finite() {
        return x;
    }
    let bits = x.abs().to_bits();
    let exp = (bits >> 52) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (mant, shift) = if exp == 0 { (frac, 1074) } else { (frac | (1u64 << 52), 1075 - exp) };
    if shift <= 0 {
        return x; // |x| ≥ 2^52 is an integer already
    }
    // |x| = mant / 2^shift, so |x| · 10^n = scaled / 2^shift with scaled < 2^53 · 10^19 < 2^117
    let scaled = mant as u128 * 10u128.pow(ndigits);
    let units = if shift > 118 {
        0 // below half a unit
    } else {
        let q = scaled >> shift;
        let rem = scaled - (q << shift);
        let half = 1u128 << (shift - 1);
        if rem > half || (rem == half && q % 2 == 1) { q + 1 } else { q }
    };
    let r: f64 = format!("{units}e-{ndigits}").parse().expect("a decimal literal");
    r.copysign(x)
}

/// Python's `repr` (and `str`) of a float: the shortest digits that read
/// back to it, positional with at least one decimal ("12.0") for decimal
/// exponents −4 to 15, else scientific ("1e-05", "1.5e+16").
pub fn repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    let sci = format!("{x:e}");
    let (mantissa, exp) = sci.split_once('e').expect("LowerExp writes an exponent");
    let exp: i32 = exp.parse().expect("an integer exponent");
    if (-4..16).contains(&exp) {
        let s = x.to_string();
        if s.contains('.') { s } else { s + ".0" }
    } else {
        format!("{mantissa}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    }
}

/// `json.dumps` of a float: `repr`, with NaN and infinities as Python's
/// json module writes them.
pub fn json(x: f64) -> String {
    match x {
        _ if x.is_nan() => "NaN".into(),
        f64::INFINITY => "Infinity".into(),
        f64::NEG_INFINITY => "-Infinity".into(),
        _ => repr(x),
    }
}

/// Python's `s.strip()`: Unicode white space, plus the four ASCII
/// separators U+001C–U+001F that Python counts as space and Rust does not.
pub fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// `c.isspace()`, which is also what `\s` matches in a `str` pattern.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// What `\w` matches in a `str` pattern (`c.isalnum() or c == '_'`), as near
/// as std's Unicode tables come: they differ on the combining vowel signs
/// of Indic scripts, which std counts as alphabetic and Python does not.
pub fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `json.dumps(v, indent=indent)` with the json module's defaults
/// (`ensure_ascii`, `", "` / `": "` separators), keys in the map's order
/// (serde_json keeps insertion order here).
pub fn dumps(v: &serde_json::Value, indent: usize) -> String {
    let mut out = String::new();
    dump_into(v, indent, 0, &mut out);
    out
}

fn dump_into(v: &serde_json::Value, indent: usize, depth: usize, out: &mut String) {
    use serde_json::Value;
    let pad = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat(' ').take(indent * depth));
    };
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if n.is_f64() => out.push_str(&json(n.as_f64().unwrap_or(f64::NAN))),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => out.push_str(&json_str(s)),
        Value::Array(items) => {
            out.push('[');
            if !items.is_empty() {
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i > 0 { "," } else { "" });
                    pad(out, depth + 1);
                    dump_into(item, indent, depth + 1, out);
                }
                pad(out, depth);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            if !map.is_empty() {
                for (i, (k, item)) in map.iter().enumerate() {
                    out.push_str(if i > 0 { "," } else { "" });
                    pad(out, depth + 1);
                    out.push_str(&json_str(k));
                    out.push_str(": ");
                    dump_into(item, indent, depth + 1, out);
                }
                pad(out, depth);
            }
            out.push('}');
        }
    }
}

/// A JSON string as the json module writes it with `ensure_ascii`: only
/// printable ASCII stays as is, everything else is escaped (`\uXXXX` in
/// lower-case hex, surrogate pairs above U+FFFF).
pub fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

/// Python's `repr` of a string: single quotes unless the string holds a
/// single quote and no double one; backslash escapes for the quote, `\\`,
/// `\n`, `\r`, `\t` and the characters Python does not print (control and
/// format characters, separators other than the space, private use; code
/// points unassigned in Python's Unicode tables are not known here).
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::from(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !printable(c) => match c as u32 {
                n @ 0..=0xff => out.push_str(&format!("\\x{n:02x}")),
                n @ 0x100..=0xffff => out.push_str(&format!("\\u{n:04x}")),
                n => out.push_str(&format!("\\U{n:08x}")),
            },
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `c.isprintable()`, as near as std knows the general categories.
fn printable(c: char) -> bool {
    let format = matches!(c,
        '\u{ad}' | '\u{600}'..='\u{605}' | '\u{61c}' | '\u{6dd}' | '\u{70f}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}' | '\u{e0001}' | '\u{e0020}'..='\u{e007f}');
    let private = matches!(c, '\u{e000}'..='\u{f8ff}' | '\u{f0000}'..);
    c == ' ' || !(c.is_control() || c.is_whitespace() || format || private)
}

/// Python's `float(s)`: decimal literals, "inf", "infinity" and "nan" in any
/// case, with a sign, surrounding white space and `_` between digits.
pub fn parse_float(s: &str) -> Option<f64> {
    without_underscores(strip(s))?.parse().ok()
}

/// Python's `int(s)` in base 10 (within i64).
pub fn parse_int(s: &str) -> Option<i64> {
    without_underscores(strip(s))?.parse().ok()
}

/// `s` without the underscores Python allows in a number (each one between
/// two digits); None when one stands anywhere else.
fn without_underscores(s: &str) -> Option<Cow<'_, str>> {
    if !s.contains('_') {
        return Some(Cow::Borrowed(s));
    }
    let b = s.as_bytes();
    let between_digits = |i: usize| i > 0 && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit);
    (0..b.len()).filter(|&i| b[i] == b'_').all(between_digits).then(|| Cow::Owned(s.replace('_', "")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_follows_python() {
        assert_eq!(repr(round(100.0 * 2.0 / 3.0, 2)), "66.67");
        assert_eq!(repr(round(100.0, 2)), "100.0");
        assert_eq!(repr(round(0.0, 2)), "0.0");
        // exact binary ties go to the even neighbour, as in Python
        assert_eq!(repr(round(0.125, 2)), "0.12");
        assert_eq!(repr(round(0.375, 2)), "0.38");
        assert_eq!(repr(round(-0.125, 2)), "-0.12");
        // 1.005 is stored just below the tie, so it rounds down
        assert_eq!(repr(round(1.005, 2)), "1.0");
        assert_eq!(repr(round(54.5, 2)), "54.5");
        assert_eq!(repr(round(1234.56789, 1)), "1234.6");
        assert_eq!(repr(round(0.123456789, 4)), "0.1235");
        assert_eq!(repr(round(0.00004, 4)), "0.0");
        assert_eq!(repr(round(5e-300, 4)), "0.0");
        assert_eq!(round(1e300, 2), 1e300);
        assert!(round(f64::NAN, 2).is_nan());
    }

    #[test]
    fn repr_follows_python() {
        for (x, s) in [
            (86.18, "86.18"),
            (12.0, "12.0"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (0.1 + 0.2, "0.30000000000000004"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (1234567890123456.0, "1234567890123456.0"),
            (1e16, "1e+16"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
            (1e300, "1e+300"),
            (f64::NAN, "nan"),
            (f64::NEG_INFINITY, "-inf"),
        ] {
            assert_eq!(repr(x), s);
        }
        assert_eq!(json(f64::NAN), "NaN");
        assert_eq!(json(f64::INFINITY), "Infinity");
        assert_eq!(json(2.5), "2.5");
    }

    #[test]
    fn parsing_follows_python() {
        assert_eq!(parse_float(" 12.5\n"), Some(12.5));
        assert_eq!(parse_float("1_000.5"), Some(1000.5));
        assert_eq!(parse_float("-Infinity"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_float("1e5"), Some(100000.0));
        assert_eq!(parse_float("\u{1c}3\u{a0}"), Some(3.0));
        for bad in ["", "abc", "1__0", "_1", "1_", "1_.5", "0x10", "1e"] {
            assert_eq!(parse_float(bad), None, "{bad:?}");
        }
        assert_eq!(parse_int(" +17 "), Some(17));
        assert_eq!(parse_int("-3"), Some(-3));
        assert_eq!(parse_int("007"), Some(7));
        assert_eq!(parse_int("1_000"), Some(1000));
        for bad in ["", "1.0", "1e3", "- 5", "_1"] {
            assert_eq!(parse_int(bad), None, "{bad:?}");
        }
        assert_eq!(strip("\t Turkey \u{3000}"), "Turkey");
    }

    #[test]
    fn str_repr_follows_python() {
        for (s, r) in [
            ("Kabul", "'Kabul'"),
            ("Deir ez-Zor’s", "'Deir ez-Zor’s'"),
            ("it's", "\"it's\""),
            ("it's \"x\"", "'it\\'s \"x\"'"),
            ("a\\b\n\t\u{7f}\u{a0}\u{200b}\u{e000}", "'a\\\\b\\n\\t\\x7f\\xa0\\u200b\\ue000'"),
        ] {
            assert_eq!(str_repr(s), r, "{s:?}");
        }
    }

    #[test]
    fn dumps_follows_the_json_module() {
        let v = serde_json::json!({"b": {"x": [1, 0.5, "Zürich\"\n😀"], "e": [], "o": {}}, "a": 1e-5});
        assert_eq!(dumps(&v, 1), "{\n \"b\": {\n  \"x\": [\n   1,\n   0.5,\n   \"Z\\u00fcrich\\\"\\n\\ud83d\\ude00\"\n  ],\n  \"e\": [],\n  \"o\": {}\n },\n \"a\": 1e-05\n}");
    }
}
