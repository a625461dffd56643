//! Why recognition failed.

use std::path::{Path, PathBuf};

/// Why recognition failed.
#[derive(Debug, thiserror::Error)]
pub enum AsrError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: cannot load model: {detail}")]
    Model { path: PathBuf, detail: String },
    #[error("{path}: invalid config: {detail}")]
    Config { path: PathBuf, detail: String },
    #[error("{path}: invalid tokenizer: {detail}")]
    Tokenizer { path: PathBuf, detail: String },
    #[error("the audio is empty")]
    EmptyAudio,
    #[error("{seconds:.1} s of audio is more than one 30 s window")]
    TooLong { seconds: f32 },
    #[error("unknown language '{0}' for this model")]
    UnknownLanguage(String),
    #[error("{path}: this model hears English only; language '{language}' needs a multilingual model (e.g. base-q8_0)")]
    EnglishOnly { path: PathBuf, language: String },
    #[error("inference failed: {0}")]
    Inference(String),
}

impl AsrError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io { path: path.to_owned(), source }
    }
    pub(crate) fn model(path: &Path, detail: impl std::fmt::Display) -> Self {
        Self::Model { path: path.to_owned(), detail: detail.to_string() }
    }
}

impl From<candle_core::Error> for AsrError {
    fn from(e: candle_core::Error) -> Self {
        Self::Inference(e.to_string())
    }
}
