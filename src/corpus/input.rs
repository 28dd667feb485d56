//! Opening an input file the way every command reads one: `-` is stdin, a
//! `.gz` file is read as gzip (several members too), anything else as is.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

pub fn open_input(path: &Path) -> Result<Box<dyn BufRead + Send>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(BufReader::new(std::io::stdin())));
    }
    let f = File::open(path).map_err(|e| Error::Input { path: path.display().to_string(), message: e.to_string() })?;
    Ok(if path.extension().is_some_and(|e| e == "gz") {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(f)))
    } else {
        Box::new(BufReader::with_capacity(1 << 16, f))
    })
}

/// Every non-blank line of a JSON-lines input (opened as [`open_input`]
/// opens it) as a `T`, with its line number; a line that is not JSON, or
/// not a `T`, is an error naming the file and line.
pub fn read_json_lines<T: DeserializeOwned>(path: &Path) -> Result<Vec<(usize, T)>> {
    let name = path.display().to_string();
    let mut out = Vec::new();
    for (i, line) in open_input(path)?.lines().enumerate() {
        let line = line.map_err(|e| Error::Input { path: name.clone(), message: e.to_string() })?;
        if line.trim().is_empty() {
            continue;
        }
        let item = serde_json::from_str(&line).map_err(|e| {
            let message = match e.classify() {
                serde_json::error::Category::Data => format!("not the expected record: {e}"),
                _ => format!("not valid JSON: {e}"),
            };
            Error::Data { path: name.clone(), line: i + 1, message }
        })?;
        out.push((i + 1, item));
    }
    Ok(out)
}
