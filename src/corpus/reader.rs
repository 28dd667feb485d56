//! Streaming readers: JSONL files (optionally gzip), folders of `.txt`
//! files, MUC-4 processed files and stdin, yielding one [`Document`] per
//! input record — including records that cannot be processed, which carry
//! an error instead of text, so no input line ever disappears.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::corpus::identity::fnv1a64;
use crate::corpus::input::open_input;
use crate::corpus::lossy_json;
use crate::corpus::walk::{walk, Entry, READ_ERROR};
use crate::document::{Document, Meta, RecordError};
use crate::error::{Error, Result};

/// The UTF-8 byte-order mark some Windows tools put before the first line.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Texts longer than this (in bytes) are refused with `text_too_long`: one
/// runaway record (a whole dump pasted into a field) must not stall a run.
pub const DEFAULT_MAX_TEXT_BYTES: usize = 5_000_000;

/// How to read a file input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One article per line: `text` required, `id` optional, `published`/`date` kept, the rest under `meta`.
    Jsonl,
    /// MUC-4 processed lines as used by GRIT/GTT: `{"docid", "doctext", …}`.
    Muc4,
}

/// Where a record came from, for error messages.
#[derive(Debug, Clone)]
pub struct Origin {
    pub source: String,
    pub line: usize,
}

/// One input record: a document to process (possibly already failed).
#[derive(Debug)]
pub struct Record {
    pub origin: Origin,
    pub doc: Document,
}

enum Source {
    Lines { name: String, reader: Box<dyn BufRead + Send>, line: usize, format: Format },
    Files { root: PathBuf, entries: std::vec::IntoIter<Entry> },
}

/// Reads all inputs in order, one record at a time (memory stays flat).
pub struct Reader {
    sources: std::vec::IntoIter<Source>,
    current: Option<Source>,
    max_bytes: usize,
    prefix_ids: bool,
    seen: HashSet<u64>,
    shard: Option<Shard>,
}

/// One slice `index/count` of the input for job arrays: a record belongs to
/// the shard chosen by a stable hash of its id, so the same record always
/// lands in the same shard, whatever the machine or the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (i, n) = s.split_once('/').ok_or("expected I/N, e.g. 0/8")?;
        let index: u64 = i.trim().parse().map_err(|_| format!("{i:?} is not a number"))?;
        let count: u64 = n.trim().parse().map_err(|_| format!("{n:?} is not a number"))?;
        if count == 0 || index >= count {
            return Err(format!("shard {index}/{count}: need 0 <= I < N"));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// FNV-1a of the id: stable across Rust versions, platforms and runs (unlike DefaultHasher).
    pub fn contains(&self, id: &str) -> bool {
        fnv1a64(id.as_bytes()) % self.count == self.index
    }
}

impl Reader {
    /// Opens every input up front, so a missing file is a usage error before
    /// any work is done. `-` is stdin.
    pub fn open(inputs: &[PathBuf], format: Format, max_bytes: usize) -> Result<Self> {
        let mut sources = Vec::new();
        for p in inputs {
            let name = p.display().to_string();
            if name == "-" {
                sources.push(Source::Lines { name: "<stdin>".into(), reader: Box::new(BufReader::new(io::stdin())), line: 0, format });
            } else if p.is_dir() {
                sources.push(Source::Files { root: p.clone(), entries: walk(p)?.into_iter() });
            } else {
                sources.push(Source::Lines { name, reader: open_input(p)?, line: 0, format });
            }
        }
        Ok(Reader { prefix_ids: inputs.len() > 1, sources: sources.into_iter(), current: None, max_bytes, seen: HashSet::new(), shard: None })
    }

    /// Keeps only the records of one shard (see [`Shard`]).
    pub fn with_shard(mut self, shard: Option<Shard>) -> Self {
        self.shard = shard;
        self
    }

    fn next_raw(&mut self) -> Option<Record> {
        loop {
            if self.current.is_none() {
                self.current = Some(self.sources.next()?);
            }
            let step = match self.current.as_mut().unwrap() {
                Source::Lines { name, reader, line, format } => next_line(name, reader, line, *format, self.prefix_ids, self.max_bytes),
                Source::Files { root, entries } => match entries.next() {
                    Some(Entry::File(p)) => Step::Record(file_record(root, &p, self.max_bytes)),
                    Some(Entry::Problem(p, error)) => Step::Record(Record {
                        origin: Origin { source: p.display().to_string(), line: 0 },
                        doc: Document::failed(relative(root, &p), error),
                    }),
                    None => Step::End,
                },
            };
            match step {
                Step::Record(r) => return Some(r),
                Step::Last(r) => {
                    self.current = None;
                    return Some(r);
                }
                Step::End => self.current = None,
            }
        }
    }
}

