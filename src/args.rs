//! Value parsers for command-line options, so a meaningless value is a
//! usage error (exit 2) before any work starts instead of a run that
//! quietly does something else (`--batch-size 0` used to mean 1).

/// A whole number of at least `MIN`, e.g. `value_parser = at_least::<1>`.
pub fn at_least<const MIN: usize>(s: &str) -> Result<usize, String> {
    let n: usize = s.trim().parse().map_err(|_| format!("{s:?} is not a whole number"))?;
    if n < MIN {
        return Err(format!("must be at least {MIN}"));
    }
    Ok(n)
}

/// A whole number from `MIN` to `MAX`, e.g. `value_parser = between::<1, { MAX_THREADS }>`:
/// a value beyond any machine (`--threads 100000`) is a usage error before
/// any work, not a run that spawns threads until memory runs out.
pub fn between<const MIN: usize, const MAX: usize>(s: &str) -> Result<usize, String> {
    let n = at_least::<MIN>(s)?;
    if n > MAX {
        return Err(format!("must be at most {MAX}"));
    }
    Ok(n)
}

/// The most threads `--threads` and `--torch-threads` accept: more than
/// the cores of any machine newsner runs on, far fewer than what stalls one.
pub const MAX_THREADS: usize = 1024;

/// Encoder windows hold `[CLS]`, `[SEP]` and at least one word piece.
pub const MIN_WINDOW: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_and_junk_are_refused() {
        assert_eq!(at_least::<1>("32"), Ok(32));
        assert!(at_least::<1>("0").unwrap_err().contains("at least 1"));
        assert!(at_least::<3>("2").is_err() && at_least::<1>("-1").is_err() && at_least::<1>("x").is_err());
        assert_eq!(between::<1, 4>("4"), Ok(4));
        assert!(between::<1, 4>("5").unwrap_err().contains("at most 4") && between::<1, 4>("0").is_err());
    }
}
