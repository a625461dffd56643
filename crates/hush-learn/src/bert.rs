//! A BERT encoder (MiniLM-L6 and kin) whose every op has a gradient.
//!
//! candle-transformers' BERT runs layer norm as a fused custom op without
//! a backward pass, so it cannot be fine-tuned; this one spells layer norm
//! out and adds dropout for training. Weight names follow Hugging Face's
//! `BertModel`, so `model.safetensors` loads as it is.

use candle_core::{DType, Module, Result, Tensor, D};
use candle_nn::{embedding, linear, Embedding, Linear, VarBuilder};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use std::sync::Mutex;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BertConfig {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    pub type_vocab_size: usize,
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f64,
    #[serde(default = "default_dropout")]
    pub hidden_dropout_prob: f64,
}

fn default_eps() -> f64 {
    1e-12
}

fn default_dropout() -> f64 {
    0.1
}

/// Layer norm written with differentiable ops.
#[derive(Debug, Clone)]
struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
    eps: f64,
}

impl LayerNorm {
    fn load(size: usize, eps: f64, vb: VarBuilder) -> Result<Self> {
        let weight = vb.get_with_hints(size, "weight", candle_nn::Init::Const(1.0))?;
        let bias = vb.get_with_hints(size, "bias", candle_nn::Init::Const(0.0))?;
        Ok(LayerNorm { weight, bias, eps })
    }
}

impl Module for LayerNorm {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let mean = x.mean_keepdim(D::Minus1)?;
        let centred = x.broadcast_sub(&mean)?;
        let var = centred.sqr()?.mean_keepdim(D::Minus1)?;
        let normed = centred.broadcast_div(&(var + self.eps)?.sqrt()?)?;
        normed.broadcast_mul(&self.weight)?.broadcast_add(&self.bias)
    }
}

/// Dropout drawing its mask from a seeded generator (candle cannot seed
/// its CPU generator), so that training is reproducible.
fn dropout(x: &Tensor, p: f64, rng: Option<&Mutex<StdRng>>) -> Result<Tensor> {
    let Some(rng) = rng.filter(|_| p > 0.0) else { return Ok(x.clone()) };
    let scale = (1.0 / (1.0 - p)) as f32;
    let mut rng = rng.lock().unwrap_or_else(|e| e.into_inner());
    let mask: Vec<f32> = (0..x.elem_count()).map(|_| if rng.random::<f64>() < p { 0.0 } else { scale }).collect();
    x * Tensor::from_vec(mask, x.shape(), x.device())?
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attn_out: Linear,
    attn_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    out_norm: LayerNorm,
}

impl Layer {
    fn load(c: &BertConfig, vb: VarBuilder) -> Result<Self> {
        let (h, i) = (c.hidden_size, c.intermediate_size);
        let att = vb.pp("attention");
        Ok(Layer {
            query: linear(h, h, att.pp("self").pp("query"))?,
            key: linear(h, h, att.pp("self").pp("key"))?,
            value: linear(h, h, att.pp("self").pp("value"))?,
            attn_out: linear(h, h, att.pp("output").pp("dense"))?,
            attn_norm: LayerNorm::load(h, c.layer_norm_eps, att.pp("output").pp("LayerNorm"))?,
            intermediate: linear(h, i, vb.pp("intermediate").pp("dense"))?,
            output: linear(i, h, vb.pp("output").pp("dense"))?,
            out_norm: LayerNorm::load(h, c.layer_norm_eps, vb.pp("output").pp("LayerNorm"))?,
        })
    }

