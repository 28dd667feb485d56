//! A token-classification model loaded from a Hugging Face-style folder.
//!
//! Any folder with `config.json` (with `id2label`), `tokenizer.json` and
//! weights (`model.safetensors` or `rust_model.ot`) loads, for BERT and
//! DistilBERT encoders, so users can bring bigger models. newsner's own
//! models add a casing channel (`newsner.casing` in config.json and a
//! `case_embeddings.weight` tensor): the MiniLM vocabulary is lower-cased,
//! and capitalisation is the strongest cue for names.
//!
//! A folder may also list ensemble members (`newsner.members` in
//! config.json: further weight files of the same architecture, e.g. other
//! training seeds). At inference their class probabilities are averaged:
//! for the role tagger, whose single runs differ by a point or more from
//! seed to seed, the average is better than any one run.
//!
//! How a word's label is read off its probabilities is part of a model too
//! (`newsner.decode` in config.json, see [`Decoding`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rust_bert::bert::{BertConfig, BertEmbeddings, BertModel};
use rust_bert::distilbert::{DistilBertConfig, DistilBertModel};
use serde_json::{json, Value};
use tch::{nn, nn::Module, Device, Kind, Tensor};
use tokenizers::Tokenizer;

use crate::error::{Error, Result};
use crate::ner::fast::{FastEncoder, Precision};
use crate::ner::onnx::{OnnxEncoder, ONNX_FILE};
use crate::destination::partial_name;

/// Number of casing classes (see [`crate::text::words::casing`]).
pub const CASING_CLASSES: i64 = 4;

enum Encoder {
    Bert(BertModel<BertEmbeddings>),
    DistilBert(DistilBertModel),
}

/// How a word's label is read off the label probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decoding {
    /// The most probable label (`"argmax"`, the default).
    #[default]
    Argmax,
    /// Inside or outside first (`"marginal"`): a word is inside an entity
    /// when the B- and I- labels of all types together are more probable
    /// than O; its type is the one with most B+I mass, B or I whichever of
    /// the two is larger, and its probability that mass. Plain argmax lets
    /// an entity word fall to O whenever the model is unsure whether it
    /// begins the entity or continues it (B 0.3, I 0.3, O 0.4), which cuts
    /// names short. Averaging an ensemble spreads mass over B and I in just
    /// this way: on MUC-4 dev the role ensemble scores 1.0-1.5 CEAF-REE points
    /// better with it (see the role model's card), while the single CoNLL
    /// model, confident about B and I, loses 0.1 F1 and keeps argmax.
    ///
    /// The number is the weight of O against that mass, in thousandths
    /// (`newsner.outside_weight` in config.json, default 1.0): a model of
    /// sparse labels (the attack-argument model, whose arguments are a few
    /// words in hundreds) learns to say O too readily, and a weight below 1
    /// trades precision for the recall it lost. Chosen by cross-validation,
    /// recorded in the model's config and card.
    Marginal(u16),
}

impl Decoding {
    fn from_config(cfg: &Value, dir: &Path) -> Result<Self> {
        match cfg.pointer("/newsner/decode") {
            None => Ok(Decoding::Argmax),
            Some(Value::String(s)) if s == "argmax" => Ok(Decoding::Argmax),
            Some(Value::String(s)) if s == "marginal" => {
                let weight = match cfg.pointer("/newsner/outside_weight") {
                    None => 1.0,
                    Some(v) => v.as_f64().filter(|w| (0.001..=10.0).contains(w)).ok_or_else(|| {
                        Error::Model(format!("{}: config.json: newsner.outside_weight must be a number from 0.001 to 10, not {v}", dir.display()))
                    })?,
                };
                Ok(Decoding::Marginal((weight * 1000.0).round() as u16))
            }
            Some(other) => Err(Error::Model(format!(
                "{}: config.json: newsner.decode must be \"argmax\" or \"marginal\", not {other}",
                dir.display()
            ))),
        }
    }
}

/// Encoder + (optional casing channel) + linear tagging head.
pub struct TokenClassifier {
    pub vs: nn::VarStore,
    encoder: Encoder,
    /// The encoder's word-embedding matrix, shared with `encoder` (same storage).
    word_embeddings: Option<Tensor>,
    case_embeddings: Option<nn::Embedding>,
    classifier: nn::Linear,
    dropout: f64,
    pub labels: Vec<String>,
    pub tokenizer: Tokenizer,
    /// The config.json this model was built from (written back on save).
    pub config: Value,
    /// Longest input the encoder accepts, in word pieces (incl. specials).
    pub max_positions: usize,
    /// Inference-only encoder used by `forward` when not training.
    fast: Option<FastEncoder>,
    /// ONNX Runtime's int8 graph, used by `probs` instead of `forward`.
    onnx: Option<OnnxEncoder>,
    /// The variables' shapes while their storage is given back (see
    /// [`Self::release_weights`]); `None` while libtorch holds the weights.
    released: Option<Vec<(String, Vec<i64>, Kind)>>,
    /// Why a requested arithmetic was replaced by another (for the user).
    notice: Option<String>,
    /// The arithmetic inference runs, after any fallback (see [`Self::precision`]).
    precision: Precision,
    /// The folder the model was loaded from (where its ONNX graph lies).
    folder: Option<PathBuf>,
    /// Further weights averaged in at inference (see the module docs).
    members: Vec<TokenClassifier>,
    /// How inference reads labels off the (averaged) probabilities.
    pub decoding: Decoding,
    /// How much of a window the next one repeats, in thousandths
    /// (`newsner.window_overlap` in config.json, default 0.5). Each word is
    /// read from the window where it sits most central, so half a window of
    /// overlap gives every word context on both sides at twice the cost; a
    /// model reading whole articles can do with less (see its card).
    pub window_overlap: u16,
}