impl Iterator for Reader {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        let mut r = loop {
            let r = self.next_raw()?;
            if self.shard.map_or(true, |s| s.contains(&r.doc.id)) {
                break r;
            }
        };
        let mut h = DefaultHasher::new();
        r.doc.id.hash(&mut h);
        if !self.seen.insert(h.finish()) {
            r.doc.warnings.push(RecordError::new("duplicate_id", format!("id {:?} was already used by an earlier record", r.doc.id)));
        }
        Some(r)
    }
}

/// What reading one more record of a source gave.
enum Step {
    Record(Record),
    /// The source cannot go on (a read error): this record says why, and
    /// the source ends here, since a broken stream (a truncated gzip, stdin
    /// that is a folder) fails the same way on every further read.
    Last(Record),
    End,
}

fn next_line(name: &str, reader: &mut Box<dyn BufRead + Send>, line: &mut usize, format: Format, prefix: bool, max_bytes: usize) -> Step {
    let mut buf = Vec::new();
    *line += 1;
    let origin = Origin { source: name.to_string(), line: *line };
    let default_id = if prefix { format!("{name}:{}", *line) } else { line.to_string() };
    match reader.read_until(b'\n', &mut buf) {
        Ok(0) => return Step::End,
        Ok(_) => {}
        Err(e) => {
            let message = format!("{name}: line {}: {e}; the rest of this input was not read", *line);
            return Step::Last(Record { origin, doc: Document::failed(default_id, RecordError::new(READ_ERROR, message)) });
        }
    }
    if *line == 1 && buf.starts_with(BOM) {
        buf.drain(..BOM.len());
    }
    while matches!(buf.last(), Some(b'\n' | b'\r')) {
        buf.pop();
    }
    let mut warnings = Vec::new();
    let text = match String::from_utf8(buf) {
        Ok(s) => s,
        Err(e) => {
            warnings.push(RecordError::new("invalid_utf8", "the line is not valid UTF-8; invalid bytes were replaced by U+FFFD"));
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    let mut doc = parse_record(&text, &default_id, format, max_bytes);
    doc.warnings.extend(warnings);
    Step::Record(Record { origin, doc })
}

/// Turns one JSON line into a document, or a failed document naming the problem.
pub fn parse_record(line: &str, default_id: &str, format: Format, max_bytes: usize) -> Document {
    if line.trim().is_empty() {
        return Document::failed(default_id, RecordError::new("empty_line", "the line is empty"));
    }
    let mut repaired = None;
    let value: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => match lossy_json::repair(line).and_then(|(fixed, notes)| Some((serde_json::from_str(&fixed).ok()?, notes))) {
            Some((v, notes)) => {
                repaired = Some(RecordError::new("lossy_json", format!("decoded lossily: {}", notes.join("; "))));
                v
            }
            None => return Document::failed(default_id, RecordError::new("invalid_json", format!("not valid JSON: {e}"))),
        },
    };
    let Value::Object(mut obj) = value else {
        return Document::failed(default_id, RecordError::new("invalid_record", "the line is JSON but not an object"));
    };
    let (id_key, text_key) = match format {
        Format::Jsonl => ("id", "text"),
        Format::Muc4 => ("docid", "doctext"),
    };
    let mut id_warning = None;
    let id = match obj.shift_remove(id_key) {
        None | Some(Value::Null) => default_id.to_string(),
        Some(Value::String(s)) if s.trim().is_empty() => {
            id_warning = Some(RecordError::new("empty_id", format!("the id is empty; the line number {default_id} stands in")));
            default_id.to_string()
        }
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => other.to_string(),
    };
    let mut doc = parse_fields(obj, id, text_key, max_bytes);
    doc.warnings.extend(repaired);
    doc.warnings.extend(id_warning);
    doc
}

/// The text and publication date of a record whose id is settled.
fn parse_fields(mut obj: Map<String, Value>, id: String, text_key: &str, max_bytes: usize) -> Document {
    let text = match obj.shift_remove(text_key) {
        None | Some(Value::Null) => {
            return with_meta(Document::failed(id, RecordError::new("missing_text", format!("the record has no \"{text_key}\" field"))), obj)
        }
        Some(Value::String(s)) => s,
        Some(other) => {
            let kind = match other {
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                Value::Array(_) => "an array",
                _ => "an object",
            };
            return with_meta(Document::failed(id, RecordError::new("invalid_text", format!("\"{text_key}\" is {kind}, not a string"))), obj);
        }
    };
    let published = ["published", "date"].iter().find_map(|k| match obj.get(*k) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    });
    if published.is_some() {
        obj.shift_remove("published");
        obj.shift_remove("date");
    }
    let mut doc = if text.trim().is_empty() {
        Document::failed(id, RecordError::new("empty_text", "the text is empty or only whitespace"))
    } else if text.len() > max_bytes {
        Document::failed(id, RecordError::new("text_too_long", format!("the text has {} bytes, over the cap of {max_bytes} (raise it with --max-bytes)", text.len())))
    } else {
        Document::new(id, text)
    };
    doc.published = published;
    with_meta(doc, obj)
}

