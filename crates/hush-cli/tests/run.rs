//! `hush run`, `hush chat` and `hush ledger` end to end, and what they leave
//! on disk (needs the default model: `make models`).

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::hush_in;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The demo's session: a ride (asked about, as it is paid for: free
/// decoding hears "book me to ride", which the question says back), yes, a
/// bill, yes, the weather.
const CLIPS: [&str; 5] =
    ["examples/audio/book_ride.wav", "examples/audio/confirm.wav", "examples/audio/pay_bill.wav", "examples/audio/confirm.wav", "examples/audio/weather.wav"];

#[test]
fn spoken_session_books_pays_after_yes_and_declines_the_weather() {
    let home = tempfile::tempdir().unwrap();
    let mut args = vec!["run", "--json"];
    args.extend(CLIPS);
    let (ok, stdout, stderr) = hush_in(home.path(), &args, "");
    assert!(ok, "{stderr}");
    let turns: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(turns.len(), 5, "{stdout}");
    assert_eq!(turns[0]["intent"], "order_ride");
    assert_eq!(turns[0]["prompt"], "Book a standard ride to airport for about $27.80, pickup in about 7 minutes?", "{}", turns[0]);
    assert!(turns[0]["outcome"].is_null());
    assert_eq!((&turns[1]["intent"], &turns[1]["outcome"]["status"]), (&"order_ride".into(), &"done".into()), "{}", turns[1]);
    assert_eq!(turns[2]["intent"], "pay_bill");
    assert_eq!(turns[2]["prompt"], "Pay $42.00 for your electricity bill?");
    assert_eq!(turns[2]["awaiting"], serde_json::json!({"confirm": "pay_bill"}), "{}", turns[2]);
    assert!(turns[2]["outcome"].is_null());
    assert_eq!(turns[3]["outcome"]["status"], "done", "{}", turns[3]);
    assert_eq!(turns[4]["outcome"]["status"], "not_understood");
    for t in &turns {
        assert!(t["timings"]["asr"].as_f64().unwrap() > 0.0);
    }
    // The amount is redacted in the turn's slots.
    assert_eq!(turns[2]["slots"][1]["value"], "<redacted>");

    // The ledger holds the ride and the one payment.
    let (ok, stdout, _) = hush_in(home.path(), &["ledger", "--json"], "");
    assert!(ok);
    let l: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(l["payments"].as_array().unwrap().len(), 1);
    assert_eq!(l["payments"][0]["amount_minor"], 4200);
    assert_eq!(l["rides"][0]["destination"], "airport");

    // Only the ledger and the audit log were written: no audio, no
    // transcript anywhere.
    let written = files_under(home.path());
    let names: Vec<String> = written.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["audit.jsonl", "ledger.sqlite"], "{written:?}");
    let audit = std::fs::read_to_string(written.iter().find(|p| p.ends_with("audit.jsonl")).unwrap()).unwrap();
    assert_eq!(audit.lines().count(), 5);
    // Timestamps aside (one may well contain "42").
    let audit: Vec<serde_json::Value> = audit
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            v.as_object_mut().unwrap().remove("time");
            v
        })
        .collect();
    let audit = serde_json::to_string(&audit).unwrap();
    for said in ["Book me", "weather", "Paris", "42"] {
        assert!(!audit.contains(said), "the audit log holds {said:?}: {audit}");
    }
    for f in &written {
        let bytes = std::fs::read(f).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("weather like"), "{} holds a transcript", f.display());
        assert!(!bytes.starts_with(b"RIFF"), "{} is audio", f.display());
    }
}