/// `newsner.window_overlap` from a model's config: a fraction from 0 to 0.75.
fn window_overlap(cfg: &Value, dir: &Path) -> Result<u16> {
    match cfg.pointer("/newsner/window_overlap") {
        None => Ok(500),
        Some(v) => v.as_f64().filter(|w| (0.0..=0.75).contains(w)).map(|w| (w * 1000.0).round() as u16).ok_or_else(|| {
            Error::Model(format!("{}: config.json: newsner.window_overlap must be a number from 0 to 0.75, not {v}", dir.display()))
        }),
    }
}

fn missing(dir: &Path, what: &str, hint: &str) -> Error {
    Error::Model(format!("{}: {what} is missing ({hint})", dir.display()))
}

/// Size caps of the files a model folder is read from. A link to `/dev/zero`
/// or a FIFO named `config.json` would otherwise be read until memory runs
/// out, so each file must be a regular file of at most its cap: far above
/// any real config (a few KB), tokenizer (under 20 MB for the largest
/// multilingual vocabularies) or BERT-large-sized weights.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;
pub const MAX_TOKENIZER_BYTES: u64 = 64 << 20;
pub const MAX_WEIGHTS_BYTES: u64 = 16 << 30;

/// `path` (`what` in messages) when it is a regular file of at most `cap` bytes.
fn bounded_file(path: &Path, what: &str, cap: u64) -> Result<()> {
    let refuse = |why: String| Error::Model(format!("{}: {why}", path.display()));
    let m = std::fs::metadata(path).map_err(|e| refuse(format!("cannot be read: {e}")))?;
    if !m.is_file() {
        return Err(refuse("is not a regular file (a device, a FIFO or a folder, or a link to one)".into()));
    }
    if m.len() > cap {
        return Err(refuse(format!("has {} bytes, over the cap of {cap} for a model's {what}", m.len())));
    }
    Ok(())
}

/// The weight file of a model folder, if any.
pub fn weights_file(dir: &Path) -> Option<PathBuf> {
    ["model.safetensors", "rust_model.ot"].iter().map(|f| dir.join(f)).find(|p| p.exists())
}

/// The files that make a model folder what it is (config, tokenizer,
/// weights, ensemble members): what `--resume` fingerprints to tell whether
/// the model changed since the run began.
pub fn model_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let cfg = read_config(dir)?;
    let mut files = vec![dir.join("config.json"), dir.join("tokenizer.json")];
    files.extend(weights_file(dir));
    files.extend(members_of(&cfg, dir)?);
    files.extend(Some(dir.join(ONNX_FILE)).filter(|f| f.is_file()));
    Ok(files)
}

/// The ensemble members' weight files listed in config.json, checked to exist.
fn members_of(cfg: &Value, dir: &Path) -> Result<Vec<PathBuf>> {
    let Some(list) = cfg.pointer("/newsner/members") else { return Ok(Vec::new()) };
    let names = list.as_array().ok_or_else(|| {
        Error::Model(format!("{}: config.json: newsner.members must be a list of weight files", dir.display()))
    })?;
    names
        .iter()
        .map(|n| {
            let name = n.as_str().ok_or_else(|| {
                Error::Model(format!("{}: config.json: newsner.members holds {n}, not a file name", dir.display()))
            })?;
            let path = dir.join(name);
            if !path.exists() {
                return Err(missing(dir, &format!("ensemble member {name}"), "listed in config.json newsner.members"));
            }
            bounded_file(&path, "weights", MAX_WEIGHTS_BYTES)?;
            Ok(path)
        })
        .collect::<Result<Vec<_>>>()
        .and_then(|files| distinct_members(files, dir))
}

/// Refuses a member listed twice, under any spelling or link, or that is
/// the folder's own weights: each copy would load (and cost) a whole model
/// again and weigh the average towards it.
fn distinct_members(files: Vec<PathBuf>, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut seen: Vec<PathBuf> = weights_file(dir).and_then(|w| w.canonicalize().ok()).into_iter().collect();
    for f in &files {
        let real = f.canonicalize()?;
        if seen.contains(&real) {
            return Err(Error::Model(format!(
                "{}: config.json: newsner.members lists {} more than once (or the folder's own weights): members must be distinct weight files",
                dir.display(),
                f.display()
            )));
        }
        seen.push(real);
    }
    Ok(files)
}

