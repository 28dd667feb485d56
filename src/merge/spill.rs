//! Files that hold what does not fit in memory: a private work folder and
//! line files keyed by partition, written in one streaming pass and read
//! back one key at a time.

use std::collections::{BTreeMap, HashMap};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A folder of work files, removed with everything in it when dropped
/// (also on errors and panics). A killed merge cannot remove its folder
/// (hundreds of MB), so each folder is locked (`flock` on the folder) while
/// its merge lives, and the next merge in the same place removes the
/// unlocked ones: their merge is gone.
pub struct WorkDir {
    path: PathBuf,
    /// The folder, open, holding its lock.
    _lock: File,
}

/// Work folders are named `newsner-merge-…`; they are made under a
/// `.`-name and renamed once locked, so a merge never sees another's
/// folder before it is locked.
const PREFIX: &str = "newsner-merge-";

impl WorkDir {
    /// A new folder `newsner-merge-<pid>-<time>-<n>` under `parent`, after
    /// removing the folders of merges that died there.
    pub fn create(parent: &Path) -> Result<WorkDir> {
        remove_stale(parent);
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        for n in 0..100 {
            let name = format!("{PREFIX}{}-{stamp}-{n}", std::process::id());
            let (staging, path) = (parent.join(format!(".{name}")), parent.join(&name));
            match std::fs::create_dir(&staging) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(work_error(&staging, e)),
            }
            let locked = File::open(&staging).and_then(|f| f.try_lock().map_err(std::io::Error::from).map(|()| f));
            let lock = match locked.and_then(|f| std::fs::rename(&staging, &path).map(|()| f)) {
                Ok(f) => f,
                Err(e) => {
                    let _ = std::fs::remove_dir(&staging);
                    return Err(work_error(&path, e));
                }
            };
            return Ok(WorkDir { path, _lock: lock });
        }
        Err(Error::Work { path: parent.display().to_string(), message: "cannot create a fresh work folder there".into() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Removes the work folders under `parent` that no live merge holds
/// locked. Best effort: a folder that cannot be removed stays.
fn remove_stale(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let ours = entry.file_name().to_str().is_some_and(|n| n.starts_with(PREFIX));
        if !ours || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        // the lock is ours only when its merge is gone; held while removing
        if let Ok(dir) = File::open(&path) {
            if dir.try_lock().is_ok() {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

pub fn work_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Work { path: path.display().to_string(), message: e.to_string() }
}

/// Line files by key under one folder. At most `max_open` files are open
/// at once (a corpus can touch thousands of partitions); the others are
/// reopened for appending when their next line comes.
pub struct Spill<K: Ord + Clone + std::hash::Hash> {
    dir: PathBuf,
    prefix: &'static str,
    files: BTreeMap<K, PathBuf>,
    open: HashMap<K, BufWriter<File>>,
    max_open: usize,
}

impl<K: Ord + Clone + std::hash::Hash> Spill<K> {
    pub fn new(dir: &Path, prefix: &'static str, max_open: usize) -> Self {
        Spill { dir: dir.to_path_buf(), prefix, files: BTreeMap::new(), open: HashMap::new(), max_open: max_open.max(1) }
    }

    /// Appends `line` (no newline in it) to the file of `key`.
    pub fn write(&mut self, key: &K, line: &str) -> Result<()> {
        if !self.open.contains_key(key) {
            if self.open.len() >= self.max_open {
                self.close()?;
            }
            let n = self.files.len();
            let path = self.files.entry(key.clone()).or_insert_with(|| self.dir.join(format!("{}{n}.jsonl", self.prefix)));
            let f = OpenOptions::new().create(true).append(true).open(&*path).map_err(|e| work_error(path, e))?;
            self.open.insert(key.clone(), BufWriter::new(f));
        }
        let path = &self.files[key];
        let w = self.open.get_mut(key).expect("opened above");
        w.write_all(line.as_bytes()).and_then(|()| w.write_all(b"\n")).map_err(|e| work_error(path, e))
    }

    fn close(&mut self) -> Result<()> {
        for (key, mut w) in self.open.drain() {
            w.flush().map_err(|e| work_error(&self.files[&key], e))?;
        }
        Ok(())
    }

    /// Every key written, in key order, with its file; all data flushed.
    pub fn finish(mut self) -> Result<BTreeMap<K, PathBuf>> {
        self.close()?;
        Ok(std::mem::take(&mut self.files))
    }
}

/// The lines of a work file.
pub fn read_lines(path: &Path) -> Result<impl Iterator<Item = Result<String>>> {
    let f = File::open(path).map_err(|e| work_error(path, e))?;
    let path = path.to_path_buf();
    Ok(BufReader::new(f).lines().map(move |l| l.map_err(|e| work_error(&path, e))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_survive_closing_and_reopening_and_the_folder_is_removed() {
        let parent = tempfile::tempdir().unwrap();
        let work = WorkDir::create(parent.path()).unwrap();
        let kept = work.path().to_path_buf();
        let mut spill = Spill::new(work.path(), "p", 1);
        for (k, line) in [(2, "b1"), (1, "a1"), (2, "b2"), (1, "a2")] {
            spill.write(&k, line).unwrap();
        }
        let files = spill.finish().unwrap();
        let read = |k: i32| read_lines(&files[&k]).unwrap().collect::<Result<Vec<_>>>().unwrap();
        assert_eq!(files.keys().copied().collect::<Vec<_>>(), [1, 2]);
        assert_eq!((read(1), read(2)), (vec!["a1".to_string(), "a2".into()], vec!["b1".to_string(), "b2".into()]));
        drop(work);
        assert!(!kept.exists());
    }
}
