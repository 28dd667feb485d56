//! Scoring against gold data.
pub mod geo;
mod heads;
pub mod merge;
pub mod ner;
pub(crate) mod py;
pub mod report;
pub mod wikievents;

use std::path::Path;

use crate::error::{Error, Result};

/// Refuses to score when the figures could only be zeros that look like a
/// result: an empty gold file, or predictions (when given) none of whose
/// ids is in the gold — almost always the wrong file passed, not a model
/// that found nothing.
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
