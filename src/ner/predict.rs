//! Batched inference over many sentences at once.
//!
//! Sentences from many documents are windowed, sorted by length and batched,
//! so padding stays small; predictions come back per word in input order.

use rayon::prelude::*;
use tch::{Kind, Tensor};

use super::encode::{centrality, windows, Specials, Window};
use super::model::TokenClassifier;
use crate::error::Result;

/// The model's choice for one word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordTag {
    pub label: usize,
    pub prob: f32,
}

/// Pads windows into `[batch, longest]` id, mask and casing tensors.
pub fn pad_batch(batch: &[&Window]) -> (Tensor, Tensor, Tensor) {
    let longest = batch.iter().map(|w| w.ids.len()).max().unwrap_or(0);
    let mut ids = vec![0i64; batch.len() * longest];
    let mut mask = vec![0i64; batch.len() * longest];
    let mut cases = vec![0i64; batch.len() * longest];
    for (b, w) in batch.iter().enumerate() {
        let row = b * longest;
        ids[row..row + w.ids.len()].copy_from_slice(&w.ids);
        cases[row..row + w.ids.len()].copy_from_slice(&w.cases);
        mask[row..row + w.ids.len()].fill(1);
    }
    let shape = [batch.len() as i64, longest as i64];
    (
        Tensor::from_slice(&ids).view(shape),
        Tensor::from_slice(&mask).view(shape),
        Tensor::from_slice(&cases).view(shape),
    )
}

/// Tags every word of every sentence. `max_len` caps window length (in
/// pieces, clamped to what the encoder accepts).
pub fn tag_sentences(
    model: &TokenClassifier,
    sentences: &[Vec<&str>],
    batch_size: usize,
    max_len: usize,
) -> Result<Vec<Vec<WordTag>>> {
    let sp = Specials::of(&model.tokenizer)?;
    let max_len = max_len.min(model.max_positions);
    let tokenizer = &model.tokenizer;
    let per_sentence: Vec<Vec<Window>> = sentences
        .par_iter()
        .map(|words| windows(tokenizer, sp, words, max_len))
        .collect::<Result<_>>()?;
    let mut flat: Vec<(usize, &Window)> =
        per_sentence.iter().enumerate().flat_map(|(s, ws)| ws.iter().map(move |w| (s, w))).collect();
    flat.sort_by_key(|(_, w)| w.ids.len());

    let outside = model.outside_id() as usize;
    let mut out: Vec<Vec<(usize, WordTag)>> = sentences
        .iter()
        .map(|s| vec![(0, WordTag { label: outside, prob: 1.0 }); s.len()])
        .collect();
    let mut seen: Vec<Vec<bool>> = sentences.iter().map(|s| vec![false; s.len()]).collect();
    let n_labels = model.labels.len();
    for chunk in flat.chunks(batch_size.max(1)) {
        let windows: Vec<&Window> = chunk.iter().map(|(_, w)| *w).collect();
        let (ids, mask, cases) = pad_batch(&windows);
        let probs = tch::no_grad(|| model.forward(&ids, &mask, &cases, false).softmax(-1, Kind::Float));
        let longest = ids.size()[1] as usize;
        let probs: Vec<f32> = Vec::try_from(probs.flatten(0, -1))?;
        for (b, (s, w)) in chunk.iter().enumerate() {
            for (k, fp) in w.first_piece.iter().enumerate() {
                let word = w.words.0 + k;
                let Some(pos) = fp else { continue };
                let c = centrality(w, word);
                if seen[*s][word] && out[*s][word].0 >= c {
                    continue;
                }
                let row = &probs[(b * longest + pos) * n_labels..(b * longest + pos + 1) * n_labels];
                let (label, prob) = row
                    .iter()
                    .enumerate()
                    .fold((0, f32::MIN), |best, (i, &p)| if p > best.1 { (i, p) } else { best });
                out[*s][word] = (c, WordTag { label, prob });
                seen[*s][word] = true;
            }
        }
    }
    Ok(out.into_iter().map(|s| s.into_iter().map(|(_, t)| t).collect()).collect())
}

/// Whole entities `(first_word, end_word, type, mean prob)` from word tags:
/// pieces are already merged to words; an `I-X` after `O` or another type
/// opens an entity instead of being dropped (the usual broken-BIO repair).
pub fn word_entities(tags: &[WordTag], labels: &[String]) -> Vec<(usize, usize, String, f32)> {
    let strings: Vec<String> = tags.iter().map(|t| labels[t.label].clone()).collect();
    crate::corpus::conll::spans(&strings)
        .into_iter()
        .map(|(s, e, ty)| {
            let score = tags[s..e].iter().map(|t| t.prob).sum::<f32>() / (e - s) as f32;
            (s, e, ty, score)
        })
        .collect()
}
