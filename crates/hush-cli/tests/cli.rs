//! The `hush` binary end to end, on the bundled demo clips (needs the
//! default model in the cache: `make models`).

use std::process::Command;

fn hush(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hush"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .expect("hush runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

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
