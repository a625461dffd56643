//! Whisper encoder and decoder on candle, from safetensors or GGUF.
//!
//! Written here rather than taken from candle-transformers because its
//! decoder keeps no self-attention cache (every step re-runs the prefix) and
//! its encoder expects a full 30 s window; this one caches keys and values
//! per layer and encodes any even number of frames up to 3000.

use std::path::Path;

use candle_core::quantized::{gguf_file, QMatMul, QTensor};
use candle_core::{DType, Device, Module, Tensor};
use candle_nn::LayerNorm;
use serde::Deserialize;

use crate::AsrError;
use hush_kernels::{gelu, Q8Matrix};

/// The fields of a Hugging Face Whisper `config.json` we use.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub num_mel_bins: usize,
    pub d_model: usize,
    pub encoder_layers: usize,
    pub encoder_attention_heads: usize,
    pub decoder_layers: usize,
    pub decoder_attention_heads: usize,
    pub vocab_size: usize,
    pub max_source_positions: usize,
    pub max_target_positions: usize,
    #[serde(default)]
    pub suppress_tokens: Vec<u32>,
    #[serde(default)]
    pub begin_suppress_tokens: Vec<u32>,
}

impl Config {
    pub fn is_multilingual(&self) -> bool {
        self.vocab_size >= 51865
    }
}

/// How GGUF weights are held in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightMode {
    /// Every matrix stays quantised; matmuls use candle's quantised kernels.
    /// Smallest memory.
    Quantized,
    /// Everything is dequantised to f32 at load; fastest encoder, most memory.
    Dequantized,
    /// The encoder (large batched matmuls, where f32 GEMM wins) is
    /// dequantised; the decoder (one row per step, memory-bound) stays
    /// quantised.
    #[default]
    Mixed,
}

enum Source {
    Safetensors(candle_core::safetensors::MmapedSafetensors),
    Gguf { content: gguf_file::Content, file: std::fs::File },
}

struct Weights {
    source: Source,
    device: Device,
}

impl Weights {
    fn open(path: &Path, device: &Device) -> Result<Self, AsrError> {
        let is_gguf = path.extension().is_some_and(|e| e == "gguf");
        let source = if is_gguf {
            let mut file = std::fs::File::open(path).map_err(|e| AsrError::io(path, e))?;
            let len = file.metadata().map_err(|e| AsrError::io(path, e))?.len();
            crate::gguf::check_header(&mut std::io::BufReader::new(&mut file), len).map_err(|e| AsrError::model(path, e))?;
            std::io::Seek::rewind(&mut file).map_err(|e| AsrError::io(path, e))?;
            let content = gguf_file::Content::read(&mut file).map_err(|e| AsrError::model(path, e))?;
            Source::Gguf { content, file }
        } else {
            // SAFETY: the file is only read; the usual mmap caveat (another
            // process truncating it) applies as for every mmapped model.
            let st = unsafe { candle_core::safetensors::MmapedSafetensors::new(path) }.map_err(|e| AsrError::model(path, e))?;
            Source::Safetensors(st)
        };
        Ok(Self { source, device: device.clone() })
    }

    fn qtensor(&mut self, name: &str) -> candle_core::Result<QTensor> {
        match &mut self.source {
            Source::Gguf { content, file } => content.tensor(file, name, &self.device),
            Source::Safetensors(st) => {
                let t = st.load(name, &self.device)?.to_dtype(DType::F32)?;
                QTensor::quantize(&t, candle_core::quantized::GgmlDType::F32)
            }
        }
    }

    /// An f32 tensor, dequantised if need be.
    fn tensor(&mut self, name: &str) -> candle_core::Result<Tensor> {
        match &mut self.source {
            Source::Safetensors(st) => st.load(name, &self.device)?.to_dtype(DType::F32),
            Source::Gguf { .. } => self.qtensor(name)?.dequantize(&self.device),
        }
    }

