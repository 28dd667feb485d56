//! Batched inference over many sentences at once.
//!
//! Sentences from many documents are windowed, sorted by length and batched,
//! so padding stays small; predictions come back per word in input order.

use rayon::prelude::*;
use tch::Tensor;

use super::encode::{centrality, windows_overlapping, Specials, Window};
use super::model::{Decoding, TokenClassifier};
use crate::bio::Tag;
use crate::error::Result;

/// The model's choice for one word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordTag {
    pub label: usize,
    pub prob: f32,
}

/// Which labels are the two halves (B-, I-) of one entity type.
#[derive(Debug, Clone)]
pub struct LabelScheme {
    /// The label `O`, which words no window covers get too.
    outside: usize,
    /// For each label, the other half of its type (B-X ↔ I-X), if any.
    partner: Vec<Option<usize>>,
}

impl LabelScheme {
    pub fn new(labels: &[String]) -> Self {
        let partner = labels
            .iter()
            .map(|l| {
                let other = match Tag::parse(l)? {
                    Tag::Begin(ty) => Tag::Inside(ty),
                    Tag::Inside(ty) => Tag::Begin(ty),
                    Tag::Outside => return None,
                };
                let other = other.to_string();
                labels.iter().position(|x| *x == other)
            })
            .collect();
        let outside = labels.iter().position(|l| Tag::parse(l) == Some(Tag::Outside)).unwrap_or(0);
        LabelScheme { outside, partner }
    }

    /// One word's label from its probabilities, as `decoding` says.
    pub fn pick(&self, row: &[f32], decoding: Decoding) -> WordTag {
        let argmax = |row: &[f32]| {
            row.iter().enumerate().fold(WordTag { label: 0, prob: f32::MIN }, |best, (i, &p)| {
                if p > best.prob {
                    WordTag { label: i, prob: p }
                } else {
                    best
                }
            })
        };
        match decoding {
            Decoding::Argmax => argmax(row),
            Decoding::Marginal(weight) => {
                let outside = row[self.outside];
                if 1.0 - outside <= outside * f32::from(weight) / 1000.0 {
                    return WordTag { label: self.outside, prob: outside };
                }
                // the type with most mass; labels without a partner count alone
                let mut best: Option<WordTag> = None;
                for (i, &p) in row.iter().enumerate() {
                    if i == self.outside {
                        continue;
                    }
                    let mass = p + self.partner[i].map_or(0.0, |j| row[j]);
                    let larger = self.partner[i].map_or(true, |j| p > row[j] || (p == row[j] && i < j));
                    if larger && best.map_or(true, |b| mass > b.prob) {
                        best = Some(WordTag { label: i, prob: mass });
                    }
                }
                best.unwrap_or_else(|| argmax(row))
            }
        }
    }
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

/// A model that several threads run forward passes on at once.
struct Shared<'a>(&'a TokenClassifier);

// SAFETY: tch's tensors are not `Sync` because some of their methods modify
// the tensor in place through `&self`. `Shared` only offers `probs`, an
// inference forward that reads the weights and writes only tensors it
// creates; libtorch supports concurrent inference on shared weights, and
// `no_grad` sets the thread-local grad mode on the calling thread, so no
// autograd state is shared either.
unsafe impl Sync for Shared<'_> {}

