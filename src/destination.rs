//! Where output goes on disk: one writer per file, and pages that are replaced
//! whole or not at all.
//!
//! Two runs writing one `-o` (a job started twice, a Kubernetes pod
//! overlapping its replacement, a `--resume` while the first run still
//! lives) interleave their lines into torn ones and both exit 0. So every
//! writer holds an exclusive advisory lock (`flock`) on what it writes, and
//! a second run fails at once naming the file. The kernel drops the lock
//! when its holder dies, so a killed run never blocks the next.
//!
//! A file written in place is empty or cut off while it is written, and a
//! kill then replaces a good result with a broken one: [`Replacement`]
//! writes beside it under a temporary name and renames over it when done.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

fn output_error(path: &Path, message: String) -> Error {
    Error::Output { path: path.display().to_string(), message }
}

/// `path` opened for writing without truncating it, with this process's
/// exclusive lock on it when it is a regular file (however linked to); the
/// lock lasts as long as the file stays open. A device or a pipe is not
/// locked: two runs writing `/dev/null` do not clash. Truncating is the
/// caller's business, once the lock is held.
pub fn lock(path: &Path) -> Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(false)
        .open(path)
        .map_err(|e| output_error(path, format!("cannot write: {e}")))?;
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Ok(file);
    }
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Usage(format!(
            "another run is writing {} (it holds the file's lock): wait for it to end, or write to another file",
            path.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(output_error(path, format!("cannot lock: {e}"))),
    }
}

/// Whether `path` is written as a regular file (it is one, or does not
/// exist yet) and so can be replaced by renaming: a device, a pipe or a
/// link (`/dev/null`, `/dev/stdout`) is written through, or a rename would
/// put a file where the device or link was.
pub fn is_plain(path: &Path) -> bool {
    std::fs::symlink_metadata(path).map_or(true, |m| m.is_file())
}

/// `path` for writing from its start, locked (see [`lock`]) and then
/// emptied when it is a regular file.
pub fn create(path: &Path) -> Result<File> {
    let file = lock(path)?;
    if file.metadata().is_ok_and(|m| m.is_file()) {
        file.set_len(0).map_err(|e| output_error(path, format!("cannot write: {e}")))?;
    }
    Ok(file)
}

/// Whether the open `file` is still what `path` names: false when the file
/// or its folder was deleted or replaced while a run wrote it, and every
/// line it wrote went nowhere anyone can read.
pub fn still_at(file: &File, path: &Path) -> bool {
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

/// A file written under the temporary name `.NAME.partial` beside its
/// destination (the same folder, so the rename is atomic) and renamed over
/// it by [`Replacement::commit`]; dropped uncommitted (an error), the
/// partial file is removed and the destination keeps its old content. The
/// lock is on the partial file, so two runs for one destination exclude
/// each other, and a partial file a killed run left is taken over and
/// replaced by the next run. A destination that is not a plain file (see
/// [`is_plain`]) is written through, as [`create`] writes it.
pub struct Replacement {
    path: PathBuf,
    /// The temporary name, while the file is not committed; `None` when written through.
    partial: Option<PathBuf>,
    out: BufWriter<File>,
}

impl Replacement {
    pub fn create(path: &Path) -> Result<Replacement> {
        let partial = is_plain(path).then(|| partial_name(path));
        let file = create(partial.as_deref().unwrap_or(path))?;
        Ok(Replacement { path: path.to_path_buf(), partial, out: BufWriter::with_capacity(1 << 20, file) })
    }

    /// Flushes the content to disk and puts it in place of the destination.
    pub fn commit(mut self) -> Result<()> {
        let path = self.path.clone();
        let err = |e: io::Error| output_error(&path, format!("cannot write: {e}"));
        self.out.flush().map_err(err)?;
        let Some(partial) = self.partial.take() else { return Ok(()) };
        let done = self.out.get_ref().sync_all().and_then(|()| std::fs::rename(&partial, &path));
        if let Err(e) = done {
            let _ = std::fs::remove_file(&partial);
            return Err(err(e));
        }
        Ok(())
    }
}

impl Write for Replacement {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl Drop for Replacement {
    fn drop(&mut self) {
        if let Some(partial) = &self.partial {
            let _ = std::fs::remove_file(partial);
        }
    }
}

/// `bytes` as the new content of `path`, through a [`Replacement`].
pub fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut r = Replacement::create(path)?;
    r.write_all(bytes).map_err(|e| output_error(path, format!("cannot write: {e}")))?;
    r.commit()
}

/// `.NAME.partial` beside `path`: where its next content is written
/// before it is renamed into place.
pub fn partial_name(path: &Path) -> PathBuf {
    let name = path.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.partial"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_until_the_first_is_gone() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.jsonl");
        let first = create(&p).unwrap();
        let err = create(&p).unwrap_err().to_string();
        assert!(err.contains("another run is writing") && err.contains("out.jsonl"), "{err}");
        assert!(still_at(&first, &p));
        drop(first);
        let again = create(&p).unwrap();
        std::fs::remove_file(&p).unwrap();
        assert!(!still_at(&again, &p), "a deleted output is noticed");

        let (target, link) = (dir.path().join("target"), dir.path().join("link"));
        std::fs::write(&target, "old content").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let held = create(&link).unwrap();
        assert!(create(&target).is_err(), "a link and its target are one output");
        drop(held);
        assert_eq!(std::fs::read(&target).unwrap(), b"", "emptied through the link");
        let (_a, _b) = (create(Path::new("/dev/null")).unwrap(), create(Path::new("/dev/null")).unwrap());
    }

    #[test]
    fn a_replacement_shows_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("page.html");
        std::fs::write(&p, "old").unwrap();
        let mut r = Replacement::create(&p).unwrap();
        r.write_all(b"half").unwrap();
        assert!(Replacement::create(&p).is_err(), "one writer per destination");
        drop(r);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        let mut r = Replacement::create(&p).unwrap();
        r.write_all(b"new").unwrap();
        r.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no partial file left");
    }
}
