//! A BERT encoder (MiniLM-L6 and kin) whose every op has a gradient, with
//! low-rank adapters (LoRA) on its dense layers.
//!
//! candle-transformers' BERT runs layer norm as a fused custom op without
//! a backward pass, so it cannot be fine-tuned; this one spells layer norm
//! out and adds dropout for training. Weight names follow Hugging Face's
//! `BertModel`, so `model.safetensors` loads as it is.
//!
//! The pretrained weights stay frozen and shared: training learns, beside
//! each dense layer W, two thin matrices A (rank × in) and B (out × rank)
//! and the layer computes `W x + (alpha / rank) · B A x`. A fine-tuned
//! model is then ~1 MB of adapters instead of a 90 MB copy of the
//! encoder, and a training step skips the weight gradients and optimiser
//! state of the frozen parameters.

use candle_core::{DType, Module, Result, Tensor, D};
use candle_nn::{embedding, linear, Embedding, Init, Linear, VarBuilder};
use parking_lot::Mutex;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use std::sync::Arc;

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

/// Scale of the adapters' contribution: alpha / rank with alpha = 2 × rank.
const LORA_SCALE: f64 = 2.0;

/// The adapters' variables, named like the weights they adapt, and their
/// rank (0: none, the encoder stays as pretrained).
#[derive(Clone)]
pub struct Adapters<'a> {
    pub vb: VarBuilder<'a>,
    pub rank: usize,
}

impl<'a> Adapters<'a> {
    fn pp(&self, name: &str) -> Adapters<'a> {
        Adapters { vb: self.vb.pp(name), rank: self.rank }
    }
}

/// A frozen pretrained dense layer plus an optional low-rank update.
struct Dense {
    base: Linear,
    lora: Option<(Tensor, Tensor)>,
    /// W + scale · B A, for reading: one product instead of three. Dropped
    /// by every training step, and by [`Bert::forget_merged`]. (q8_0
    /// weights were tried for reading: one sentence 12.6 vs 14.3 ms, but
    /// batches of 32 4× slower, so f32 it is.)
    merged: Mutex<Option<Arc<Merged>>>,
}

/// A dense layer's weights as plain rows, multiplied by gemm itself:
/// candle's matmul asks for the machine's core count on every call, which
/// on Linux reads /proc/cpuinfo again (about 50 µs, 54 times a sentence:
/// a third of the 13 ms a sentence took).
struct Merged {
    /// (out × in), row-major.
    weight: Vec<f32>,
    bias: Option<Vec<f32>>,
    /// (out, in).
    size: (usize, usize),
}

impl Merged {
    fn new(weight: &Tensor, bias: Option<&Tensor>) -> Result<Self> {
        let size = weight.dims2()?;
        let bias = bias.map(|b| b.to_vec1::<f32>()).transpose()?;
        if size.0 == 0 || size.1 == 0 || bias.as_ref().is_some_and(|b| b.len() != size.0) {
            candle_core::bail!("dense layer of {size:?} weights, {:?} biases", bias.as_ref().map(Vec::len));
        }
        Ok(Merged { weight: weight.flatten_all()?.to_vec1::<f32>()?, bias, size })
    }

    /// `x · Wᵀ + b` over the last dimension of `x`.
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let (n, k) = self.size;
        let mut dims = x.dims().to_vec();
        if dims.last() != Some(&k) || x.dtype() != DType::F32 {
            candle_core::bail!("dense layer of {k} inputs given {:?} {:?}", x.dtype(), x.dims());
        }
        let m = x.elem_count() / k;
        let xs = x.flatten_all()?.to_vec1::<f32>()?;
        let mut ys = match &self.bias {
            Some(b) => b.repeat(m),
            None => vec![0.0; m * n],
        };
        product(&mut ys, &xs, &self.weight, (m, n, k), true, rayon::current_num_threads());
        *dims.last_mut().expect("checked above") = n;
        Tensor::from_vec(ys, dims, x.device())
    }
}