impl Shared<'_> {
    /// Label probabilities `[batch, seq, labels]`.
    fn probs(&self, ids: &Tensor, mask: &Tensor, cases: &Tensor) -> Result<Tensor> {
        self.0.probs(ids, mask, cases)
    }
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
    let overlap = model.window_overlap;
    let per_sentence: Vec<Vec<Window>> = sentences
        .par_iter()
        .map(|words| windows_overlapping(tokenizer, sp, words, max_len, overlap))
        .collect::<Result<_>>()?;
    let mut flat: Vec<(usize, &Window)> =
        per_sentence.iter().enumerate().flat_map(|(s, ws)| ws.iter().map(move |w| (s, w))).collect();
    flat.sort_by_key(|(_, w)| w.ids.len());

    // Each batch's choices per (sentence, word, centrality). Where libtorch
    // has one thread, the batches run side by side on the rayon pool (one
    // whole forward per core: no per-operator fork/join, which at news
    // sentence lengths costs more than it saves); otherwise libtorch spreads
    // each operator over its threads and the batches go one at a time.
    let n_labels = model.labels.len();
    let scheme = LabelScheme::new(&model.labels);
    let decoding = model.decoding;
    let shared = Shared(model);
    let run = |chunk: &[(usize, &Window)]| -> Result<Vec<(usize, usize, usize, WordTag)>> {
        let mut windows: Vec<&Window> = chunk.iter().map(|(_, w)| *w).collect();
        if let [alone] = windows[..] {
            windows.push(alone); // see `same_length_batches`: never a one-row forward
        }
        let (ids, mask, cases) = pad_batch(&windows);
        let probs = shared.probs(&ids, &mask, &cases)?;
        let longest = ids.size()[1] as usize;
        let probs: Vec<f32> = Vec::try_from(probs.flatten(0, -1))?;
        let mut picked = Vec::new();
        for (b, (s, w)) in chunk.iter().enumerate() {
            for (k, fp) in w.first_piece.iter().enumerate() {
                let Some(pos) = fp else { continue };
                let word = w.words.0 + k;
                let row = &probs[(b * longest + pos) * n_labels..(b * longest + pos + 1) * n_labels];
                picked.push((*s, word, centrality(w, word), scheme.pick(row, decoding)));
            }
        }
        Ok(picked)
    };
    let chunks = same_length_batches(&flat, batch_size);
    let picked: Vec<Vec<(usize, usize, usize, WordTag)>> = if tch::get_num_threads() <= 1 {
        chunks.par_iter().map(|c| run(c)).collect::<Result<_>>()?
    } else {
        chunks.iter().map(|c| run(c)).collect::<Result<_>>()?
    };

    // Merged in batch order, so the result never depends on scheduling: a
    // word two windows cover takes the window where it sits more centrally.
    let outside = scheme.outside;
    let mut out: Vec<Vec<(usize, WordTag)>> = sentences
        .iter()
        .map(|s| vec![(0, WordTag { label: outside, prob: 1.0 }); s.len()])
        .collect();
    let mut seen: Vec<Vec<bool>> = sentences.iter().map(|s| vec![false; s.len()]).collect();
    for (s, word, c, tag) in picked.into_iter().flatten() {
        if seen[s][word] && out[s][word].0 >= c {
            continue;
        }
        out[s][word] = (c, tag);
        seen[s][word] = true;
    }
    Ok(out.into_iter().map(|s| s.into_iter().map(|(_, t)| t).collect()).collect())
}

/// Cuts windows sorted by length into batches of at most `batch_size`
/// windows of one length each, so no window is ever padded.
///
/// An article's scores must not depend on what else shares its batch:
/// chunks, shards, Spark partitions and resumed runs have to give one run's
/// bytes. In a padded batch they did (a score moved in the 4th decimal with
/// `--batch-size`): a window's logits change with the length it is padded to
/// (the attention's vectorised sums over keys, blocked by length, add in
/// another order). Measured with the shipped model and tch on BBC windows
/// of 4 to 54 pieces, fp32-fast and fp32, one libtorch thread: for a fixed
/// padded length a window's probabilities are bit-identical whatever its
/// neighbours and its row (2, 3, 4, 8, 16 and 32 rows, any position), and
/// so across row counts, except that rust-bert's fp32 gave other bits for a
/// lone row in one window of three; so a lone window runs beside a copy of
/// itself. Windows of equal length in a chunk are plentiful (sentences are
/// sorted by length anyway), so this costs no measurable time: extract on
/// the first 300 BBC articles (2 threads, shared machine) took 74.8, 72.0
/// and 69.1 s CPU with padded batches of 32 and 76.9, 70.8, 70.8 and 65.8 s
/// this way, where padding every window to a multiple of 16 pieces (also
/// invariant in that test) took 88.8 and 90.3 s.
///
/// int8 is not invariant this way: ONNX Runtime and libtorch's int8 quantise
/// a forward's activations with one scale for the whole batch, so a window's
/// neighbours move its scores; only one window per forward would fix that.
///
/// A pass also holds at most [`PIECES_PER_PASS`] word pieces: attention
/// costs rows × heads × length² floats, so 32 document windows of 256 pieces
/// (the attack-argument model) held 100 MB per attention matrix and per
/// thread, and set the process's peak; sentence windows (under 64 pieces)
/// still go 32 at a time.
fn same_length_batches<'a, 'w>(sorted: &'a [(usize, &'w Window)], batch_size: usize) -> Vec<&'a [(usize, &'w Window)]> {
    sorted
        .chunk_by(|a, b| a.1.ids.len() == b.1.ids.len())
        .flat_map(|same| {
            let fit = PIECES_PER_PASS / same[0].1.ids.len().max(1);
            same.chunks(batch_size.min(fit).max(1))
        })
        .collect()
}

