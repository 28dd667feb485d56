//! Annotated output lines rewritten in the formats that benchmarks score.
pub mod muc4;