/// `--no-check`: the misheard ride is acted on at once, as an app that
/// turned the check off would; with the check, "Did you say ...?". (The
/// built-in ride asks its own question either way, so the app's intents
/// here book one without asking.)
#[test]
fn no_check_acts_on_doubtful_speech_at_once() {
    let home = tempfile::tempdir().unwrap();
    let intents = home.path().join("intents");
    std::fs::create_dir(&intents).unwrap();
    for file in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../intents")).unwrap().map(|f| f.unwrap().path()) {
        if file.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&file).unwrap();
            let unasked = |text: &str| text.lines().filter(|l| !l.starts_with("    confirm")).map(|l| format!("{l}\n")).collect::<String>();
            let text = if file.ends_with("ride.yaml") { unasked(&text) } else { text };
            std::fs::write(intents.join(file.file_name().unwrap()), text).unwrap();
        }
    }
    let dir = intents.to_str().unwrap();
    for (check, status, asked) in [(true, serde_json::Value::Null, true), (false, "dry_run".into(), false)] {
        let mut args = vec!["run", "--json", "--dry-run", "--intents", dir, CLIPS[0]];
        if !check {
            args.push("--no-check");
        }
        let (ok, stdout, stderr) = hush_in(home.path(), &args, "");
        assert!(ok, "{stderr}");
        let turn: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
        assert_eq!((&turn["intent"], &turn["outcome"]["status"]), (&"order_ride".into(), &status), "{turn}");
        assert_eq!(turn["prompt"].as_str().is_some_and(|p| p.starts_with("Did you say")), asked, "{turn}");
    }
}

#[test]
fn keep_flags_write_audio_and_transcripts_only_when_asked() {
    let home = tempfile::tempdir().unwrap();
    let kept = home.path().join("kept");
    let transcripts = home.path().join("transcripts.jsonl");
    let (ok, _, stderr) =
        hush_in(home.path(), &["run", "--dry-run", "--keep-audio", kept.to_str().unwrap(), "--keep-transcripts", transcripts.to_str().unwrap(), CLIPS[4]], "");
    assert!(ok, "{stderr}");
    let wavs = files_under(&kept);
    assert_eq!(wavs.len(), 1);
    let (audio, info) = hush_audio::read_wav(&wavs[0], &Default::default()).unwrap();
    assert_eq!(info.sample_rate, 16_000);
    assert!(audio.duration().as_secs_f32() > 1.0);
    assert!(std::fs::read_to_string(&transcripts).unwrap().to_lowercase().contains("weather"));
    // --dry-run touched no ledger and wrote no audit log.
    assert!(!home.path().join(".local").exists());
}

#[test]
fn text_turns_dry_run_and_a_chat_with_a_follow_up_question() {
    let home = tempfile::tempdir().unwrap();
    let (ok, stdout, _) = hush_in(home.path(), &["run", "--dry-run", "--text", "send twenty dollars to mom", "--text", "yes"], "");
    assert!(ok);
    assert!(stdout.contains("hush ?   Send $20.00 to mom?"), "{stdout}");
    assert!(stdout.contains("outcome  dry_run"), "{stdout}");

    let chat = "book me a taxi\nthe station\nyes\nis my ride coming\ncancel my ride\n\n";
    let (ok, stdout, stderr) = hush_in(home.path(), &["chat", "--text-only"], chat);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("hush ?   Where to?"), "{stdout}");
    assert!(stdout.contains("Booked a standard ride to station"), "{stdout}");
    assert!(stdout.contains("Looking for a driver"), "{stdout}");
    assert!(stdout.contains("Cancelled your ride to station."), "{stdout}");
    let (_, ledger, _) = hush_in(home.path(), &["ledger", "rides"], "");
    assert!(ledger.contains("cancelled"), "{ledger}");
}

#[test]
fn ledger_refusals_and_reset() {
    let home = tempfile::tempdir().unwrap();
    let (ok, stdout, _) = hush_in(home.path(), &["run", "--text", "pay my tv bill", "--text", "yes", "--text", "pay my rent", "--text", "yes"], "");
    assert!(ok);
    assert!(stdout.contains("I don't have a tv bill on file"), "{stdout}");
    assert!(stdout.contains("not enough for $1,500.00"), "{stdout}");
    let (ok, stdout, _) = hush_in(home.path(), &["run", "--text", "pay my water bill", "--text", "yes"], "");
    assert!(ok && stdout.contains("Paid $18.75"), "{stdout}");
    let (_, stdout, _) = hush_in(home.path(), &["ledger", "accounts"], "");
    assert!(stdout.contains("$1,231.25"), "{stdout}");
    let (ok, _, _) = hush_in(home.path(), &["ledger", "reset"], "");
    assert!(ok);
    let (_, stdout, _) = hush_in(home.path(), &["ledger", "accounts"], "");
    assert!(stdout.contains("$1,250.00"), "{stdout}");
    // A mistyped path is an error, not a new seeded ledger shown as the user's.
    let typo = home.path().join("ledgr.sqlite");
    let (ok, _, stderr) = hush_in(home.path(), &["ledger", "--ledger", typo.to_str().unwrap()], "");
    assert!(!ok && stderr.contains("no ledger at"), "{stderr}");
    assert!(!typo.exists());
}