    fn matmul(&mut self, name: &str, keep_quantized: bool) -> candle_core::Result<Matrix> {
        match &self.source {
            Source::Safetensors(_) => Ok(Matrix::Candle(QMatMul::Tensor(self.tensor(name)?))),
            Source::Gguf { .. } if keep_quantized => {
                let q = self.qtensor(name)?;
                match Q8Matrix::from_qtensor(&q) {
                    Some(m) if self.device.is_cpu() => Ok(Matrix::Q8(m?)),
                    _ => Ok(Matrix::Candle(QMatMul::from_qtensor(q)?)),
                }
            }
            Source::Gguf { .. } => Ok(Matrix::Candle(QMatMul::Tensor(self.tensor(name)?))),
        }
    }

    fn linear(&mut self, prefix: &str, bias: bool, keep_quantized: bool) -> candle_core::Result<Linear> {
        let w = self.matmul(&format!("{prefix}.weight"), keep_quantized)?;
        let b = if bias { Some(self.tensor(&format!("{prefix}.bias"))?) } else { None };
        Ok(Linear { w, b })
    }

    fn layer_norm(&mut self, prefix: &str) -> candle_core::Result<LayerNorm> {
        Ok(LayerNorm::new(self.tensor(&format!("{prefix}.weight"))?, self.tensor(&format!("{prefix}.bias"))?, 1e-5))
    }
}

/// A weight matrix `W` for `x · Wᵀ`: q8_0 weights on the CPU in hush's own
/// kernel (a beam's rows share one pass over them), the rest in candle's.
enum Matrix {
    Q8(Q8Matrix),
    Candle(QMatMul),
}

impl Matrix {
    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        match self {
            Self::Candle(m) => m.forward(x),
            Self::Q8(m) => {
                let mut dims = x.dims().to_vec();
                let k = dims.last().copied().unwrap_or(0);
                let rows = x.elem_count().checked_div(k).unwrap_or(0);
                let y = m.matmul(&x.flatten_all()?.to_vec1::<f32>()?, rows)?;
                if let Some(last) = dims.last_mut() {
                    *last = m.rows();
                }
                Tensor::from_vec(y, dims, x.device())
            }
        }
    }

    /// `(1, n)` token ids → `(1, n, d)` rows of the matrix.
    fn embedding(&self, tokens: &[u32], device: &Device) -> candle_core::Result<Tensor> {
        match self {
            Self::Candle(m) => m.embedding(&Tensor::new(tokens, device)?.unsqueeze(0)?),
            Self::Q8(m) => {
                let rows = m.embedding(tokens)?;
                let d = rows.len() / tokens.len().max(1);
                Tensor::from_vec(rows, (1, tokens.len(), d), device)
            }
        }
    }

    fn rows(&self) -> candle_core::Result<usize> {
        match self {
            Self::Q8(m) => Ok(m.rows()),
            Self::Candle(QMatMul::QTensor(t)) => t.shape().dims2().map(|d| d.0),
            Self::Candle(QMatMul::Tensor(t) | QMatMul::TensorF16(t)) => t.dim(0),
        }
    }
}

struct Linear {
    w: Matrix,
    b: Option<Tensor>,
}

impl Linear {
    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        let y = self.w.forward(x)?;
        match &self.b {
            Some(b) => y.broadcast_add(b),
            None => Ok(y),
        }
    }
}

struct Attention {
    q: Linear,
    k: Linear,
    v: Linear,
    out: Linear,
    heads: usize,
}

impl Attention {
    fn load(w: &mut Weights, prefix: &str, heads: usize, quant: bool) -> candle_core::Result<Self> {
        Ok(Self {
            q: w.linear(&format!("{prefix}.q_proj"), true, quant)?,
            k: w.linear(&format!("{prefix}.k_proj"), false, quant)?,
            v: w.linear(&format!("{prefix}.v_proj"), true, quant)?,
            out: w.linear(&format!("{prefix}.out_proj"), true, quant)?,
            heads,
        })
    }

    /// `(1, n, d)` → `(1, heads, n, d / heads)`.
    fn split_heads(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        let (b, n, d) = x.dims3()?;
        x.reshape((b, n, self.heads, d / self.heads))?.transpose(1, 2)?.contiguous()
    }