/// Reads and validates `config.json`, filling the fields rust-bert requires
/// but recent Hugging Face configs leave out.
fn read_config(dir: &Path) -> Result<Value> {
    let path = dir.join("config.json");
    if !path.exists() {
        return Err(missing(dir, "config.json", "a Hugging Face model folder needs config.json"));
    }
    bounded_file(&path, "config.json", MAX_CONFIG_BYTES)?;
    let text = std::fs::read_to_string(&path)?;
    let mut cfg: Value = serde_json::from_str(&text)
        .map_err(|e| Error::Model(format!("{}: invalid JSON: {e}", path.display())))?;
    let obj = cfg.as_object_mut().ok_or_else(|| Error::Model(format!("{}: not a JSON object", path.display())))?;
    let defaults = json!({
        "output_past": false, "qa_dropout": 0.1, "seq_classif_dropout": 0.2,
        "sinusoidal_pos_embds": false, "tie_weights_": true, "initializer_range": 0.02,
        "activation": "gelu", "hidden_act": "gelu", "type_vocab_size": 2
    });
    for (k, v) in defaults.as_object().unwrap() {
        obj.entry(k.clone()).or_insert(v.clone());
    }
    trained_window(&cfg, dir)?;
    Ok(cfg)
}

/// The encoder window the model was trained with (`newsner.max_len`, 256
/// when absent), which `eval ner` scores it with. A window holds `[CLS]`,
/// `[SEP]` and a word piece, so less than 3 is refused naming the field
/// rather than scored into figures that look like a weaker model.
pub fn trained_window(cfg: &Value, dir: &Path) -> Result<usize> {
    match cfg.pointer("/newsner/max_len") {
        None => Ok(256),
        Some(v) => v.as_u64().filter(|&n| n >= crate::args::MIN_WINDOW as u64).map(|n| n as usize).ok_or_else(|| {
            Error::Model(format!("{}: config.json: newsner.max_len must be a whole number of at least {}, not {v}", dir.display(), crate::args::MIN_WINDOW))
        }),
    }
}

/// Checks the sizes in `config.json` before libtorch allocates anything:
/// a zero head count divides by zero inside rust-bert, a hidden size the
/// heads do not divide fails an assertion, and a size no machine can hold
/// aborts the allocation — each a panic instead of an error naming the field.
/// A config can never need more weights than its weight file has bytes (at
/// least one per weight), which bounds every size without a guessed limit.
fn check_sizes(cfg: &Value, dir: &Path, weights: &Path) -> Result<()> {
    let fail = |message: String| Error::Model(format!("{}: config.json: {message}", dir.display()));
    let field = |name: &str| -> Result<Option<u64>> {
        match cfg.get(name) {
            None => Ok(None),
            Some(v) => v.as_u64().filter(|&n| n > 0).map(Some).ok_or_else(|| fail(format!("{name} must be a positive whole number, not {v}"))),
        }
    };
    let bert = cfg.get("model_type").and_then(Value::as_str) != Some("distilbert");
    let [hidden_name, heads_name, layers_name, inner_name] =
        if bert { ["hidden_size", "num_attention_heads", "num_hidden_layers", "intermediate_size"] } else { ["dim", "n_heads", "n_layers", "hidden_dim"] };
    let (Some(hidden), Some(heads)) = (field(hidden_name)?, field(heads_name)?) else {
        return Ok(()); // reading the config into rust-bert's type names the missing field
    };
    if hidden % heads != 0 {
        return Err(fail(format!("{hidden_name} {hidden} is not divisible by {heads_name} {heads}")));
    }
    let capacity = std::fs::metadata(weights).map(|m| m.len()).unwrap_or(u64::MAX);
    let mut rows = vec![(hidden_name, Some(hidden))];
    for name in ["vocab_size", "max_position_embeddings", inner_name, layers_name] {
        rows.push((name, field(name)?));
    }
    if bert {
        rows.push(("type_vocab_size", field("type_vocab_size")?));
    }
    for (name, n) in rows {
        // each of these sizes makes at least one n × hidden matrix
        let Some(n) = n else { continue };
        if n.checked_mul(hidden).map_or(true, |weights_needed| weights_needed > capacity) {
            return Err(fail(format!(
                "{name} {n} needs at least {n} × {hidden} weights, more than the {capacity} bytes of {}: the config does not fit the weights",
                weights.display()
            )));
        }
    }
    Ok(())
}

