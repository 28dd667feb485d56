//! Across articles: one record per real-world incident.
//!
//! `extract` writes what each article says; a corpus reports the same attack
//! many times, with different tolls, dates ("Friday", "May 10") and places
//! (the city, a district of it). [`merge`] joins those reports so an incident
//! is counted once and every claim about it stays traceable to its article.
//!
//! # When reports are one incident
//!
//! Merging is entity resolution with a scored decision ([`rules::score`]):
//! two reports are kept apart by anything they both state and that
//! differs: another known type, another country, another city outside
//! the same admin1 area, other named perpetrators, or dates that cannot
//! meet (day-precise dates more than a day apart; periods that do not
//! overlap; an undated report counts as the week before its article's
//! publication, and without that date it has no time to conflict with).
//! Otherwise evidence adds up: the same day, the same city (admin1 area,
//! country), the same known type, a shared perpetrator organisation, the
//! same exact toll, the same named target, and shared distinctive names
//! from the incident's own sentences: a person's surname, a ship, a shop,
//! weighted by how rare they are in the corpus and matched whatever label
//! the tagger gave them (names from the rest of an article count less). A pair joins at [`rules::LINK_THRESHOLD`]: the same
//! day and country with the type, or (without a usable date) the same
//! place and type and a distinctive name or two.
//!
//! Groups form strongest link first and never across a conflict: a group
//! keeps the type, country, cities, perpetrators and the days all its
//! members allow, and another report joins only if it contradicts none of
//! them, so reports two days apart never meet through one in between. A
//! report whose best links lead to two groups that cannot be one event,
//! with scores too close to choose, stays on its own ([`resolve`]).
//!
//! # Out of core
//!
//! Inputs are streamed once into a work file of compact reports
//! ([`report::Report`]) while a fixed-size sketch counts how many reports
//! carry each name. Candidate pairs come from blocking keys (each name,
//! the article's 12 heaviest other names,
//! the day and the next in a country, the admin1 area or city, the month):
//! key lines go to hashed partition files, one partition is in memory at a
//! time, and inside a key each report meets only the next
//! [`resolve::WINDOW`] reports in date order, so the pairs per report are
//! bounded. What stays in memory for the whole corpus is a small profile
//! per report (type, dates, country, cities, perpetrators) and the links
//! kept; the reports are then read back, routed to their group's partition
//! file, and each group's record is built and sorted into output buckets
//! by (month, country). The work folder is removed at the end.
//!
//! # Output line
//!
//! One JSON object per merged incident, ordered by `date.value` (as an ISO
//! string, so a month precedes its days; undated last), then
//! `location.country` (unknown last), then the first source:
//!
//! ```text
//! id                        the first source's incident id ("<article>#<n>")
//! type                      the one known type of the sources, else "unknown"
//! date                      {value, precision} | null: the finest precision
//!                           any source gives, its earliest value
//! location                  {city, admin1, country, lat, lon} | null: the
//!                           city most sources name (tie: first source's),
//!                           else country only
//! perpetrator_organizations [{name, claimed}]: each once; claimed if any
//!                           source says so
//! claimed_by                [name]
//! casualties                {killed, injured}, each null or
//!   value, approx           the reconciled figure
//!   rule                    "max_exact" | "max_approx"
//!   conflict                true when the sources' values differ
//!   reports                 [{value, approx, text, article, incident}]
//! confidence                the highest source confidence
//! merge                     null for a single report; else {confidence,
//!                           links: [{from, to, score, agreed}]}: the links
//!                           that joined the sources (incident ids), their
//!                           scores and the fields that agreed; confidence
//!                           1 - 0.5^(weakest score / threshold), so 0.5 at
//!                           the threshold
//! sources                   [{article, incident, published, type, date,
//!                           location, evidence: [{start, end}], confidence}]
//!                           in publication order, then article id
//! ```
//!
//! Casualties: `max_exact` is the largest exact figure any source gives.
//! Tolls rise as reports come in (bodies found, injured dying), so the latest
//! report is usually the highest, and a hedged figure ("at least 15",
//! "dozens") is a bound, not a count. `max_approx` — the largest hedged
//! figure, still `approx` — only when no source gives an exact one.

