//! The pretrained sentence encoder and its tokenizer, loaded into trainable
//! variables.

use crate::bert::{mean_pool, Bert, BertConfig};
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
    /// The encoder's weights, as variables an optimiser can update.
    pub vars: VarMap,
    pub device: Device,
}

impl Encoder {
    /// Loads `config.json`, `tokenizer.json` and `model.safetensors` of a
    /// BERT folder (e.g. the `minilm` model of the cache).
    pub fn load(dir: &Path) -> Result<Self, LearnError> {
        Self::load_weights(dir, &dir.join("model.safetensors"))
    }

    /// The architecture and tokenizer of `dir` with weights from `weights`
    /// (a fine-tuned copy).
    pub fn load_weights(dir: &Path, weights: &Path) -> Result<Self, LearnError> {
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
        let mut vars = VarMap::new();
        let bert = Bert::load(&config, VarBuilder::from_varmap(&vars, DType::F32, &device))?;
        vars.load(weights).map_err(|e| LearnError::Weights { path: weights.to_owned(), detail: e.to_string() })?;
        Ok(Encoder { bert, tokenizer, vars, device })
    }

    /// Word pieces of `texts` with character offsets.
    pub fn encode(&self, texts: &[&str]) -> Result<Vec<Encoding>, LearnError> {
        texts
            .iter()
            .map(|t| self.tokenizer.encode_char_offsets(*t, true).map_err(|e| LearnError::Tokenize(e.to_string())))
            .collect()
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