/// Labels in id order from `id2label` (keys are strings in HF configs).
fn labels_of(cfg: &Value, dir: &Path) -> Result<Vec<String>> {
    let map = cfg.get("id2label").and_then(Value::as_object).ok_or_else(|| {
        Error::Model(format!(
            "{}: config.json has no id2label, so this is not a token-classification model",
            dir.display()
        ))
    })?;
    let mut pairs: Vec<(usize, String)> = Vec::new();
    for (k, v) in map {
        let id: usize = k.parse().map_err(|_| Error::Model(format!("{}: id2label key {k:?} is not a number", dir.display())))?;
        pairs.push((id, v.as_str().unwrap_or_default().to_string()));
    }
    pairs.sort();
    if pairs.iter().enumerate().any(|(i, (id, _))| i != *id) {
        return Err(Error::Model(format!("{}: id2label ids are not 0..n", dir.display())));
    }
    Ok(pairs.into_iter().map(|(_, l)| l).collect())
}

/// Loads `tokenizer.json` with padding and truncation switched off: newsner
/// pads per batch and windows long sentences itself.
pub fn load_tokenizer(dir: &Path) -> Result<Tokenizer> {
    let path = dir.join("tokenizer.json");
    if !path.exists() {
        return Err(missing(dir, "tokenizer.json", "save one with tokenizer.save_pretrained() in Python"));
    }
    bounded_file(&path, "tokenizer.json", MAX_TOKENIZER_BYTES)?;
    let mut tok = Tokenizer::from_file(&path)
        .map_err(|e| Error::Model(format!("{}: cannot read: {e}", path.display())))?;
    tok.with_padding(None);
    tok.with_truncation(None).map_err(|e| Error::Model(e.to_string()))?;
    Ok(tok)
}

impl TokenClassifier {
    /// Builds the architecture described by `cfg` with fresh weights.
    fn build(cfg: Value, labels: Vec<String>, tokenizer: Tokenizer, dir: &Path) -> Result<Self> {
        let vs = nn::VarStore::new(Device::Cpu);
        let root = vs.root();
        let model_type = cfg.get("model_type").and_then(Value::as_str).unwrap_or("bert").to_string();
        let n = labels.len() as i64;
        let casing = cfg.pointer("/newsner/casing").and_then(Value::as_bool).unwrap_or(false);
        let decoding = Decoding::from_config(&cfg, dir)?;
        let window_overlap = window_overlap(&cfg, dir)?;
        let (encoder, hidden, dropout, max_positions) = match model_type.as_str() {
            "bert" => {
                let c: BertConfig = serde_json::from_value(cfg.clone())
                    .map_err(|e| Error::Model(format!("{}: config.json: {e}", dir.display())))?;
                let bert = BertModel::<BertEmbeddings>::new_with_optional_pooler(&root / "bert", &c, false);
                (Encoder::Bert(bert), c.hidden_size, c.hidden_dropout_prob, c.max_position_embeddings)
            }
            "distilbert" => {
                let c: DistilBertConfig = serde_json::from_value(cfg.clone())
                    .map_err(|e| Error::Model(format!("{}: config.json: {e}", dir.display())))?;
                let m = DistilBertModel::new(&root / "distilbert", &c);
                (Encoder::DistilBert(m), c.dim, c.dropout, c.max_position_embeddings)
            }
            other => {
                return Err(Error::Model(format!(
                    "{}: model_type {other:?} is not supported (use a BERT or DistilBERT model)",
                    dir.display()
                )))
            }
        };
        if casing && !matches!(encoder, Encoder::Bert(_)) {
            return Err(Error::Model("the casing channel needs a BERT encoder".into()));
        }
        let case_embeddings = casing.then(|| {
            let c = nn::EmbeddingConfig { ws_init: nn::Init::Const(0.0), ..Default::default() };
            nn::embedding(&root / "case_embeddings", CASING_CLASSES, hidden, c)
        });
        let classifier = nn::linear(&root / "classifier", hidden, n, Default::default());
        let word_embeddings = if casing {
            vs.variables().get("bert.embeddings.word_embeddings.weight").map(|t| t.shallow_clone())
        } else {
            None
        };
        Ok(TokenClassifier {
            vs,
            encoder,
            word_embeddings,
            case_embeddings,
            classifier,
            dropout,
            labels,
            tokenizer,
            config: cfg,
            max_positions: max_positions as usize,
            fast: None,
            onnx: None,
            released: None,
            notice: None,
            precision: Precision::Fp32,
            folder: None,
            members: Vec::new(),
            decoding,
            window_overlap,
        })
    }