pub mod record;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod spill;

use std::collections::{BTreeMap, BinaryHeap};
use std::cmp::Reverse;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use crate::corpus::input::open_input;
use crate::error::{Error, Result};
use crate::output::merged::Link;
use record::OrderKey;
use report::{ArticleView, Report};
use resolve::{Edge, Sketch};
use rules::Profile;
use spill::{read_lines, work_error, Spill, WorkDir};

#[derive(Debug, Clone)]
pub struct MergeOptions {
    /// Where the work folder goes (it is removed at the end).
    pub temp_dir: PathBuf,
    /// How many hashed partition files the blocking keys and groups are
    /// spread over; more files, less memory each.
    pub partitions: u32,
    /// Partition files open for writing at once.
    pub max_open_files: usize,
}

impl MergeOptions {
    pub fn new(temp_dir: PathBuf) -> Self {
        MergeOptions { temp_dir, partitions: 64, max_open_files: 64 }
    }
}

/// What a merge read and wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub inputs: usize,
    pub articles: u64,
    pub incidents: u64,
    pub records: u64,
    pub errors: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = |n: u64| if n == 1 { "" } else { "s" };
        write!(
            f,
            "{} input{}, {} article{}, {} incident{} in, {} merged record{} out, {} error{}",
            self.inputs,
            s(self.inputs as u64),
            self.articles,
            s(self.articles),
            self.incidents,
            s(self.incidents),
            self.records,
            s(self.records),
            self.errors,
            s(self.errors)
        )
    }
}

fn partition_of(key: &str, partitions: u32) -> u32 {
    (crate::text::fold::fold_hash(key) % u64::from(partitions.max(1))) as u32
}