    fn keys_values(&self, x: &Tensor) -> candle_core::Result<(Tensor, Tensor)> {
        Ok((self.split_heads(&self.k.forward(x)?)?, self.split_heads(&self.v.forward(x)?)?))
    }

    fn attend(&self, x: &Tensor, k: &Tensor, v: &Tensor, mask: Option<&Tensor>) -> candle_core::Result<Tensor> {
        let q = self.split_heads(&self.q.forward(x)?)?;
        let (b, h, n, dh) = q.dims4()?;
        let scale = 1.0 / (dh as f64).sqrt();
        let mut scores = (q.matmul(&k.t()?)? * scale)?;
        if let Some(mask) = mask {
            scores = scores.broadcast_add(mask)?;
        }
        let probs = candle_nn::ops::softmax_last_dim(&scores)?;
        let y = probs.matmul(v)?.transpose(1, 2)?.reshape((b, n, h * dh))?;
        self.out.forward(&y)
    }
}

struct Mlp {
    fc1: Linear,
    fc2: Linear,
}

impl Mlp {
    fn load(w: &mut Weights, prefix: &str, quant: bool) -> candle_core::Result<Self> {
        Ok(Self { fc1: w.linear(&format!("{prefix}.fc1"), true, quant)?, fc2: w.linear(&format!("{prefix}.fc2"), true, quant)? })
    }
    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        self.fc2.forward(&gelu(&self.fc1.forward(x)?)?)
    }
}

struct EncoderLayer {
    attn_ln: LayerNorm,
    attn: Attention,
    mlp_ln: LayerNorm,
    mlp: Mlp,
}

pub struct Encoder {
    conv1: (Tensor, Tensor),
    conv2: (Tensor, Tensor),
    positions: Tensor,
    layers: Vec<EncoderLayer>,
    ln_post: LayerNorm,
}

impl Encoder {
    /// `mel`: `(1, n_mels, frames)` with `frames` even and ≤ 3000 →
    /// `(1, frames / 2, d_model)`.
    pub fn forward(&self, mel: &Tensor) -> candle_core::Result<Tensor> {
        let x = gelu(&mel.conv1d(&self.conv1.0, 1, 1, 1, 1)?.broadcast_add(&self.conv1.1.reshape((1, (), 1))?)?)?;
        let x = gelu(&x.conv1d(&self.conv2.0, 1, 2, 1, 1)?.broadcast_add(&self.conv2.1.reshape((1, (), 1))?)?)?;
        let x = x.transpose(1, 2)?;
        let n = x.dim(1)?;
        let mut x = x.broadcast_add(&self.positions.narrow(0, 0, n)?)?;
        for layer in &self.layers {
            let h = layer.attn_ln.forward(&x)?;
            let (k, v) = layer.attn.keys_values(&h)?;
            x = (&x + layer.attn.attend(&h, &k, &v, None)?)?;
            x = (&x + layer.mlp.forward(&layer.mlp_ln.forward(&x)?)?)?;
        }
        self.ln_post.forward(&x)
    }
}

struct DecoderLayer {
    self_ln: LayerNorm,
    self_attn: Attention,
    cross_ln: LayerNorm,
    cross_attn: Attention,
    mlp_ln: LayerNorm,
    mlp: Mlp,
}

pub struct Decoder {
    /// Token embedding, also the output projection (tied).
    embed: Matrix,
    positions: Tensor,
    layers: Vec<DecoderLayer>,
    ln: LayerNorm,
}

/// Per-utterance decoder state: cross-attention keys/values of the audio and
/// the growing self-attention cache. Cloning shares the tensors (cheap), so
/// one prompt can be continued several ways.
#[derive(Clone)]
pub struct DecoderState {
    cross: Vec<(Tensor, Tensor)>,
    cache: Vec<Option<(Tensor, Tensor)>>,
    len: usize,
}

impl DecoderState {
    /// Tokens fed so far.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Decoder {
    pub fn start(&self, audio: &Tensor) -> candle_core::Result<DecoderState> {
        let cross = self.layers.iter().map(|l| l.cross_attn.keys_values(audio)).collect::<candle_core::Result<_>>()?;
        Ok(DecoderState { cross, cache: vec![None; self.layers.len()], len: 0 })
    }

