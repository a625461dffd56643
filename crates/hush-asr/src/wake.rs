//! A small keyword model for the wake phrase: does an utterance start with
//! it? It reads the first [`WAKE_SECONDS`] of an utterance as 40-band log-mel
//! (Whisper's front end, so the level of the audio does not matter) through
//! three convolutions over time and a pooled logistic head: ~70 k weights,
//! well under a millisecond per utterance, so Whisper need not run on
//! utterances that do not start with the phrase.
//!
//! The network is defined once ([`WakeNet`]) for both the trainer
//! (`hush train-wake`, which owns the data and the optimiser) and
//! [`WakeModel`], which loads trained weights.

use crate::mel::MelFrontEnd;
use crate::AsrError;
use candle_core::{DType, Device, Module, Tensor, D};
use candle_nn::{linear, Linear, VarBuilder};

/// Mel bands the model reads.
pub const WAKE_MELS: usize = 40;
/// 10 ms frames the model reads: 1.2 s, enough for "hey hush" said slowly.
pub const WAKE_FRAMES: usize = 120;
/// Seconds of the utterance the model reads.
pub const WAKE_SECONDS: f32 = WAKE_FRAMES as f32 / 100.0;

/// The network: `[batch, WAKE_FRAMES, WAKE_MELS]` features → one logit per
/// utterance. Each convolution is a linear map of `width` stacked frames
/// (so training needs only matrix products), followed by ReLU; the first
/// two halve the frame rate by max-pooling pairs.
pub struct WakeNet {
    convs: Vec<(Linear, usize)>,
    head: Linear,
}

/// (input channels, output channels, frames stacked).
const LAYERS: [(usize, usize, usize); 3] = [(WAKE_MELS, 64, 5), (64, 96, 5), (96, 96, 3)];

impl WakeNet {
    pub fn new(vb: VarBuilder) -> candle_core::Result<Self> {
        let convs = LAYERS
            .iter()
            .enumerate()
            .map(|(i, &(inp, out, width))| Ok((linear(inp * width, out, vb.pp(format!("conv{i}")))?, width)))
            .collect::<candle_core::Result<_>>()?;
        let head = linear(2 * LAYERS[2].1, 1, vb.pp("head"))?;
        Ok(WakeNet { convs, head })
    }

    /// Logits `[batch]`.
    pub fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        let mut x = x.clone();
        for (i, (conv, width)) in self.convs.iter().enumerate() {
            let (b, t, _) = x.dims3()?;
            let pad = width / 2;
            let padded = x.pad_with_zeros(1, pad, pad)?;
            let stacked = Tensor::cat(&(0..*width).map(|k| padded.narrow(1, k, t)).collect::<candle_core::Result<Vec<_>>>()?, 2)?;
            x = conv.forward(&stacked)?.relu()?;
            if i < 2 {
                let c = x.dim(2)?;
                x = x.reshape((b, t / 2, 2, c))?.max(2)?;
            }
        }
        let pooled = Tensor::cat(&[x.mean(1)?, x.max(1)?], 1)?;
        self.head.forward(&pooled)?.squeeze(D::Minus1)
    }
}

/// The model's input for an utterance: the log-mel of its first
/// [`WAKE_SECONDS`] (silence after a shorter one), `[WAKE_FRAMES][WAKE_MELS]`.
pub fn wake_features(front: &MelFrontEnd, samples: &[f32]) -> Vec<f32> {
    let n = samples.len().min(WAKE_FRAMES * crate::mel::HOP);
    let mel = front.log_mel(&samples[..n], WAKE_FRAMES);
    let mut out = vec![0f32; WAKE_FRAMES * WAKE_MELS];
    for m in 0..WAKE_MELS {
        for t in 0..WAKE_FRAMES {
            out[t * WAKE_MELS + m] = mel[m * WAKE_FRAMES + t];
        }
    }
    out
}

/// What a trained model says about itself (`model.json` beside the weights).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct WakeMeta {
    /// The phrase it was trained on, lower case.
    pub phrase: String,
    /// Probability at or above which an utterance starts with the phrase.
    pub threshold: f32,
}

/// A trained wake-phrase model.
pub struct WakeModel {
    net: WakeNet,
    front: MelFrontEnd,
    meta: WakeMeta,
}

impl WakeModel {
    /// From its description (JSON) and its weights (safetensors), as
    /// `hush train-wake` writes them.
    pub fn from_bytes(meta: &[u8], weights: &[u8]) -> Result<Self, AsrError> {
        let origin = std::path::Path::new("wake model");
        let meta: WakeMeta = serde_json::from_slice(meta).map_err(|e| AsrError::model(origin, e))?;
        if !(0.0..=1.0).contains(&meta.threshold) {
            return Err(AsrError::model(origin, format!("threshold {} is not a probability", meta.threshold)));
        }
        let vb = VarBuilder::from_buffered_safetensors(weights.to_vec(), DType::F32, &Device::Cpu).map_err(|e| AsrError::model(origin, e))?;
        let net = WakeNet::new(vb).map_err(|e| AsrError::model(origin, e))?;
        Ok(WakeModel { net, front: MelFrontEnd::new(WAKE_MELS), meta })
    }

    pub fn meta(&self) -> &WakeMeta {
        &self.meta
    }

    /// The probability that `samples` (16 kHz, from just before the
    /// utterance's speech) start with the phrase.
    pub fn probability(&self, samples: &[f32]) -> Result<f32, AsrError> {
        let x = Tensor::from_vec(wake_features(&self.front, samples), (1, WAKE_FRAMES, WAKE_MELS), &Device::Cpu)?;
        let logit = self.net.forward(&x)?.to_vec1::<f32>()?[0];
        Ok(1.0 / (1.0 + (-logit).exp()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_nn::VarMap;

    fn weights() -> Vec<u8> {
        let vars = VarMap::new();
        WakeNet::new(VarBuilder::from_varmap(&vars, DType::F32, &Device::Cpu)).unwrap();
        let path = std::env::temp_dir().join(format!("hush-wake-{}.safetensors", std::process::id()));
        vars.save(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        bytes
    }

    #[test]
    fn one_probability_per_utterance_whatever_its_length() {
        let m = WakeModel::from_bytes(br#"{"phrase": "hey hush", "threshold": 0.5}"#, &weights()).unwrap();
        for n in [0, 1, 800, WAKE_FRAMES * crate::mel::HOP, 16_000 * 5] {
            let tone: Vec<f32> = (0..n).map(|i| (i as f32 * 0.07).sin() * 0.1).collect();
            let p = m.probability(&tone).unwrap();
            assert!((0.0..=1.0).contains(&p), "{n} samples: {p}");
        }
        // Only the first WAKE_SECONDS count.
        let long: Vec<f32> = (0..16_000 * 3).map(|i| (i as f32 * 0.01).sin() * 0.2).collect();
        let cut = &long[..WAKE_FRAMES * crate::mel::HOP];
        assert_eq!(m.probability(&long).unwrap(), m.probability(cut).unwrap());
    }

    #[test]
    fn a_broken_model_is_refused_with_a_reason() {
        let w = weights();
        let err = |meta: &[u8], w: &[u8]| WakeModel::from_bytes(meta, w).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err(b"{", &w).contains("wake model"));
        assert!(err(br#"{"phrase": "hey hush", "threshold": 1.5}"#, &w).contains("not a probability"));
        assert!(err(br#"{"phrase": "hey hush", "threshold": 0.5}"#, &w[..w.len() / 2]).contains("wake model"));
        assert!(err(br#"{"phrase": "hey hush", "threshold": 0.5}"#, b"").contains("wake model"));
    }
}