/// Merges the incidents of the annotated `inputs` (`-` is stdin, `.gz` is
/// decompressed) into `out`. A malformed line or incident is reported to
/// `on_error` (an [`Error::Data`] naming file and line), counted, and
/// skipped; the run goes on. Unreadable inputs and work-file failures end it.
pub fn merge(inputs: &[PathBuf], out: &mut dyn Write, opts: &MergeOptions, on_error: &mut dyn FnMut(&Error)) -> Result<Summary> {
    for p in inputs.iter().filter(|p| p.as_os_str() != "-") {
        let problem = if !p.exists() {
            "no such file"
        } else if p.is_dir() {
            "is a folder; merge reads annotated JSONL files"
        } else {
            continue;
        };
        return Err(Error::Input { path: p.display().to_string(), message: problem.into() });
    }
    let work = WorkDir::create(&opts.temp_dir)?;
    let mut summary = Summary { inputs: inputs.len(), ..Summary::default() };

    // 1. Compact reports to one work file; name counts; one profile each.
    let reports_path = work.path().join("reports.jsonl");
    let mut reports = std::io::BufWriter::new(std::fs::File::create(&reports_path).map_err(|e| work_error(&reports_path, e))?);
    let mut sketch = Sketch::default();
    let mut profiles: Vec<Profile> = Vec::new();
    let mut sources: Vec<(bool, String, String, u32, u32, u64)> = Vec::new();
    for (i, path) in inputs.iter().enumerate() {
        read_input(path, i as u32, &mut summary, on_error, &mut |r| {
            sketch.add(&r);
            profiles.push(Profile::of(&r));
            let (a, b, c, d, e, f) = r.source_key();
            sources.push((a, b.to_string(), c.to_string(), d, e, f));
            let line = serde_json::to_string(&r).expect("plain struct serialises");
            writeln!(reports, "{line}").map_err(|e| work_error(&reports_path, e))
        })?;
    }
    reports.flush().map_err(|e| work_error(&reports_path, e))?;
    drop(reports);
    if profiles.len() > u32::MAX as usize {
        return Err(Error::Work { path: reports_path.display().to_string(), message: "more than 4 billion incidents in one merge".into() });
    }
    // Source order ranks, so ties never depend on input order.
    let mut by_source: Vec<u32> = (0..sources.len() as u32).collect();
    by_source.sort_by(|&a, &b| sources[a as usize].cmp(&sources[b as usize]));
    let mut order = vec![0u32; sources.len()];
    for (rank, &i) in by_source.iter().enumerate() {
        order[i as usize] = rank as u32;
    }
    drop(sources);

    // 2. Blocking keys to hashed partitions; candidate pairs per key.
    let weight = |n: &report::Name| sketch.weight(n);
    let mut blocks: Spill<u32> = Spill::new(work.path(), "block-", opts.max_open_files);
    for (idx, line) in read_lines(&reports_path)?.enumerate() {
        let line = line?;
        let r: Report = serde_json::from_str(&line).map_err(|e| work_error(&reports_path, e))?;
        for key in resolve::block_keys(&r, &weight) {
            blocks.write(&partition_of(&key, opts.partitions), &format!("{key}\t{idx}\t{line}"))?;
        }
    }
    let mut edges: Vec<Edge> = Vec::new();
    for path in blocks.finish()?.values() {
        let mut keyed: Vec<(String, u32, Report)> = Vec::new();
        for line in read_lines(path)? {
            let line = line?;
            let (key, idx, report) = tagged_report(path, &line)?;
            keyed.push((key.to_string(), idx, report));
        }
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        let mut keyed = keyed.into_iter().peekable();
        while let Some((key, idx, report)) = keyed.next() {
            let mut group = vec![(idx, report)];
            while let Some((_, idx, report)) = keyed.next_if(|k| k.0 == key) {
                group.push((idx, report));
            }
            resolve::pairs(&mut group, &weight, &mut edges);
        }
        std::fs::remove_file(path).map_err(|e| work_error(path, e))?;
    }

    // 3. Groups, then each group's record.
    let groups = resolve::cluster(edges, profiles, &order);
    drop(sketch);
    let mut members: Spill<u32> = Spill::new(work.path(), "group-", opts.max_open_files);
    for (idx, line) in read_lines(&reports_path)?.enumerate() {
        let root = groups.root[idx];
        members.write(&(root % opts.partitions.max(1)), &format!("{root}\t{idx}\t{}", line?))?;
    }
    let mut buckets: Spill<(String, bool, String)> = Spill::new(work.path(), "out-", opts.max_open_files);
    for path in members.finish()?.values() {
        let mut by_root: BTreeMap<u32, Vec<(u32, Report)>> = BTreeMap::new();
        for line in read_lines(path)? {
            let line = line?;
            let (root, idx, report) = tagged_report(path, &line)?;
            let root: u32 = root.parse().map_err(|e| work_error(path, e))?;
            by_root.entry(root).or_default().push((idx, report));
        }
        for (root, reports) in by_root {
            // Each link reads from the source listed first to the other.
            let incident = |i: u32| reports.iter().find(|(idx, _)| *idx == i).map(|(_, r)| r.incident.clone()).unwrap_or_default();
            let links: Vec<Link> = groups
                .links
                .get(&root)
                .into_iter()
                .flatten()
                .map(|e| {
                    let (from, to) = if order[e.a as usize] <= order[e.b as usize] { (e.a, e.b) } else { (e.b, e.a) };
                    Link { from: incident(from), to: incident(to), score: e.link.score, agreed: e.link.agreed.clone() }
                })
                .collect();
            let (key, merged) = record::record(reports.into_iter().map(|(_, r)| r).collect(), &links);
            summary.records += 1;
            let line = format!("{}\t{}", serde_json::to_string(&key).expect("plain struct"), serde_json::to_string(&merged).expect("plain struct"));
            buckets.write(&key.bucket(), &line)?;
        }
        std::fs::remove_file(path).map_err(|e| work_error(path, e))?;
    }
    write_sorted(buckets.finish()?, out)?;
    Ok(summary)
}

