//! `newsner train`: fine-tune a token-classification model.

use std::path::{Path, PathBuf};


use anyhow::{Context, Result};
use newsner::args::{at_least, MIN_WINDOW};
use newsner::corpus::conll::{read_conll, TaggedSentence};
use newsner::muc4::reader::{read_muc4, role_tagged_sentences};
use newsner::train::{default_base, train, TrainConfig};

#[derive(clap::Args)]
pub struct TrainArgs {
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
}

/// Training sentences from either format.
fn read_training(path: &Path, format: TrainFormat, window_words: usize) -> Result<Vec<TaggedSentence>> {
    Ok(match format {
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