#[test]
fn bad_inputs_are_reported_and_the_session_goes_on() {
    let home = tempfile::tempdir().unwrap();
    let (ok, stdout, stderr) = hush_in(home.path(), &["run", "--dry-run", "Cargo.toml", CLIPS[0]], "");
    assert!(!ok);
    assert!(stderr.contains("Cargo.toml: not a WAV file"), "{stderr}");
    assert!(stdout.contains("order_ride"), "{stdout}");
    let (ok, _, stderr) = hush_in(home.path(), &["run"], "");
    assert!(!ok && stderr.contains("give WAV files"), "{stderr}");
    let (ok, _, stderr) = hush_in(home.path(), &["run", "--intents", "no/such/dir", "--text", "hi"], "");
    assert!(!ok && stderr.contains("cannot read intents directory"), "{stderr}");
}

#[test]
fn the_embedding_example_runs() {
    // `cargo test` builds the examples next to the test binaries.
    let exe = std::env::current_exe().unwrap();
    let example = exe.parent().unwrap().parent().unwrap().join("examples/embed");
    if !example.exists() {
        let ok = Command::new(env!("CARGO")).args(["build", "--release", "--example", "embed"]).current_dir(ROOT).status().unwrap().success();
        assert!(ok);
    }
    let out = Command::new(&example).output().expect("example runs");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "\"call mom on her mobile\" -> call_contact: Calling mom.");
}

#[test]
fn bench_turn_times_every_stage() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("turn.json");
    // The demo commands as a manifest (the dev set's format).
    let manifest = home.path().join("manifest.jsonl");
    let rows: Vec<String> = [
        ("book_ride", "Book me a ride to the airport."),
        ("pay_bill", "Pay my electricity bill of forty two dollars."),
        ("navigate_home", "Navigate home."),
        ("grades", "What did I get in maths?"),
        ("weather", "What's the weather like in Paris tomorrow?"),
    ]
    .iter()
    .map(|(f, t)| {
        let audio = format!("{ROOT}/examples/audio/{f}.wav");
        let r = hound::WavReader::open(&audio).unwrap();
        let seconds = r.duration() as f64 / r.spec().sample_rate as f64;
        serde_json::json!({"audio": audio, "text": t, "duration_s": seconds}).to_string()
    })
    .collect();
    std::fs::write(&manifest, rows.join("\n")).unwrap();
    let (ok, stdout, stderr) =
        hush_in(home.path(), &["bench", "turn", "--manifest", manifest.to_str().unwrap(), "--limit", "4", "--json", out.to_str().unwrap()], "");
    assert!(ok, "{stderr}");
    assert!(stdout.contains("4 clean clips"), "{stdout}");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["turns"].as_array().unwrap().len(), 4);
    assert!(v["summary"]["asr_ms_p50"].as_f64().unwrap() > 0.0);
    assert!(v["summary"]["added_p50"].as_f64().unwrap() > 0.0);
}

