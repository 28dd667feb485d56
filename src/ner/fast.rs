//! An inference-only BERT encoder over the weights of a [`TokenClassifier`].
//!
//! rust-bert's BERT is written for training too: three separate Q/K/V
//! projections, explicit score and softmax tensors, and copies to split and
//! merge heads. For tagging we only ever run forward, so this module
//! recomputes the same function with one fused QKV projection and libtorch's
//! fused CPU attention kernel, and optionally with int8 linear layers
//! (fbgemm, dynamic per-batch activation quantisation), which is where the
//! time goes on CPU: at news sentence lengths the linear layers are over 95 %
//! of the arithmetic.
//!
//! [`TokenClassifier`]: crate::ner::model::TokenClassifier

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde_json::Value;
use tch::{Kind, Scalar, Tensor};

use crate::error::{Error, Result};

/// How the encoder runs at inference time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    /// rust-bert's own forward (the reference, and what training uses).
    #[default]
    Fp32,
    /// The same fp32 arithmetic with fused projections and attention.
    Fp32Fast,
    /// int8 through ONNX Runtime (`model.int8.onnx` in the model folder,
    /// see [`crate::ner::onnx`]); a folder or machine without it runs
    /// [`Precision::Int8Torch`] instead, with a notice.
    Int8,
    /// libtorch's int8: the QKV, attention-output and FFN-input linear
    /// layers in int8; everything else (including the FFN output layer)
    /// stays fp32.
    Int8Torch,
}

impl FromStr for Precision {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "fp32" => Ok(Precision::Fp32),
            "fp32-fast" => Ok(Precision::Fp32Fast),
            "int8" => Ok(Precision::Int8),
            "int8-torch" => Ok(Precision::Int8Torch),
            other => Err(Error::Model(format!("unknown precision {other:?} (use fp32, fp32-fast, int8 or int8-torch)"))),
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Precision::Fp32 => "fp32",
            Precision::Fp32Fast => "fp32-fast",
            Precision::Int8 => "int8",
            Precision::Int8Torch => "int8-torch",
        })
    }
}

/// A linear layer `y = x Wᵀ + b` in one of two representations.
enum Linear {
    Fp32 { weight: Tensor, bias: Tensor },
    /// Weights quantised symmetrically per output row: fbgemm's legacy op only
    /// takes one weight scale, and a single scale for a whole BERT matrix
    /// wastes most of the int8 range on a few large rows. So the op computes
    /// `x Q̂ᵀ + b/s` with unit scale and the row scales `s` are applied after.
    Int8 { weight: Tensor, packed: Tensor, col_offsets: Tensor, bias_over_scale: Tensor, scale: Tensor },
}

impl Linear {
    fn fp32(weight: Tensor, bias: Tensor) -> Self {
        Linear::Fp32 { weight: weight.contiguous(), bias: bias.contiguous() }
    }

    fn int8(weight: &Tensor, bias: &Tensor) -> Self {
        let scale = weight.abs().amax([1i64].as_slice(), false).clamp_min(1e-8) / 127.0;
        let q = (weight / scale.unsqueeze(1)).round().clamp(-127.0, 127.0).to_kind(Kind::Int8).contiguous();
        // fbgemm subtracts the activation zero point times these row sums.
        let col_offsets = q.to_kind(Kind::Int).sum_dim_intlist([1i64].as_slice(), false, Kind::Int).contiguous();
        let packed = q.fbgemm_pack_quantized_matrix();
        Linear::Int8 { weight: q, packed, col_offsets, bias_over_scale: (bias / &scale).contiguous(), scale }
    }

    fn new(weight: Tensor, bias: Tensor, int8: bool) -> Self {
        if int8 {
            Self::int8(&weight, &bias)
        } else {
            Self::fp32(weight, bias)
        }
    }

    fn forward(&self, x: &Tensor) -> Tensor {
        match self {
            Linear::Fp32 { weight, bias } => x.linear(weight, Some(bias)),
            Linear::Int8 { weight, packed, col_offsets, bias_over_scale, scale } => {
                let mut y = x.fbgemm_linear_int8_weight_fp32_activation(
                    weight,
                    packed,
                    col_offsets,
                    Scalar::float(1.0),
                    Scalar::int(0),
                    bias_over_scale,
                );
                let _ = y.g_mul_(scale);
                y
            }
        }
    }
}

struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
}