    /// `x`: (batch, seq, hidden); `mask`: (batch, 1, 1, seq), 0 for tokens
    /// and a large negative number for padding.
    fn forward(&self, x: &Tensor, mask: &Tensor, heads: usize, p: f64, rng: Option<&Mutex<StdRng>>) -> Result<Tensor> {
        let (b, s, h) = x.dims3()?;
        let d = h / heads;
        let split = |t: Tensor| t.reshape((b, s, heads, d))?.transpose(1, 2)?.contiguous();
        let q = split(self.query.forward(x)?)?;
        let k = split(self.key.forward(x)?)?;
        let v = split(self.value.forward(x)?)?;
        let scores = (q.matmul(&k.t()?)? / (d as f64).sqrt())?.broadcast_add(mask)?;
        // The fused softmax has no backward pass: training uses the composed one.
        let probs = if rng.is_some() { candle_nn::ops::softmax(&scores, D::Minus1)? } else { candle_nn::ops::softmax_last_dim(&scores)? };
        let probs = dropout(&probs, p, rng)?;
        let ctx = probs.matmul(&v)?.transpose(1, 2)?.reshape((b, s, h))?;
        let x = self.attn_norm.forward(&(dropout(&self.attn_out.forward(&ctx)?, p, rng)? + x)?)?;
        let inner = self.intermediate.forward(&x)?.gelu_erf()?;
        self.out_norm.forward(&(dropout(&self.output.forward(&inner)?, p, rng)? + x)?)
    }
}

/// The encoder: token ids in, one vector per token out.
pub struct Bert {
    words: Embedding,
    positions: Embedding,
    types: Embedding,
    norm: LayerNorm,
    layers: Vec<Layer>,
    config: BertConfig,
    /// Dropout masks while training.
    rng: Mutex<StdRng>,
}

impl Bert {
    pub fn load(config: &BertConfig, vb: VarBuilder) -> Result<Self> {
        let e = vb.pp("embeddings");
        let h = config.hidden_size;
        Ok(Bert {
            // Word vectors stay as pretrained: their gradient is a dense
            // 30k × 384 tensor per step that dominated training time, and
            // commands use a small vocabulary.
            words: {
                let w = embedding(config.vocab_size, h, e.pp("word_embeddings"))?;
                Embedding::new(w.embeddings().detach(), h)
            },
            positions: embedding(config.max_position_embeddings, h, e.pp("position_embeddings"))?,
            types: embedding(config.type_vocab_size, h, e.pp("token_type_embeddings"))?,
            norm: LayerNorm::load(h, config.layer_norm_eps, e.pp("LayerNorm"))?,
            layers: (0..config.num_hidden_layers).map(|i| Layer::load(config, vb.pp("encoder").pp("layer").pp(i))).collect::<Result<_>>()?,
            config: config.clone(),
            rng: Mutex::new(StdRng::seed_from_u64(0)),
        })
    }

    /// Restarts the dropout masks from `seed`.
    pub fn reseed(&self, seed: u64) {
        *self.rng.lock().unwrap_or_else(|e| e.into_inner()) = StdRng::seed_from_u64(seed);
    }

    pub fn config(&self) -> &BertConfig {
        &self.config
    }

    /// `ids`, `mask`: (batch, seq) u32, mask 1 for tokens and 0 for
    /// padding. Returns (batch, seq, hidden).
    pub fn forward(&self, ids: &Tensor, mask: &Tensor, train: bool) -> Result<Tensor> {
        let (b, s) = ids.dims2()?;
        let dev = ids.device();
        let pos = Tensor::arange(0u32, s as u32, dev)?.unsqueeze(0)?.broadcast_as((b, s))?.contiguous()?;
        let x = (self.words.forward(ids)? + self.positions.forward(&pos)?)?;
        let x = (x + self.types.forward(&ids.zeros_like()?)?)?;
        let p = self.config.hidden_dropout_prob;
        let rng = train.then_some(&self.rng);
        let mut x = dropout(&self.norm.forward(&x)?, p, rng)?;
        let mask = ((mask.to_dtype(DType::F32)?.affine(1.0, -1.0))? * 1e9)?.unsqueeze(1)?.unsqueeze(1)?;
        for layer in &self.layers {
            x = layer.forward(&x, &mask, self.config.num_attention_heads, p, rng)?;
        }
        Ok(x)
    }
}

/// Mean of the token vectors of each sentence, padding left out.
pub fn mean_pool(states: &Tensor, mask: &Tensor) -> Result<Tensor> {
    let m = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
    let sum = states.broadcast_mul(&m)?.sum(1)?;
    sum.broadcast_div(&m.sum(1)?.clamp(1.0, f64::MAX)?)
}
