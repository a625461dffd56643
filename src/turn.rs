//! What one utterance gave: its transcript, intent, outcome and timings.

use crate::recognize::HeardBy;
use crate::understand::ReadBy;
use hush_actions::{Awaiting, Outcome};
use hush_nlu::Slot;
use serde::Serialize;
use std::time::Duration;

/// What happened with one utterance.
#[derive(Debug, Clone, Serialize)]
pub struct Turn {
    /// What was heard (or typed).
    pub transcript: String,
    /// The intent acted on or asked about; None when not understood.
    pub intent: Option<String>,
    /// Who understood this utterance: the templates or the learned model
    /// (None when neither understood it).
    pub source: Option<ReadBy>,
    /// Which decoding the transcript came from (None for typed text).
    pub heard_by: Option<HeardBy>,
    /// The language of the turn (ISO 639-1): what a multilingual Whisper
    /// heard or was told, else the language of the intent files that
    /// understood it; None when neither says.
    pub language: Option<String>,
    /// Its slots; sensitive values stay here but print as `<redacted>` in
    /// Debug and JSON.
    #[serde(serialize_with = "redacted")]
    pub slots: Vec<Slot>,
    /// The intent's confidence, 0..1 (0 when not understood).
    pub confidence: f32,
    /// A question for the user; the answer is the next turn.
    pub prompt: Option<String>,
    /// What that question waits for (None when nothing is asked).
    pub awaiting: Option<Awaiting>,
    /// How it ended; None while a question is pending.
    pub outcome: Option<Outcome>,
    /// Time spent in each stage.
    pub timings: TurnTimings,
}

fn redacted<S: serde::Serializer>(slots: &[Slot], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(slots.iter().map(|x| x.to_json(false)))
}

impl Turn {
    /// What to say to the user: the question, or the outcome.
    pub fn reply(&self) -> &str {
        self.prompt.as_deref().or(self.outcome.as_ref().map(|o| o.say.as_str())).unwrap_or("")
    }
}

/// Time spent in each stage of a turn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct TurnTimings {
    /// Decoding and resampling audio.
    #[serde(serialize_with = "millis")]
    pub audio: Duration,
    /// Speech recognition.
    #[serde(serialize_with = "millis")]
    pub asr: Duration,
    /// Parsing and the dialogue rules.
    #[serde(serialize_with = "millis")]
    pub nlu: Duration,
    /// Running the action.
    #[serde(serialize_with = "millis")]
    pub dispatch: Duration,
    /// From the call to the outcome; for a live turn, from when its
    /// recognition began (before the endpoint when it was read ahead), so
    /// never less than `asr`.
    #[serde(serialize_with = "millis")]
    pub total: Duration,
}

/// A duration as milliseconds, to the microsecond (turns' and live events' JSON).
pub(crate) fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1e6).round() / 1e3)
}
