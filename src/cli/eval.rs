//! `newsner eval`: scores against gold data.

use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Subcommand;
use newsner::corpus::conll::read_conll;
use newsner::eval::ensure_scorable;
use newsner::eval::report::{span_confusion, write_report, Report};
use newsner::eval::wikievents::{Slots, Split};
use newsner::muc4::keys::score_key_files;
use newsner::muc4::score::score_files;
use newsner::train::evaluate;

use super::models::{default_model, load};

#[derive(Subcommand)]
pub enum EvalCommand {
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
    /// Geoparsing scores against a toponym-annotated corpus (as ../shared/tools/geo_score.py prints them).
    Geo {
        /// Gold corpus XML: GeoVirus, TR-News, LGL or GeoWebNews. Several (each with its --pred, in
        /// order) with --cv or --train-ranker.
        #[arg(long, required = true, num_args = 1..)]
        gold: Vec<PathBuf>,
        /// Annotated JSONL written by `newsner extract` over the corpus's articles.
        #[arg(long, required = true, num_args = 1..)]
        pred: Vec<PathBuf>,
        /// Print the figures as one JSON object.
        #[arg(long)]
        json: bool,
        /// Run this build's place stage again over the entities in --pred (texts from --gold) before
        /// scoring: for work on place resolution without running the tagger again.
        #[arg(long)]
        resolve_again: bool,
        /// With --resolve-again: also write the lines so resolved to FILE, to read the errors.
        #[arg(long, value_name = "FILE", requires = "resolve_again")]
        write_lines: Option<PathBuf>,
        /// With --resolve-again: rank candidates with the weights in FILE (as --train-ranker writes
        /// them) instead of the shipped ones.
        #[arg(long, value_name = "FILE", requires = "resolve_again")]
        ranker: Option<PathBuf>,
        /// Cross-validate the place stage's candidate ranker over the corpora's documents (K folds,
        /// all corpora pooled; the place stage is run again over --pred's entities): per corpus, the
        /// figures of the hand-set weights, the shipped ones, the folds' and the ranker trained on all.
        #[arg(long, value_name = "K", value_parser = clap::value_parser!(u16).range(2..=100))]
        cv: Option<u16>,
        /// Train the ranker on all the corpora's documents and write its weights to FILE (ship it as
        /// corpus/gazetteer/geo-ranker.tsv).
        #[arg(long, value_name = "FILE")]
        train_ranker: Option<PathBuf>,
        /// Score only the gold toponyms that name a town or something smaller (GeoNames feature class
        /// P or S; for GeoVirus, whose country and state points are Wikipedia's, the kind of the
        /// gazetteer's place of that name nearest the gold point). The --cv table has these columns
        /// always (city, city_f).
        #[arg(long)]
        cities: bool,
        /// With --cv or --train-ranker: the L2 pull of the weights towards the hand-set ones, per choice.
        #[arg(long, value_name = "X", default_value_t = newsner::geo::ranker::Fit::default().l2)]
        l2: f32,
        /// With --cv or --train-ranker: Adam steps per training round.
        #[arg(long, value_name = "N", default_value_t = newsner::geo::ranker::Fit::default().steps)]
        steps: usize,
        /// With --cv or --train-ranker: Adam's step size.
        #[arg(long, value_name = "X", default_value_t = newsner::geo::ranker::Fit::default().rate)]
        rate: f32,
    },
    /// B-cubed of merged incidents against gold event clusters (as ../shared/tools/merge_score.py prints it).
    Merge {
        /// Gold articles: JSONL with "id", "topic" and "subcorpus" (an ECB+ dev file).
        #[arg(long)]
        gold: PathBuf,
        /// Merged records written by `newsner merge` over `newsner extract` output of the gold articles.
        #[arg(long)]
        pred: PathBuf,
        /// Print the figures as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Incident date and country accuracy against raw MUC-4 answer keys (key-tst1.v7, …), or
    /// incident arguments against WikiEvents (as ../shared/tools/incidents_wikievents.py prints them).
    #[command(group = clap::ArgGroup::new("gold").required(true).args(["keys", "wikievents"]))]
    Incidents {
        /// Raw MUC-4 answer-key files.
        #[arg(long, num_args = 1..)]
        keys: Vec<PathBuf>,
        /// WikiEvents folder: dev.jsonl and/or test.jsonl, coref_*.jsonlines, wikievents_*_text.jsonl.
        #[arg(long, value_name = "DIR")]
        wikievents: Option<PathBuf>,
        /// Annotated JSONL written by `newsner extract` over the same messages (the plain texts for WikiEvents).
        #[arg(long)]
        pred: PathBuf,
        /// Print the figures as JSON (for WikiEvents: what the script writes with --json FILE).
        #[arg(long)]
        json: bool,
        /// WikiEvents: which incident slots are scored [default: linker].
        #[arg(long, value_enum)]
        slots: Option<Slots>,
        /// WikiEvents: which split's documents are scored [default: all].
        #[arg(long, value_enum)]
        split: Option<Split>,
        /// WikiEvents: also print per-document counts.
        #[arg(long)]
        per_doc: bool,
        /// WikiEvents: list one document's gold and predicted items (head match) instead.
        #[arg(long, value_name = "DOC_ID")]
        explain: Option<String>,
    },
}

pub fn run(command: EvalCommand) -> Result<u8> {
    match command {
        EvalCommand::Ner { gold, model, json, report, precision } => {
            let dir = match model {
                Some(dir) => dir,
                None => default_model()?,
            };
            let m = load(&dir, "model", precision)?;
            let g = read_conll(&gold)?;
            ensure_scorable(&gold, g.len(), None)?;
            let max_len = newsner::ner::model::trained_window(&m.config, &dir)?;
            let (r, pred) = evaluate(&m, &g, max_len)?;
            if let Some(out) = report {
                let gold_tags: Vec<Vec<String>> = g.iter().map(|s| s.tags.clone()).collect();
                let title = format!("NER: {} on {}", dir.display(), gold.display());
                write_report(&out, &Report::ner(&title, &r, Some(span_confusion(&gold_tags, &pred))))?;
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&r.to_json())?);
            } else {
                print!("{}", r.to_text());
            }
        }
        EvalCommand::Muc4 { gold, pred, json, report } => {
            let r = score_files(&gold, &pred)?;
            if let Some(dir) = report {
                write_report(&dir, &r.report(&format!("MUC-4: {}", pred.display())))?;
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&r.to_json())?);
            } else {
                print!("{}", r.to_text());
            }
        }
        EvalCommand::Geo { gold, pred, json, resolve_again, write_lines, ranker, cv, train_ranker, cities, l2, steps, rate } => {
            use newsner::eval::geo::{cross_validate, ranker_table, score_files, Places, RankerCorpus};
            if gold.len() != pred.len() {
                bail!("--gold and --pred go in pairs: {} gold corpora, {} prediction files", gold.len(), pred.len());
            }
            if cv.is_some() || train_ranker.is_some() {
                let corpora = gold.iter().zip(&pred).map(|(g, p)| RankerCorpus::read(g, p)).collect::<Result<Vec<_>, _>>()?;
                let k = cv.map_or(0, usize::from);
                let (figures, all) = cross_validate(&corpora, k, newsner::geo::ranker::Fit { l2, steps, rate })?;
                let table = ranker_table(&figures, json);
                print!("{table}");
                if let Some(out) = train_ranker {
                    let names: Vec<String> = corpora.iter().map(|c| c.name.clone()).collect();
                    let comment = format!(
                        "Weights of the place stage's candidate ranker (src/geo/ranker.rs), trained by\n`newsner eval geo --train-ranker --l2 {l2} --steps {steps} --rate {rate}` on {}.{}",
                        names.join(", "),
                        if k > 1 { format!("\n{k}-fold cross-validation, documents of all corpora pooled:\n{}", ranker_table(&figures, false)) } else { String::new() }
                    );
                    std::fs::write(&out, all.to_tsv(&comment))?;
                }
                return Ok(0);
            }
            let ([gold], [pred]) = (&gold[..], &pred[..]) else { bail!("one --gold and one --pred, unless with --cv or --train-ranker") };
            let ranker = match ranker {
                Some(path) => Some(newsner::geo::Ranker::parse(&std::fs::read_to_string(&path)?).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?),
                None => None,
            };
            let places = if resolve_again { Places::ResolvedAgain { write: write_lines, ranker } } else { Places::AsWritten };
            let s = score_files(gold, pred, places, cities)?;
            print!("{}", if json { s.to_json() } else { s.to_text() });
        }
        EvalCommand::Merge { gold, pred, json } => {
            let s = newsner::eval::merge::score_files(&gold, &pred)?;
            print!("{}", if json { s.to_json() } else { s.to_text() });
        }
        EvalCommand::Incidents { wikievents: Some(dir), pred, json, slots, split, per_doc, explain, .. } => {
            let (slots, split) = (slots.unwrap_or(Slots::Linker), split.unwrap_or(Split::All));
            if let Some(doc) = explain {
                print!("{}", newsner::eval::wikievents::explain(&dir, &pred, slots, split, &doc)?);
                return Ok(0);
            }
            let s = newsner::eval::wikievents::score_files(&dir, &pred, slots, split)?;
            for w in &s.warnings {
                eprintln!("warning: {w}");
            }
            if json {
                println!("{}", s.to_json());
            } else {
                print!("{}", s.to_text(per_doc));
            }
        }
        EvalCommand::Incidents { keys, pred, json, slots, split, per_doc, explain, .. } => {
            if slots.is_some() || split.is_some() || per_doc || explain.is_some() {
                bail!("--slots, --split, --per-doc and --explain apply to WikiEvents scoring (--wikievents DIR), not to MUC-4 keys");
            }
            let s = score_key_files(&keys, &pred)?;
            let a = s.accuracy;
            if json {
                println!("{}", serde_json::json!({
                    "templates": s.templates,
                    "date": {"matched": a.dates_matched, "scored": a.dates, "accuracy": a.date_accuracy()},
                    "country": {"matched": a.countries_matched, "scored": a.countries, "accuracy": a.country_accuracy()},
                }));
            } else {
                println!("key templates of the {} annotated messages: {}", s.messages, s.templates);
                println!("incident date:    {:>5} / {:<5} = {:.1} %", a.dates_matched, a.dates, 100.0 * a.date_accuracy());
                println!("incident country: {:>5} / {:<5} = {:.1} %", a.countries_matched, a.countries, 100.0 * a.country_accuracy());
            }
        }
    }
    Ok(0)
}