impl LayerNorm {
    fn forward(&self, x: &Tensor) -> Tensor {
        x.layer_norm([self.weight.size()[0]].as_slice(), Some(&self.weight), Some(&self.bias), 1e-12, false)
    }
}

struct Layer {
    qkv: Linear,
    attn_out: Linear,
    attn_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    output_norm: LayerNorm,
}

/// The encoder of a BERT token classifier (embeddings, optional casing
/// channel, transformer layers), returning the last hidden state.
pub struct FastEncoder {
    word: Tensor,
    case: Option<Tensor>,
    /// Position embeddings with the token-type-0 row already added: newsner
    /// never feeds a second segment.
    position_and_type: Tensor,
    embed_norm: LayerNorm,
    layers: Vec<Layer>,
    heads: i64,
}

impl FastEncoder {
    /// Snapshots the named weights of a BERT classifier (`bert.*` and
    /// optionally `case_embeddings.weight`). The fp32 tensors share storage
    /// with `vars`, but the fused and quantised ones are copies, so build a
    /// new encoder after changing the weights.
    pub fn new(vars: &HashMap<String, Tensor>, config: &Value, precision: Precision) -> Result<Self> {
        if config.get("model_type").and_then(Value::as_str).unwrap_or("bert") != "bert" {
            return Err(Error::Model(format!("precision {precision} needs a BERT encoder")));
        }
        let int = |key: &str| {
            config
                .get(key)
                .and_then(Value::as_i64)
                .ok_or_else(|| Error::Model(format!("config.json lacks {key}")))
        };
        let (n_layers, heads) = (int("num_hidden_layers")?, int("num_attention_heads")?);
        let act = config.get("hidden_act").and_then(Value::as_str).unwrap_or("gelu");
        if act != "gelu" {
            return Err(Error::Model(format!("precision {precision} supports hidden_act gelu, not {act:?}")));
        }
        let get = |name: &str| {
            vars.get(name)
                .map(Tensor::detach)
                .ok_or_else(|| Error::Model(format!("the model has no tensor {name}")))
        };
        let norm = |p: &str| -> Result<LayerNorm> {
            Ok(LayerNorm { weight: get(&format!("{p}.weight"))?, bias: get(&format!("{p}.bias"))? })
        };
        let int8 = matches!(precision, Precision::Int8 | Precision::Int8Torch);
        tch::no_grad(|| {
            let mut layers = Vec::new();
            for i in 0..n_layers {
                let p = format!("bert.encoder.layer.{i}");
                let qkv = |part: &str| -> Result<Tensor> {
                    let ws = ["query", "key", "value"]
                        .iter()
                        .map(|m| get(&format!("{p}.attention.self.{m}.{part}")))
                        .collect::<Result<Vec<_>>>()?;
                    Ok(Tensor::cat(&ws, 0))
                };
                let linear = |name: &str, int8: bool| -> Result<Linear> {
                    Ok(Linear::new(get(&format!("{p}.{name}.weight"))?, get(&format!("{p}.{name}.bias"))?, int8))
                };
                layers.push(Layer {
                    qkv: Linear::new(qkv("weight")?, qkv("bias")?, int8),
                    attn_out: linear("attention.output.dense", int8)?,
                    attn_norm: norm(&format!("{p}.attention.output.LayerNorm"))?,
                    intermediate: linear("intermediate.dense", int8)?,
                    // The GELU output has a long tail that one per-batch
                    // activation scale resolves badly: quantising this layer
                    // too cost 0.34 dev F1 instead of 0.21, for ~20 % more speed.
                    output: linear("output.dense", false)?,
                    output_norm: norm(&format!("{p}.output.LayerNorm"))?,
                });
            }
            let position_and_type = get("bert.embeddings.position_embeddings.weight")?
                + get("bert.embeddings.token_type_embeddings.weight")?.get(0);
            Ok(FastEncoder {
                word: get("bert.embeddings.word_embeddings.weight")?,
                case: vars.get("case_embeddings.weight").map(Tensor::detach),
                position_and_type,
                embed_norm: norm("bert.embeddings.LayerNorm")?,
                layers,
                heads,
            })
        })
    }