/// `dst` (m × n) += `lhs` (m × k) · `rhs`, all row-major, `rhs` given as
/// (k × n) or, when `rhs_transposed`, as (n × k).
fn product(dst: &mut [f32], lhs: &[f32], rhs: &[f32], (m, n, k): (usize, usize, usize), rhs_transposed: bool, threads: usize) {
    assert!(dst.len() == m * n && lhs.len() == m * k && rhs.len() == k * n, "product of {m}x{k} by {k}x{n}");
    let (rhs_cs, rhs_rs) = if rhs_transposed { (k, 1) } else { (1, n) };
    let parallelism = if threads > 1 { gemm::Parallelism::Rayon(threads) } else { gemm::Parallelism::None };
    // SAFETY: the lengths are checked above against the strides: lhs is
    // read as m rows of k, rhs as k rows of n (or its transpose), dst
    // written as m rows of n; dst is a unique borrow, so aliases neither.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            1,
            n as isize,
            true,
            lhs.as_ptr(),
            1,
            k as isize,
            rhs.as_ptr(),
            rhs_cs as isize,
            rhs_rs as isize,
            1.0,
            1.0,
            false,
            false,
            false,
            parallelism,
        );
    }
}

/// `a · b` (or `a · bᵀ`) for each matrix of the leading dimensions, for
/// reading (see [`Merged`]): attention's per-head products.
fn batched_product(a: &Tensor, b: &Tensor, transpose_b: bool) -> Result<Tensor> {
    let (lead, [m, k]) = a.dims().split_at(a.rank().saturating_sub(2)) else { candle_core::bail!("batched product of {:?}", a.dims()) };
    let n = if transpose_b { b.dim(D::Minus2)? } else { b.dim(D::Minus1)? };
    let count: usize = lead.iter().product();
    if b.elem_count() != count * k * n {
        candle_core::bail!("batched product of {:?} by {:?}", a.dims(), b.dims());
    }
    let (xs, ys) = (a.flatten_all()?.to_vec1::<f32>()?, b.flatten_all()?.to_vec1::<f32>()?);
    let mut out = vec![0.0; count * m * n];
    for i in 0..count {
        // Each head's product is a few thousand multiplications: threads
        // would cost more than they save.
        product(&mut out[i * m * n..][..m * n], &xs[i * m * k..][..m * k], &ys[i * k * n..][..k * n], (*m, n, *k), transpose_b, 1);
    }
    let mut dims = a.dims().to_vec();
    *dims.last_mut().expect("rank checked") = n;
    Tensor::from_vec(out, dims, a.device())
}

impl Dense {
    fn load(inp: usize, out: usize, vb: VarBuilder, ad: &Adapters) -> Result<Self> {
        let base = linear(inp, out, vb)?;
        let lora = if ad.rank == 0 {
            None
        } else {
            // A starts random (the model draws it again from its seed), B
            // at zero: training starts from the pretrained function.
            let bound = 1.0 / (inp as f64).sqrt();
            let a = ad.vb.get_with_hints((ad.rank, inp), "lora_a", Init::Uniform { lo: -bound, up: bound })?;
            Some((a, ad.vb.get_with_hints((out, ad.rank), "lora_b", Init::Const(0.0))?))
        };
        Ok(Dense { base, lora, merged: Mutex::new(None) })
    }