/// The demo's five clips in one recording, with noisy pauses between them,
/// replayed through `hush listen`: five utterances, in order, each a turn.
#[test]
fn listen_cuts_a_recording_into_turns() {
    let home = tempfile::tempdir().unwrap();
    let mut state = 7u32;
    let mut noise = |n: usize| -> Vec<f32> {
        (0..n)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                ((state >> 8) as f32 / (1 << 24) as f32 - 0.5) * 0.006
            })
            .collect()
    };
    let mut session = noise(8000);
    for clip in CLIPS {
        let (audio, _) = hush_audio::read_wav(Path::new(ROOT).join(clip), &Default::default()).unwrap();
        session.extend(audio.samples().iter().zip(noise(audio.samples().len())).map(|(s, n)| s + n));
        session.extend(noise(16_000));
    }
    let wav = home.path().join("session.wav");
    let spec = hound::WavSpec { channels: 1, sample_rate: 16_000, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut w = hound::WavWriter::create(&wav, spec).unwrap();
    for s in &session {
        w.write_sample((s.clamp(-1.0, 1.0) * 32767.0) as i16).unwrap();
    }
    w.finalize().unwrap();

    let (ok, stdout, stderr) = hush_in(home.path(), &["listen", "--continuous", "--input", wav.to_str().unwrap(), "--json", "--no-audit"], "");
    assert!(ok, "{stderr}");
    let events: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let turns: Vec<&serde_json::Value> = events.iter().filter(|e| e["type"] == "turn").collect();
    assert_eq!(turns.len(), events.len(), "nothing but turns: {stdout}");
    assert_eq!(turns.len(), 5, "{stdout}");
    assert_eq!(turns[0]["intent"], "order_ride");
    assert_eq!(turns[0]["awaiting"], serde_json::json!({"confirm": "order_ride"}), "{}", turns[0]);
    assert!(turns[0]["live"]["latency"]["to_dispatch"].as_f64().is_some(), "{}", turns[0]);
    assert_eq!(turns[1]["outcome"]["status"], "done", "{}", turns[1]);
    assert_eq!(turns[2]["prompt"], "Pay $42.00 for your electricity bill?");
    assert_eq!(turns[2]["awaiting"], serde_json::json!({"confirm": "pay_bill"}), "{}", turns[2]);
    assert_eq!(turns[3]["outcome"]["status"], "done", "{}", turns[3]);
    assert_eq!(turns[4]["outcome"]["status"], "not_understood");
    assert!(turns[0]["input"].as_str().unwrap().starts_with("utterance 1: speech 0.5"), "{}", turns[0]["input"]);

    // For people: what was heard, with no --keep-audio (it was printed only
    // when the audio was kept); a typed turn times no audio stage.
    let (ok, stdout, stderr) = hush_in(home.path(), &["listen", "--continuous", "--input", wav.to_str().unwrap(), "--no-audit", "--dry-run"], "");
    assert!(ok, "{stderr}");
    assert_eq!(stdout.matches("  heard    \"").count(), 5, "{stdout}");
    assert!(stdout.contains("timings  audio "), "{stdout}");
    let (_, stdout, _) = hush_in(home.path(), &["run", "--dry-run", "--text", "navigate home"], "");
    assert!(stdout.contains("timings  nlu ") && !stdout.contains("asr"), "{stdout}");

    let (ok, _, stderr) = hush_in(home.path(), &["listen", "--input", "no-such.wav"], "");
    assert!(!ok && stderr.contains("no-such.wav"), "{stderr}");
}

/// `hush devices` lists what the host has (CI: nothing, or ALSA's null
/// device) and an unknown microphone is a clear error; neither panics.
#[test]
fn devices_are_listed_and_an_unknown_one_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let (ok, stdout, stderr) = hush_in(home.path(), &["devices"], "");
    assert!(!stderr.contains("panicked"), "{stderr}");
    if !cfg!(feature = "microphone") {
        assert!(!ok && stderr.contains("built without the microphone"), "{stderr}");
    } else if ok {
        assert!(!stdout.trim().is_empty());
    } else {
        assert!(stderr.contains("device"), "{stderr}");
    }
    let (ok, _, stderr) = hush_in(home.path(), &["listen", "--device", "no such mic", "--no-audit"], "");
    let says = if cfg!(feature = "microphone") { "no input device named \"no such mic\"" } else { "built without the microphone" };
    assert!(!ok && stderr.contains(says), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