/// A work-file line `tag \t report index \t report`: the tag (a blocking
/// key or a group), the index and the report.
fn tagged_report<'a>(path: &Path, line: &'a str) -> Result<(&'a str, u32, Report)> {
    let mut parts = line.splitn(3, '\t');
    let (Some(tag), Some(idx), Some(json)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(work_error(path, "a work line without its tag and report index"));
    };
    let idx: u32 = idx.parse().map_err(|e| work_error(path, e))?;
    Ok((tag, idx, serde_json::from_str(json).map_err(|e| work_error(path, e))?))
}

/// Streams one input, handing each valid incident to `report`.
fn read_input(
    path: &Path,
    input: u32,
    summary: &mut Summary,
    on_error: &mut dyn FnMut(&Error),
    report: &mut dyn FnMut(Report) -> Result<()>,
) -> Result<()> {
    let name = path.display().to_string();
    let mut reader = open_input(path)?;
    let mut buf = Vec::new();
    for line_no in 1u64.. {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).map_err(|e| Error::Input { path: name.clone(), message: e.to_string() })?;
        if n == 0 {
            break;
        }
        if buf.last() != Some(&b'\n') {
            // `extract` ends every line it writes with a newline, so a last
            // line without one was cut off: a part file still being written,
            // or one whose writer was killed. Merging it would silently count
            // a shard as complete; the shard must be rerun (or resumed) first.
            return Err(Error::Input {
                path: name,
                message: format!(
                    "line {line_no} does not end in a newline: the file is cut off (a torn write, or a writer still running); \
                     rerun or `extract --resume` its shard, then merge again"
                ),
            });
        }
        let mut fail = |message: String| {
            summary.errors += 1;
            on_error(&Error::Data { path: name.clone(), line: line_no as usize, message });
        };
        let Ok(text) = std::str::from_utf8(&buf) else {
            fail("not valid UTF-8".into());
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        let article: ArticleView = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) if e.is_syntax() || e.is_eof() => {
                fail(format!("not valid JSON: {e}"));
                continue;
            }
            Err(e) => {
                let value = serde_json::from_str::<serde_json::Value>(text).unwrap_or_default();
                let incidents_ok = matches!(value.get("incidents"), None | Some(serde_json::Value::Null | serde_json::Value::Array(_)));
                fail(match value.get("id").and_then(|v| v.as_str()) {
                    None => "not an annotated record (no \"id\" string); is this the output of `newsner extract`?".into(),
                    Some(id) if !incidents_ok => format!("record {id}: \"incidents\" is not an array"),
                    Some(id) => format!("record {id}: {e}"),
                });
                continue;
            }
        };
        let published = article.published.as_deref().filter(|p| !p.trim().is_empty());
        summary.articles += 1;
        for (i, raw) in article.incidents.iter().flatten().enumerate() {
            match Report::from_line(raw.get(), &article, published, i as u32, input, line_no) {
                Ok(r) => {
                    summary.incidents += 1;
                    report(r)?;
                }
                Err(e) => fail(format!("record {}, incident {}: {e}", article.id, i + 1)),
            }
        }
    }
    Ok(())
}

