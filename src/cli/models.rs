//! Which model folder a subcommand loads when the user names none, and
//! loading one with the arithmetic the user asked for.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use newsner::ner::fast::Precision;
use newsner::ner::model::TokenClassifier;

/// Folders that may hold the shipped models, in the order they are tried:
/// beside the binary (`../models` from its folder is the layout of the
/// `make dist` tarball, `../../models` a build in a checkout's
/// target/release), then `$NEWSNER_MODELS`, then `./models`. The binary's own
/// location comes first because a relocated copy (a Spark `--archives`
/// unpack, a container, a pod) often runs with an empty or replaced
/// environment and an unrelated working folder.
fn model_roots() -> Vec<PathBuf> {
    let mut roots = Vec::new();
    if let Some(bin_dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf)) {
        roots.push(bin_dir.join("../models"));
        roots.push(bin_dir.join("../../models"));
    }
    if let Some(dir) = std::env::var_os("NEWSNER_MODELS") {
        roots.push(PathBuf::from(dir));
    }
    roots.push(PathBuf::from("models"));
    roots
}

/// The shipped model `models/NAME`, from the first of [`model_roots`] that holds it.
pub fn shipped_model(name: &str) -> Result<PathBuf> {
    let roots = model_roots();
    if let Some(dir) = roots.iter().map(|r| r.join(name)).find(|d| d.join("config.json").is_file()) {
        return Ok(dir);
    }
    let tried: Vec<String> = roots.iter().map(|r| r.join(name).display().to_string()).collect();
    bail!("cannot find the shipped model {name}: looked in {}; set NEWSNER_MODELS to the folder holding it or pass --model", tried.join(", "))
}

/// The shipped NER model, unless `$NEWSNER_MODEL` names another.
pub fn default_model() -> Result<PathBuf> {
    std::env::var_os("NEWSNER_MODEL").map_or_else(|| shipped_model("ner-conll-minilm"), |p| Ok(PathBuf::from(p)))
}

/// The shipped MUC-4 role model.
pub fn role_model() -> Result<PathBuf> {
    shipped_model("roles-muc4-minilm")
}

/// The shipped attack-argument model (see `newsner::train::events`).
pub fn argument_model() -> Result<PathBuf> {
    shipped_model("args-wikievents-minilm")
}

/// The model in `dir` (`what` names it in errors), with `precision` or
/// else the model's default arithmetic.
pub fn load(dir: &Path, what: &str, precision: Option<Precision>) -> Result<TokenClassifier> {
    let mut m = TokenClassifier::load(dir).with_context(|| format!("cannot load the {what} from {}", dir.display()))?;
    match precision {
        Some(p) => m.set_precision(p)?,
        None => m.use_default_precision(),
    }
    if let Some(why) = m.notice() {
        eprintln!("newsner: notice: {what} {}: {why}", dir.display());
    }
    Ok(m)
}
