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
    s.trim_matches(|c: char| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c))
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
}
