//! Streaming readers: JSONL files (optionally gzip), folders of `.txt`
//! files, MUC-4 processed files and stdin, yielding one [`Document`] per
//! input record — including records that cannot be processed, which carry
//! an error instead of text, so no input line ever disappears.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::corpus::identity::{fnv1a64, fnv1a64_extend};
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

/// The longest JSONL line held in memory for `--max-bytes N`: a text of N
/// bytes written with JSON's widest escapes (`\u0000`, 6 bytes a byte) and
/// 1 MiB of other fields. A longer line cannot carry a text within the cap,
/// so it is skipped as it is read (one `text_too_long` record), never held:
/// memory stays bounded by `--max-bytes`, not by the input (a 1 MB gzip of
/// 1 GB of zeros is one line).
pub fn max_line_bytes(max_bytes: usize) -> usize {
    max_bytes.saturating_mul(6).saturating_add(1 << 20)
}

/// What stdin is called in messages (and default ids, beside other inputs).
const STDIN: &str = "<stdin>";

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
                sources.push(Source::Lines { name: STDIN.into(), reader: Box::new(BufReader::new(io::stdin())), line: 0, format });
            } else if p.is_dir() {
                sources.push(Source::Files { root: p.clone(), entries: walk(p)?.into_iter() });
            } else {
                sources.push(Source::Lines { name, reader: open_input(p)?, line: 0, format });
            }
        }
        Ok(Reader { prefix_ids: inputs.len() > 1, sources: sources.into_iter(), current: None, max_bytes, seen: HashSet::new(), shard: None })
    }

    /// Names stdin `name` and numbers its lines from `first`, for a worker
    /// fed a slice of a bigger input (a Spark task): the default ids of its
    /// records (no id, or a line that is no record) become `NAME:LINE`, the
    /// same whichever worker reads the line, and unique across workers,
    /// where numbering each slice from 1 would give every slice the same ids.
    pub fn with_stdin_origin(mut self, name: &str, first: usize) -> Self {
        let mut sources: Vec<Source> = self.sources.collect();
        for source in &mut sources {
            if let Source::Lines { name: n, line, .. } = source {
                if n == STDIN {
                    (*n, *line) = (name.to_string(), first.saturating_sub(1));
                }
            }
        }
        self.sources = sources.into_iter();
        self.prefix_ids = true;
        self
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
    let cap = max_line_bytes(max_bytes);
    let skipped = match read_bounded(reader.as_mut(), cap, &mut buf) {
        Ok((0, _)) => return Step::End,
        Ok((_, skipped)) => skipped,
        Err(e) => {
            let message = format!("{name}: line {}: {e}; the rest of this input was not read", *line);
            return Step::Last(Record { origin, doc: Document::failed(default_id, RecordError::new(READ_ERROR, message)) });
        }
    };
    if *line == 1 && buf.starts_with(BOM) {
        buf.drain(..BOM.len());
    }
    while matches!(buf.last(), Some(b'\n' | b'\r')) {
        buf.pop();
    }
    let skipped = skipped.or_else(|| (buf.len() > cap).then(|| (buf.len(), fnv1a64(&buf))));
    if let Some((bytes, hash)) = skipped {
        let message = format!("the line has {bytes} bytes, more than a text of at most {max_bytes} bytes and its other fields take ({cap}); skipped unread (raise it with --max-bytes)");
        let mut doc = Document::failed(default_id, RecordError::new("text_too_long", message));
        doc.fingerprint = Some(hash);
        return Step::Record(Record { origin, doc });
    }
    let fingerprint = fnv1a64(&buf);
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
    doc.fingerprint = Some(fingerprint);
    Step::Record(Record { origin, doc })
}

/// Reads one line, through its `\n`, into `buf`, keeping at most `cap`
/// bytes of it (and a line end). Returns the bytes consumed and, for a
/// longer line, its length and FNV-1a hash, taken as it streamed past
/// while `buf` was given back: such a line is never held whole.
fn read_bounded(reader: &mut dyn BufRead, cap: usize, buf: &mut Vec<u8>) -> io::Result<(usize, Option<(usize, u64)>)> {
    let (mut total, mut skipped) = (0usize, None::<u64>);
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), chunk.is_empty()),
        };
        let piece = &chunk[..take];
        skipped = match skipped {
            Some(h) => Some(fnv1a64_extend(h, piece)),
            None if buf.len() + take <= cap.saturating_add(2) => {
                buf.extend_from_slice(piece);
                None
            }
            None => {
                let h = fnv1a64_extend(fnv1a64(buf), piece);
                *buf = Vec::new();
                Some(h)
            }
        };
        reader.consume(take);
        total += take;
        if done {
            return Ok((total, skipped.map(|h| (total, h))));
        }
    }
}

