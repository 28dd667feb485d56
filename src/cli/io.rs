//! Where subcommands read and write: `-` is stdin and `.gz` is read as gzip
//! (see [`newsner::corpus::input::open_input`]), `-o FILE` or else stdout.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::Result;
use newsner::destination;

/// `path` emptied for writing, with this run's lock on it (a second run
/// writing it fails naming it; see [`destination::lock`]), else stdout; buffered
/// either way.
pub fn create_output(path: Option<&Path>) -> Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => Box::new(BufWriter::with_capacity(1 << 20, destination::create(p)?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}
