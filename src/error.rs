//! Library errors. The CLI turns them into messages and exit codes.
use std::path::Path;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    #[error("model: {0}")]
    Model(String),
    #[error("input {path}: {message}")]
    Input { path: String, message: String },
    /// An output file, or the resume record beside it, could not be written
    /// or read back.
    #[error("output {path}: {message}")]
    Output { path: String, message: String },
    #[error("data {path}:{line}: {message}")]
    Data { path: String, line: usize, message: String },
    #[error("{0}")]
    Usage(String),
    /// A list of stages in which a stage reads what no earlier stage adds.
    #[error("pipeline: {0}")]
    Pipeline(String),
    /// A temporary work file (merge partitions) could not be written or read
    /// back: usually a full disk, so the message names the folder to check.
    #[error("work file {path}: {message}")]
    Work { path: String, message: String },
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("torch: {0}")]
    Torch(#[from] tch::TchError),
}

pub type Result<T> = std::result::Result<T, Error>;

/// Refuses to score when the figures could only be zeros that look like a
/// result: an empty gold file, or predictions (when given) none of whose
/// ids is in the gold — almost always the wrong file passed, not a model
/// that found nothing. Here, not in `eval`, so the MUC-4 scorers can
/// use it without an import cycle (`eval` reports MUC-4 scores).
pub fn ensure_scorable(gold: &Path, gold_items: usize, pred: Option<(&Path, usize)>) -> Result<()> {
    if gold_items == 0 {
        return Err(Error::Usage(format!("{}: no gold items to score against; is it the gold file?", gold.display())));
    }
    if let Some((pred, 0)) = pred {
        return Err(Error::Usage(format!(
            "none of the ids in {} is among the {gold_items} gold ids of {}; are these the predictions for this gold file?",
            pred.display(),
            gold.display()
        )));
    }
    Ok(())
}
