//! Silero VAD (16 kHz), run in plain Rust on the weights of the `silero-vad`
//! package's ONNX model (`hush models import silero-vad` stores them as
//! safetensors under their ONNX names).
//!
//! The network is small (309 k parameters, ~0.7 M multiply-adds per 32 ms
//! chunk): a fixed STFT as a strided convolution, four 3-tap convolutions, one
//! LSTM cell and a sigmoid. Loops over contiguous rows run it in well under a
//! millisecond per chunk, so neither an ONNX runtime (tract and its protobuf
//! stack) nor candle's per-op dispatch earns its build time or overhead here.
//! Each chunk is 512 new samples after the previous chunk's last 64 (the
//! context the model was trained with); the LSTM state is carried across
//! chunks, so the probabilities match the reference ONNX model run the same
//! way (tests/silero.rs).

use crate::AudioError;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use zeroize::Zeroize;

/// New samples per chunk (32 ms at 16 kHz).
pub const CHUNK: usize = 512;
/// Samples of the previous chunk the model sees before each new one.
const CONTEXT: usize = 64;
const N_FFT: usize = 256;
const HOP: usize = 128;
const BINS: usize = N_FFT / 2 + 1;
const HIDDEN: usize = 128;
/// A weight file larger than this is not Silero's (it is ~1.2 MB).
const MAX_BYTES: u64 = 16 << 20;

/// A 1-D convolution of kernel 3, padding 1.
struct Conv {
    /// `[out][in * 3]`, row-major: one output channel's taps are contiguous.
    weight: Vec<f32>,
    bias: Vec<f32>,
    inputs: usize,
    stride: usize,
}

impl Conv {
    /// `x` is `[in][len]`; returns `[out][len']` after ReLU.
    fn forward_relu(&self, x: &[f32], len: usize) -> (Vec<f32>, usize) {
        let out_len = (len + 2 - 3) / self.stride + 1;
        let outputs = self.bias.len();
        let mut y = vec![0.0; outputs * out_len];
        let mut col = vec![0.0; self.inputs * 3];
        for t in 0..out_len {
            // The input window of output t, laid out as the weights are.
            for i in 0..self.inputs {
                for k in 0..3 {
                    let at = (t * self.stride + k) as isize - 1;
                    col[i * 3 + k] = if (0..len as isize).contains(&at) { x[i * len + at as usize] } else { 0.0 };
                }
            }
            for o in 0..outputs {
                let v = self.bias[o] + dot(&self.weight[o * col.len()..(o + 1) * col.len()], &col);
                y[o * out_len + t] = v.max(0.0);
            }
        }
        (y, out_len)
    }
}

/// Silero VAD's weights, shared by every stream that uses them.
pub struct SileroModel {
    /// `[2 * BINS][N_FFT]`: real then imaginary parts of the STFT basis.
    stft: Vec<f32>,
    convs: [Conv; 4],
    /// `[4 * HIDDEN][HIDDEN]` each, gates in PyTorch's order i, f, g, o.
    w_ih: Vec<f32>,
    w_hh: Vec<f32>,
    /// `bias_ih + bias_hh`.
    bias: Vec<f32>,
    out_w: Vec<f32>,
    out_b: f32,
}

impl std::fmt::Debug for SileroModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SileroModel")
    }
}

impl SileroModel {
    /// Loads the weights `hush models import silero-vad` made.
    pub fn load(path: &Path) -> Result<Arc<SileroModel>, AudioError> {
        let io = |source| AudioError::Io { path: path.to_owned(), source };
        let len = std::fs::metadata(path).map_err(io)?.len();
        if len > MAX_BYTES {
            return Err(bad(path, format!("{len} bytes is not a Silero VAD model (~1.2 MB)")));
        }
        let bytes = std::fs::read(path).map_err(io)?;
        Self::from_bytes(&bytes).map(Arc::new).map_err(|detail| bad(path, detail))
    }

    /// Parses the weights; every tensor must be there, f32, of Silero v5's
    /// shape, or nothing is built.
    pub fn from_bytes(bytes: &[u8]) -> Result<SileroModel, String> {
        let st = safetensors::SafeTensors::deserialize(bytes).map_err(|e| format!("not safetensors: {e}"))?;
        let get = |name: &str, shape: &[usize]| -> Result<Vec<f32>, String> {
            let t = st.tensor(name).map_err(|_| format!("no tensor {name}"))?;
            if t.dtype() != safetensors::Dtype::F32 || t.shape() != shape {
                return Err(format!("{name}: {:?} {:?}, expected F32 {shape:?}", t.dtype(), t.shape()));
            }
            Ok(t.data().chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
        };
        let conv = |n: usize, inputs: usize, outputs: usize, stride: usize| -> Result<Conv, String> {
            Ok(Conv {
                weight: get(&format!("model.encoder.{n}.reparam_conv.weight"), &[outputs, inputs, 3])?,
                bias: get(&format!("model.encoder.{n}.reparam_conv.bias"), &[outputs])?,
                inputs,
                stride,
            })
        };
        let (b_ih, b_hh) = (get("model.decoder.rnn.bias_ih", &[4 * HIDDEN])?, get("model.decoder.rnn.bias_hh", &[4 * HIDDEN])?);
        let model = SileroModel {
            stft: get("model.stft.forward_basis_buffer", &[2 * BINS, 1, N_FFT])?,
            convs: [conv(0, BINS, 128, 1)?, conv(1, 128, 64, 2)?, conv(2, 64, 64, 2)?, conv(3, 64, HIDDEN, 1)?],
            w_ih: get("model.decoder.rnn.weight_ih", &[4 * HIDDEN, HIDDEN])?,
            w_hh: get("model.decoder.rnn.weight_hh", &[4 * HIDDEN, HIDDEN])?,
            bias: b_ih.iter().zip(&b_hh).map(|(a, b)| a + b).collect(),
            out_w: get("model.decoder.decoder.2.weight", &[1, HIDDEN, 1])?,
            out_b: get("model.decoder.decoder.2.bias", &[1])?[0],
        };
        if model.weights().any(|w| !w.is_finite()) {
            return Err("a weight is not a finite number".into());
        }
        Ok(model)
    }

    fn weights(&self) -> impl Iterator<Item = f32> + '_ {
        let convs = self.convs.iter().flat_map(|c| c.weight.iter().chain(&c.bias));
        self.stft.iter().chain(convs).chain(&self.w_ih).chain(&self.w_hh).chain(&self.bias).chain(&self.out_w).copied().chain([self.out_b])
    }

