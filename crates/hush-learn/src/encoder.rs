//! The pretrained sentence encoder and its tokenizer, frozen, with
//! trainable low-rank adapters.

use crate::bert::{mean_pool, Adapters, Bert, BertConfig};
use crate::LearnError;
use candle_core::{DType, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};
use std::path::Path;
use tokenizers::{Encoding, Tokenizer, TruncationParams};

/// Longest input in word pieces; commands are far shorter.
pub const MAX_TOKENS: usize = 64;

pub struct Encoder {
    pub bert: Bert,
    pub tokenizer: Tokenizer,
    /// The adapters' weights, the variables an optimiser updates (empty at
    /// rank 0).
    pub adapters: VarMap,
    pub rank: usize,
    pub device: Device,
}

impl Encoder {
    /// Loads `config.json`, `tokenizer.json` and `model.safetensors` of a
    /// BERT folder (e.g. the `minilm` model of the cache), with new
    /// adapters of `rank` (0 for none).
    pub fn load(dir: &Path, rank: usize) -> Result<Self, LearnError> {
        let cfg_path = dir.join("config.json");
        let text = std::fs::read_to_string(&cfg_path).map_err(|source| LearnError::Io { path: cfg_path.clone(), source })?;
        let config: BertConfig = serde_json::from_str(&text).map_err(|e| LearnError::Config { path: cfg_path, detail: e.to_string() })?;
        let tok_path = dir.join("tokenizer.json");
        let mut tokenizer = Tokenizer::from_file(&tok_path).map_err(|e| LearnError::Tokenizer { path: tok_path.clone(), detail: e.to_string() })?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams { max_length: MAX_TOKENS, ..Default::default() }))
            .map_err(|e| LearnError::Tokenizer { path: tok_path, detail: e.to_string() })?;
        let device = Device::Cpu;
        let weights = dir.join("model.safetensors");
        let tensors = candle_core::safetensors::load(&weights, &device).map_err(|e| LearnError::Weights { path: weights, detail: e.to_string() })?;
        let adapters = VarMap::new();
        let ad = Adapters { vb: VarBuilder::from_varmap(&adapters, DType::F32, &device), rank };
        let bert = Bert::load(&config, VarBuilder::from_tensors(tensors, DType::F32, &device), ad)?;
        Ok(Encoder { bert, tokenizer, adapters, rank, device })
    }

    /// Replaces the adapters' weights with safetensors `bytes` (read from
    /// `path`, which names them in errors).
    pub fn set_adapters(&mut self, bytes: &[u8], path: &Path) -> Result<(), LearnError> {
        set_vars(&self.adapters, bytes, &self.device, path)?;
        self.bert.forget_merged();
        Ok(())
    }

    /// Word pieces of `texts` with character offsets.
    pub fn encode(&self, texts: &[&str]) -> Result<Vec<Encoding>, LearnError> {
        texts.iter().map(|t| self.tokenizer.encode_char_offsets(*t, true).map_err(|e| LearnError::Tokenize(e.to_string()))).collect()
    }

    /// Ids and mask of a batch, padded to its longest member: (batch, seq).
    pub fn batch(&self, encodings: &[Encoding]) -> Result<(Tensor, Tensor), LearnError> {
        let len = encodings.iter().map(|e| e.len()).max().unwrap_or(0).max(1);
        let mut ids = vec![0u32; encodings.len() * len];
        let mut mask = vec![0u32; encodings.len() * len];
        for (row, e) in encodings.iter().enumerate() {
            for (i, &id) in e.get_ids().iter().enumerate() {
                ids[row * len + i] = id;
                mask[row * len + i] = 1;
            }
        }
        let shape = (encodings.len(), len);
        Ok((Tensor::from_vec(ids, shape, &self.device)?, Tensor::from_vec(mask, shape, &self.device)?))
    }

    /// Sentence vectors (mean of token vectors, unit length): (batch, hidden).
    pub fn embed(&self, texts: &[&str]) -> Result<Tensor, LearnError> {
        let enc = self.encode(texts)?;
        let (ids, mask) = self.batch(&enc)?;
        let pooled = mean_pool(&self.bert.forward(&ids, &mask, false)?, &mask)?;
        Ok(pooled.broadcast_div(&pooled.sqr()?.sum_keepdim(1)?.sqrt()?)?)
    }
}

/// Sets every variable of `vars` from safetensors `bytes`: each must be
/// there with its shape, and nothing else may be (a file of another
/// model's labels or rank is refused, not half-loaded).
pub(crate) fn set_vars(vars: &VarMap, bytes: &[u8], device: &candle_core::Device, path: &Path) -> Result<(), LearnError> {
    let bad = |detail: String| LearnError::Weights { path: path.to_owned(), detail };
    let tensors = candle_core::safetensors::load_buffer(bytes, device).map_err(|e| bad(e.to_string()))?;
    let data = vars.data().lock().unwrap_or_else(|p| p.into_inner());
    if let Some(extra) = tensors.keys().find(|k| !data.contains_key(*k)) {
        return Err(bad(format!("unexpected tensor {extra}")));
    }
    for (name, var) in data.iter() {
        let t = tensors.get(name).ok_or_else(|| bad(format!("no tensor {name}")))?;
        if t.shape() != var.shape() {
            return Err(bad(format!("{name} is {:?}, the model needs {:?}", t.shape(), var.shape())));
        }
    }
    for (name, var) in data.iter() {
        var.set(&tensors[name].to_dtype(var.dtype())?)?;
    }
    Ok(())
}
