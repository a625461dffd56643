//! `hush train` and `hush bench nlu --model` on a tiny fixture (needs the
//! encoder: `make models-minilm`).

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../hush-learn/tests/fixtures/tiny.jsonl");

mod common;
use common::hush;

#[test]
fn train_then_score() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("model");
    let out_s = out.to_str().unwrap();
    let (ok, stdout, stderr) =
        hush(&["train", "--data", FIXTURE, "--format", "snips", "--out", out_s, "--epochs", "10", "--batch", "4", "--val", "0", "--lr", "2e-3"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("12 sentences: 12 to train, 0 to validate; 3 intents, 5 slot tags"), "{stdout}");
    // Adapters and heads only: the encoder stays shared in the model cache.
    let mut files: Vec<String> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files, ["adapters.safetensors", "heads.safetensors", "model.json", "report.json"]);
    let bytes: u64 = files.iter().map(|f| out.join(f).metadata().unwrap().len()).sum();
    assert!(bytes < 5 << 20, "{bytes} bytes");
    let (ok, stdout, stderr) = hush(&["bench", "nlu", "--learned", out_s, "--data", FIXTURE, "--format", "snips"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("intent accuracy    100.00 %"), "{stdout}");
    assert!(stdout.contains("exact frame        100.00 %"), "{stdout}");
    // The part `hush train --val 0.25` would have held out: one of each
    // intent's four sentences.
    let (ok, stdout, stderr) = hush(&["bench", "nlu", "--learned", out_s, "--data", FIXTURE, "--format", "snips", "--val-split", "0.25"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains(": 3 sentences"), "{stdout}");
    let (ok, _, stderr) = hush(&["bench", "nlu", "--learned", out_s, "--data", FIXTURE, "--format", "snips", "--val-split", "1"]);
    assert!(!ok && stderr.contains("less than 1"), "{stderr}");
}

#[test]
fn bad_training_data_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"text\": \"hi\", \"intent\": \"greet\"}\n{\"text\": \"hi\", \"intent\": \"x\", \"slots\": [{\"slot\": \"a\", \"start_char\": 0, \"end_char\": 7}]}\n").unwrap();
    let (ok, _, stderr) = hush(&["train", "--data", bad.to_str().unwrap(), "--format", "snips", "--out", dir.path().join("m").to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("bad.jsonl:2:") && stderr.contains("outside the 2-character text"), "{stderr}");
    std::fs::write(&bad, "").unwrap();
    let (ok, _, stderr) = hush(&["train", "--data", bad.to_str().unwrap(), "--out", dir.path().join("m").to_str().unwrap()]);
    assert!(!ok && stderr.contains("no examples"), "{stderr}");
}

#[test]
fn an_intents_folder_alone_is_enough_to_train() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("model");
    let intents = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/intents");
    let (ok, stdout, stderr) =
        hush(&["train", "--intents", intents, "--per-template", "6", "--out", out.to_str().unwrap(), "--epochs", "6", "--batch", "4", "--val", "0"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("2 intents"), "{stdout}");
    let meta: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("model.json")).unwrap()).unwrap();
    assert_eq!(meta["encoder"], "minilm");
    let labels = &meta["labels"];
    assert_eq!(labels["intents"], serde_json::json!(["brew_status", "order_coffee"]));
    assert!(labels["tags"].as_array().unwrap().iter().any(|t| t == "B-drink"), "{labels}");
    let (ok, _, stderr) = hush(&["train", "--out", out.to_str().unwrap()]);
    assert!(!ok && stderr.contains("--data"), "{stderr}");

    // hush parse --learned says which reader answered.
    let parse = |text: &str, extra: &[&str]| {
        let mut args = vec!["parse", "--intents", intents, "--learned", out.to_str().unwrap(), "--json"];
        args.extend_from_slice(extra);
        args.push(text);
        let (_, stdout, stderr) = hush(&args);
        // Exit status 1 when not understood; the JSON says so too.
        serde_json::from_str::<serde_json::Value>(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"))
    };
    let v = parse("is my coffee ready", &[]);
    assert_eq!((&v["source"], &v["parses"][0]["intent"]), (&serde_json::json!("template"), &serde_json::json!("brew_status")), "{v}");
    let v = parse("wibble wobble", &["--learned-threshold", "1"]);
    assert_eq!((&v["intent"], &v["source"]), (&serde_json::Value::Null, &serde_json::Value::Null), "{v}");
    let (ok, _, stderr) = hush(&["parse", "--learned", dir.path().to_str().unwrap(), "hello"]);
    assert!(!ok && stderr.contains("model.json"), "{stderr}");
}

/// A threshold outside 0..1 is refused by every command that takes one,
/// before anything is loaded or read.
#[test]
fn a_threshold_outside_zero_to_one_is_refused() {
    for args in [
        &["parse", "--learned-threshold", "7", "hello"][..],
        &["bench", "nlu", "--data", "no-such.jsonl", "--learned-threshold=-0.1"],
        &["bench", "matrix", "--manifest", "no-such.jsonl", "--learned-threshold", "1.5"],
    ] {
        let (ok, _, stderr) = hush(args);
        assert!(!ok && stderr.contains("--learned-threshold") && stderr.contains("within 0..1"), "{args:?}: {stderr}");
    }
}