    fn forward(&self, x: &Tensor, train: bool) -> Result<Tensor> {
        if train {
            *self.merged.lock() = None;
            let Some((a, b)) = &self.lora else { return self.base.forward(x) };
            let low = x.broadcast_matmul(&a.t()?)?.broadcast_matmul(&b.t()?)?;
            return self.base.forward(x)? + (low * LORA_SCALE)?;
        }
        // The lock is never held while multiplying: a rayon worker waiting
        // inside a product may pick up another reading of this layer,
        // which would then wait on the lock forever.
        let cached = self.merged.lock().clone();
        let merged = match cached {
            Some(m) => m,
            None => {
                let w = match &self.lora {
                    Some((a, b)) => (self.base.weight() + (b.matmul(a)? * LORA_SCALE)?)?.detach(),
                    None => self.base.weight().clone(),
                };
                let m = Arc::new(Merged::new(&w, self.base.bias())?);
                self.merged.lock().get_or_insert(m).clone()
            }
        };
        merged.forward(x)
    }
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

impl LayerNorm {
    /// Training spells layer norm out (candle's fused op has no gradient);
    /// reading uses the fused op.
    fn forward(&self, x: &Tensor, train: bool) -> Result<Tensor> {
        if !train {
            return candle_nn::ops::layer_norm(x, &self.weight, &self.bias, self.eps as f32);
        }
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
    let mut rng = rng.lock();
    let mask: Vec<f32> = (0..x.elem_count()).map(|_| if rng.random::<f64>() < p { 0.0 } else { scale }).collect();
    x * Tensor::from_vec(mask, x.shape(), x.device())?
}

struct Layer {
    query: Dense,
    key: Dense,
    value: Dense,
    attn_out: Dense,
    attn_norm: LayerNorm,
    intermediate: Dense,
    output: Dense,
    out_norm: LayerNorm,
}

impl Layer {
    fn load(c: &BertConfig, vb: VarBuilder, ad: Adapters) -> Result<Self> {
        let (h, i) = (c.hidden_size, c.intermediate_size);
        let dense = |inp, out, path: &[&str]| {
            let (vb, ad) = path.iter().fold((vb.clone(), ad.clone()), |(vb, ad), p| (vb.pp(p), ad.pp(p)));
            Dense::load(inp, out, vb, &ad)
        };
        Ok(Layer {
            query: dense(h, h, &["attention", "self", "query"])?,
            key: dense(h, h, &["attention", "self", "key"])?,
            value: dense(h, h, &["attention", "self", "value"])?,
            attn_out: dense(h, h, &["attention", "output", "dense"])?,
            attn_norm: LayerNorm::load(h, c.layer_norm_eps, vb.pp("attention").pp("output").pp("LayerNorm"))?,
            intermediate: dense(h, i, &["intermediate", "dense"])?,
            output: dense(i, h, &["output", "dense"])?,
            out_norm: LayerNorm::load(h, c.layer_norm_eps, vb.pp("output").pp("LayerNorm"))?,
        })
    }