    /// Last hidden state `[batch, seq, hidden]`, as rust-bert's BERT computes
    /// it in eval mode (padding keys get −10000 before the softmax).
    pub fn forward(&self, ids: &Tensor, mask: &Tensor, cases: &Tensor) -> Tensor {
        tch::no_grad(|| {
            let (b, l) = ids.size2().expect("ids are [batch, seq]");
            let mut x = Tensor::embedding(&self.word, ids, 0, false, false);
            if let Some(case) = &self.case {
                x += Tensor::embedding(case, cases, 0, false, false);
            }
            x += self.position_and_type.narrow(0, 0, l);
            let mut x = self.embed_norm.forward(&x);
            let additive = ((mask.to_kind(Kind::Float) - 1.0) * 10000.0).view([b, 1, 1, l]);
            let hidden = x.size()[2];
            let head_dim = hidden / self.heads;
            for layer in &self.layers {
                let qkv = layer.qkv.forward(&x).view([b, l, 3, self.heads, head_dim]).permute([2, 0, 3, 1, 4]);
                let context = Tensor::scaled_dot_product_attention(
                    &qkv.get(0),
                    &qkv.get(1),
                    &qkv.get(2),
                    Some(&additive),
                    0.0,
                    false,
                    None,
                );
                let context = context.transpose(1, 2).reshape([b, l, hidden]);
                let mut a = layer.attn_out.forward(&context);
                a += &x;
                x = layer.attn_norm.forward(&a);
                let mut h = layer.intermediate.forward(&x);
                let _ = h.gelu_("none");
                let mut o = layer.output.forward(&h);
                o += &x;
                x = layer.output_norm.forward(&o);
            }
            x
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::ner::encode::{windows, Specials};
    use crate::ner::model::TokenClassifier;
    use crate::ner::predict::pad_batch;

    const SENTENCES: [&str; 6] = [
        "Angela Merkel met Emmanuel Macron in Berlin on Tuesday .",
        "SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT .",
        "The European Commission said on Thursday it disagreed with German advice to consumers to shun British lamb until scientists determine whether mad cow disease can be transmitted to sheep .",
        "Reuters reported that Apple Inc. would open a new office in São Paulo , Brazil .",
        "He said .",
        "Nadim Ladki of the Lebanese Red Cross told the BBC that Kofi Annan and the United Nations Security Council in New York were informed on Monday .",
    ];

    /// The shipped model (committed in models/).
    fn model() -> TokenClassifier {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/ner-conll-minilm");
        TokenClassifier::load(&dir).expect("the shipped model loads")
    }

    /// One padded batch of real sentences (lengths differ, so most rows pad).
    fn batch(model: &TokenClassifier) -> (Tensor, Tensor, Tensor) {
        let sp = Specials::of(&model.tokenizer).unwrap();
        let ws: Vec<_> = SENTENCES
            .iter()
            .flat_map(|s| windows(&model.tokenizer, sp, &s.split(' ').collect::<Vec<_>>(), 128).unwrap())
            .collect();
        pad_batch(&ws.iter().collect::<Vec<_>>())
    }

    fn logits(model: &mut TokenClassifier, p: Precision, batch: &(Tensor, Tensor, Tensor)) -> Tensor {
        model.set_precision(p).unwrap();
        tch::no_grad(|| model.forward(&batch.0, &batch.1, &batch.2, false))
    }

    #[test]
    fn fast_fp32_matches_rust_bert() {
        let mut m = model();
        let b = batch(&m);
        let reference = logits(&mut m, Precision::Fp32, &b);
        let fast = logits(&mut m, Precision::Fp32Fast, &b);
        let real = b.1.unsqueeze(-1).to_kind(Kind::Bool);
        let diff = (&fast - &reference).abs().masked_select(&real).max().double_value(&[]);
        eprintln!("fast fp32: max |Δlogit| on real positions = {diff:e}");
        assert!(diff < 1e-4, "max |Δlogit| on real positions = {diff}");
    }

    #[test]
    fn int8_keeps_the_labels() {
        let mut m = model();
        let b = batch(&m);
        let reference = logits(&mut m, Precision::Fp32, &b).argmax(-1, false);
        let int8 = logits(&mut m, Precision::Int8Torch, &b).argmax(-1, false);
        let real = b.1.to_kind(Kind::Bool);
        let same = reference.eq_tensor(&int8).masked_select(&real).to_kind(Kind::Float).mean(Kind::Float);
        let same = same.double_value(&[]);
        eprintln!("int8: {:.2} % of the labels agree", same * 100.0);
        assert!(same >= 0.98, "int8 keeps {:.1} % of the labels", same * 100.0);
    }
}
