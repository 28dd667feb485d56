//! The `newsner` command line: a thin shell over the library.

use std::path::{Path, PathBuf};
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use newsner::args::at_least;
use newsner::corpus::conll::read_conll;
use newsner::corpus::identity::refuse_output_among_inputs;
use newsner::ner::model::TokenClassifier;
use newsner::train::{default_base, evaluate, train, TrainConfig};

#[derive(Parser)]
#[command(name = "newsner", version, about = "Transformer NER and incident extraction for news archives (offline, batch).")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Find entities (and incidents) in articles; one annotated JSON line per input record.
    Extract(extract::ExtractArgs),
    /// Fine-tune a token-classification model (CoNLL entities or MUC-4 role fillers).
    Train(TrainArgs),
    /// Score models against gold data.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// One self-contained HTML review page: highlighted entities, incident cards with evidence.
    Render {
        /// Annotated JSONL written by `newsner extract`.
        annotated: PathBuf,
        /// The original input (JSONL), for the article texts the annotated lines do not carry.
        #[arg(long)]
        input: Option<PathBuf>,
        /// Input format of --input.
        #[arg(long, value_enum, default_value = "jsonl")]
        format: newsner::corpus::reader::Format,
        /// Output HTML file.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Convert annotated lines into benchmark formats.
    #[command(subcommand)]
    Export(ExportCommand),
    /// One record per real-world incident across articles: joins the incidents
    /// of annotated lines that report the same event and reconciles their figures.
    Merge {
        /// Annotated JSONL written by `newsner extract` (- for stdin, .gz read as gzip).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output file (default stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Folder for the work files, removed at the end (default: next to
        /// --output, else the system's temporary folder).
        #[arg(long, value_name = "DIR")]
        temp_dir: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct TrainArgs {
    /// Pre-trained encoder folder (default: all-MiniLM-L6-v2 installed by `make setup`).
    #[arg(long)]
    base: Option<PathBuf>,
    /// Training data: CoNLL columns (IOB1 or IOB2), or MUC-4 role fillers with `--format muc4`.
    #[arg(long)]
    train: PathBuf,
    /// What --train and --dev hold: `conll` (entity tags) or `muc4` (GRIT/GTT
    /// lines; the five role fillers become BIO tags over document windows).
    #[arg(long, value_enum, default_value = "conll")]
    format: TrainFormat,
    /// With --format muc4: words per document window (windows longer than
    /// --max-len word pieces are split again, overlapping by half).
    #[arg(long, default_value_t = 180, value_parser = at_least::<1>)]
    window_words: usize,
    /// Development data for epoch selection.
    #[arg(long)]
    dev: PathBuf,
    /// Output model folder.
    #[arg(long)]
    out: PathBuf,
    #[arg(long, default_value_t = 5, value_parser = at_least::<1>)]
    epochs: usize,
    #[arg(long, default_value_t = 1e-4)]
    lr: f64,
    #[arg(long, default_value_t = 32, value_parser = at_least::<1>)]
    batch_size: usize,
    /// Longest window in word pieces (longer sentences are split into windows).
    #[arg(long, default_value_t = 160, value_parser = at_least::<{ newsner::args::MIN_WINDOW }>)]
    max_len: usize,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Fraction of steps spent warming the learning rate up.
    #[arg(long, default_value_t = 0.1)]
    warmup: f64,
    /// Train without the casing channel (for comparison).
    #[arg(long)]
    no_casing: bool,
    /// Store fp32 weights instead of fp16.
    #[arg(long)]
    fp32: bool,
    /// Stop after N optimiser steps (smoke tests).
    #[arg(long)]
    max_steps: Option<usize>,
    /// Also write each epoch's model to DIR/epoch-N (to pick an epoch, or
    /// ensemble members, by another metric such as CEAF-REE).
    #[arg(long, value_name = "DIR")]
    keep_epochs: Option<PathBuf>,
    /// libtorch threads (default: all cores).
    #[arg(long)]
    threads: Option<i32>,
    /// Data provenance and licence for the model card.
    #[arg(long, default_value = "")]
    data_note: String,
    #[arg(long)]
    quiet: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum TrainFormat {
    Conll,
    Muc4,
}

/// Training sentences from either format.
fn read_training(path: &Path, format: TrainFormat, window_words: usize) -> Result<Vec<newsner::corpus::conll::TaggedSentence>> {
    Ok(match format {
        TrainFormat::Conll => read_conll(path)?,
        TrainFormat::Muc4 => {
            let docs = newsner::corpus::muc4::read_muc4(path)?;
            anyhow::ensure!(
                docs.iter().any(|d| d.doctext.is_some()),
                "{}: no record has a \"doctext\"; MUC-4 training needs the texts",
                path.display()
            );
            docs.iter().flat_map(|d| newsner::corpus::muc4::role_tagged_sentences(d, window_words)).collect()
        }
    })
}

#[derive(Subcommand)]
enum EvalCommand {
    /// conlleval-equivalent exact-span P/R/F1 of a model on a CoNLL gold file.
    Ner {
        /// Gold CoNLL file (IOB1 or IOB2).
        #[arg(long)]
        gold: PathBuf,
        /// Model folder (default: the shipped NER model).
        #[arg(long)]
        model: Option<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Also write summary.md and SVG charts (scores, confusion matrix) into DIR.
        #[arg(long, value_name = "DIR")]
        report: Option<PathBuf>,
        /// Encoder arithmetic, as for extract (default: the same as extract's).
        #[arg(long)]
        precision: Option<newsner::ner::fast::Precision>,
    },
    /// CEAF-REE strict role-filler scores (as ../shared/tools/ceaf_ree.py prints them).
    Muc4 {
        /// Gold file: MUC-4 processed lines with "extracts" (GRIT) or "templates" (GTT).
        #[arg(long)]
        gold: PathBuf,
        /// Predictions: lines {"docid", "extracts": {role: [[mention, …], …]}} (see `newsner export muc4`).
        #[arg(long)]
        pred: PathBuf,
        /// Print JSON instead of the scorer's text.
        #[arg(long)]
        json: bool,
        /// Also write summary.md and SVG charts into DIR.
        #[arg(long, value_name = "DIR")]
        report: Option<PathBuf>,
    },
    /// Incident date and country accuracy against raw MUC-4 answer keys (key-tst1.v7, …).
    Incidents {
        /// Raw MUC-4 answer-key files.
        #[arg(long, required = true, num_args = 1..)]
        keys: Vec<PathBuf>,
        /// Annotated JSONL written by `newsner extract` over the same messages.
        #[arg(long)]
        pred: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// MUC-4 predictions from annotated lines whose entity labels are roles (PerpInd, PerpOrg, Target, Victim, Weapon).
    Muc4 {
        /// Annotated JSONL written by `newsner extract` (- for stdin).
        input: PathBuf,
        /// Also write a GTT-style template with incident_type.
        #[arg(long)]
        templates: bool,
        /// Output file (default stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Export every mention as the line groups it (by cluster, else by
        /// string) instead of decoding one filler per referent.
        #[arg(long)]
        raw: bool,
        /// Decoding: a referent named once needs at least this tagger score.
        #[arg(long, default_value_t = newsner::export::fillers::DecodeOptions::default().min_single)]
        min_single: f32,
        /// Decoding: a document predicts nothing unless its three most
        /// confident role mentions sum to at least this.
        #[arg(long, default_value_t = newsner::export::fillers::DecodeOptions::default().min_document)]
        min_document: f32,
    },
}

mod extract;

/// A model shipped in `models/NAME`: the copy under the current folder, or
/// the one in the source tree this binary was built from.
pub(crate) fn shipped_model(name: &str) -> PathBuf {
    let local = Path::new("models").join(name);
    if local.join("config.json").exists() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models").join(name)
}

/// The shipped NER model, unless `$NEWSNER_MODEL` names another.
pub(crate) fn default_model() -> PathBuf {
    std::env::var_os("NEWSNER_MODEL").map_or_else(|| shipped_model("ner-conll-minilm"), PathBuf::from)
}

fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Extract(a) => extract::run(a),
        Command::Train(a) => {
            if let Some(t) = a.threads {
                tch::set_num_threads(t);
            }
            let base = match a.base {
                Some(b) => b,
                None => default_base(Path::new(env!("CARGO_MANIFEST_DIR")))
                    .context("no --base given and no base encoder in .venv: run `make setup` first")?,
            };
            let tr = read_training(&a.train, a.format, a.window_words)?;
            let dv = read_training(&a.dev, a.format, a.window_words)?;
            let cfg = TrainConfig {
                base,
                out: a.out,
                epochs: a.epochs,
                lr: a.lr,
                batch_size: a.batch_size,
                max_len: a.max_len,
                seed: a.seed,
                warmup: a.warmup,
                casing: !a.no_casing,
                document_windows: matches!(a.format, TrainFormat::Muc4),
                half: !a.fp32,
                quiet: a.quiet,
                max_steps: a.max_steps,
                data_note: a.data_note,
                epoch_dir: a.keep_epochs,
            };
            let (r, _) = train(&cfg, &tr, &dv)?;
            let d = r.saved_dev.as_ref().expect("train always scores the saved model");
            eprintln!(
                "trained in {:.1} min; best epoch {}; saved model dev F1 {:.2} -> {}",
                r.seconds / 60.0,
                r.best_epoch,
                d.micro.f1,
                cfg.out.display()
            );
            Ok(0)
        }
        Command::Eval(EvalCommand::Incidents { keys, pred, json }) => {
            use newsner::incident::muc4::{date_country_accuracy, parse_keys};
            let mut templates = Vec::new();
            for k in &keys {
                let text = std::fs::read(k).with_context(|| format!("cannot read {}", k.display()))?;
                templates.extend(parse_keys(&String::from_utf8_lossy(&text)));
            }
            let text = std::fs::read_to_string(&pred).with_context(|| format!("cannot read {}", pred.display()))?;
            let lines: Vec<serde_json::Value> = text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
            let ids: std::collections::HashSet<&str> = lines.iter().filter_map(|l| l["id"].as_str()).collect();
            let key_names = keys.iter().map(|k| k.display().to_string()).collect::<Vec<_>>().join(", ");
            let keyed = templates.iter().map(|t| t.message.as_str()).collect::<std::collections::HashSet<_>>();
            newsner::eval::ensure_scorable(Path::new(&key_names), keyed.len(), Some((&pred, ids.iter().filter(|i| keyed.contains(*i)).count())))?;
            templates.retain(|t| ids.contains(t.message.as_str()));
            let a = date_country_accuracy(&templates, &lines);
            if json {
                println!("{}", serde_json::json!({
                    "templates": templates.len(),
                    "date": {"matched": a.dates_matched, "scored": a.dates, "accuracy": a.date_accuracy()},
                    "country": {"matched": a.countries_matched, "scored": a.countries, "accuracy": a.country_accuracy()},
                }));
            } else {
                println!("key templates of the {} annotated messages: {}", ids.len(), templates.len());
                println!("incident date:    {:>5} / {:<5} = {:.1} %", a.dates_matched, a.dates, 100.0 * a.date_accuracy());
                println!("incident country: {:>5} / {:<5} = {:.1} %", a.countries_matched, a.countries, 100.0 * a.country_accuracy());
            }
            Ok(0)
        }
        Command::Render { annotated, input, format, output } => {
            refuse_output_among_inputs(&output, &[annotated.clone()].into_iter().chain(input.clone()).collect::<Vec<_>>())?;
            let lines = newsner::render::read_annotated(&annotated)?;
            let texts = match &input {
                Some(p) => newsner::render::read_texts(std::slice::from_ref(p), format)?,
                None => Default::default(),
            };
            std::fs::write(&output, newsner::render::render_html(&lines, &texts)?)
                .with_context(|| format!("cannot write {}", output.display()))?;
            eprintln!("newsner: review page for {} articles in {}", lines.len(), output.display());
            Ok(0)
        }
        Command::Eval(EvalCommand::Muc4 { gold, pred, json, report }) => {
            let r = newsner::eval::muc4::score_files(&gold, &pred)?;
            if let Some(dir) = report {
                newsner::eval::report::write_report(&dir, &newsner::eval::report::Report::muc4(&format!("MUC-4: {}", pred.display()), &r))?;
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&r.to_json())?);
            } else {
                print!("{}", r.to_text());
            }
            Ok(0)
        }
        Command::Export(ExportCommand::Muc4 { input, templates, output, raw, min_single, min_document }) => {
            if let Some(o) = &output {
                refuse_output_among_inputs(o, std::slice::from_ref(&input))?;
            }
            let decoding = (!raw).then_some(newsner::export::fillers::DecodeOptions { min_single, min_document });
            let name = input.display().to_string();
            let reader: Box<dyn std::io::BufRead> = if name == "-" {
                Box::new(std::io::BufReader::new(std::io::stdin()))
            } else {
                Box::new(std::io::BufReader::new(std::fs::File::open(&input).with_context(|| format!("cannot open {name}"))?))
            };
            let mut out: Box<dyn std::io::Write> = match output {
                Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(&p).with_context(|| format!("cannot write {}", p.display()))?)),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let n = newsner::export::muc4::export_lines(reader, &name, &mut out, templates, decoding)?;
            out.flush()?;
            eprintln!("newsner: exported {n} documents");
            Ok(0)
        }
        Command::Merge { inputs, output, temp_dir } => {
            if let Some(o) = &output {
                refuse_output_among_inputs(o, &inputs)?;
            }
            let beside_output = output.as_deref().and_then(Path::parent).map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p });
            let temp_dir = temp_dir.or_else(|| beside_output.map(Path::to_path_buf)).unwrap_or_else(std::env::temp_dir);
            let opts = newsner::merge::MergeOptions::new(temp_dir);
            let mut out: Box<dyn std::io::Write> = match &output {
                Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p).with_context(|| format!("cannot write {}", p.display()))?)),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let summary = newsner::merge::merge(&inputs, &mut out, &opts, &mut |e| eprintln!("newsner: skipped: {e}"))?;
            out.flush()?;
            eprintln!("newsner: merge: {summary}");
            Ok(u8::from(summary.errors > 0))
        }
        Command::Eval(EvalCommand::Ner { gold, model, json, report, precision }) => {
            let dir = model.unwrap_or_else(default_model);
            let mut m = TokenClassifier::load(&dir)?;
            match precision {
                Some(p) => m.set_precision(p)?,
                None => m.use_default_precision(),
            }
            let g = read_conll(&gold)?;
            newsner::eval::ensure_scorable(&gold, g.len(), None)?;
            let max_len = m.config.pointer("/newsner/max_len").and_then(|v| v.as_u64()).unwrap_or(256) as usize;
            let (r, pred) = evaluate(&m, &g, max_len)?;
            if let Some(out) = report {
                use newsner::eval::report::{span_confusion, write_report, Report};
                let gold_tags: Vec<Vec<String>> = g.iter().map(|s| s.tags.clone()).collect();
                let title = format!("NER: {} on {}", dir.display(), gold.display());
                write_report(&out, &Report::ner(&title, &r, Some(span_confusion(&gold_tags, &pred))))?;
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&r.to_json())?);
            } else {
                print!("{}", r.to_text());
            }
            Ok(0)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("newsner: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