/// Writes the bucketed records in order: each bucket is sorted in memory
/// and written back, then the buckets of one period (they differ only in
/// country, and the order is date before country) are merged line by line.
fn write_sorted(buckets: BTreeMap<(String, bool, String), PathBuf>, out: &mut dyn Write) -> Result<()> {
    let mut periods: BTreeMap<&str, Vec<&PathBuf>> = BTreeMap::new();
    for ((period, _, _), path) in &buckets {
        periods.entry(period).or_default().push(path);
    }
    for files in periods.values() {
        let mut streams = Vec::new();
        for path in files {
            let mut lines = read_lines(path)?.map(|l| keyed(path, l?)).collect::<Result<Vec<_>>>()?;
            lines.sort_by(|a, b| a.0.cmp(&b.0));
            let mut w = std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| work_error(path, e))?);
            for (_, line) in &lines {
                writeln!(w, "{line}").map_err(|e| work_error(path, e))?;
            }
            w.flush().map_err(|e| work_error(path, e))?;
            drop(lines);
            streams.push((path, read_lines(path)?));
        }
        let mut heads = BinaryHeap::new();
        for (i, (path, lines)) in streams.iter_mut().enumerate() {
            if let Some(l) = lines.next() {
                heads.push(Reverse((keyed(path, l?)?, i)));
            }
        }
        while let Some(Reverse(((_, line), i))) = heads.pop() {
            let record = line.split_once('\t').map_or("", |(_, r)| r);
            out.write_all(record.as_bytes())?;
            out.write_all(b"\n")?;
            let (path, lines) = &mut streams[i];
            if let Some(l) = lines.next() {
                heads.push(Reverse((keyed(path, l?)?, i)));
            }
        }
    }
    Ok(())
}

