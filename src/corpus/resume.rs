//! `--resume`: continuing an interrupted run without mixing two runs' data.
//!
//! A run that writes a file (`-o OUT`) first records what it was started
//! with in `OUT.resume.json`: every input by path and fingerprint (size and
//! a hash of its first and last bytes), the model files likewise, and the
//! options that change the lines. The record is removed when the run
//! finishes, so it exists exactly while OUT is incomplete. A resume is
//! refused, with what differs, unless it is started with the same; then
//! every line already in OUT is streamed once (memory stays one line), its
//! id and input fingerprint (a hash of the record's bytes, which every line
//! carries) checked against the input record at the same position, and a
//! torn last line (a write cut by `kill -9`) is cut off before appending.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::corpus::identity::{fingerprint, fnv1a64};
use crate::corpus::reader::Record;
use crate::corpus::walk::{walk, Entry};
use crate::error::{Error, Result};
use crate::destination;

/// A file as the run record knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Mark {
    path: String,
    fingerprint: String,
}

/// What a run was started with (the content of `OUT.resume.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    inputs: Vec<Mark>,
    models: Vec<Mark>,
    /// Options that change the lines, by flag name.
    options: BTreeMap<String, String>,
}

impl RunRecord {
    /// Fingerprints `inputs` (`-` is stdin, which cannot be checked; a
    /// folder by the paths and sizes of its files) and the `model_files`.
    pub fn new(inputs: &[PathBuf], model_files: &[PathBuf], options: BTreeMap<String, String>) -> Result<Self> {
        let inputs = inputs.iter().map(|p| input_mark(p)).collect::<Result<_>>()?;
        let models = model_files.iter().map(|p| Ok(Mark { path: absolute(p), fingerprint: fingerprint(p)? })).collect::<Result<_>>()?;
        Ok(RunRecord { inputs, models, options })
    }

    /// What differs from `now`, one phrase each.
    fn differences(&self, now: &RunRecord) -> Vec<String> {
        let mut out = Vec::new();
        let paths = |m: &[Mark]| m.iter().map(|m| m.path.clone()).collect::<Vec<_>>().join(", ");
        for (what, was, is) in [("inputs", &self.inputs, &now.inputs), ("model files", &self.models, &now.models)] {
            if was.iter().map(|m| &m.path).ne(is.iter().map(|m| &m.path)) {
                out.push(format!("the {what} were [{}], now [{}]", paths(was), paths(is)));
            } else {
                for (a, b) in was.iter().zip(is) {
                    if a.fingerprint != b.fingerprint {
                        out.push(format!("{} changed since (size:hash {} then, {} now)", a.path, a.fingerprint, b.fingerprint));
                    }
                }
            }
        }
        let keys: std::collections::BTreeSet<&String> = self.options.keys().chain(now.options.keys()).collect();
        for k in keys {
            let (a, b) = (self.options.get(k), now.options.get(k));
            if a != b {
                let show = |v: Option<&String>| v.map_or("(not recorded)".to_string(), Clone::clone);
                out.push(format!("{k} was {} then, {} now", show(a), show(b)));
            }
        }
        out
    }
}

fn absolute(p: &Path) -> String {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf()).display().to_string()
}

fn input_mark(p: &Path) -> Result<Mark> {
    if p.as_os_str() == "-" {
        return Ok(Mark { path: "-".into(), fingerprint: "stdin (not checked)".into() });
    }
    if !p.is_dir() {
        return Ok(Mark { path: absolute(p), fingerprint: fingerprint(p)? });
    }
    let mut listing = String::new();
    let entries = walk(p)?;
    for e in &entries {
        let size = match e {
            Entry::File(f) => std::fs::metadata(f).map_or(0, |m| m.len()),
            Entry::Problem(..) => 0,
        };
        listing.push_str(&format!("{}\t{size}\n", e.path().display()));
    }
    Ok(Mark { path: absolute(p), fingerprint: format!("folder of {}:{:016x}", entries.len(), fnv1a64(listing.as_bytes())) })
}

/// `OUT.resume.json` beside `OUT`.
pub fn record_path(output: &Path) -> PathBuf {
    let mut name = output.file_name().unwrap_or_default().to_os_string();
    name.push(".resume.json");
    output.with_file_name(name)
}

/// The records of a run that carry errors: how many, and the ids of the
/// first few for the summary. Only those few are kept, so a run in which
/// every record fails (50,000 errors with 20 KB ids each) holds kilobytes,
/// not a gigabyte; the lines themselves name every one.
#[derive(Debug, Default, PartialEq)]
pub struct Failures {
    pub count: usize,
    pub first: Vec<String>,
}

