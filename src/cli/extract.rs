//! `newsner extract`: read → the extraction stages in chunks → write, with progress and a summary.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use newsner::args::{at_least, between, MAX_THREADS};
use newsner::corpus::reader::{Format, Reader, Record, Shard, DEFAULT_MAX_TEXT_BYTES};
use newsner::corpus::identity::refuse_output_among_inputs;
use newsner::corpus::resume::{self, Failures, RunRecord};
use newsner::output::{write_line, Line};
use newsner::document::RecordError;
use newsner::muc4::fillers::role_group;
use newsner::muc4::reader::is_role_model;
use newsner::ner::fast::Precision;
use newsner::ner::model::{model_files, TokenClassifier};
use newsner::ner::tag::{NerOptions, TagGroup};
use newsner::clock::process_cpu;
use newsner::pipeline::{extraction, StageTime};

use super::io::{create_output, file_output};
use super::models::{argument_model, default_model, load, role_model};
use newsner::train::events::is_argument_model;

#[derive(clap::Args)]
pub struct ExtractArgs {
    /// JSONL files (.gz read transparently), folders of .txt files, or - for stdin.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output file (default, or `-`: stdout).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Model folder (default: the shipped NER model in models/).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Encoder windows per forward pass, at most. A pass holds only windows of one
    /// length (none is padded), so a window's scores never depend on its neighbours.
    #[arg(long, default_value_t = 32, value_parser = at_least::<1>)]
    batch_size: usize,
    /// Longest encoder window in word pieces (longer sentences are split into overlapping windows).
    #[arg(long, default_value_t = 256, value_parser = at_least::<{ newsner::args::MIN_WINDOW }>)]
    max_len: usize,
    /// Articles per chunk: memory is bounded by one chunk, output is flushed after each.
    #[arg(long, default_value_t = 256, value_parser = at_least::<1>)]
    chunk_size: usize,
    /// CPU threads (default: all cores), at most 1024. Each runs whole forward passes.
    #[arg(long, value_parser = between::<1, MAX_THREADS>)]
    threads: Option<usize>,
    /// libtorch threads inside one forward pass. 1 (the default) runs
    /// --threads batches side by side; more makes batches go one at a time,
    /// each operator spread over this many threads (slower on news-length
    /// sentences; kept for comparison and for very long windows). At most 1024.
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = between::<1, MAX_THREADS>)]
    torch_threads: usize,
    /// Encoder arithmetic: fp32 (rust-bert), fp32-fast (fused, same results; default for BERT
    /// models), int8 (the fastest: ONNX Runtime on the folder's model.int8.onnx, falling back
    /// with a notice to int8-torch where it or the runtime is missing) or int8-torch
    /// (libtorch's dynamic quantisation). See docs/performance.md for speed and F1 of each.
    #[arg(long)]
    precision: Option<Precision>,
    /// Input format of files and stdin.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: Format,
    /// Refuse texts longer than this many bytes (the record gets a `text_too_long` error). An
    /// input line longer than 6 × this + 1 MiB cannot hold such a text: it is skipped while it
    /// is read, never held whole, so memory stays bounded by this, not by the input.
    #[arg(long, default_value_t = DEFAULT_MAX_TEXT_BYTES, value_parser = at_least::<1>)]
    max_bytes: usize,
    /// Continue an interrupted run: refused unless started as the run recorded in
    /// OUTPUT.resume.json (inputs, model, options); keeps the complete lines already
    /// in --output after checking each against its input record (id and content
    /// fingerprint), repairs a torn last line, processes the rest.
    #[arg(long, requires = "output")]
    resume: bool,
    /// For a worker fed a slice of a bigger input on stdin (a Spark task):
    /// the input's name, so that records without an id get `NAME:LINE`
    /// (see --first-line), unique across workers, instead of a line number
    /// every slice repeats.
    #[arg(long, value_name = "NAME")]
    stdin_name: Option<String>,
    /// With --stdin-name: the line number, in the whole input, of stdin's first line.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = at_least::<1>, requires = "stdin_name")]
    first_line: usize,
    /// Process only shard I of N (records chosen by a stable hash of their id), for job arrays;
    /// records of other shards produce no line here.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
    /// Also run a MUC-4 role model (perpetrator individual/organisation,
    /// target, victim, weapon) over whole articles: the line gets `roles`
    /// (one filler per referent, with offsets) and each incident the fillers
    /// inside its evidence. `--roles` alone uses the shipped models/roles-muc4-minilm,
    /// `--roles=DIR` another.
    /// Costs about one more pass of the encoder. With `--format muc4` and no
    /// `--model`, the shipped role model runs without asking.
    #[arg(long, value_name = "DIR", num_args = 0..=1, require_equals = true)]
    roles: Option<Option<PathBuf>>,
    /// Also run the attack-argument model (trained on WikiEvents and RAMS
    /// news): it marks attack and harm triggers and their perpetrators,
    /// targets, victims, weapons and places; attack incidents without a
    /// trigger are dropped and those slots come from the model (claims,
    /// dates, casualties stay the rules'). `--arguments` alone uses the shipped
    /// models/args-wikievents-minilm, `--arguments=DIR` another. Costs one
    /// more encoder pass over whole articles. Not yet the default: see the
    /// cross-validated figures in docs/evaluation.md.
    #[arg(long, value_name = "DIR", num_args = 0..=1, require_equals = true)]
    arguments: Option<Option<PathBuf>>,
    /// Entities only: skip the incident linker (no clusters/incidents in the output).
    #[arg(long)]
    ner_only: bool,
    /// No progress bar.
    #[arg(short, long)]
    quiet: bool,
    /// Report on stderr the CPU and wall time of each stage, and its share of
    /// the whole run's CPU time (model loading, reading and writing included).
    /// CPU time does not depend on what else runs on the machine.
    #[arg(long)]
    timings: bool,
}

