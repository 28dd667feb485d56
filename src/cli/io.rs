//! Where subcommands read and write: `-` is stdin and `.gz` is read as gzip
//! (see [`newsner::corpus::input::open_input`]), `-o FILE` or else stdout.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

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

/// `-o -` is standard output, as `-` among the inputs is standard input (a
/// file named "-" would surprise a shell user, and a script that pipes on
/// would read nothing).
pub fn file_output(output: Option<PathBuf>) -> Option<PathBuf> {
    output.filter(|p| p.as_os_str() != "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dash_output_is_standard_output() {
        assert_eq!(file_output(Some(PathBuf::from("-"))), None);
        assert_eq!(file_output(Some(PathBuf::from("out.jsonl"))), Some(PathBuf::from("out.jsonl")));
        assert_eq!(file_output(Some(PathBuf::from("./-"))), Some(PathBuf::from("./-")), "a file called - can still be named");
        assert_eq!(file_output(None), None);
    }
}