impl Failures {
    /// Ids the summary names before "and N more".
    pub const SHOWN: usize = 5;

    pub fn add(&mut self, id: &str) {
        self.count += 1;
        if self.first.len() < Self::SHOWN {
            self.first.push(id.to_string());
        }
    }
}

/// How far an earlier run got.
#[derive(Debug, Default, PartialEq)]
pub struct Progress {
    /// Complete lines already in the output (their records were consumed).
    pub lines: usize,
    pub last_id: Option<String>,
    /// Bytes of a torn last line that were removed.
    pub repaired_bytes: u64,
    /// The lines already written that carry errors.
    pub failed: Failures,
}

/// Opens `output` for a run: fresh (emptied, after recording `record`
/// beside it), or with `resume` positioned after the lines an earlier run
/// with the same record wrote, whose input records are taken off `records`.
/// A regular file is locked first (see [`destination::lock`]), so a second run on
/// the same output (a resume while the first still lives) fails before it
/// reads or changes anything. A device (`/dev/null`) is written as it is,
/// with nothing recorded.
pub fn open_output(output: &Path, record: &RunRecord, resume: bool, records: &mut dyn Iterator<Item = Record>) -> Result<(File, Progress)> {
    let write_err = |e: std::io::Error| Error::Output { path: output.display().to_string(), message: format!("cannot write: {e}") };
    if !std::fs::metadata(output).map_or(true, |m| m.is_file()) {
        if resume {
            return Err(Error::Usage(format!("--resume needs a regular output file; {} is not one", output.display())));
        }
        let file = OpenOptions::new().write(true).open(output).map_err(write_err)?;
        return Ok((file, Progress::default()));
    }
    let mut file = destination::lock(output)?;
    let sidecar = record_path(output);
    let mut progress = Progress::default();
    if resume {
        progress = check_resume(output, &sidecar, record, records)?;
    } else {
        write_record(&sidecar, record)?;
        file.set_len(0).map_err(write_err)?;
    }
    file.seek(SeekFrom::End(0)).map_err(write_err)?;
    Ok((file, progress))
}

/// Marks the run complete: its record is no longer needed. Fails when the
/// `file` written is no longer at `output` (it or its folder was deleted
/// or replaced during the run): its lines went nowhere.
pub fn finish(output: &Path, file: &File) -> Result<()> {
    if std::fs::metadata(output).map_or(true, |m| m.is_file()) && !destination::still_at(file, output) {
        return Err(Error::Output {
            path: output.display().to_string(),
            message: "the file (or its folder) was deleted or replaced while this run wrote it: its lines are lost; run again".into(),
        });
    }
    match std::fs::remove_file(record_path(output)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Output { path: record_path(output).display().to_string(), message: e.to_string() }),
        _ => Ok(()),
    }
}

/// Written to a temporary name and renamed, so a kill leaves the old record or the new one.
fn write_record(path: &Path, record: &RunRecord) -> Result<()> {
    let err = |e: std::io::Error| Error::Output { path: path.display().to_string(), message: format!("cannot write the resume record a later --resume needs: {e}; write -o into a folder you can write to") };
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_vec_pretty(record).expect("plain structs serialise")).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}

fn check_resume(output: &Path, sidecar: &Path, now: &RunRecord, records: &mut dyn Iterator<Item = Record>) -> Result<Progress> {
    let out = output.display();
    let refuse = |why: String| Error::Usage(format!("--resume: {why}; run without --resume to start {out} over"));
    let started = match std::fs::read(sidecar) {
        Ok(bytes) => serde_json::from_slice::<RunRecord>(&bytes).map_err(|e| refuse(format!("{} is unreadable ({e})", sidecar.display())))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::fs::metadata(output).map_or(true, |m| m.len() == 0) {
                write_record(sidecar, now)?;
                return Ok(Progress::default());
            }
            return Err(refuse(format!(
                "there is no {} beside it, so the run that wrote it either finished (nothing to resume) or was not `newsner extract -o`",
                sidecar.display()
            )));
        }
        Err(e) => return Err(Error::Output { path: sidecar.display().to_string(), message: e.to_string() }),
    };
    let diffs = started.differences(now);
    if !diffs.is_empty() {
        return Err(refuse(format!("{out} was started with something else: {}", diffs.join("; "))));
    }
    // The same record, written again before anything else: a folder this
    // run cannot write (where it could not remove the record at the end)
    // is refused now, not after every record was processed.
    write_record(sidecar, now)?;
    verify_lines(output, records)
}

