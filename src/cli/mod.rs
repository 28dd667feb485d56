//! The subcommands, one file each, and what they share: where input and
//! output go ([`io`]) and which model folder loads by default ([`models`]).
pub mod eval;
pub mod export;
pub mod extract;
pub mod io;
pub mod merge;
pub mod models;
pub mod render;
pub mod train;
