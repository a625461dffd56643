//! The `hush` binary end to end, on the bundled demo clips (needs the
//! default model in the cache: `make models`).

use std::process::Command;

mod common;
use common::hush;

#[test]
fn transcribes_good_files_and_reports_bad_ones() {
    let (ok, stdout, stderr) = hush(&["transcribe", "examples/audio/navigate_home.wav", "Cargo.toml", "examples/audio/book_ride.wav"]);
    assert!(!ok, "a bad file makes the exit status non-zero");
    assert!(stderr.contains("Cargo.toml: not a WAV file"), "{stderr}");
    assert!(stdout.to_lowercase().contains("navigate home"), "{stdout}");
    assert!(stdout.to_lowercase().contains("to the airport"), "the file after the bad one is still transcribed: {stdout}");
    for stage in ["load", "mel", "encode", "decode"] {
        assert!(stderr.contains(stage), "timing of {stage} missing: {stderr}");
    }
}

#[test]
fn json_output_has_text_and_timings() {
    let (ok, stdout, _) = hush(&["transcribe", "--json", "examples/audio/pay_bill.wav"]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON object");
    assert!(v["text"].as_str().unwrap().to_lowercase().contains("electricity bill"), "{v}");
    assert!(v["timings_ms"]["encode"].as_f64().unwrap() > 0.0);
    assert_eq!(v["model"], "tiny.en-q8_0");
}

#[test]
fn clear_errors_for_unknown_models_and_limits() {
    let (ok, _, stderr) = hush(&["transcribe", "--model", "tiny.en-q6_k", "examples/audio/pay_bill.wav"]);
    assert!(!ok && stderr.contains("hush models quantize tiny.en --type q6_k"), "{stderr}");
    let (ok, _, stderr) = hush(&["models", "fetch", "huge"]);
    assert!(!ok && stderr.contains("unknown model 'huge'"), "{stderr}");
    let (ok, _, stderr) = hush(&["transcribe", "--max-seconds", "1", "examples/audio/pay_bill.wav"]);
    assert!(!ok && stderr.contains("over the 1.0 s limit"), "{stderr}");
    let (ok, stdout, _) = hush(&["models", "list"]);
    assert!(ok && stdout.contains("tiny.en-q8_0"), "{stdout}");
}

#[test]
fn understands_the_demo_clips() {
    let (ok, stdout, stderr) = hush(&["understand", "--json", "examples/audio/pay_bill.wav", "examples/audio/grades.wav"]);
    assert!(ok, "{stderr}");
    let rows: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).expect("JSON per file")).collect();
    assert_eq!(rows[0]["parses"][0]["intent"], "pay_bill", "{stdout}");
    assert_eq!(rows[0]["parses"][0]["confirm"], true);
    let amount = rows[0]["parses"][0]["slots"].as_array().unwrap().iter().find(|s| s["name"] == "amount").expect("amount slot").clone();
    assert_eq!(amount["value"], "<redacted>", "sensitive values are hidden by default");
    assert_eq!(rows[1]["parses"][0]["intent"], "check_grades", "{stdout}");
}

#[test]
fn parse_text_json_and_not_understood() {
    let (ok, stdout, _) = hush(&["parse", "--json", "--show-sensitive", "Pay my PLN bill of Rp 50.000"]);
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!((&v["type"], &v["intent"]), (&serde_json::json!("turn"), &serde_json::json!("pay_bill")), "{v}");
    let slots = v["parses"][0]["slots"].as_array().unwrap();
    let amount = slots.iter().find(|s| s["name"] == "amount").unwrap();
    assert_eq!(amount["value"]["money"], serde_json::json!({"minor": 5_000_000, "exponent": 2, "currency": "IDR"}), "{v}");
    // Not understood is exit status 1, as grep's no match; errors are 2.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hush")).args(["parse", "what is the capital of mongolia"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("not understood"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hush")).args(["parse", "--intents", "/no/such/dir", "hi"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    // Each argument is its own sentence.
    let (ok, stdout, _) = hush(&["parse", "--json", "call mom", "navigate home"]);
    assert!(ok);
    let intents: Vec<String> = stdout.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["parses"][0]["intent"].to_string()).collect();
    assert_eq!(intents, ["\"call_contact\"", "\"navigate_to\""], "{stdout}");
    let (ok, stdout, _) = hush(&["parse", "--nbest", "3", "cancel my ride"]);
    assert!(ok && stdout.starts_with("1. cancel_ride") && stdout.contains("\n2. "), "{stdout}");
    // The built-in domains in another language, from any directory.
    for (code, said) in [("id", "bayar tagihan listrik"), ("zh", "付电费五十块")] {
        let (ok, stdout, _) = hush(&["parse", "--json", "--domains", code, said]);
        let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
        assert!(ok && v["intent"] == "pay_bill" && v["language"] == code, "{code}: {v}");
    }
    let (ok, _, stderr) = hush(&["parse", "--domains", "fr", "payer"]);
    assert!(!ok && stderr.contains("en, id, zh"), "{stderr}");
}