/// The part of an output line the check reads.
#[derive(Deserialize)]
struct LineHead {
    id: String,
    #[serde(default)]
    errors: Vec<serde::de::IgnoredAny>,
    #[serde(default)]
    fingerprint: Option<String>,
}

/// Streams the lines in `output`, matching each id with the next record;
/// cuts off a torn last line.
fn verify_lines(output: &Path, records: &mut dyn Iterator<Item = Record>) -> Result<Progress> {
    let io_err = |e: std::io::Error| Error::Output { path: output.display().to_string(), message: e.to_string() };
    let file = match File::open(output) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Progress::default()),
        Err(e) => return Err(io_err(e)),
    };
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let (mut p, mut complete_bytes, mut buf) = (Progress::default(), 0u64, Vec::new());
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).map_err(io_err)?;
        if n == 0 {
            break;
        }
        if buf.last() != Some(&b'\n') {
            p.repaired_bytes = n as u64;
            break;
        }
        let line = p.lines + 1;
        let data = |message: String| Error::Data { path: output.display().to_string(), line, message: format!("--resume: {message}") };
        let head: LineHead = serde_json::from_slice(&buf).map_err(|e| data(format!("not an output line of newsner extract ({e})")))?;
        let Some(rec) = records.next() else {
            return Err(data(format!("the output holds more lines than the inputs have records ({})", p.lines)));
        };
        if rec.doc.id != head.id {
            return Err(data(format!("the line has id {:?} but input record {line} has id {:?}: the output belongs to other inputs", head.id, rec.doc.id)));
        }
        // The id alone would keep a foreign line that happens to carry the next id.
        if let Some(want) = rec.doc.fingerprint.map(|h| format!("{h:016x}")) {
            match &head.fingerprint {
                Some(got) if *got == want => {}
                Some(got) => {
                    return Err(data(format!("the line (id {:?}) has input fingerprint {got} but input record {line} has {want}: it was made from another record", head.id)))
                }
                None => return Err(data(format!("the line (id {:?}) carries no input fingerprint: it was not written by this run", head.id))),
            }
        }
        if !head.errors.is_empty() {
            p.failed.add(&head.id);
        }
        p.last_id = Some(head.id);
        p.lines = line;
        complete_bytes += n as u64;
    }
    if p.repaired_bytes > 0 {
        OpenOptions::new().write(true).open(output).and_then(|f| f.set_len(complete_bytes)).map_err(io_err)?;
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    fn records(ids: &[&str]) -> Vec<Record> {
        ids.iter()
            .map(|id| Record { origin: crate::corpus::reader::Origin { source: "t".into(), line: 0 }, doc: Document::new(*id, "x") })
            .collect()
    }

    #[test]
    fn torn_last_line_is_cut_ids_checked_errors_counted() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.jsonl");
        std::fs::write(&p, "{\"id\":\"a\"}\n{\"id\":\"b\",\"errors\":[{\"code\":\"x\"}]}\n{\"id\":\"c\",\"ent").unwrap();
        let mut recs = records(&["a", "b", "c"]).into_iter();
        let got = verify_lines(&p, &mut recs).unwrap();
        assert_eq!(got, Progress { lines: 2, last_id: Some("b".into()), repaired_bytes: 14, failed: Failures { count: 1, first: vec!["b".into()] } });
        assert_eq!(recs.next().unwrap().doc.id, "c", "records of written lines are consumed, no more");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "{\"id\":\"a\"}\n{\"id\":\"b\",\"errors\":[{\"code\":\"x\"}]}\n");
        let err = verify_lines(&p, &mut records(&["a", "z"]).into_iter()).unwrap_err().to_string();
        assert!(err.contains(":2:") && err.contains("\"z\""), "{err}");
        assert!(verify_lines(&p, &mut records(&["a"]).into_iter()).unwrap_err().to_string().contains("more lines"));
    }

    #[test]
    fn differences_name_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.jsonl");
        std::fs::write(&a, "{}\n").unwrap();
        let opts = |v: &str| BTreeMap::from([("--ner-only".to_string(), v.to_string())]);
        let was = RunRecord::new(&[a.clone()], &[], opts("false")).unwrap();
        assert!(was.differences(&was.clone()).is_empty());
        std::fs::write(&a, "{}\n{}\n").unwrap();
        let now = RunRecord::new(&[a.clone()], &[], opts("true")).unwrap();
        let diffs = was.differences(&now).join("; ");
        assert!(diffs.contains("a.jsonl changed since") && diffs.contains("--ner-only was false then, true now"), "{diffs}");
        assert_eq!(record_path(Path::new("x/out.jsonl")), Path::new("x/out.jsonl.resume.json"));
    }
}
