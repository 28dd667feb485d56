//! The resume logic of the JSONL output.
//!
//! Each output line is written whole ([`crate::output::write_line`]); a run
//! killed mid-write can leave at most one torn last line, which `--resume`
//! cuts off before continuing.

use std::fs::OpenOptions;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::error::{Error, Result};

/// How far an earlier run got: complete lines already in the output file.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub lines: usize,
    pub last_id: Option<String>,
    /// Bytes of a torn last line that were removed.
    pub repaired_bytes: u64,
}

/// Cuts a torn last line off `path` and counts the complete lines left.
pub fn prepare_resume(path: &Path) -> Result<Progress> {
    let io_err = |e: std::io::Error| Error::Input { path: path.display().to_string(), message: e.to_string() };
    let mut f = match OpenOptions::new().read(true).write(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Progress { lines: 0, last_id: None, repaired_bytes: 0 }),
        Err(e) => return Err(io_err(e)),
    };
    let mut data = Vec::new();
    f.read_to_end(&mut data).map_err(io_err)?;
    let keep = data.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let repaired = (data.len() - keep) as u64;
    if repaired > 0 {
        f.set_len(keep as u64).map_err(io_err)?;
        f.seek(SeekFrom::End(0)).map_err(io_err)?;
    }
    let complete = &data[..keep];
    let lines = complete.iter().filter(|&&b| b == b'\n').count();
    let last_id = complete[..keep.saturating_sub(1)]
        .rsplit(|&b| b == b'\n')
        .next()
        .filter(|l| !l.is_empty())
        .and_then(|l| serde_json::from_slice::<serde_json::Value>(l).ok())
        .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(String::from));
    Ok(Progress { lines, last_id, repaired_bytes: repaired })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn torn_last_line_is_cut_and_counted_lines_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.jsonl");
        std::fs::write(&p, "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\"c\",\"ent").unwrap();
        let r = prepare_resume(&p).unwrap();
        assert_eq!(r, Progress { lines: 2, last_id: Some("b".into()), repaired_bytes: 14 });
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "{\"id\":\"a\"}\n{\"id\":\"b\"}\n");
        assert_eq!(prepare_resume(&dir.path().join("none")).unwrap().lines, 0);
    }
}