#[test]
fn intents_check_sample_and_import() {
    let (ok, stdout, _) = hush(&["intents", "check", "intents"]);
    assert!(ok && stdout.contains("24 intents"), "{stdout}");
    let dir = std::env::temp_dir().join(format!("hush-cli-intents-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bad.yaml"), "intents:\n  go:\n    templates:\n      - \"(go|drive home\"\n").unwrap();
    let (ok, _, stderr) = hush(&["intents", "check", dir.to_str().unwrap()]);
    assert!(!ok && stderr.contains("bad.yaml:4:") && stderr.contains("missing ')'"), "{stderr}");
    let (ok, stdout, _) = hush(&["intents", "sample", "--intent", "pay_bill", "--json"]);
    assert!(ok);
    assert!(stdout.lines().count() >= 20 && stdout.lines().all(|l| l.contains("\"intent\":\"pay_bill\"")), "{stdout}");
    let out = dir.join("coffee.yaml");
    let (ok, _, stderr) = hush(&["intents", "import", "--rhino", "crates/hush-nlu/tests/fixtures/rhino_coffee.yaml", "-o", out.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    std::fs::remove_file(dir.join("bad.yaml")).unwrap();
    let (ok, stdout, _) = hush(&["parse", "--intents", dir.to_str().unwrap(), "I'd like a large latte"]);
    assert!(ok && stdout.starts_with("orderBeverage") && stdout.contains("size = large"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bench_nlu_reports_the_metrics() {
    // SLURP's format (written here, not taken from SLURP): two scenarios
    // the built-in domains cover, two they do not.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("slurp.jsonl");
    let rows = [
        r#"{"text": "get me a taxi to the station", "intent": "transport_taxi", "scenario": "transport"}"#,
        r#"{"text": "order a pizza from luigis", "intent": "takeaway_order", "scenario": "takeaway"}"#,
        r#"{"text": "turn the volume up", "intent": "audio_volume_up", "scenario": "audio"}"#,
        r#"{"text": "will it rain tomorrow", "intent": "weather_query", "scenario": "weather"}"#,
        r#"{"text": "tell me a joke", "intent": "general_joke", "scenario": "general"}"#,
    ];
    std::fs::write(&data, rows.join("\n")).unwrap();
    let (ok, stdout, stderr) = hush(&["bench", "nlu", "--data", data.to_str().unwrap(), "--format", "slurp"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("5 "), "five sentences read: {stdout}");
    for metric in ["precision", "recall", "out-of-domain rejected", "latency p50", "calibration error"] {
        assert!(stdout.contains(metric), "{metric} missing: {stdout}");
    }
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_hush"))
        .args(["intents", "sample", "--per-template", "20"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("hush runs");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(!first.is_empty());
    // The reader is gone (like `| head -1`): hush stops without a panic.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Biased decoding primes Whisper with the built-in domains' words; what
/// it writes is still only what was said, never the prompt.
#[test]
fn biased_decoding_transcribes_only_the_audio() {
    let (ok, stdout, stderr) = hush(&["transcribe", "--json", "--decode", "biased", "examples/audio/pay_bill.wav", "examples/audio/navigate_home.wav"]);
    assert!(ok, "{stderr}");
    let texts: Vec<String> = stdout.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["text"].as_str().unwrap().to_lowercase()).collect();
    assert!(texts[0].contains("electricity bill") && texts[0].split_whitespace().count() <= 10, "{texts:?}");
    assert!(texts[1].contains("navigate home") && texts[1].split_whitespace().count() <= 4, "{texts:?}");
    let (ok, _, stderr) = hush(&["transcribe", "--decode", "biased", "--prompt", "hello", "examples/audio/pay_bill.wav"]);
    assert!(!ok && stderr.contains("cannot be used with"), "{stderr}");
}

/// Constrained decoding writes a sentence of the templates and names its
/// intent; auto leaves speech the templates do not cover as free text.
#[test]
fn constrained_and_auto_decoding_from_the_command_line() {
    let (ok, stdout, stderr) = hush(&["transcribe", "--json", "--decode", "constrained", "examples/audio/navigate_home.wav", "examples/audio/pay_bill.wav"]);
    assert!(ok, "{stderr}");
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!((lines[0]["heard_by"].as_str(), lines[0]["intent"].as_str()), (Some("grammar"), Some("navigate_to")), "{stdout}");
    assert_eq!((lines[1]["heard_by"].as_str(), lines[1]["intent"].as_str()), (Some("grammar"), Some("pay_bill")), "{stdout}");
    assert!(lines[1]["grammar_regret"].as_f64().is_some_and(|r| r >= 0.0));
    let (ok, stdout, stderr) = hush(&["transcribe", "--json", "--decode", "auto", "examples/audio/weather.wav"]);
    assert!(ok, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!((v["heard_by"].as_str(), v["intent"].as_str()), (Some("free"), None), "{v}");
    assert!(v["text"].as_str().unwrap().to_lowercase().contains("weather"), "{v}");
}
