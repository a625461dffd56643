//! Models users already have: tiny.en written out as a Hugging Face folder
//! and a whisper.cpp ggml file, and its CTranslate2 source folder, imported
//! back into a separate cache, transcribe the demo clips exactly as tiny.en
//! does; broken or foreign files are clear errors. Needs `make models`.

use std::path::Path;
use std::process::Command;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const CLIPS: [&str; 4] = ["examples/audio/book_ride.wav", "examples/audio/pay_bill.wav", "examples/audio/navigate_home.wav", "examples/audio/grades.wav"];

/// Runs hush with `cache` as its model cache (None: the user's).
fn hush(cache: Option<&Path>, args: &[&str]) -> (bool, String, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hush"));
    c.args(args).current_dir(ROOT);
    if let Some(dir) = cache {
        c.env("HUSH_CACHE", dir);
    }
    let out = c.output().expect("hush runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn transcripts(cache: Option<&Path>, model: &str) -> Vec<String> {
    let mut args = vec!["transcribe", "--json", "--model", model];
    args.extend(CLIPS);
    let (ok, stdout, stderr) = hush(cache, &args);
    assert!(ok, "{model}: {stderr}");
    stdout.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["text"].as_str().unwrap().to_owned()).collect()
}

fn user_cache() -> std::path::PathBuf {
    std::env::var_os("HUSH_CACHE").map(Into::into).unwrap_or_else(|| Path::new(&std::env::var_os("HOME").unwrap()).join(".cache/hush"))
}

#[test]
fn hf_ggml_and_ct2_round_trips_transcribe_as_tiny_en() {
    let tmp = tempfile::tempdir().unwrap();
    let (hf, ggml, cache) = (tmp.path().join("whisper-tiny.en"), tmp.path().join("ggml-tiny.en.bin"), tmp.path().join("cache"));
    let s = |p: &Path| p.to_str().unwrap().to_owned();
    for args in [vec!["models", "export", "tiny.en", "--hf", &s(&hf)], vec!["models", "export", "tiny.en", "--ggml", &s(&ggml)]] {
        let (ok, _, stderr) = hush(None, &args);
        assert!(ok, "{args:?}: {stderr}");
    }
    let ct2 = user_cache().join("sources/tiny.en");
    let imports = [
        vec!["models".to_owned(), "import".into(), "rt-hf".into(), "--from".into(), s(&hf)],
        vec!["models".into(), "import".into(), "rt-ggml".into(), "--from".into(), s(&ggml), "--vocabulary".into(), s(&hf)],
        vec!["models".into(), "import".into(), "rt-ct2".into(), "--from".into(), s(&ct2)],
    ];
    for args in &imports {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (ok, stdout, stderr) = hush(Some(&cache), &args);
        assert!(ok && stdout.contains("checked (167 tensors"), "{args:?}: {stdout}{stderr}");
    }
    let reference = transcripts(None, "tiny.en");
    assert!(reference[0].to_lowercase().contains("airport"), "{reference:?}");
    for model in ["rt-hf", "rt-ggml", "rt-ct2"] {
        assert_eq!(transcripts(Some(&cache), model), reference, "{model}");
    }
    // Each is quantised like a fetched model, and says where it came from.
    let (ok, _, stderr) = hush(Some(&cache), &["models", "quantize", "rt-ggml", "--type", "q8_0"]);
    assert!(ok, "{stderr}");
    let (_, list, _) = hush(Some(&cache), &["models", "list"]);
    assert!(list.contains("rt-ggml-q8_0") && list.contains(&format!("from imported from {} (whisper.cpp ggml file)", ggml.display())), "{list}");
    assert_eq!(list.matches("sha256 ").count(), 4, "{list}");

    // Without a tokenizer of its vocabulary, a ggml file is refused, saying why.
    let empty = tmp.path().join("empty-cache");
    let (ok, _, stderr) = hush(Some(&empty), &["models", "import", "--from", &s(&ggml)]);
    assert!(!ok && stderr.contains("holds no tokenizer.json") && stderr.contains("--vocabulary"), "{stderr}");
    // An existing name is not replaced without --force.
    let (ok, _, stderr) = hush(Some(&cache), &["models", "import", "rt-hf", "--from", &s(&hf)]);
    assert!(!ok && stderr.contains("--force"), "{stderr}");
}

#[test]
fn broken_and_foreign_models_are_refused_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let hf = tmp.path().join("hf");
    let (ok, _, stderr) = hush(None, &["models", "export", "tiny.en", "--hf", hf.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let import = |from: &Path| hush(Some(&cache), &["models", "import", "x", "--from", from.to_str().unwrap()]);

    // A config that does not fit the weights.
    let config_path = hf.join("config.json");
    let good = std::fs::read_to_string(&config_path).unwrap();
    let mut config: serde_json::Value = serde_json::from_str(&good).unwrap();
    config["decoder_layers"] = 5.into();
    std::fs::write(&config_path, config.to_string()).unwrap();
    let (ok, _, stderr) = import(&hf);
    assert!(!ok && stderr.contains("model.decoder.layers.4"), "{stderr}");
    config["decoder_layers"] = 4.into();
    config["model_type"] = "bert".into();
    std::fs::write(&config_path, config.to_string()).unwrap();
    let (ok, _, stderr) = import(&hf);
    assert!(!ok && stderr.contains("not whisper"), "{stderr}");
    std::fs::write(&config_path, good).unwrap();
    // A tokenizer of another model.
    std::fs::write(hf.join("tokenizer.json"), r#"{"model": {"vocab": {"a": 0, "b": 1}}, "added_tokens": []}"#).unwrap();
    let (ok, _, stderr) = import(&hf);
    assert!(!ok && stderr.contains("tokenizer.json has 2 tokens"), "{stderr}");
    assert!(!cache.join("models/x").exists(), "nothing is kept from a refused import");
    // Not a model at all.
    let junk = tmp.path().join("junk.bin");
    std::fs::write(&junk, b"not a model").unwrap();
    let (ok, _, stderr) = import(&junk);
    assert!(!ok && stderr.contains("no \"ggml\" magic"), "{stderr}");
}
