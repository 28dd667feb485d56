//! `newsner render`: one self-contained HTML review page.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use newsner::corpus::identity::refuse_output_among_inputs;
use newsner::corpus::reader::Format;
use newsner::destination::Replacement;
use newsner::render::{read_annotated, read_texts, render_html};

#[derive(clap::Args)]
pub struct RenderArgs {
    /// Annotated JSONL written by `newsner extract`.
    annotated: PathBuf,
    /// The original input (JSONL), for the article texts the annotated lines do not carry.
    #[arg(long)]
    input: Option<PathBuf>,
    /// Input format of --input.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: Format,
    /// Output HTML file. Written under a temporary name beside it and renamed
    /// when complete, so a failed or killed render leaves the previous page.
    #[arg(short, long)]
    output: PathBuf,
}

pub fn run(a: RenderArgs) -> Result<u8> {
    let inputs: Vec<PathBuf> = std::iter::once(a.annotated.clone()).chain(a.input.clone()).collect();
    refuse_output_among_inputs(&a.output, &inputs)?;
    // the lock first: a second render of the same page fails before reading
    let mut out = Replacement::create(&a.output)?;
    // the input first: an input that cannot be read to its end is the
    // error to report even when the annotated file is not usable either
    let texts = match &a.input {
        Some(p) => read_texts(std::slice::from_ref(p), a.format)?,
        None => Default::default(),
    };
    let lines = read_annotated(&a.annotated)?;
    out.write_all(render_html(&lines, &texts)?.as_bytes()).with_context(|| format!("cannot write {}", a.output.display()))?;
    out.commit()?;
    eprintln!("newsner: review page for {} articles in {}", lines.len(), a.output.display());
    Ok(0)
}
