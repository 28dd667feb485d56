//! Which model folder a subcommand loads when the user names none, and
//! loading one with the arithmetic the user asked for.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use newsner::ner::fast::Precision;
use newsner::ner::model::TokenClassifier;

/// A model shipped in `models/NAME`: the copy under the current folder, or
/// the one in the source tree this binary was built from.
pub fn shipped_model(name: &str) -> PathBuf {
    let local = Path::new("models").join(name);
    if local.join("config.json").exists() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models").join(name)
}

/// The shipped NER model, unless `$NEWSNER_MODEL` names another.
pub fn default_model() -> PathBuf {
    std::env::var_os("NEWSNER_MODEL").map_or_else(|| shipped_model("ner-conll-minilm"), PathBuf::from)
}

/// The shipped MUC-4 role model.
pub fn role_model() -> PathBuf {
    shipped_model("roles-muc4-minilm")
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
