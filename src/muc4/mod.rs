//! The MUC-4 benchmark as an adapter over the core: it reads MUC-4's
//! files, turns their role fillers into training windows, decodes a role
//! tagger's mentions into one filler per referent, exports annotated lines
//! as predictions and scores them (CEAF-REE, answer-key dates and
//! countries). It depends on the core; nothing in the core depends on it:
//! to the core, role fillers are just a span group ([`crate::document::GroupSpan`]).
pub mod export;
pub mod fillers;
pub mod keys;
pub mod leading;
pub mod reader;
pub mod score;
