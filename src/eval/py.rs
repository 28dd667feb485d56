//! Python's number semantics, for scorers that must print exactly what a
//! reference script in `../shared/tools` prints: `round(x, n)` and `repr`
//! of a float.

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
    }
}
