//! `hush models`: list, import (fetch and convert), quantise and verify
//! the models in the cache.

use std::time::Instant;

use anyhow::Result;
use hush_models::{Cache, Manifest};

use crate::ModelsCommand;

pub(crate) fn models(command: ModelsCommand) -> Result<()> {
    let manifest = Manifest::builtin();
    let cache = Cache::default();
    match command {
        ModelsCommand::Fetch { name, python } => {
            let spec = manifest.get(&name)?;
            let dir = hush_models::fetch(spec, &cache, &python, true)?;
            println!("{name}: verified files in {}", dir.display());
        }
        ModelsCommand::Import { name, python, force } => {
            let spec = manifest.get(&name)?;
            let src = hush_models::fetch(spec, &cache, &python, true)?;
            if !force && cache.resolve(&name).is_ok() {
                println!("{name}: already imported in {} (--force converts again)", cache.model_dir(&name).display());
                return Ok(());
            }
            let t = Instant::now();
            let report = hush_models::import(spec, &src, &cache.model_dir(&name), true)?;
            println!(
                "{name}: {} tensors, {:.1} M parameters → {} ({:.1} s)",
                report.tensors,
                report.parameters as f64 / 1e6,
                report.weights.display(),
                t.elapsed().as_secs_f64()
            );
        }
        ModelsCommand::Quantize { name, qtype, force } => {
            manifest.get(&name)?;
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
                println!("  {:<16} {:<12} {:>8.1} MB  {}", m.id, m.format, m.bytes as f64 / 1e6, m.path.display());
            }
        }
        ModelsCommand::Verify => {
            let mut bad = 0;
            for m in &manifest.models {
                for dir in [cache.source_dir(&m.name), cache.model_dir(&m.name)] {
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
            }
            if bad > 0 {
                anyhow::bail!("{bad} file(s) differ from what was recorded when they were made");
            }
        }
    }
    Ok(())
}
