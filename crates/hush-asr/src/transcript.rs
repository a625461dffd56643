//! What was said, why decoding stopped and what it cost.

use std::time::Duration;

/// Why decoding of a window stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    EndOfText,
    TokenCap,
    Repetition,
    NoSpeech,
}

/// Time spent per stage of one transcription.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Timings {
    #[serde(serialize_with = "ms")]
    pub mel: Duration,
    #[serde(serialize_with = "ms")]
    pub encode: Duration,
    #[serde(serialize_with = "ms")]
    pub decode: Duration,
    /// Decoder passes (a beam's hypotheses step together in one).
    pub decode_steps: usize,
    /// Hypotheses stepped, summed over the passes: the work a wider beam
    /// adds, which its wall time shows only on a quiet machine.
    pub decode_rows: usize,
}

impl Timings {
    /// Adds another decoding's cost of the same audio (its encoding was
    /// shared, so mel and encode stay).
    pub fn add_decoding(&mut self, other: &Timings) {
        self.decode += other.decode;
        self.decode_steps += other.decode_steps;
        self.decode_rows += other.decode_rows;
    }
}

fn ms<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64() * 1e3)
}

/// What was said.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Transcript {
    pub text: String,
    pub language: Option<String>,
    pub tokens: Vec<u32>,
    /// Mean log-probability of the text tokens.
    pub avg_logprob: f32,
    /// Whisper's probability that the (first) window holds no speech.
    pub no_speech_prob: f32,
    /// Why the last window stopped.
    pub stop: Stop,
    pub encoder_frames: usize,
    pub timings: Timings,
}

/// What `Recognizer::decode_text` found.
pub(crate) struct Decoded<S> {
    pub(crate) tokens: Vec<u32>,
    pub(crate) logprob: f32,
    pub(crate) ending: f32,
    pub(crate) stop: Stop,
    pub(crate) regret: f32,
    /// `None` when no hypothesis finished (guided decoding only).
    pub(crate) guide: Option<S>,
}