    /// `x`: (batch, seq, hidden); `mask`: (batch, 1, 1, seq), 0 for tokens
    /// and a large negative number for padding.
    fn forward(&self, x: &Tensor, mask: &Tensor, heads: usize, p: f64, rng: Option<&Mutex<StdRng>>) -> Result<Tensor> {
        let (b, s, h) = x.dims3()?;
        let d = h / heads;
        let train = rng.is_some();
        let split = |t: Tensor| t.reshape((b, s, heads, d))?.transpose(1, 2)?.contiguous();
        let q = split(self.query.forward(x, train)?)?;
        let k = split(self.key.forward(x, train)?)?;
        let v = split(self.value.forward(x, train)?)?;
        let scores = if train { q.matmul(&k.t()?)? } else { batched_product(&q, &k, true)? };
        let scores = (scores / (d as f64).sqrt())?.broadcast_add(mask)?;
        // The fused softmax has no backward pass: training uses the composed one.
        let probs = if train { candle_nn::ops::softmax(&scores, D::Minus1)? } else { candle_nn::ops::softmax_last_dim(&scores)? };
        let probs = dropout(&probs, p, rng)?;
        let ctx = if train { probs.matmul(&v)? } else { batched_product(&probs, &v, false)? };
        let ctx = ctx.transpose(1, 2)?.reshape((b, s, h))?;
        let x = self.attn_norm.forward(&(dropout(&self.attn_out.forward(&ctx, train)?, p, rng)? + x)?, train)?;
        // Training needs candle's op for its gradient; reading takes the
        // vectorised one.
        let inner = self.intermediate.forward(&x, train)?;
        let inner = if train { inner.gelu_erf()? } else { hush_kernels::gelu(&inner)? };
        self.out_norm.forward(&(dropout(&self.output.forward(&inner, train)?, p, rng)? + x)?, train)
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
    /// The pretrained weights from `vb` (frozen), adapters from `ad`.
    pub fn load(config: &BertConfig, vb: VarBuilder, ad: Adapters) -> Result<Self> {
        let e = vb.pp("embeddings");
        let h = config.hidden_size;
        Ok(Bert {
            words: embedding(config.vocab_size, h, e.pp("word_embeddings"))?,
            positions: embedding(config.max_position_embeddings, h, e.pp("position_embeddings"))?,
            types: embedding(config.type_vocab_size, h, e.pp("token_type_embeddings"))?,
            norm: LayerNorm::load(h, config.layer_norm_eps, e.pp("LayerNorm"))?,
            layers: (0..config.num_hidden_layers)
                .map(|i| {
                    let path = format!("encoder.layer.{i}");
                    Layer::load(config, vb.pp(&path), ad.pp(&path))
                })
                .collect::<Result<_>>()?,
            config: config.clone(),
            rng: Mutex::new(StdRng::seed_from_u64(0)),
        })
    }

    /// Drops the merged weights, after the adapters changed other than by
    /// a training step (restored, loaded).
    pub fn forget_merged(&self) {
        for l in &self.layers {
            for d in [&l.query, &l.key, &l.value, &l.attn_out, &l.intermediate, &l.output] {
                *d.merged.lock() = None;
            }
        }
    }

    /// Restarts the dropout masks from `seed`.
    pub fn reseed(&self, seed: u64) {
        *self.rng.lock() = StdRng::seed_from_u64(seed);
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
        let mut x = dropout(&self.norm.forward(&x, train)?, p, rng)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    fn close(a: &Tensor, b: &Tensor) -> f32 {
        assert_eq!(a.dims(), b.dims());
        (a - b).unwrap().abs().unwrap().flatten_all().unwrap().max(0).unwrap().to_scalar::<f32>().unwrap()
    }

    #[test]
    fn reading_products_match_candles() {
        let dev = Device::Cpu;
        let x = Tensor::randn(0f32, 1.0, (2, 7, 48), &dev).unwrap();
        let w = Tensor::randn(0f32, 1.0, (24, 48), &dev).unwrap();
        let b = Tensor::randn(0f32, 1.0, 24, &dev).unwrap();
        let dense = Merged::new(&w, Some(&b)).unwrap().forward(&x).unwrap();
        assert!(close(&dense, &Linear::new(w.clone(), Some(b.clone())).forward(&x).unwrap()) < 1e-4);
        assert!(close(&Merged::new(&w, None).unwrap().forward(&x).unwrap(), &x.broadcast_matmul(&w.t().unwrap()).unwrap()) < 1e-4);
        assert!(Merged::new(&w, None).unwrap().forward(&Tensor::zeros((3, 24), DType::F32, &dev).unwrap()).is_err(), "24 inputs where the layer takes 48");

        // Attention's shapes: (batch, heads, seq, head size).
        let q = Tensor::randn(0f32, 1.0, (2, 3, 5, 8), &dev).unwrap();
        let k = Tensor::randn(0f32, 1.0, (2, 3, 5, 8), &dev).unwrap();
        let scores = batched_product(&q, &k, true).unwrap();
        assert!(close(&scores, &q.matmul(&k.t().unwrap().contiguous().unwrap()).unwrap()) < 1e-4);
        let probs = Tensor::randn(0f32, 1.0, (2, 3, 5, 5), &dev).unwrap();
        assert!(close(&batched_product(&probs, &k, false).unwrap(), &probs.matmul(&k).unwrap()) < 1e-4);
        assert!(batched_product(&q, &probs, true).is_err(), "mismatched inner sizes");
        assert!(batched_product(&b, &b, false).is_err(), "a vector is no batch of matrices");
        assert!(Merged::new(&Tensor::zeros((0, 48), DType::F32, &dev).unwrap(), None).is_err(), "a layer without outputs");
    }
}
