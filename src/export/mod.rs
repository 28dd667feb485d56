//! Annotated output lines rewritten in the formats that benchmarks score.
pub mod fillers;
pub mod leading;
pub mod muc4;