    /// Loads a trained token-classification folder.
    pub fn load(dir: &Path) -> Result<Self> {
        if !dir.is_dir() {
            return Err(Error::Model(format!(
                "model folder {} does not exist (pass --model DIR, or run from the project folder that holds models/)",
                dir.display()
            )));
        }
        let cfg = read_config(dir)?;
        let labels = labels_of(&cfg, dir)?;
        let tokenizer = load_tokenizer(dir)?;
        let weights = weights_file(dir)
            .ok_or_else(|| missing(dir, "the weights", "expected model.safetensors or rust_model.ot"))?;
        bounded_file(&weights, "weights", MAX_WEIGHTS_BYTES)?;
        let member_files = members_of(&cfg, dir)?;
        check_sizes(&cfg, dir, &weights)?;
        let mut model = Self::build(cfg.clone(), labels.clone(), tokenizer.clone(), dir)?;
        model.load_complete(&weights)?;
        model.folder = Some(dir.to_path_buf());
        for file in member_files {
            let mut member = Self::build(cfg.clone(), labels.clone(), tokenizer.clone(), dir)?;
            member.load_complete(&file)?;
            model.members.push(member);
        }
        Ok(model)
    }

    /// Loads every variable from `path`, or says which are missing.
    fn load_complete(&mut self, path: &Path) -> Result<()> {
        let missing = self.load_weights(path, false)?;
        if !missing.is_empty() {
            return Err(Error::Model(format!(
                "{}: weights lack {} tensors, e.g. {}",
                path.display(),
                missing.len(),
                missing[0]
            )));
        }
        Ok(())
    }

    /// How many weight sets inference averages (1 for a single model).
    pub fn ensemble_size(&self) -> usize {
        1 + self.members.len()
    }

    /// A fresh tagger on top of a pre-trained encoder folder (no head yet).
    pub fn from_base(dir: &Path, labels: Vec<String>, casing: bool) -> Result<Self> {
        let mut cfg = read_config(dir)?;
        let tokenizer = load_tokenizer(dir)?;
        let obj = cfg.as_object_mut().unwrap();
        let id2label: serde_json::Map<String, Value> =
            labels.iter().enumerate().map(|(i, l)| (i.to_string(), json!(l))).collect();
        let label2id: serde_json::Map<String, Value> =
            labels.iter().enumerate().map(|(i, l)| (l.clone(), json!(i))).collect();
        obj.insert("id2label".into(), Value::Object(id2label));
        obj.insert("label2id".into(), Value::Object(label2id));
        let arch = match obj.get("model_type").and_then(Value::as_str) {
            Some("distilbert") => "DistilBertForTokenClassification",
            _ => "BertForTokenClassification",
        };
        obj.insert("architectures".into(), json!([arch]));
        obj.insert("newsner".into(), json!({"casing": casing}));
        obj.remove("_name_or_path");
        let weights = weights_file(dir).ok_or_else(|| missing(dir, "the weights", "expected model.safetensors or rust_model.ot"))?;
        check_sizes(&cfg, dir, &weights)?;
        let mut model = Self::build(cfg, labels, tokenizer, dir)?;
        let missing = model.load_weights(&weights, true)?;
        let unexpected: Vec<&String> =
            missing.iter().filter(|m| !m.starts_with("classifier.") && !m.starts_with("case_embeddings.")).collect();
        if !unexpected.is_empty() {
            return Err(Error::Model(format!(
                "{}: base weights lack {} encoder tensors, e.g. {}",
                weights.display(),
                unexpected.len(),
                unexpected[0]
            )));
        }
        Ok(model)
    }

    /// Copies tensors from a weight file into the variables, accepting the
    /// usual naming variants (bare encoder names without the `bert.` prefix,
    /// old `gamma`/`beta` LayerNorm names). Returns the variables not found.
    /// With `fresh_head`, a classifier of another label set (a base that is
    /// itself a fine-tuned tagger, e.g. the MUC-4 role model under the
    /// argument model) counts as not found, so the new head starts fresh.
    fn load_weights(&mut self, path: &Path, fresh_head: bool) -> Result<Vec<String>> {
        let named = match path.extension().and_then(|e| e.to_str()) {
            Some("safetensors") => Tensor::read_safetensors(path),
            _ => Tensor::load_multi(path),
        }
        .map_err(|e| Error::Model(format!("{}: cannot read weights: {e}", path.display())))?;
        let mut by_name: HashMap<String, Tensor> = HashMap::new();
        for (name, t) in named {
            let name = name.replace(".gamma", ".weight").replace(".beta", ".bias");
            by_name.insert(name, t);
        }
        let prefix = match self.encoder {
            Encoder::Bert(_) => "bert.",
            Encoder::DistilBert(_) => "distilbert.",
        };
        let mut missing = Vec::new();
        tch::no_grad(|| -> Result<()> {
            for (name, mut var) in self.vs.variables() {
                let src = by_name.get(&name).or_else(|| name.strip_prefix(prefix).and_then(|n| by_name.get(n)));
                match src {
                    Some(src) if src.size() == var.size() => {
                        var.f_copy_(src).map_err(|e| Error::Model(format!("{name}: {e}")))?;
                    }
                    Some(_) if fresh_head && name.starts_with("classifier.") => missing.push(name),
                    Some(src) => {
                        return Err(Error::Model(format!(
                            "{}: tensor {name} has shape {:?}, the config expects {:?}",
                            path.display(),
                            src.size(),
                            var.size()
                        )))
                    }
                    None => missing.push(name),
                }
            }
            Ok(())
        })?;
        missing.sort();
        Ok(missing)
    }