    /// One chunk: `x` is the context and the new samples (576); updates the
    /// LSTM state `(h, c)` and returns the speech probability.
    fn step(&self, x: &[f32; CONTEXT + CHUNK], h: &mut [f32; HIDDEN], c: &mut [f32; HIDDEN]) -> f32 {
        // Reflection padding on the right, as the model was exported.
        let mut padded = [0.0f32; CONTEXT + CHUNK + CONTEXT];
        padded[..x.len()].copy_from_slice(x);
        for i in 0..CONTEXT {
            padded[x.len() + i] = x[x.len() - 2 - i];
        }
        let frames = (padded.len() - N_FFT) / HOP + 1;
        let mut mag = vec![0.0f32; BINS * frames];
        for t in 0..frames {
            let window = &padded[t * HOP..t * HOP + N_FFT];
            for k in 0..BINS {
                let re = dot(&self.stft[k * N_FFT..(k + 1) * N_FFT], window);
                let im = dot(&self.stft[(k + BINS) * N_FFT..(k + BINS + 1) * N_FFT], window);
                mag[k * frames + t] = (re * re + im * im).sqrt();
            }
        }
        padded.zeroize();
        let (mut x, mut len) = (mag, frames);
        for conv in &self.convs {
            (x, len) = conv.forward_relu(&x, len);
        }
        debug_assert_eq!(len, 1);
        let mut gates = self.bias.clone();
        for (g, row) in gates.iter_mut().enumerate() {
            *row += dot(&self.w_ih[g * HIDDEN..(g + 1) * HIDDEN], &x) + dot(&self.w_hh[g * HIDDEN..(g + 1) * HIDDEN], &h[..]);
        }
        let mut out = self.out_b;
        for j in 0..HIDDEN {
            let (i, f, g, o) = (sigmoid(gates[j]), sigmoid(gates[HIDDEN + j]), gates[2 * HIDDEN + j].tanh(), sigmoid(gates[3 * HIDDEN + j]));
            c[j] = f * c[j] + i * g;
            h[j] = o * c[j].tanh();
            out += self.out_w[j] * h[j].max(0.0);
        }
        sigmoid(out)
    }
}

fn bad(path: &Path, detail: String) -> AudioError {
    AudioError::VadModel { path: PathBuf::from(path), detail }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// A dot product in eight lanes, which the compiler vectorises (a plain
/// fold is kept in order and is not).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// One stream's Silero VAD: feed samples, read the speech probability of
/// the latest whole chunk. Held audio is zeroed when dropped.
pub struct Silero {
    model: Arc<SileroModel>,
    /// The context and the chunk being filled.
    window: [f32; CONTEXT + CHUNK],
    filled: usize,
    h: [f32; HIDDEN],
    c: [f32; HIDDEN],
    probability: f32,
}

impl Silero {
    pub fn new(model: Arc<SileroModel>) -> Silero {
        Silero { model, window: [0.0; CONTEXT + CHUNK], filled: 0, h: [0.0; HIDDEN], c: [0.0; HIDDEN], probability: 0.0 }
    }

    /// Feeds samples (16 kHz); returns the probability of each chunk they
    /// completed, in order.
    pub fn push(&mut self, mut samples: &[f32]) -> Vec<f32> {
        let mut out = Vec::new();
        while !samples.is_empty() {
            let n = (CHUNK - self.filled).min(samples.len());
            self.window[CONTEXT + self.filled..CONTEXT + self.filled + n].copy_from_slice(&samples[..n]);
            self.filled += n;
            samples = &samples[n..];
            if self.filled == CHUNK {
                self.probability = self.model.step(&self.window, &mut self.h, &mut self.c);
                out.push(self.probability);
                self.window.copy_within(CHUNK.., 0);
                self.window[CONTEXT..].zeroize();
                self.filled = 0;
            }
        }
        out
    }

    /// The probability of the latest whole chunk (0 before the first).
    pub fn probability(&self) -> f32 {
        self.probability
    }
}

impl Drop for Silero {
    fn drop(&mut self) {
        self.window.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_matches_a_plain_sum() {
        let a: Vec<f32> = (0..37).map(|i| i as f32 * 0.5).collect();
        let b: Vec<f32> = (0..37).map(|i| 1.0 - i as f32 * 0.01).collect();
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - plain).abs() < 1e-3);
    }

    #[test]
    fn other_files_are_refused_with_the_reason() {
        assert!(SileroModel::from_bytes(b"not a model").unwrap_err().contains("not safetensors"));
        let empty = safetensors::serialize(Vec::<(&str, safetensors::tensor::TensorView)>::new(), None).unwrap();
        assert_eq!(SileroModel::from_bytes(&empty).unwrap_err(), "no tensor model.decoder.rnn.bias_ih");
    }
}