    pub fn max_tokens(&self) -> usize {
        self.positions.dim(0).unwrap_or(448)
    }

    /// Feeds `tokens` after what the state holds; returns the logits of the
    /// last `logit_rows` positions as `(logit_rows, vocab)`.
    pub fn step(&self, state: &mut DecoderState, tokens: &[u32], logit_rows: usize) -> candle_core::Result<Tensor> {
        let n = tokens.len();
        let device = self.positions.device();
        let mut x = self.embed.embedding(tokens, device)?.broadcast_add(&self.positions.narrow(0, state.len, n)?)?;
        let mask = if n > 1 {
            // Position i (absolute state.len + i) sees keys 0..=state.len + i.
            let past = state.len;
            let total = past + n;
            let m: Vec<f32> = (0..n).flat_map(|i| (0..total).map(move |j| if j > past + i { f32::NEG_INFINITY } else { 0.0 })).collect();
            Some(Tensor::from_vec(m, (n, total), device)?)
        } else {
            None
        };
        for (i, layer) in self.layers.iter().enumerate() {
            let h = layer.self_ln.forward(&x)?;
            let (k, v) = layer.self_attn.keys_values(&h)?;
            let (k, v) = match state.cache[i].take() {
                Some((pk, pv)) => (Tensor::cat(&[&pk, &k], 2)?, Tensor::cat(&[&pv, &v], 2)?),
                None => (k, v),
            };
            x = (&x + layer.self_attn.attend(&h, &k, &v, mask.as_ref())?)?;
            state.cache[i] = Some((k, v));
            let h = layer.cross_ln.forward(&x)?;
            let (ck, cv) = &state.cross[i];
            x = (&x + layer.cross_attn.attend(&h, ck, cv, None)?)?;
            x = (&x + layer.mlp.forward(&layer.mlp_ln.forward(&x)?)?)?;
        }
        state.len += n;
        let rows = logit_rows.min(n);
        let x = self.ln.forward(&x.narrow(1, n - rows, rows)?)?.squeeze(0)?;
        self.embed.forward(&x)
    }
}

impl Decoder {
    /// Feeds one token to each of several states of the same length (the
    /// hypotheses of a beam) in one pass: the projections and the MLP see
    /// the hypotheses as positions of one sequence, so the weights are read
    /// once per step, not once per hypothesis; only self-attention is per
    /// hypothesis. Returns the logits, `(states, vocab)`.
    pub fn step_many(&self, states: &mut [DecoderState], tokens: &[u32]) -> candle_core::Result<Tensor> {
        let b = tokens.len();
        let len = states.first().map_or(0, |s| s.len);
        if b != states.len() || states.iter().any(|s| s.len != len) {
            candle_core::bail!("step_many: {} tokens for {} states of lengths not all {len}", b, states.len());
        }
        if b == 1 {
            return self.step(&mut states[0], tokens, 1);
        }
        let device = self.positions.device();
        // (1, b, d): the hypotheses side by side, all at position `len`.
        let mut x = self.embed.embedding(tokens, device)?.broadcast_add(&self.positions.narrow(0, len, 1)?)?;
        for (i, layer) in self.layers.iter().enumerate() {
            let h = layer.self_ln.forward(&x)?;
            let a = &layer.self_attn;
            // (1, heads, b, dh) → (b, heads, 1, dh): one query per hypothesis.
            let per_hyp = |t: Tensor| -> candle_core::Result<Tensor> { a.split_heads(&t)?.transpose(0, 2)?.contiguous() };
            let (k, v) = (per_hyp(a.k.forward(&h)?)?, per_hyp(a.v.forward(&h)?)?);
            let q = per_hyp(a.q.forward(&h)?)?;
            let mut ks = Vec::with_capacity(b);
            let mut vs = Vec::with_capacity(b);
            for (j, st) in states.iter_mut().enumerate() {
                let (kj, vj) = (k.narrow(0, j, 1)?, v.narrow(0, j, 1)?);
                let (kj, vj) = match st.cache[i].take() {
                    Some((pk, pv)) => (Tensor::cat(&[&pk, &kj], 2)?, Tensor::cat(&[&pv, &vj], 2)?),
                    None => (kj, vj),
                };
                ks.push(kj.clone());
                vs.push(vj.clone());
                st.cache[i] = Some((kj, vj));
            }
            let (kb, vb) = (Tensor::cat(&ks, 0)?, Tensor::cat(&vs, 0)?);
            let dh = q.dim(3)?;
            let scores = (q.matmul(&kb.t()?)? * (1.0 / (dh as f64).sqrt()))?;
            let probs = candle_nn::ops::softmax_last_dim(&scores)?;
            // (b, heads, 1, dh) → (1, b, d)
            let y = probs.matmul(&vb)?.transpose(0, 2)?.transpose(1, 2)?.reshape((1, b, ()))?;
            x = (&x + a.out.forward(&y)?)?;
            // Cross-attention has no mask and the same keys for all: the
            // hypotheses are just more query positions.
            let hc = layer.cross_ln.forward(&x)?;
            let (ck, cv) = &states[0].cross[i];
            x = (&x + layer.cross_attn.attend(&hc, ck, cv, None)?)?;
            x = (&x + layer.mlp.forward(&layer.mlp_ln.forward(&x)?)?)?;
        }
        for st in states.iter_mut() {
            st.len += 1;
        }
        let x = self.ln.forward(&x)?.squeeze(0)?;
        self.embed.forward(&x)
    }
}

