//! Which file is which: "is this output one of my inputs?" (device and
//! inode, so a symlink, a hard link or `./x` for `x` are caught) and cheap
//! content fingerprints (size plus a hash of the first and last bytes) that
//! tell whether a file changed between a run and its `--resume`.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Bytes hashed at each end of a file by [`fingerprint`]: enough to see an
/// edit at the start (new records) or the end (appended records) without
/// reading a multi-gigabyte archive.
const END_BYTES: u64 = 64 * 1024;

/// FNV-1a, 64 bits: stable across Rust versions, platforms and runs (unlike
/// `DefaultHasher`), so a hash written today means the same thing tomorrow.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    fnv1a64_extend(0xcbf2_9ce4_8422_2325, bytes)
}

/// [`fnv1a64`] of the bytes hashed into `h` followed by `bytes`, for data
/// hashed as it streams past.
pub fn fnv1a64_extend(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Device and inode of what `path` names (symlinks followed).
fn file_id(path: &Path) -> Option<(u64, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.dev(), m.ino()))
}

/// True when both paths name one existing file, however they are spelt.
pub fn same_file(a: &Path, b: &Path) -> bool {
    matches!((file_id(a), file_id(b)), (Some(x), Some(y)) if x == y)
}

/// Refuses an output that is also an input: opening it for writing would
/// empty the input before a line of it was read. `-` among the inputs is
/// stdin (caught when stdin is redirected from the output file); an input
/// folder is refused when the output lies inside it, where the next run
/// would read it back as an article.
pub fn refuse_output_among_inputs(output: &Path, inputs: &[PathBuf]) -> Result<()> {
    // Devices and pipes (/dev/null, /dev/stdout) are never overwritten in place.
    if std::fs::metadata(output).is_ok_and(|m| !m.is_file()) {
        return Ok(());
    }
    let out_dir = output.parent().map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p }).and_then(|p| p.canonicalize().ok());
    for input in inputs {
        let name = input.display();
        let clash = if input.as_os_str() == "-" {
            same_file(Path::new("/dev/stdin"), output).then(|| "is also the input on stdin: writing it would wipe the input".to_string())
        } else if input.is_dir() {
            let inside = matches!((&out_dir, input.canonicalize()), (Some(o), Ok(i)) if o.starts_with(&i));
            inside.then(|| format!("lies inside the input folder {name}: it would be read back as an article"))
        } else {
            same_file(input, output).then(|| format!("is also an input ({name}): writing it would wipe the input"))
        };
        if let Some(why) = clash {
            return Err(Error::Usage(format!("the output {} {why}; choose another output file", output.display())));
        }
    }
    Ok(())
}

/// Size and a hash of the first and last [`END_BYTES`] of a file, as
/// `"SIZE:HASH"` (hex): equal fingerprints mean "the same file, as far as a
/// cheap look can tell".
pub fn fingerprint(path: &Path) -> Result<String> {
    let err = |e: io::Error| Error::Input { path: path.display().to_string(), message: e.to_string() };
    let mut f = File::open(path).map_err(err)?;
    let size = f.metadata().map_err(err)?.len();
    let mut buf = Vec::new();
    (&mut f).take(END_BYTES).read_to_end(&mut buf).map_err(err)?;
    let mut h = fnv1a64(&buf);
    if size > END_BYTES {
        buf.clear();
        f.seek(SeekFrom::Start(size.saturating_sub(END_BYTES).max(END_BYTES))).map_err(err)?;
        f.take(END_BYTES).read_to_end(&mut buf).map_err(err)?;
        h = fnv1a64_extend(h, &buf);
    }
    Ok(format!("{size}:{h:016x}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_other_spellings_are_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.jsonl");
        std::fs::write(&a, "x\n").unwrap();
        let (sym, hard) = (dir.path().join("sym"), dir.path().join("hard"));
        std::os::unix::fs::symlink(&a, &sym).unwrap();
        std::fs::hard_link(&a, &hard).unwrap();
        for other in [&sym, &hard, &dir.path().join("./a.jsonl")] {
            assert!(same_file(&a, other), "{}", other.display());
            let err = refuse_output_among_inputs(other, &[a.clone()]).unwrap_err().to_string();
            assert!(err.contains("wipe"), "{err}");
        }
        assert!(!same_file(&a, &dir.path().join("new.jsonl")));
        assert!(refuse_output_among_inputs(&dir.path().join("new.jsonl"), &[a.clone()]).is_ok());
        let inside = refuse_output_among_inputs(&dir.path().join("out.jsonl"), &[dir.path().to_path_buf()]).unwrap_err().to_string();
        assert!(inside.contains("read back"), "{inside}");
        assert!(refuse_output_among_inputs(Path::new("/dev/null"), &[PathBuf::from("-")]).is_ok());
    }

    #[test]
    fn fingerprints_see_edits_at_either_end() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        let body = vec![b'a'; 300_000];
        std::fs::write(&p, &body).unwrap();
        let first = fingerprint(&p).unwrap();
        assert!(first.starts_with("300000:"));
        for at in [0, body.len() - 1] {
            let mut edited = body.clone();
            edited[at] = b'b';
            std::fs::write(&p, &edited).unwrap();
            assert_ne!(fingerprint(&p).unwrap(), first, "edit at byte {at}");
        }
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
    }
}
