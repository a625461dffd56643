//! The one versioned JSON form of what hush reports, a line per object
//! (`docs/turn.schema.json`). The CLI's `--json` (run, chat, listen,
//! understand, parse) and the C ABI's turn JSON all write it, so an app
//! reads one format: every object says what it is (`"type"`: `turn`,
//! `event` or `error`) and which version of the schema it follows
//! (`"schema"`). A turn carries what a pending question waits for
//! (`awaiting`), so nobody parses the spoken prompt, and its slots in one
//! form, sensitive values redacted.

use crate::listen::{Event, LiveTurn};
use crate::Turn;
use serde_json::{json, Value};

/// The schema version every object carries. It changes when a field is
/// removed or changes meaning; added optional fields keep it.
pub const SCHEMA: u32 = 1;

/// A turn: `{"type": "turn", "schema": 1, "transcript": …, "intent": …,
/// "slots": [{"name", "value", "raw", "sensitive"}], "awaiting": …,
/// "outcome": …, "timings": …}`.
pub fn turn(t: &Turn) -> Value {
    tagged("turn", serde_json::to_value(t).unwrap_or_default())
}

/// A turn heard live: a turn line with a `live` object (where the speech
/// was, the wake check's score, how long the user waited).
pub fn live_turn(t: &LiveTurn) -> Value {
    let mut v = turn(&t.turn);
    v["live"] = json!({"speech": t.speech, "wake_score": t.wake_score, "latency": t.latency});
    v
}

/// A live event: a turn is a [`live_turn`] line; anything else is
/// `{"type": "event", "event": "speech_started" | "barge_in" | "ignored" |
/// "woke" | "failed", …}`.
pub fn event(e: &Event) -> Value {
    match e {
        Event::Turn(t) => live_turn(t),
        other => tagged("event", serde_json::to_value(other).unwrap_or_default()),
    }
}

/// An error about one input: `{"type": "error", "schema": 1, "error": …}`.
pub fn error(message: impl std::fmt::Display) -> Value {
    json!({"type": "error", "schema": SCHEMA, "error": message.to_string()})
}

fn tagged(kind: &str, mut v: Value) -> Value {
    if let Some(map) = v.as_object_mut() {
        map.insert("type".into(), kind.into());
        map.insert("schema".into(), SCHEMA.into());
    }
    v
}