/// `n` rayon threads; with a one-thread libtorch each runs whole forward
/// passes, and batch-level parallelism scales better than libtorch's
/// per-operator threads on the small matrices of news sentences.
fn set_threads(n: Option<usize>, torch_threads: usize) {
    let n = n.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    tch::set_num_threads(torch_threads as i32);
    let _ = rayon::ThreadPoolBuilder::new().num_threads(n).build_global();
}

/// Records to expect, for the progress bar's ETA (None for stdin and gzip).
fn estimate_total(inputs: &[PathBuf]) -> Option<u64> {
    let mut total = 0u64;
    for p in inputs {
        if p.as_os_str() == "-" || p.extension().is_some_and(|e| e == "gz") {
            return None;
        }
        if p.is_dir() {
            return None;
        }
        total += count_lines(p).ok()?;
    }
    Some(total)
}

/// Lines of a file, read in fixed blocks: the count must not cost the memory
/// the chunked pipeline saves on a multi-gigabyte archive.
fn count_lines(path: &std::path::Path) -> io::Result<u64> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    let (mut n, mut last) = (0u64, b'\n');
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        n += buf[..k].iter().filter(|&&b| b == b'\n').count() as u64;
        last = buf[k - 1];
    }
    Ok(n + u64::from(last != b'\n'))
}

