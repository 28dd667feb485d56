//! `newsner merge`: one record per real-world incident across articles.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use newsner::corpus::identity::refuse_output_among_inputs;
use newsner::merge::{merge, MergeOptions};

use super::io::create_output;

#[derive(clap::Args)]
pub struct MergeArgs {
    /// Annotated JSONL written by `newsner extract` (- for stdin, .gz read as gzip).
    /// A file whose last line does not end in a newline (cut off) is refused.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output file (default stdout). Written under a temporary name beside it
    /// and renamed only when the merge succeeds; a device, pipe or link
    /// (/dev/null, /dev/stdout) is written through instead.
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
    // Only a plain file (or a new one) is replaced by renaming; a device, a
    // pipe or a link (`-o /dev/null`, `-o /dev/stdout`) is written through,
    // or the rename would put a file where the device or the link was.
    let renamed = a.output.as_deref().filter(|o| std::fs::symlink_metadata(o).map_or(true, |m| m.is_file()));
    let beside_output = renamed.and_then(Path::parent).map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p });
    let temp_dir = a.temp_dir.or_else(|| beside_output.map(Path::to_path_buf)).unwrap_or_else(std::env::temp_dir);
    let opts = MergeOptions::new(temp_dir);
    let Some(output) = renamed else {
        return merge_into(&a.inputs, a.output.as_deref(), &opts);
    };
    // A failed merge (a torn part file, a missing --temp-dir, a full disk)
    // must not leave an empty or half-written -o that a scheduler or the next
    // step could take for a result, nor clobber the previous result.
    let partial = partial_name(output);
    let result = merge_into(&a.inputs, Some(&partial), &opts).and_then(|code| {
        std::fs::rename(&partial, output).with_context(|| format!("cannot write {}", output.display()))?;
        Ok(code)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// `.NAME.partial` beside `output`: the same folder, so the final rename is atomic.
fn partial_name(output: &Path) -> PathBuf {
    let name = output.file_name().map_or_else(|| "merged".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.partial"))
}

fn merge_into(inputs: &[PathBuf], output: Option<&Path>, opts: &MergeOptions) -> Result<u8> {
    let mut out = create_output(output, false)?;
    let summary = merge(inputs, &mut out, opts, &mut |e| eprintln!("newsner: skipped: {e}"))?;
    out.flush().with_context(|| format!("cannot write {}", output.map_or_else(|| "standard output".into(), |p| p.display().to_string())))?;
    eprintln!("newsner: merge: {summary}");
    Ok(u8::from(summary.errors > 0))
}
