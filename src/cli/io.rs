//! Where subcommands read and write: `-` is stdin and `.gz` is read as gzip
//! (see [`newsner::corpus::input::open_input`]), `-o FILE` or else stdout.

use std::fs::OpenOptions;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};

/// `path` opened for writing (truncated, or kept and appended to with
/// `append`), else stdout; buffered either way.
pub fn create_output(path: Option<&Path>, append: bool) -> Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => {
            let f = OpenOptions::new()
                .create(true)
                .write(true)
                .append(append)
                .truncate(!append)
                .open(p)
                .with_context(|| format!("cannot write {}", p.display()))?;
            Box::new(BufWriter::with_capacity(1 << 20, f))
        }
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}
