//! `newsner merge`: one record per real-world incident across articles.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use newsner::corpus::identity::refuse_output_among_inputs;
use newsner::merge::{merge, MergeOptions};
use newsner::destination::{is_plain, Replacement};

use super::io::{create_output, file_output};

#[derive(clap::Args)]
pub struct MergeArgs {
    /// Annotated JSONL written by `newsner extract` (- for stdin, .gz read as gzip).
    /// A file whose last line does not end in a newline (cut off) is refused.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output file (default, or `-`: stdout). Written under a temporary name beside it
    /// and renamed only when the merge succeeds; a device, pipe or link
    /// (/dev/null, /dev/stdout) is written through instead.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Folder for the work files, removed at the end (default: next to
    /// --output, else the system's temporary folder). Work folders that a
    /// killed merge left there are removed at the start.
    #[arg(long, value_name = "DIR")]
    temp_dir: Option<PathBuf>,
}

pub fn run(mut a: MergeArgs) -> Result<u8> {
    a.output = file_output(a.output);
    if let Some(o) = &a.output {
        refuse_output_among_inputs(o, &a.inputs)?;
    }
    let renamed = a.output.as_deref().filter(|o| is_plain(o));
    let beside_output = renamed.and_then(Path::parent).map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p });
    let temp_dir = a.temp_dir.or_else(|| beside_output.map(Path::to_path_buf)).unwrap_or_else(std::env::temp_dir);
    let opts = MergeOptions::new(temp_dir);
    let Some(output) = a.output.as_deref() else {
        return merge_into(&a.inputs, &mut create_output(None)?, "standard output", &opts);
    };
    // A failed merge (a torn part file, a missing --temp-dir, a full disk)
    // must not leave an empty or half-written -o that a scheduler or the next
    // step could take for a result, nor clobber the previous result.
    let mut out = Replacement::create(output)?;
    let code = merge_into(&a.inputs, &mut out, &output.display().to_string(), &opts)?;
    out.commit()?;
    Ok(code)
}

fn merge_into(inputs: &[PathBuf], out: &mut dyn Write, destination: &str, opts: &MergeOptions) -> Result<u8> {
    let summary = merge(inputs, out, opts, &mut |e| eprintln!("newsner: skipped: {e}"))?;
    out.flush().with_context(|| format!("cannot write {destination}"))?;
    eprintln!("newsner: merge: {summary}");
    Ok(u8::from(summary.errors > 0))
}