/// Turns one JSON line into a document, or a failed document naming the problem.
pub fn parse_record(line: &str, default_id: &str, format: Format, max_bytes: usize) -> Document {
    if line.trim().is_empty() {
        return Document::failed(default_id, RecordError::new("empty_line", "the line is empty"));
    }
    let (id_key, text_key) = match format {
        Format::Jsonl => ("id", "text"),
        Format::Muc4 => ("docid", "doctext"),
    };
    let mut repaired = Vec::new();
    let value: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) if e.to_string().starts_with("recursion limit exceeded") => match shallow_object(line, text_key) {
            Some((v, notes)) => {
                repaired = notes;
                v
            }
            None => return Document::failed(default_id, RecordError::new("invalid_json", format!("not valid JSON: {e}"))),
        },
        Err(e) => match lossy_json::repair(line).and_then(|(fixed, notes)| Some((serde_json::from_str(&fixed).ok()?, notes))) {
            Some((v, notes)) => {
                repaired.push(RecordError::new("lossy_json", format!("decoded lossily: {}", notes.join("; "))));
                v
            }
            None => return Document::failed(default_id, RecordError::new("invalid_json", format!("not valid JSON: {e}"))),
        },
    };
    let Value::Object(mut obj) = value else {
        return Document::failed(default_id, RecordError::new("invalid_record", "the line is JSON but not an object"));
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

/// The top-level fields of a JSON object, each kept as its text.
struct RawFields(Vec<(String, Box<RawValue>)>);

impl<'de> serde::Deserialize<'de> for RawFields {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = RawFields;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<RawFields, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    fields.push(entry);
                }
                Ok(RawFields(fields))
            }
        }
        d.deserialize_map(Fields)
    }
}

/// A line that nests deeper than serde_json's 128 levels, read one level
/// deep: its id and text are usually shallow, and one deep metadata field
/// must not cost the record. A field too deep to parse is kept as its
/// JSON text (a string), with a `deep_metadata` warning naming it; a text
/// field (`text_key`) that deep becomes an empty array or object instead,
/// which the record's checks then refuse as not a string. `None` when the line is not an
/// object (skipping a value does not count its depth).
fn shallow_object(line: &str, text_key: &str) -> Option<(Value, Vec<RecordError>)> {
    let RawFields(fields) = serde_json::from_str(line).ok()?;
    let mut obj = Map::new();
    let mut notes = Vec::new();
    for (k, raw) in fields {
        let v = serde_json::from_str(raw.get()).unwrap_or_else(|_| {
            if k == text_key {
                return if raw.get().starts_with('[') { Value::Array(Vec::new()) } else { Value::Object(Map::new()) };
            }
            notes.push(RecordError::new("deep_metadata", format!("field \"{k}\" nests deeper than 128 levels; kept as its JSON text, a string")));
            Value::String(raw.get().to_string())
        });
        obj.insert(k, v);
    }
    Some((Value::Object(obj), notes))
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
    // one byte past the cap tells a file over it, which is never read whole
    let read = open_input(path).and_then(|r| r.take((max_bytes as u64).saturating_add(1)).read_to_end(&mut bytes).map_err(Error::from));
    let fingerprint = fnv1a64(&bytes);
    let mut doc = match read {
        Err(e) => Document::failed(rel, RecordError::new(READ_ERROR, e.to_string())),
        Ok(_) if bytes.len() > max_bytes => {
            Document::failed(rel, RecordError::new("text_too_long", format!("the file has more than {max_bytes} bytes, the cap (raise it with --max-bytes); skipped unread")))
        }
        Ok(_) if bytes.contains(&0) => Document::failed(rel, RecordError::new("binary_file", "the file holds NUL bytes: not a text article")),
        Ok(_) => {
            let mut warnings = Vec::new();
            let text = String::from_utf8(bytes).unwrap_or_else(|e| {
                warnings.push(RecordError::new("invalid_utf8", "the file is not valid UTF-8; invalid bytes were replaced by U+FFFD"));
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            });
            let mut d = if text.trim().is_empty() {
                Document::failed(rel, RecordError::new("empty_text", "the file is empty or only whitespace"))
            } else {
                Document::new(rel, text)
            };
            d.warnings = warnings;
            d
        }
    };
    doc.fingerprint = Some(fingerprint);
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
    fn deep_metadata_keeps_the_record_as_json_text() {
        let deep = format!("{}1{}", "[".repeat(300), "]".repeat(300));
        let d = parse(&format!(r#"{{"id": "a", "text": "Hi", "x": {deep}, "y": 2}}"#));
        assert!(d.errors.is_empty() && d.warnings[0].code == "deep_metadata", "{:?}", d.warnings);
        assert_eq!((d.id.as_str(), d.text.as_str()), ("a", "Hi"));
        assert_eq!(d.meta.get::<String>("x"), Some(deep.clone()));
        assert_eq!(d.meta.get::<u32>("y"), Some(2));
        assert_eq!(code(&parse(&format!(r#"{{"id": "a", "text": {deep}}}"#))), "invalid_text");
        assert_eq!(code(&parse(&deep)), "invalid_json");
    }

    #[test]
    fn a_line_over_the_cap_is_hashed_as_it_passes_not_held() {
        let mut input = io::Cursor::new(b"0123456789abcdef\nshort\n".to_vec());
        let mut buf = Vec::new();
        assert_eq!(read_bounded(&mut input, 10, &mut buf).unwrap(), (17, Some((17, fnv1a64(b"0123456789abcdef\n")))));
        assert!(buf.is_empty() && buf.capacity() < 17, "the long line was given back");
        assert_eq!(read_bounded(&mut input, 10, &mut buf).unwrap(), (6, None));
        assert_eq!(buf, b"short\n");
        assert_eq!(read_bounded(&mut input, 10, &mut buf).unwrap().0, 0);
        assert_eq!(max_line_bytes(usize::MAX), usize::MAX, "no overflow without a cap");
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
