//! `newsner export`: annotated lines in the formats benchmarks score.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;
use newsner::corpus::identity::refuse_output_among_inputs;
use newsner::corpus::input::open_input;
use newsner::muc4::export::export_lines;
use newsner::muc4::fillers::DecodeOptions;

use super::io::{create_output, file_output};

#[derive(Subcommand)]
pub enum ExportCommand {
    /// MUC-4 predictions from annotated lines: their `roles` (extract --roles), else the entities whose labels are roles (PerpInd, PerpOrg, Target, Victim, Weapon).
    Muc4 {
        /// Annotated JSONL written by `newsner extract` (- for stdin, .gz read as gzip).
        input: PathBuf,
        /// Also write a GTT-style template with incident_type.
        #[arg(long)]
        templates: bool,
        /// Output file (default, or `-`: stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Export every mention as the line groups it (by cluster, else by
        /// string) instead of decoding one filler per referent.
        #[arg(long)]
        raw: bool,
        /// Decoding: a referent named once needs at least this tagger score.
        #[arg(long, default_value_t = DecodeOptions::default().min_single)]
        min_single: f32,
        /// Decoding: a document predicts nothing unless its three most
        /// confident role mentions sum to at least this.
        #[arg(long, default_value_t = DecodeOptions::default().min_document)]
        min_document: f32,
    },
}

pub fn run(command: ExportCommand) -> Result<u8> {
    let ExportCommand::Muc4 { input, templates, output, raw, min_single, min_document } = command;
    let output = file_output(output);
    if let Some(o) = &output {
        refuse_output_among_inputs(o, std::slice::from_ref(&input))?;
    }
    let decoding = (!raw).then_some(DecodeOptions { min_single, min_document });
    let reader = open_input(&input)?;
    let mut out = create_output(output.as_deref())?;
    let n = export_lines(reader, &input.display().to_string(), &mut out, templates, decoding)?;
    out.flush()?;
    eprintln!("newsner: exported {n} documents");
    Ok(0)
}