/// A loaded Whisper model.
pub struct Whisper {
    pub config: Config,
    pub encoder: Encoder,
    pub decoder: Decoder,
}

/// `sinusoids(length, channels)` of OpenAI's `whisper/model.py`.
fn sinusoids(length: usize, channels: usize, device: &Device) -> candle_core::Result<Tensor> {
    let half = channels / 2;
    let increment = (10_000f64).ln() / (half as f64 - 1.0);
    let mut data = vec![0f32; length * channels];
    for t in 0..length {
        for i in 0..half {
            let a = t as f64 * (-increment * i as f64).exp();
            data[t * channels + i] = a.sin() as f32;
            data[t * channels + half + i] = a.cos() as f32;
        }
    }
    Tensor::from_vec(data, (length, channels), device)
}

impl Whisper {
    pub fn load(config: Config, weights: &Path, mode: WeightMode, device: &Device) -> Result<Self, AsrError> {
        let mut w = Weights::open(weights, device)?;
        let (enc_q, dec_q) = match mode {
            WeightMode::Quantized => (true, true),
            WeightMode::Dequantized => (false, false),
            WeightMode::Mixed => (false, true),
        };
        let build = |w: &mut Weights| -> candle_core::Result<(Encoder, Decoder)> {
            let e = "model.encoder";
            let mut layers = Vec::with_capacity(config.encoder_layers);
            for i in 0..config.encoder_layers {
                let p = format!("{e}.layers.{i}");
                layers.push(EncoderLayer {
                    attn_ln: w.layer_norm(&format!("{p}.self_attn_layer_norm"))?,
                    attn: Attention::load(w, &format!("{p}.self_attn"), config.encoder_attention_heads, enc_q)?,
                    mlp_ln: w.layer_norm(&format!("{p}.final_layer_norm"))?,
                    mlp: Mlp::load(w, &p, enc_q)?,
                });
            }
            let encoder = Encoder {
                conv1: (w.tensor(&format!("{e}.conv1.weight"))?, w.tensor(&format!("{e}.conv1.bias"))?),
                conv2: (w.tensor(&format!("{e}.conv2.weight"))?, w.tensor(&format!("{e}.conv2.bias"))?),
                positions: sinusoids(config.max_source_positions, config.d_model, device)?,
                layers,
                ln_post: w.layer_norm(&format!("{e}.layer_norm"))?,
            };
            let d = "model.decoder";
            let mut layers = Vec::with_capacity(config.decoder_layers);
            for i in 0..config.decoder_layers {
                let p = format!("{d}.layers.{i}");
                let heads = config.decoder_attention_heads;
                layers.push(DecoderLayer {
                    self_ln: w.layer_norm(&format!("{p}.self_attn_layer_norm"))?,
                    self_attn: Attention::load(w, &format!("{p}.self_attn"), heads, dec_q)?,
                    cross_ln: w.layer_norm(&format!("{p}.encoder_attn_layer_norm"))?,
                    cross_attn: Attention::load(w, &format!("{p}.encoder_attn"), heads, dec_q)?,
                    mlp_ln: w.layer_norm(&format!("{p}.final_layer_norm"))?,
                    mlp: Mlp::load(w, &p, dec_q)?,
                });
            }
            let decoder = Decoder {
                embed: w.matmul(&format!("{d}.embed_tokens.weight"), dec_q)?,
                positions: w.tensor(&format!("{d}.embed_positions.weight"))?,
                layers,
                ln: w.layer_norm(&format!("{d}.layer_norm"))?,
            };
            Ok((encoder, decoder))
        };
        let (encoder, decoder) = build(&mut w).map_err(|e| AsrError::model(weights, e))?;
        let vocab = decoder.embed_vocab().map_err(|e| AsrError::model(weights, e))?;
        if vocab != config.vocab_size {
            return Err(AsrError::model(weights, format!("embedding has {vocab} rows, config says {}", config.vocab_size)));
        }
        Ok(Self { config, encoder, decoder })
    }
}

