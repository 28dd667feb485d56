//! `newsner train`: fine-tune a token-classification model.

use std::path::{Path, PathBuf};


use anyhow::{Context, Result};
use newsner::args::{at_least, MIN_WINDOW};
use newsner::corpus::conll::{read_conll, TaggedSentence};
use newsner::muc4::reader::{read_muc4, role_tagged_sentences};
use newsner::corpus::reader::Shard;
use newsner::train::{default_base, events, train, TrainConfig};

#[derive(clap::Args)]
pub struct TrainArgs {
    /// Pre-trained encoder folder (default: all-MiniLM-L6-v2 installed by `make setup`). A
    /// model newsner trained (e.g. models/roles-muc4-minilm) serves too: its encoder is kept and
    /// a tag head of other labels starts fresh.
    #[arg(long)]
    base: Option<PathBuf>,
    /// Training data: CoNLL columns (IOB1 or IOB2), MUC-4 role fillers with
    /// `--format muc4`, a WikiEvents split file (train.jsonl, texts and
    /// coreference beside it) or RAMS .jsonlines with `--format events`.
    /// Repeat to train on several files.
    #[arg(long, required = true)]
    train: Vec<PathBuf>,
    /// What --train and --dev hold: `conll` (entity tags), `muc4` (GRIT/GTT
    /// lines; the five role fillers become BIO tags over document windows) or
    /// `events` (WikiEvents or RAMS, told apart by their fields: attack and
    /// harm triggers and their arguments as BIO tags over document windows,
    /// see src/train/events.rs).
    #[arg(long, value_enum, default_value = "conll")]
    format: TrainFormat,
    /// With --format muc4 or events: words per document window (windows longer
    /// than --max-len word pieces are split again, overlapping by half).
    #[arg(long, default_value_t = 180, value_parser = at_least::<1>)]
    window_words: usize,
    /// With --format events: leave out the WikiEvents documents of shard I of
    /// N (the records `extract --shard I/N` keeps), for cross-validation by
    /// document.
    #[arg(long, value_name = "I/N")]
    holdout: Option<Shard>,
    /// Keep the last epoch rather than the best on --dev (dev then only
    /// reports; what cross-validation folds and the shipped model share).
    #[arg(long)]
    keep_last: bool,
    /// Weight of the O tag in the loss, in (0, 1]: below one makes rare tags
    /// (arguments a few words in hundreds) cost more to miss.
    #[arg(long, default_value_t = 1.0, value_parser = loss_weight)]
    outside_loss_weight: f64,
    /// Development data for epoch selection.
    #[arg(long)]
    dev: PathBuf,
    /// Output model folder. An existing folder that holds files is refused
    /// unless --force (a shipped model is never overwritten by accident).
    #[arg(long)]
    out: PathBuf,
    /// Replace the files of an existing --out folder.
    #[arg(long)]
    force: bool,
    #[arg(long, default_value_t = 5, value_parser = at_least::<1>)]
    epochs: usize,
    #[arg(long, default_value_t = 1e-4)]
    lr: f64,
    #[arg(long, default_value_t = 32, value_parser = at_least::<1>)]
    batch_size: usize,
    /// Longest window in word pieces (longer sentences are split into windows).
    #[arg(long, default_value_t = 160, value_parser = at_least::<MIN_WINDOW>)]
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
    Events,
}

/// Training writes into `out`: a folder already holding files (a shipped
/// model, an earlier run) is kept unless the user says `--force`.
fn refuse_existing_model(out: &Path, force: bool) -> Result<()> {
    let holds_files = std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some());
    anyhow::ensure!(
        force || !holds_files,
        "{} already holds files (a model?); pass --force to replace them, or choose another --out",
        out.display()
    );
    anyhow::ensure!(!out.exists() || out.is_dir(), "{} exists and is not a folder", out.display());
    Ok(())
}

/// Training sentences from the files of one format.
fn read_all(paths: &[PathBuf], format: TrainFormat, window_words: usize, holdout: Option<Shard>) -> Result<Vec<TaggedSentence>> {
    let mut out = Vec::new();
    for p in paths {
        out.extend(read_training(p, format, window_words, holdout)?);
    }
    anyhow::ensure!(!out.is_empty(), "{}: no training examples", paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "));
    Ok(out)
}

/// RAMS files hold `doc_key` and `evt_triggers`, WikiEvents split files
/// `doc_id` and `event_mentions`: the first line tells which.
fn is_rams(path: &Path) -> Result<bool> {
    use std::io::BufRead;
    let mut first = String::new();
    newsner::corpus::input::open_input(path)?.read_line(&mut first).with_context(|| format!("reading {}", path.display()))?;
    Ok(first.contains("\"evt_triggers\""))
}

/// Training sentences from one file.
fn read_training(path: &Path, format: TrainFormat, window_words: usize, holdout: Option<Shard>) -> Result<Vec<TaggedSentence>> {
    Ok(match format {
        TrainFormat::Events if is_rams(path)? => events::rams_windows(path, window_words)?,
        TrainFormat::Events => events::wikievents_windows(path, holdout, window_words)?,
        TrainFormat::Conll => read_conll(path)?,
        TrainFormat::Muc4 => {
            let docs = read_muc4(path)?;
            anyhow::ensure!(
                docs.iter().any(|d| d.doctext.is_some()),
                "{}: no record has a \"doctext\"; MUC-4 training needs the texts",
                path.display()
            );
            docs.iter().flat_map(|d| role_tagged_sentences(d, window_words)).collect()
        }
    })
}

pub fn run(a: TrainArgs) -> Result<u8> {
    refuse_existing_model(&a.out, a.force)?;
    if let Some(t) = a.threads {
        tch::set_num_threads(t);
    }
    let base = match a.base {
        Some(b) => b,
        None => default_base(Path::new(env!("CARGO_MANIFEST_DIR")))
            .context("no --base given and no base encoder in .venv: run `make setup` first")?,
    };
    anyhow::ensure!(
        a.holdout.is_none() || matches!(a.format, TrainFormat::Events),
        "--holdout applies to --format events (WikiEvents documents)"
    );
    let tr = read_all(&a.train, a.format, a.window_words, a.holdout)?;
    let dv = read_training(&a.dev, a.format, a.window_words, None)?;
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
        document_windows: matches!(a.format, TrainFormat::Muc4 | TrainFormat::Events),
        keep_last: a.keep_last,
        outside_loss_weight: a.outside_loss_weight,
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

fn loss_weight(s: &str) -> std::result::Result<f64, String> {
    let w: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if w > 0.0 && w <= 1.0 {
        Ok(w)
    } else {
        Err(format!("{w} is outside (0, 1]"))
    }
}