    /// Chooses the inference encoder. The faster ones snapshot the current
    /// weights, so set this after loading or training, not before. `int8`
    /// runs ONNX Runtime where the folder has its graph and the runtime
    /// loads, else libtorch's int8; [`Self::notice`] then says why.
    pub fn set_precision(&mut self, precision: Precision) -> Result<()> {
        self.onnx = None;
        self.notice = None;
        let mut precision = precision;
        if precision == Precision::Int8 && self.members.is_empty() {
            // before the sessions load, so the two copies never coexist
            self.release_weights();
        }
        if precision == Precision::Int8 {
            match self.onnx_encoder() {
                Ok(encoder) => {
                    self.onnx = Some(encoder);
                    trim_heap();
                }
                Err(why) => {
                    self.notice = Some(format!("{why}; running int8 through libtorch (int8-torch) instead"));
                    precision = Precision::Int8Torch;
                }
            }
        }
        if self.onnx.is_none() {
            self.restore_weights()?;
        }
        self.fast = match precision {
            Precision::Fp32 => None,
            _ if self.onnx.is_some() => None,
            p => Some(FastEncoder::new(&self.vs.variables(), &self.config, p)?),
        };
        for m in &mut self.members {
            m.set_precision(precision)?;
        }
        self.precision = precision;
        Ok(())
    }

    /// The arithmetic inference runs: the default resolved, a fallback
    /// applied. What `--resume` compares, so the default and the same
    /// precision asked for by name count as one run.
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// Gives libtorch's copy of the weights back while ONNX Runtime runs
    /// the graph, which holds its own: about 90 MB of a 22M-parameter
    /// encoder that the int8 path never reads, and what kept its peak memory
    /// above the fp32 path's. The variables stay, empty, so the modules that
    /// share them need no rebuilding.
    fn release_weights(&mut self) {
        if self.released.is_some() {
            return;
        }
        let mut shapes = Vec::new();
        tch::no_grad(|| {
            for (name, mut var) in self.vs.variables() {
                shapes.push((name, var.size(), var.kind()));
                var.set_data(&Tensor::zeros([0], (var.kind(), Device::Cpu)));
            }
        });
        self.released = Some(shapes);
    }

    /// Reads the weights back from the folder after [`Self::release_weights`],
    /// for a later libtorch precision on the same model.
    fn restore_weights(&mut self) -> Result<()> {
        let Some(shapes) = self.released.take() else { return Ok(()) };
        let dir = self.folder.clone().ok_or_else(|| Error::Model("released weights need the model's folder".into()))?;
        let file = weights_file(&dir).ok_or_else(|| missing(&dir, "the weights", "expected model.safetensors or rust_model.ot"))?;
        let vars = self.vs.variables();
        tch::no_grad(|| {
            for (name, shape, kind) in &shapes {
                if let Some(mut var) = vars.get(name).map(Tensor::shallow_clone) {
                    var.set_data(&Tensor::zeros(shape.as_slice(), (*kind, Device::Cpu)));
                }
            }
        });
        self.load_complete(&file)
    }

    /// The ONNX Runtime int8 graph of this model's folder, or why not.
    fn onnx_encoder(&self) -> Result<OnnxEncoder> {
        if !self.members.is_empty() {
            return Err(Error::Model("an ensemble has no ONNX graph".into()));
        }
        let dir = self.folder.as_deref().ok_or_else(|| Error::Model("a model not loaded from a folder has no ONNX graph".into()))?;
        OnnxEncoder::load(dir, self.labels.len())
    }

    /// Why the arithmetic asked of [`Self::set_precision`] was replaced, if it was.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// The ONNX graph inference runs, if it runs one.
    pub fn onnx_file(&self) -> Option<&Path> {
        self.onnx.as_ref().map(OnnxEncoder::file)
    }

    /// The default for inference: the fused fp32 encoder (same logits, about
    /// 3× faster on CPU) where the architecture allows it, else rust-bert's.
    pub fn use_default_precision(&mut self) {
        if self.set_precision(Precision::Fp32Fast).is_err() {
            self.set_precision(Precision::Fp32).expect("fp32 needs no conversion");
        }
    }

    /// Whether the model reads whole documents rather than sentences: a role
    /// tagger learns from the context around a mention (who attacked whom is
    /// often said a sentence away), so it was trained on document windows
    /// and must be run on them (`"newsner": {"unit": "document"}` in config.json).
    pub fn reads_documents(&self) -> bool {
        self.config.get("newsner").and_then(|n| n.get("unit")).and_then(Value::as_str) == Some("document")
    }

    pub fn has_casing(&self) -> bool {
        self.case_embeddings.is_some()
    }

