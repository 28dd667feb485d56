//! `newsner merge`: one record per real-world incident across articles.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use newsner::corpus::identity::refuse_output_among_inputs;
use newsner::merge::{merge, MergeOptions};

use super::io::create_output;

#[derive(clap::Args)]
pub struct MergeArgs {
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
}

pub fn run(a: MergeArgs) -> Result<u8> {
    if let Some(o) = &a.output {
        refuse_output_among_inputs(o, &a.inputs)?;
    }
    let beside_output = a.output.as_deref().and_then(Path::parent).map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p });
    let temp_dir = a.temp_dir.or_else(|| beside_output.map(Path::to_path_buf)).unwrap_or_else(std::env::temp_dir);
    let opts = MergeOptions::new(temp_dir);
    let mut out = create_output(a.output.as_deref(), false)?;
    let summary = merge(&a.inputs, &mut out, &opts, &mut |e| eprintln!("newsner: skipped: {e}"))?;
    out.flush()?;
    eprintln!("newsner: merge: {summary}");
    Ok(u8::from(summary.errors > 0))
}