/// A bucket line's key, and the line itself.
fn keyed(path: &Path, line: String) -> Result<(OrderKey, String)> {
    let (key, _) = line.split_once('\t').ok_or_else(|| work_error(path, "a bucket line without its key"))?;
    let key = serde_json::from_str(key).map_err(|e| work_error(path, e))?;
    Ok((key, line))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// An incident as `extract` writes it; `date` "" for none, `city`
    /// "City/ADMIN1" or "" for a country-only place, `country` "" for none.
    fn incident(id: &str, kind: &str, date: &str, city: &str, country: &str, orgs: &[&str], killed: Option<(u64, bool)>) -> Value {
        let precision = ["year", "month", "day"][match date.len() { 4 => 0, 7 => 1, _ => 2 }];
        let (city, admin1) = city.split_once('/').map_or((None, None), |(c, a)| (Some(c), Some(a)));
        json!({"id": id, "type": kind,
            "date": if date.is_empty() { Value::Null } else { json!({"text": date, "start": 0, "end": 5, "value": date, "precision": precision}) },
            "location": if country.is_empty() { Value::Null } else {
                json!({"text": city.unwrap_or(country), "start": 6, "end": 12, "city": city, "admin1": admin1, "country": country, "lat": null, "lon": null}) },
            "perpetrator_organizations": orgs.iter().map(|o| json!({"name": o, "cluster": "c1", "claimed": false, "text": o, "start": 1, "end": 2})).collect::<Vec<_>>(),
            "perpetrator_individuals": [], "targets": [], "victims": [], "weapons": [],
            "casualties": {"killed": killed.map(|(v, approx)| json!({"text": v.to_string(), "start": 20, "end": 22, "value": v, "approx": approx})), "injured": null},
            "claimed_by": [], "evidence": [{"start": 0, "end": 40}], "confidence": 0.8})
    }

    fn article(id: &str, published: &str, incidents: Vec<Value>) -> String {
        let published = if published.is_empty() { Value::Null } else { json!(published) };
        json!({"id": id, "meta": {}, "published": published, "entities": [], "clusters": [], "incidents": incidents, "errors": []}).to_string() + "\n"
    }

    /// Runs a merge over `files` (name, content) and returns the output lines,
    /// the summary and the errors reported.
    fn run(files: &[(&str, &str)], partitions: u32, max_open_files: usize) -> (Vec<Value>, Summary, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = files
            .iter()
            .map(|(name, content)| {
                let p = dir.path().join(name);
                std::fs::write(&p, content).unwrap();
                p
            })
            .collect();
        let work = dir.path().join("work");
        std::fs::create_dir(&work).unwrap();
        let opts = MergeOptions { temp_dir: work.clone(), partitions, max_open_files };
        let mut out = Vec::new();
        let mut errors = Vec::new();
        let summary = merge(&paths, &mut out, &opts, &mut |e| errors.push(e.to_string())).unwrap();
        assert_eq!(std::fs::read_dir(&work).unwrap().count(), 0, "the work folder is removed");
        let text = String::from_utf8(out).unwrap();
        for line in text.lines() {
            let typed: crate::output::merged::Merged = serde_json::from_str(line).unwrap();
            assert_eq!(serde_json::to_string(&typed).unwrap(), line, "a merged line reads into the output types and writes back byte for byte");
        }
        let lines = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        (lines, summary, errors)
    }

    fn sources(line: &Value) -> Vec<&str> {
        line["sources"].as_array().unwrap().iter().map(|s| s["incident"].as_str().unwrap()).collect()
    }

    /// Reports spread over countries, month and year ends and precisions.
    fn corpus() -> Vec<String> {
        vec![
            article("a", "2024-04-01", vec![
                incident("a#1", "bombing", "2024-03-31", "Moscow/RU.48", "RU", &["Islamic State"], Some((60, false))),
                incident("a#2", "armed_assault", "2023-12-31", "Kabul/AF.13", "AF", &[], None),
            ]),
            article("b", "2024-04-02", vec![
                incident("b#1", "bombing", "2024-04-01", "Moscow/RU.48", "RU", &["the ISLAMIC STATE"], Some((115, false))),
                incident("b#2", "armed_assault", "2024-01-01", "", "AF", &[], Some((4, true))),
            ]),
            article("c", "2024-04-03", vec![incident("c#1", "bombing", "2024-04-02", "Moscow/RU.48", "RU", &[], None)]),
            article("d", "2024-04-05", vec![incident("d#1", "bombing", "", "Moscow/RU.48", "RU", &["Islamic State"], Some((133, true)))]),
            article("e", "", vec![incident("e#1", "unknown", "", "", "", &[], None)]),
            article("f", "2024-03-29", vec![incident("f#1", "bombing", "2024-03-31", "Kyiv/UA.12", "UA", &[], None)]),
            article("g", "2024-04-02", vec![]),
            article("h", "2024-03-01", vec![incident("h#1", "bombing", "2024-02", "Moscow/RU.48", "RU", &["Islamic State"], None)]),
            article("i", "2024-02-15", vec![incident("i#1", "bombing", "2024-02-14", "Moscow/RU.48", "RU", &["Islamic State"], None)]),
        ]
    }

    #[test]
    fn neighbours_meet_across_month_and_year_ends() {
        let input: String = corpus().concat();
        let (lines, summary, errors) = run(&[("in.jsonl", &input)], 64, 64);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(summary, Summary { inputs: 1, articles: 9, incidents: 10, records: 6, errors: 0 });
        let got: Vec<(Option<&str>, Vec<&str>)> = lines.iter().map(|l| (l["date"]["value"].as_str(), sources(l))).collect();
        let want: Vec<(Option<&str>, Vec<&str>)> = vec![
            // year end: Dec 31 and Jan 1 meet; the country-only place fits Kabul
            (Some("2023-12-31"), vec!["a#2", "b#2"]),
            // "February" and Feb 14 agree strongly (type, city, organisation)
            (Some("2024-02-14"), vec!["i#1", "h#1"]),
            // month end: Mar 31 and Apr 1 meet; the undated report (the week
            // before its publication on Apr 5) agrees strongly with both
            (Some("2024-03-31"), vec!["a#1", "b#1", "d#1"]),
            // the same day in another country stays apart
            (Some("2024-03-31"), vec!["f#1"]),
            // two days after Mar 31: not with a#1, so on its own
            (Some("2024-04-02"), vec!["c#1"]),
            // no date, no publication date, no place: never merged, sorted last
            (None, vec!["e#1"]),
        ];
        assert_eq!(got, want);
        let moscow = &lines[2];
        assert_eq!(moscow["id"], "a#1");
        assert_eq!(moscow["casualties"]["killed"]["value"], 115);
        assert_eq!(moscow["casualties"]["killed"]["rule"], "max_exact");
        assert_eq!(moscow["perpetrator_organizations"], json!([{"name": "Islamic State", "claimed": false}]));
        assert_eq!(lines[0]["casualties"]["killed"]["rule"], "max_approx");
        assert_eq!(lines[0]["location"]["city"], "Kabul");
    }

    #[test]
    fn partitioning_does_not_change_the_result_nor_does_input_order() {
        let articles = corpus();
        let whole: String = articles.concat();
        let (reference, _, _) = run(&[("in.jsonl", &whole)], 1, 64);
        for (partitions, open) in [(64, 64), (7, 1), (2, 2), (3, 3)] {
            let (lines, _, _) = run(&[("in.jsonl", &whole)], partitions, open);
            assert_eq!(lines, reference, "{partitions} partitions, {open} open files");
        }
        let reversed: Vec<String> = articles.iter().rev().map(|a| a.to_string()).collect();
        let files: Vec<(String, &str)> = reversed.iter().enumerate().map(|(i, a)| (format!("{i}.jsonl"), a.as_str())).collect();
        let named: Vec<(&str, &str)> = files.iter().map(|(n, a)| (n.as_str(), *a)).collect();
        let (lines, summary, _) = run(&named, 5, 1);
        assert_eq!(summary.inputs, 9);
        assert_eq!(lines, reference, "one file per article, in reverse order");
    }

    #[test]
    fn malformed_lines_are_named_counted_and_skipped() {
        let good = article("ok", "2024-05-10", vec![incident("ok#1", "bombing", "2024-05-10", "", "PK", &[], None)]);
        let mut bad_incident = incident("bad#2", "bombing", "2024-05-10", "", "PK", &[], None);
        bad_incident["date"]["value"] = json!("10 May");
        let partly = article("bad", "2024-05-10", vec![incident("bad#1", "bombing", "2024-05-11", "", "PK", &[], None), bad_incident]);
        let input = format!("{good}{{\"id\": \"torn\", \"incid\n\n[1, 2]\n{partly}{{\"id\": \"x\", \"incidents\": 3}}\n");
        let (lines, summary, errors) = run(&[("in.jsonl", &input)], 64, 64);
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].contains("in.jsonl:2: not valid JSON"), "{}", errors[0]);
        assert!(errors[1].contains("in.jsonl:4: not an annotated record"), "{}", errors[1]);
        assert!(errors[2].contains("in.jsonl:5: record bad, incident 2: date value \"10 May\""), "{}", errors[2]);
        assert!(errors[3].contains("in.jsonl:6: record x: \"incidents\" is not an array"), "{}", errors[3]);
        assert_eq!(summary, Summary { inputs: 1, articles: 2, incidents: 2, records: 1, errors: 4 });
        assert_eq!(sources(&lines[0]), ["bad#1", "ok#1"], "the good incident of the bad line is kept");
        assert_eq!(summary.to_string(), "1 input, 2 articles, 2 incidents in, 1 merged record out, 4 errors");
    }

    #[test]
    fn a_torn_last_line_refuses_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let good = article("ok", "2024-05-10", vec![incident("ok#1", "bombing", "2024-05-10", "", "PK", &[], None)]);
        let torn = dir.path().join("part-1.jsonl");
        std::fs::write(&torn, format!("{good}{}", good.trim_end())).unwrap();
        let opts = MergeOptions::new(dir.path().to_path_buf());
        let err = merge(&[torn], &mut Vec::new(), &opts, &mut |_| {}).unwrap_err();
        assert!(err.to_string().contains("part-1.jsonl: line 2 does not end in a newline"), "{err}");
    }

    #[test]
    fn a_missing_input_is_an_error_before_any_work() {
        let dir = tempfile::tempdir().unwrap();
        let opts = MergeOptions::new(dir.path().to_path_buf());
        let err = merge(&[dir.path().join("nope.jsonl")], &mut Vec::new(), &opts, &mut |_| {}).unwrap_err();
        assert!(err.to_string().contains("nope.jsonl: no such file"), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