    /// Label probabilities `[batch, seq, labels]` for inference: an
    /// ensemble averages its members' (see the module docs).
    pub fn probs(&self, ids: &Tensor, mask: &Tensor, cases: &Tensor) -> Result<Tensor> {
        if let Some(onnx) = &self.onnx {
            return Ok(onnx.logits(ids, mask, cases)?.softmax(-1, Kind::Float));
        }
        Ok(tch::no_grad(|| {
            let mut sum = self.forward(ids, mask, cases, false).softmax(-1, Kind::Float);
            for m in &self.members {
                sum += m.forward(ids, mask, cases, false).softmax(-1, Kind::Float);
            }
            sum / self.ensemble_size() as f64
        }))
    }

    /// Logits `[batch, seq, labels]` of the main weights (what training
    /// updates) for word-piece ids, attention mask and casing classes
    /// (ignored by models without the casing channel).
    pub fn forward(&self, ids: &Tensor, mask: &Tensor, cases: &Tensor, train: bool) -> Tensor {
        if let (Some(fast), false) = (&self.fast, train) {
            return fast.forward(ids, mask, cases).apply(&self.classifier);
        }
        let hidden = match &self.encoder {
            Encoder::Bert(bert) => {
                let out = match (&self.word_embeddings, &self.case_embeddings) {
                    (Some(w), Some(c)) => {
                        let emb = Tensor::embedding(w, ids, 0, false, false) + c.forward(cases);
                        bert.forward_t(None, Some(mask), None, None, Some(&emb), None, None, train)
                    }
                    _ => bert.forward_t(Some(ids), Some(mask), None, None, None, None, None, train),
                };
                out.expect("BERT forward: inputs are built by newsner and always well-formed").hidden_state
            }
            Encoder::DistilBert(m) => {
                m.forward_t(Some(ids), Some(mask), None, train)
                    .expect("DistilBERT forward: inputs are built by newsner and always well-formed")
                    .hidden_state
            }
        };
        hidden.dropout(self.dropout, train).apply(&self.classifier)
    }

    /// Writes config.json, tokenizer.json and model.safetensors into `dir`;
    /// `half` stores float tensors as fp16 (half the size, same tags). All
    /// three are written under temporary names first and renamed at the
    /// end, so a training killed while saving leaves the previous model
    /// whole, not an empty or cut weight file.
    pub fn save(&self, dir: &Path, half: bool) -> Result<()> {
        if !self.members.is_empty() {
            return Err(Error::Model("an ensemble is saved by copying its folder, not by save()".into()));
        }
        std::fs::create_dir_all(dir)?;
        let names = ["config.json", "tokenizer.json", "model.safetensors"];
        let staged = |name: &str| partial_name(&dir.join(name));
        std::fs::write(staged(names[0]), serde_json::to_string_pretty(&self.config).unwrap())?;
        self.tokenizer
            .save(staged(names[1]), true)
            .map_err(|e| Error::Model(format!("cannot save tokenizer: {e}")))?;
        let mut named: Vec<(String, Tensor)> = self.vs.variables().into_iter().collect();
        named.sort_by(|a, b| a.0.cmp(&b.0));
        let named: Vec<(String, Tensor)> = named
            .into_iter()
            .map(|(n, t)| {
                let t = t.detach();
                (n, if half && t.kind() == Kind::Float { t.to_kind(Kind::Half) } else { t })
            })
            .collect();
        Tensor::write_safetensors(&named, staged(names[2]))
            .map_err(|e| Error::Model(format!("cannot write weights: {e}")))?;
        for name in names {
            std::fs::rename(staged(name), dir.join(name))?;
        }
        Ok(())
    }
}