impl Decoder {
    fn embed_vocab(&self) -> candle_core::Result<usize> {
        self.embed.rows()
    }
}

/// The `k` likeliest allowed ids, best first, with their log-probabilities
/// among the allowed ids.
pub fn top_masked(logits: &[f32], banned: &[bool], k: usize) -> Vec<(u32, f32)> {
    let allowed = || logits.iter().enumerate().filter(|(i, _)| !banned.get(*i).copied().unwrap_or(false));
    let mut top: Vec<(usize, f32)> = Vec::with_capacity(k + 1);
    for (i, &l) in allowed() {
        if top.len() < k || l > top[top.len() - 1].1 {
            let at = top.partition_point(|t| t.1 >= l);
            top.insert(at, (i, l));
            top.truncate(k);
        }
    }
    let max = top.first().map_or(f32::NEG_INFINITY, |t| t.1);
    let log_sum = allowed().map(|(_, l)| (l - max).exp()).sum::<f32>().ln() + max;
    top.into_iter().map(|(i, l)| (i as u32, l - log_sum)).collect()
}

/// Softmax probability of `id` over all of `logits`.
pub fn prob_of(logits: &[f32], id: u32) -> f32 {
    let max = logits.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
    let sum: f32 = logits.iter().map(|l| (l - max).exp()).sum();
    logits.get(id as usize).map_or(0.0, |l| (l - max).exp() / sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sinusoids_match_whisper_definition() {
        let s = sinusoids(3, 4, &Device::Cpu).unwrap().to_vec2::<f32>().unwrap();
        // channels=4 → half=2, increment=ln(10000)/1: scales 1 and 1e-4.
        assert_eq!(s[0], vec![0.0, 0.0, 1.0, 1.0]);
        assert!((s[2][0] - 2f32.sin()).abs() < 1e-6);
        assert!((s[2][1] - (2e-4f32).sin()).abs() < 1e-6);
        assert!((s[2][3] - (2e-4f32).cos()).abs() < 1e-6);
    }

    #[test]
    fn top_skips_banned_and_gives_log_probs() {
        let top = top_masked(&[5.0, 1.0, 1.0], &[true, false, false], 1);
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].0, 1);
        assert!((top[0].1 - 0.5f32.ln()).abs() < 1e-6);
        let logits = [0.0, 3.0, 1.0, 2.0, 3.5];
        let top = top_masked(&logits, &[false, false, false, false, true], 3);
        assert_eq!(top.iter().map(|t| t.0).collect::<Vec<_>>(), [1, 3, 2]);
        let sum: f32 = [0.0f32, 3.0, 1.0, 2.0].iter().map(|l| l.exp()).sum();
        assert!((top[1].1 - (2f32.exp() / sum).ln()).abs() < 1e-5);
        assert_eq!(top_masked(&logits, &[false; 5], 9).len(), 5);
    }
}