/// One stderr line per stage: `newsner: stage NAME: CPU s (share % of the
/// process's CPU s), wall s` (scripts/bench.sh reads the resolve stage's
/// share from it), then the process total.
fn report_timings(stages: &[(&'static str, StageTime)]) {
    let total = process_cpu().as_secs_f64();
    for (name, t) in stages {
        let cpu = t.cpu.as_secs_f64();
        eprintln!(
            "newsner: stage {name}: {cpu:.3} s CPU ({:.2} % of {total:.3} s), {:.3} s wall",
            100.0 * cpu / total.max(1e-9),
            t.wall.as_secs_f64()
        );
    }
    eprintln!("newsner: process: {total:.3} s CPU in all (model loading, reading and writing included)");
}

/// What this run is started with, for `--resume` to compare: the inputs,
/// the model files and every option that changes the lines (not the ones
/// that only change speed).
fn run_record(a: &ExtractArgs, model: &Path, precision: Precision, roles: Option<&Path>, arguments: Option<&Path>) -> Result<RunRecord> {
    let mut files = model_files(model)?;
    for dir in roles.into_iter().chain(arguments) {
        files.extend(model_files(dir)?);
    }
    let options = [
        ("--format", format!("{:?}", a.format)),
        ("--max-bytes", a.max_bytes.to_string()),
        ("--max-len", a.max_len.to_string()),
        ("--precision", format!("{precision:?}")),
        ("--shard", a.shard.map_or_else(|| "none".to_string(), |s| format!("{}/{}", s.index, s.count))),
        ("--roles", (if roles.is_some() { "on" } else { "off" }).to_string()),
        ("--ner-only", a.ner_only.to_string()),
        ("--arguments", (if arguments.is_some() { "on" } else { "off" }).to_string()),
        ("--stdin-name", a.stdin_name.as_ref().map_or_else(|| "none".to_string(), |n| format!("{n} from line {}", a.first_line))),
    ];
    Ok(RunRecord::new(&a.inputs, &files, options.into_iter().map(|(k, v)| (k.to_string(), v)).collect())?)
}

/// A second model, refused unless `is_kind` accepts its labels; `names` is
/// (what it is, the same with its article, the label it must have) for messages.
fn load_kind(dir: &Path, names: (&str, &str, &str), is_kind: fn(&[String]) -> bool, precision: Option<Precision>) -> Result<TokenClassifier> {
    let (what, a_what, label) = names;
    let m = load(dir, what, precision)?;
    if !is_kind(&m.labels) {
        bail!("{} is not {a_what}: its labels ({}) name no {label}", dir.display(), m.labels.join(", "));
    }
    Ok(m)
}

pub fn run(mut a: ExtractArgs) -> Result<u8> {
    a.output = file_output(a.output);
    if let Some(out) = &a.output {
        refuse_output_among_inputs(out, &a.inputs)?;
    }
    set_threads(a.threads, a.torch_threads);
    // one arithmetic for both models: the role model runs as fast as NER
    let model_dir = match &a.model {
        Some(dir) => dir.clone(),
        None => default_model()?,
    };
    let model = load(&model_dir, "model", a.precision)?;
    // MUC-4 messages are what the role model reads: with the default NER
    // model, `--format muc4` tags roles too, so the benchmark needs no flags
    let roles_dir = match (&a.roles, a.format, &a.model) {
        (Some(Some(dir)), _, _) => Some(dir.clone()),
        (Some(None), _, _) | (None, Format::Muc4, None) => Some(role_model()?),
        (None, _, _) => None,
    };
    let roles = roles_dir.as_deref().map(|d| load_kind(d, ("role model", "a role model", "MUC-4 role"), is_role_model, a.precision)).transpose()?;
    let arguments_dir = match (&a.arguments, a.ner_only) {
        (_, true) | (None, _) => None,
        (Some(Some(dir)), false) => Some(dir.clone()),
        (Some(None), false) => Some(argument_model()?),
    };
    let arguments =
        arguments_dir.as_deref().map(|d| load_kind(d, ("attack-argument model", "an attack-argument model", "attack trigger"), is_argument_model, a.precision)).transpose()?;
    if a.stdin_name.is_some() && !a.inputs.iter().any(|p| p.as_os_str() == "-") {
        bail!("--stdin-name names the input read from stdin, and - is not among the inputs");
    }
    let mut reader = Reader::open(&a.inputs, a.format, a.max_bytes)?.with_shard(a.shard);
    if let Some(name) = &a.stdin_name {
        reader = reader.with_stdin_origin(name, a.first_line);
    }

    let mut skip = 0usize;
    let mut failed = Failures::default();
    let destination = a.output.as_ref().map_or_else(|| "standard output".to_string(), |p| p.display().to_string());
    // a second handle on the output, to check at the end that it is still there
    let mut written: Option<std::fs::File> = None;
    let mut out: Box<dyn Write> = match &a.output {
        Some(path) => {
            let record = run_record(&a, &model_dir, model.precision(), roles_dir.as_deref(), arguments_dir.as_deref())?;
            let (f, p) = resume::open_output(path, &record, a.resume, &mut reader)?;
            if p.repaired_bytes > 0 {
                eprintln!("newsner: resume: removed a torn last line ({} bytes) from {}", p.repaired_bytes, path.display());
            }
            if let Some(id) = &p.last_id {
                eprintln!("newsner: resume: {} records already done and checked against their input records, continuing after id {id:?}", p.lines);
            }
            skip = p.lines;
            failed = p.failed;
            written = Some(f.try_clone().with_context(|| format!("cannot write {}", path.display()))?);
            Box::new(io::BufWriter::with_capacity(1 << 20, f))
        }
        None => create_output(None)?,
    };

    // Counting the input costs a pass over it: only for a bar someone sees.
    let visible = !a.quiet && io::stderr().is_terminal();
    let total = if visible && a.shard.is_none() { estimate_total(&a.inputs) } else { None };
    let bar = match total {
        Some(n) => ProgressBar::new(n.saturating_sub(skip as u64)),
        None => ProgressBar::new_spinner(),
    };
    if !visible {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} articles, {per_sec}, ETA {eta}")
            .unwrap()
            .progress_chars("=> "),
    );

    let opts = NerOptions { batch_size: a.batch_size, max_len: a.max_len };
    let group = roles.as_ref().map(|model| TagGroup { model, decode: role_group, opts });
    let pipeline = extraction(&model, group, arguments.as_ref(), opts, !a.ner_only)?;
    let t0 = Instant::now();
    let (mut n_docs, mut n_ents, mut n_warn) = (0usize, 0usize, 0usize);
    loop {
        let chunk: Vec<Record> = reader.by_ref().take(a.chunk_size).collect();
        if chunk.is_empty() {
            break;
        }
        let mut docs: Vec<_> = chunk.into_iter().map(|r| r.doc).collect();
        if let Err(e) = pipeline.run(&mut docs) {
            // Never lose the chunk: every record still gets its line, with the reason.
            for d in docs.iter_mut().filter(|d| !d.failed) {
                d.errors.push(RecordError::new("internal_error", format!("processing failed: {e}")));
                d.mentions.clear();
                d.roles = None;
                d.arguments = None;
                (d.clusters, d.incidents) = (None, None);
            }
        }
        for d in &docs {
            write_line(&mut out, &Line::of(d)).with_context(|| format!("cannot write {destination}"))?;
            n_docs += 1;
            n_ents += d.mentions.len();
            n_warn += d.warnings.len();
            if !d.errors.is_empty() {
                failed.add(&d.id);
            }
        }
        out.flush().with_context(|| format!("cannot write {destination}"))?;
        bar.inc(docs.len() as u64);
    }
    bar.finish_and_clear();
    if let (Some(path), Some(file)) = (&a.output, &written) {
        resume::finish(path, file)?;
    }
    let secs = t0.elapsed().as_secs_f64();
    // after a resume, the errors counted include those of the lines written before it
    let earlier = if skip > 0 { format!(" (plus {skip} written before the resume)") } else { String::new() };
    eprintln!(
        "newsner: {n_docs} articles{earlier}, {n_ents} entities, {} with errors, {n_warn} warnings, {secs:.1} s ({:.1} articles/s)",
        failed.count,
        n_docs as f64 / secs.max(1e-9)
    );
    if a.timings {
        report_timings(&pipeline.timings());
    }
    if failed.count > 0 {
        eprintln!(
            "newsner: records with errors (see their \"errors\" field): {}{}",
            failed.first.join(", "),
            if failed.count > failed.first.len() { format!(" and {} more", failed.count - failed.first.len()) } else { String::new() }
        );
        return Ok(1);
    }
    Ok(0)
}
