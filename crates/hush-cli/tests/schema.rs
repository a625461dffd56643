//! Every command's `--json` follows the one schema (docs/turn.schema.json):
//! run, chat, listen, understand and parse, turns, events and errors alike.
//! Needs the default model (`make models`).

mod common;
#[path = "../../../tests/support/schema.rs"]
mod schema;
use common::hush_in;

/// Runs `hush args` with `stdin` and a private HOME; every stdout line,
/// each checked against the schema.
fn lines(args: &[&str], stdin: &str) -> Vec<serde_json::Value> {
    let home = tempfile::tempdir().unwrap();
    let (_, stdout, stderr) = hush_in(home.path(), args, stdin);
    assert!(!stdout.trim().is_empty(), "{args:?} printed nothing: {stderr}");
    stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {l}"));
            schema::assert_schema(&v);
            v
        })
        .collect()
}

fn kinds(lines: &[serde_json::Value]) -> Vec<&str> {
    lines.iter().map(|l| l["type"].as_str().unwrap()).collect()
}

#[test]
fn run_writes_turns_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.wav");
    std::fs::write(&junk, b"RIFF\x10\0\0\0WAVEjunk").unwrap();
    let ledger = dir.path().join("ledger.sqlite");
    let out = lines(
        &[
            "run",
            "--json",
            "--no-audit",
            "--ledger",
            ledger.to_str().unwrap(),
            "examples/audio/pay_bill.wav",
            junk.to_str().unwrap(),
            "examples/audio/confirm.wav",
            "--text",
            "book me a ride",
        ],
        "",
    );
    assert_eq!(kinds(&out), ["turn", "error", "turn", "turn"]);
    assert_eq!(out[0]["awaiting"], serde_json::json!({"confirm": "pay_bill"}));
    assert_eq!(out[0]["slots"].as_array().unwrap().iter().find(|s| s["name"] == "amount").unwrap()["value"], "<redacted>");
    assert_eq!(out[2]["outcome"]["status"], "done");
    assert_eq!(out[3]["awaiting"], serde_json::json!({"slot": "destination"}), "{}", out[3]);
    assert!(out[3]["heard_by"].is_null());
}

#[test]
fn chat_writes_turns_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.sqlite");
    let out =
        lines(&["chat", "--json", "--text-only", "--no-audit", "--ledger", ledger.to_str().unwrap()], "book me a ride\nto the airport\nyes\nno/such.wav\n");
    assert_eq!(kinds(&out), ["turn", "turn", "turn", "error"]);
    assert_eq!(out[0]["awaiting"]["slot"], "destination");
    assert_eq!(out[1]["awaiting"]["confirm"], "order_ride", "{}", out[1]);
    assert!(out[2]["awaiting"].is_null() && out[2]["outcome"]["status"] == "done", "{}", out[2]);
}

#[test]
fn listen_writes_turns_and_events() {
    // Without the wake phrase the command is ignored (an event); with
    // --continuous it is a turn, with its live timings.
    let ignored = lines(&["listen", "--json", "--no-audit", "--dry-run", "--input", "examples/audio/navigate_home.wav"], "");
    assert_eq!(kinds(&ignored), ["event"]);
    assert_eq!(ignored[0]["event"], "ignored");
    let heard = lines(&["listen", "--json", "--no-audit", "--dry-run", "--continuous", "--input", "examples/audio/navigate_home.wav"], "");
    assert_eq!(kinds(&heard), ["turn"]);
    assert_eq!(heard[0]["intent"], "navigate_to");
    assert!(heard[0]["live"]["speech"]["end"].as_f64().unwrap() > 0.5, "{}", heard[0]);
}

#[test]
fn understand_and_parse_write_turns_not_acted_on() {
    let out = lines(&["understand", "--json", "examples/audio/grades.wav", "no/such.wav"], "");
    assert_eq!(kinds(&out), ["turn", "error"]);
    assert_eq!(out[0]["intent"], "check_grades");
    assert!(out[0]["outcome"].is_null() && out[0]["timings"]["asr"].as_f64().unwrap() > 0.0, "{}", out[0]);
    let out = lines(&["parse", "--json", "--nbest", "2", "book me a ride", "what is the capital of mongolia"], "");
    assert_eq!(kinds(&out), ["turn", "turn"]);
    assert_eq!(out[0]["intent"], "order_ride");
    assert_eq!(out[0]["parses"][0]["missing"], serde_json::json!(["destination"]));
    assert!(out[1]["intent"].is_null() && out[1]["confidence"] == 0.0, "{}", out[1]);
}