/// The most word pieces one forward pass reads (see `same_length_batches`).
const PIECES_PER_PASS: usize = 2048;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::fast::Precision;

    #[test]
    fn batches_hold_one_length_each_and_at_most_batch_size_windows() {
        let window = |n: usize| Window { ids: vec![0; n], cases: vec![0; n], words: (0, 0), first_piece: Vec::new() };
        let ws: Vec<Window> = [3, 3, 3, 5, 5, 7].into_iter().map(window).collect();
        let sorted: Vec<(usize, &Window)> = ws.iter().enumerate().collect();
        let shape = |b: usize| -> Vec<Vec<usize>> {
            same_length_batches(&sorted, b).iter().map(|batch| batch.iter().map(|(i, _)| *i).collect()).collect()
        };
        assert_eq!(shape(2), [vec![0, 1], vec![2], vec![3, 4], vec![5]]);
        assert_eq!(shape(32), [vec![0, 1, 2], vec![3, 4], vec![5]]);
        assert_eq!(shape(0), [vec![0], vec![1], vec![2], vec![3], vec![4], vec![5]], "0 counts as 1");
        // long windows go fewer at a time, so that a pass holds a bounded number of pieces
        let long: Vec<Window> = (0..20).map(|_| window(256)).collect();
        let sorted: Vec<(usize, &Window)> = long.iter().enumerate().collect();
        let sizes: Vec<usize> = same_length_batches(&sorted, 32).iter().map(|b| b.len()).collect();
        assert_eq!(sizes, [8, 8, 4], "{} pieces a pass at most", PIECES_PER_PASS);
        let huge = [window(PIECES_PER_PASS * 2)];
        let sorted: Vec<(usize, &Window)> = huge.iter().enumerate().collect();
        assert_eq!(same_length_batches(&sorted, 32).len(), 1, "a window longer than the budget still runs, alone");
    }

    /// A sentence's word tags, bit for bit, whatever else is tagged with it
    /// and however the windows are batched, with either fp32 encoder.
    #[test]
    fn tags_do_not_depend_on_the_batch() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models/ner-conll-minilm");
        let mut model = TokenClassifier::load(&dir).expect("the shipped model loads");
        let texts = [
            "He said .",
            "She said .",
            "Reuters reported that Apple Inc. would open a new office in São Paulo , Brazil .",
            "The European Commission said on Thursday it disagreed with German advice to consumers to shun British lamb until scientists determine whether mad cow disease can be transmitted to sheep .",
            "Nadim Ladki of the Lebanese Red Cross told the BBC that Kofi Annan and the United Nations Security Council in New York were informed on Monday .",
        ];
        let sentences: Vec<Vec<&str>> = texts.iter().map(|t| t.split(' ').collect()).collect();
        for precision in [Precision::Fp32Fast, Precision::Fp32] {
            model.set_precision(precision).unwrap();
            let together = tag_sentences(&model, &sentences, 32, 24).unwrap();
            for batch_size in [1, 3] {
                let got = tag_sentences(&model, &sentences, batch_size, 24).unwrap();
                assert_eq!(got, together, "{precision}, batch size {batch_size}");
            }
            for (i, s) in sentences.iter().enumerate() {
                let alone = tag_sentences(&model, std::slice::from_ref(s), 32, 24).unwrap();
                assert_eq!(alone[0], together[i], "{precision}, sentence {i} alone");
            }
        }
    }

    fn scheme() -> LabelScheme {
        let labels: Vec<String> = ["O", "B-X", "I-X", "B-Y", "I-Y"].iter().map(|s| s.to_string()).collect();
        LabelScheme::new(&labels)
    }

    #[test]
    fn argmax_takes_the_most_probable_label() {
        let t = scheme().pick(&[0.4, 0.3, 0.3, 0.0, 0.0], Decoding::Argmax);
        assert_eq!(t, WordTag { label: 0, prob: 0.4 });
    }

    #[test]
    fn marginal_keeps_a_word_whose_begin_and_inside_mass_outweighs_outside() {
        let s = scheme();
        let t = s.pick(&[0.4, 0.25, 0.35, 0.0, 0.0], Decoding::Marginal(1000));
        assert_eq!(t.label, 2, "I-X is the larger half of X");
        assert!((t.prob - 0.6).abs() < 1e-6, "the word's probability is its type's mass");
        let t = s.pick(&[0.5, 0.3, 0.2, 0.0, 0.0], Decoding::Marginal(1000));
        assert_eq!(t, WordTag { label: 0, prob: 0.5 }, "O at one half stays O");
    }

    #[test]
    fn marginal_types_a_word_by_the_type_with_most_mass() {
        // X's single label is the largest, but Y has more mass over B and I
        let t = scheme().pick(&[0.3, 0.3, 0.0, 0.2, 0.2], Decoding::Marginal(1000));
        assert_eq!(t.label, 3);
        assert!((t.prob - 0.4).abs() < 1e-6);
    }

    #[test]
    fn labels_without_a_partner_count_alone() {
        let labels: Vec<String> = ["O", "B-X", "MISC"].iter().map(|s| s.to_string()).collect();
        let t = LabelScheme::new(&labels).pick(&[0.3, 0.3, 0.4], Decoding::Marginal(1000));
        assert_eq!(t, WordTag { label: 2, prob: 0.4 });
    }
}
