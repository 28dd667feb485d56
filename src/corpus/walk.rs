//! Walking an input folder: every regular, non-hidden file under it, in
//! sorted order, each once — and every problem on the way as an entry of
//! its own, so it becomes an output line instead of stopping the run or
//! vanishing.
//!
//! Symlinks are followed (a folder of links to articles is a normal way to
//! pick a subset), so the walk remembers the device and inode of each folder
//! it entered: a link back up the tree (`ln -s . again`) or a second link to
//! one folder is not entered twice, which would repeat its files or never end.

use std::collections::HashSet;
use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use crate::document::RecordError;
use crate::error::{Error, Result};

/// The error code of a record that stands for input that could not be read:
/// a file or folder met on a walk, or the rest of a stream the reader could
/// not go on with.
pub const READ_ERROR: &str = "read_error";

/// One thing found under the root: a file to read, or why something could
/// not be read.
#[derive(Debug)]
pub enum Entry {
    File(PathBuf),
    Problem(PathBuf, RecordError),
}

impl Entry {
    pub fn path(&self) -> &Path {
        match self {
            Entry::File(p) | Entry::Problem(p, _) => p,
        }
    }
}

/// The entries under `root` in sorted path order. Only an unreadable root is
/// an error (like an unreadable input file); below it, an unreadable folder
/// or a FIFO, socket or device becomes an [`Entry::Problem`] (a FIFO would
/// block the run forever, a device never ends).
pub fn walk(root: &Path) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let root_meta = fs::metadata(root).map_err(|e| input_error(root, e))?;
    seen.insert((root_meta.dev(), root_meta.ino()));
    // one listing per open folder, sorted descending: pop() yields names in order
    let mut stack = vec![list(root).map_err(|e| input_error(root, e))?];
    while let Some(names) = stack.last_mut() {
        let Some(path) = names.pop() else {
            stack.pop();
            continue;
        };
        let meta = match fs::metadata(&path) {
            Ok(m) => m,
            // a dangling symlink, or a file gone since the listing
            Err(e) => {
                out.push(Entry::Problem(path, RecordError::new(READ_ERROR, e.to_string())));
                continue;
            }
        };
        let kind = meta.file_type();
        if kind.is_dir() {
            if !seen.insert((meta.dev(), meta.ino())) {
                continue; // a loop, or a folder already read under another name
            }
            match list(&path) {
                Ok(children) => stack.push(children),
                Err(e) => out.push(Entry::Problem(
                    path,
                    RecordError::new(READ_ERROR, format!("cannot read this folder: {e}; its files were not read")),
                )),
            }
        } else if kind.is_file() {
            out.push(Entry::File(path));
        } else {
            let what = if kind.is_fifo() {
                "a FIFO"
            } else if kind.is_socket() {
                "a socket"
            } else {
                "a device"
            };
            out.push(Entry::Problem(path, RecordError::new("not_a_file", format!("skipped: {what}, not a regular file"))));
        }
    }
    out.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(out)
}

/// Non-hidden entries of a folder, sorted descending (see [`walk`]).
fn list(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut names = Vec::new();
    for e in fs::read_dir(dir)? {
        let e = e?;
        if !e.file_name().to_string_lossy().starts_with('.') {
            names.push(e.path());
        }
    }
    names.sort_by(|a, b| b.cmp(a));
    Ok(names)
}

fn input_error(path: &Path, e: std::io::Error) -> Error {
    Error::Input { path: path.display().to_string(), message: e.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn names(root: &Path) -> Vec<(String, Option<String>)> {
        walk(root)
            .unwrap()
            .iter()
            .map(|e| {
                let rel = e.path().strip_prefix(root).unwrap().display().to_string();
                (rel, match e {
                    Entry::File(_) => None,
                    Entry::Problem(_, err) => Some(err.code.clone()),
                })
            })
            .collect()
    }

    #[test]
    fn loops_and_second_links_are_entered_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir(root.join("sub")).unwrap();
        fs::write(root.join("a.txt"), "a").unwrap();
        fs::write(root.join("sub/b.txt"), "b").unwrap();
        fs::write(root.join(".hidden"), "h").unwrap();
        symlink(".", root.join("s1")).unwrap();
        symlink(".", root.join("s2")).unwrap();
        symlink("..", root.join("sub/up")).unwrap();
        symlink("sub", root.join("zz-same-as-sub")).unwrap();
        symlink("missing", root.join("dangling")).unwrap();
        let got = names(root);
        let want = [("a.txt", None), ("dangling", Some("read_error")), ("sub/b.txt", None)];
        let want: Vec<(String, Option<String>)> = want.iter().map(|(a, b)| (a.to_string(), b.map(String::from))).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn fifos_become_problems_instead_of_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "this test needs mkfifo (coreutils)");
        assert_eq!(names(dir.path()), vec![("pipe".to_string(), Some("not_a_file".to_string()))]);
    }
}