fn with_meta(mut doc: Document, meta: Map<String, Value>) -> Document {
    doc.meta = Meta::new(&meta);
    doc
}

/// The id of a file under an input folder: its path relative to the folder.
fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().into_owned()
}

fn file_record(root: &Path, path: &Path, max_bytes: usize) -> Record {
    let rel = relative(root, path);
    let origin = Origin { source: path.display().to_string(), line: 0 };
    let mut bytes = Vec::new();
    let read = open_input(path).and_then(|mut r| r.read_to_end(&mut bytes).map_err(Error::from));
    let doc = match read {
        Err(e) => Document::failed(rel, RecordError::new(READ_ERROR, e.to_string())),
        Ok(_) if bytes.contains(&0) => Document::failed(rel, RecordError::new("binary_file", "the file holds NUL bytes: not a text article")),
        Ok(_) => {
            let mut warnings = Vec::new();
            let text = String::from_utf8(bytes).unwrap_or_else(|e| {
                warnings.push(RecordError::new("invalid_utf8", "the file is not valid UTF-8; invalid bytes were replaced by U+FFFD"));
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            });
            let mut d = if text.trim().is_empty() {
                Document::failed(rel, RecordError::new("empty_text", "the file is empty or only whitespace"))
            } else if text.len() > max_bytes {
                Document::failed(rel, RecordError::new("text_too_long", format!("the file has {} bytes, over the cap of {max_bytes}", text.len())))
            } else {
                Document::new(rel, text)
            };
            d.warnings = warnings;
            d
        }
    };
    Record { origin, doc }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Document {
        parse_record(line, "7", Format::Jsonl, 100)
    }

    fn code(d: &Document) -> &str {
        &d.errors[0].code
    }

    #[test]
    fn fields_go_where_they_belong() {
        let d = parse(r#"{"id": 12, "text": "Hi there", "date": "2024-03-29", "url": "u"}"#);
        assert_eq!((d.id.as_str(), d.text.as_str(), d.published.as_deref()), ("12", "Hi there", Some("2024-03-29")));
        assert_eq!(d.meta.get::<String>("url").as_deref(), Some("u"));
        assert!(d.errors.is_empty());
        assert_eq!(parse(r#"{"text": "x"}"#).id, "7");
    }

    #[test]
    fn bad_records_name_the_problem() {
        assert_eq!(code(&parse("{not json")), "invalid_json");
        assert_eq!(code(&parse("[1,2]")), "invalid_record");
        assert_eq!(code(&parse(r#"{"id": "a"}"#)), "missing_text");
        assert_eq!(code(&parse(r#"{"id": "a", "text": 5}"#)), "invalid_text");
        assert_eq!(code(&parse(r#"{"id": "a", "text": " \n\t"}"#)), "empty_text");
        assert_eq!(code(&parse(&format!(r#"{{"text": "{}"}}"#, "x".repeat(101)))), "text_too_long");
        assert_eq!(code(&parse("   ")), "empty_line");
        let d = parse(r#"{"id": "a"}"#);
        assert_eq!(d.id, "a", "the id survives a failed record");
    }

    #[test]
    fn shards_partition_ids_stably() {
        let shards: Vec<Shard> = (0..3).map(|i| format!("{i}/3").parse().unwrap()).collect();
        for id in ["a", "b", "doc-17", "TST1-MUC3-0001", ""] {
            assert_eq!(shards.iter().filter(|s| s.contains(id)).count(), 1, "{id} in exactly one shard");
        }
        // FNV-1a("a") = 0xaf63dc4c8601ec8c: pinned so a shard never moves between versions
        assert!(Shard { index: 0xaf63dc4c8601ec8c % 7, count: 7 }.contains("a"));
        assert!("3/3".parse::<Shard>().is_err() && "x/2".parse::<Shard>().is_err() && "1/0".parse::<Shard>().is_err());
    }

    #[test]
    fn muc4_fields() {
        let d = parse_record(r#"{"docid": "TST1-MUC3-0001", "doctext": "text here", "extracts": {}}"#, "1", Format::Muc4, 100);
        assert_eq!(d.id, "TST1-MUC3-0001");
        assert!(d.meta.get::<serde::de::IgnoredAny>("extracts").is_some());
    }
}