/// Hands the heap's free pages back to the system once the ONNX sessions
/// are built. Loading the weights, then the graph, freed large buffers,
/// and glibc answers each such free by raising its mmap threshold (up to
/// 32 MiB), so later big blocks (libtorch's weights, the graph's parse and
/// optimisation) came from the heap; freed, they stay resident, and the
/// batches never reuse all of them. Without this the ONNX path peaked at
/// 474 MiB on the first 300 BBC articles (2 threads), above the fp32
/// path's 423-451 in runs beside it; with it at 424, in the same time.
/// Trimming before the sessions load left 474.
fn trim_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim only returns free pages; it reads no memory of ours
        unsafe {
            malloc_trim(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The int8 path gives libtorch's weights back and a later libtorch
    /// precision reads them in again: same probabilities as before.
    #[test]
    #[ignore = "needs onnxruntime"]
    fn onnx_runs_without_libtorch_weights_and_fp32_gets_them_back() {
        if let Err(why) = crate::ner::onnx::available() {
            panic!("this test needs ONNX Runtime: {why}");
        }
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/ner-conll-minilm");
        let mut model = TokenClassifier::load(&dir).expect("the shipped model loads");
        model.set_precision(Precision::Fp32Fast).unwrap();
        let ids = Tensor::from_slice(&[101i64, 7592, 2000, 3000, 102]).view([1, 5]);
        let mask = ids.ones_like();
        let cases = ids.zeros_like();
        let before = model.probs(&ids, &mask, &cases).unwrap();
        let held = |m: &TokenClassifier| m.vs.variables().values().map(Tensor::numel).sum::<usize>();
        let all = held(&model);
        model.set_precision(Precision::Int8).unwrap();
        assert!(model.onnx_file().is_some(), "{:?}", model.notice());
        assert_eq!(held(&model), 0, "libtorch keeps no weights while ONNX Runtime runs");
        let int8 = model.probs(&ids, &mask, &cases).unwrap();
        assert!((&int8 - &before).abs().max().double_value(&[]) < 0.2, "int8 stays close to fp32");
        for precision in [Precision::Fp32Fast, Precision::Fp32] {
            model.set_precision(precision).unwrap();
            assert_eq!(held(&model), all, "{precision}");
            let after = model.probs(&ids, &mask, &cases).unwrap();
            assert!((&after - &before).abs().max().double_value(&[]) < 1e-5, "{precision} after int8");
        }
    }

    /// A trained tagger as the base of another (the argument model grows
    /// from the role model): its encoder carries over whole, its head of
    /// other labels does not (it used to refuse the head's shape).
    #[test]
    fn a_trained_tagger_serves_as_base_with_a_fresh_head() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/roles-muc4-minilm");
        let labels: Vec<String> = ["O", "B-X", "I-X"].iter().map(|l| l.to_string()).collect();
        let model = TokenClassifier::from_base(&dir, labels, false).expect("a role model is a base");
        let trained = TokenClassifier::load(&dir).expect("the shipped role model loads");
        let var = |m: &TokenClassifier, name: &str| m.vs.variables().get(name).unwrap().shallow_clone();
        let name = "bert.encoder.layer.5.output.dense.weight";
        assert!(var(&model, name).equal(&var(&trained, name)), "the encoder is the role model's");
        assert_eq!(var(&model, "classifier.weight").size(), [3, 384], "a head for the new labels");
    }

    #[test]
    fn window_overlap_comes_from_config_and_a_wrong_value_names_the_folder() {
        let dir = Path::new("/models/x");
        assert_eq!(window_overlap(&json!({}), dir).unwrap(), 500);
        assert_eq!(window_overlap(&json!({"newsner": {"window_overlap": 0.25}}), dir).unwrap(), 250);
        let e = window_overlap(&json!({"newsner": {"window_overlap": 0.9}}), dir).unwrap_err().to_string();
        assert!(e.contains("/models/x") && e.contains("window_overlap"), "{e}");
    }

    #[test]
    fn decoding_comes_from_config_and_a_wrong_value_names_the_folder() {
        let dir = Path::new("models/x");
        assert_eq!(Decoding::from_config(&json!({}), dir).unwrap(), Decoding::Argmax);
        let marginal = json!({"newsner": {"decode": "marginal"}});
        assert_eq!(Decoding::from_config(&marginal, dir).unwrap(), Decoding::Marginal(1000));
        let err = Decoding::from_config(&json!({"newsner": {"decode": "viterbi"}}), dir).unwrap_err().to_string();
        assert!(err.contains("models/x") && err.contains("newsner.decode") && err.contains("viterbi"), "{err}");
    }

    #[test]
    fn sizes_that_would_panic_in_libtorch_are_errors_naming_the_field() {
        let dir = Path::new("models/ner-conll-minilm");
        let weights = weights_file(dir).unwrap();
        let base = read_config(dir).unwrap();
        check_sizes(&base, dir, &weights).unwrap();
        for (field, value, says) in [
            ("num_attention_heads", json!(0), "num_attention_heads must be a positive"),
            ("num_attention_heads", json!(5), "hidden_size 384 is not divisible by num_attention_heads 5"),
            ("vocab_size", json!(1_000_000_000_000u64), "vocab_size 1000000000000 needs"),
            ("hidden_size", json!(-384), "hidden_size must be a positive"),
        ] {
            let mut cfg = base.clone();
            cfg[field] = value;
            let err = check_sizes(&cfg, dir, &weights).unwrap_err().to_string();
            assert!(err.contains(says) && err.contains("models/ner-conll-minilm"), "{err}");
        }
        let distil = json!({"model_type": "distilbert", "dim": 768, "n_heads": 0});
        assert!(check_sizes(&distil, dir, &weights).unwrap_err().to_string().contains("n_heads"));
    }

    #[test]
    fn the_shipped_role_model_decodes_marginally_and_the_ner_model_by_argmax() {
        let read = |d: &str| Decoding::from_config(&read_config(Path::new(d)).unwrap(), Path::new(d)).unwrap();
        assert_eq!(read("models/roles-muc4-minilm"), Decoding::Marginal(1000));
        assert_eq!(read("models/ner-conll-minilm"), Decoding::Argmax);
    }
}
