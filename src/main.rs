//! The `newsner` command line: a thin shell over the library. This file
//! only names the subcommands and dispatches; each lives in `src/cli/`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cli;

use cli::{eval, export, extract, merge, render, train};

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
    Train(train::TrainArgs),
    /// Score models against gold data.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// One self-contained HTML review page: highlighted entities, incident cards with evidence.
    Render(render::RenderArgs),
    /// Convert annotated lines into benchmark formats.
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// One record per real-world incident across articles: joins the incidents
    /// of annotated lines that report the same event and reconciles their figures.
    Merge(merge::MergeArgs),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Extract(a) => extract::run(a),
        Command::Train(a) => train::run(a),
        Command::Eval(c) => eval::run(c),
        Command::Render(a) => render::run(a),
        Command::Export(c) => export::run(c),
        Command::Merge(a) => merge::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("newsner: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
