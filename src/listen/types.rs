//! What a listener is told (its parameters) and what it tells (its events).

use crate::turn::millis;
use crate::Turn;
use hush_audio::{EchoParams, VadParams};
use serde::Serialize;
use std::time::Duration;

/// Which utterances are commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Every utterance.
    Continuous,
    /// Only those starting with the wake phrase (or following it closely).
    WakePhrase,
    /// Only audio heard while [`Listener::push_to_talk`](super::Listener::push_to_talk) is held.
    PushToTalk,
}

/// The wake phrase and how it is checked.
#[derive(Debug, Clone, PartialEq)]
pub struct WakeParams {
    /// The phrase, e.g. "hey hush" (lower case, as Whisper writes it).
    pub phrase: String,
    /// Scores at or above this wake hush (see [`wake_score`](super::wake_score)).
    pub threshold: f32,
    /// An utterance no longer than this that passes the check is the phrase
    /// alone: the command is the next utterance.
    pub phrase_alone: Duration,
    /// How long after the phrase alone the next utterance may start.
    pub follow_up: Duration,
    /// The wake-phrase model's probability an utterance needs before
    /// Whisper checks it (see [`builtin_wake_model`](super::builtin_wake_model));
    /// `None` has Whisper check every utterance. Only for the phrase the
    /// model was trained on ("hey hush"): another phrase is checked by
    /// Whisper alone.
    pub gate: Option<f32>,
    /// The model's probability at which the phrase counts as said without
    /// Whisper's check of it (Whisper still reads what follows); `None`
    /// has Whisper check every utterance the gate lets through. Whisper
    /// mishears the phrase in voices and noise the model hears it in (see
    /// docs/BENCHMARKS.md, "The wake phrase"). Used only with the gate.
    pub sure: Option<f32>,
    /// Whisper's check also needs the phrase to be at most this much less
    /// likely (mean token log-probability) than what Whisper would write
    /// itself there ([`wake_lead`](super::wake_lead)): audio that clearly
    /// says something like the phrase ("hey josh", "hey hatch") is turned
    /// down. `None` (the default): the score alone decides. On the
    /// held-out wake set a lead of 2 halves false accepts and nearly
    /// doubles the misses of unseen espeak-ng accents, whose phrase
    /// Whisper writes as something else (docs/BENCHMARKS.md, "What Whisper
    /// writes itself"): a choice for an app that would rather be asked
    /// again than woken by talk.
    pub lead: Option<f32>,
}

impl Default for WakeParams {
    fn default() -> Self {
        WakeParams {
            phrase: "hey hush".into(),
            // Tuned on synthetic "hey hush" clips (Piper and espeak-ng
            // voices, clean and with car, street and kitchen noise) against
            // the dev commands and the noise recordings: see README.
            threshold: WAKE_THRESHOLD,
            phrase_alone: Duration::from_millis(1_300),
            follow_up: Duration::from_secs(8),
            gate: super::builtin_wake_model().ok().map(|m| m.meta().threshold),
            sure: Some(WAKE_SURE),
            lead: None,
        }
    }
}

/// The default wake threshold.
pub const WAKE_THRESHOLD: f32 = -6.35;

/// The default [`WakeParams::sure`]: the built-in model alone at 0.9
/// accepted no utterance without a near-phrase in 4.2 h of held-out
/// negatives.
pub const WAKE_SURE: f32 = 0.9;

/// Listening settings.
#[derive(Debug, Clone, PartialEq)]
pub struct ListenParams {
    /// Which utterances are commands.
    pub mode: Mode,
    /// The voice activity detector and endpointer. Its default detector is
    /// frame energy, which needs no file;
    /// [`EngineConfig::listen_params`](crate::EngineConfig::listen_params)
    /// (how the CLI and the C ABI listen) gives Silero when its model is in
    /// the cache, as an app can with `hush_audio::VadParams::silero`.
    pub vad: VadParams,
    /// The wake phrase, in [`Mode::WakePhrase`].
    pub wake: WakeParams,
    /// Speech that starts while an action runs cancels it.
    pub barge_in: bool,
    /// Hand each turn's audio back in [`LiveTurn::audio`] (off by default:
    /// audio is wiped once transcribed).
    pub keep_audio: bool,
    /// Start recognising after this much quiet, before the end silence is
    /// over: if the speaker does not go on, the turn is ready almost as
    /// soon as the endpoint is decided; if they do, the reading is thrown
    /// away. `None` waits for the endpoint.
    pub read_ahead: Option<Duration>,
    /// With `read_ahead`: end silences chosen by the words read during
    /// the pause. `None` (the default) keeps `vad.end_silence` whatever was
    /// said. Only for audio that arrives in real time (a microphone, or
    /// [`Listener::feed_recorded`](super::Listener::feed_recorded)): the
    /// pause is held until Whisper has read the words, and audio fed
    /// faster than that would find every pause held.
    pub end_of_command: Option<EndOfCommand>,
    /// The echo canceller, once playback is fed (see
    /// [`Listener::playback`](super::Listener::playback)).
    pub echo: EchoParams,
}

/// End silences chosen by what was said so far, as the templates' grammar
/// reads the words the read-ahead heard: "navigate home" is done, "book me
/// a ride to" is not. Until that reading is in, the pause is held (up to
/// `unfinished`); after words the grammar cannot judge (a value that may
/// run on, text outside it) the end silence is `vad.end_silence`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EndOfCommand {
    /// After a whole command.
    pub complete: Duration,
    /// After the start of one.
    pub unfinished: Duration,
}

impl Default for EndOfCommand {
    fn default() -> Self {
        EndOfCommand { complete: Duration::from_millis(200), unfinished: Duration::from_millis(1000) }
    }
}

impl Default for ListenParams {
    fn default() -> Self {
        ListenParams {
            mode: Mode::Continuous,
            vad: VadParams::default(),
            wake: WakeParams::default(),
            barge_in: true,
            keep_audio: false,
            read_ahead: Some(Duration::from_millis(100)),
            end_of_command: None,
            echo: EchoParams::default(),
        }
    }
}

/// Where an utterance's speech lies in the stream (from its first sample).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Span {
    /// Where speech began (audio time since listening began).
    #[serde(serialize_with = "secs")]
    pub start: Duration,
    /// Where it ended.
    #[serde(serialize_with = "secs")]
    pub end: Duration,
}

fn secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1e3).round() / 1e3)
}

/// How long a live turn took, beyond the stages [`Turn::timings`] lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Latency {
    /// Quiet waited after the last speech before the utterance was ended
    /// (the endpoint silence; zero for push-to-talk).
    #[serde(serialize_with = "millis")]
    pub endpoint_silence: Duration,
    /// From the endpoint decision until the worker picked the utterance up
    /// (non-zero when an earlier one was still being handled).
    #[serde(serialize_with = "millis")]
    pub queued: Duration,
    /// From the endpoint decision to the action's outcome or the question:
    /// what the user waits for once hush knows they have finished.
    #[serde(serialize_with = "millis")]
    pub to_dispatch: Duration,
    /// Recognition was done ahead, during the end silence.
    pub read_ahead: bool,
}

/// A turn heard live.
#[derive(Debug, Clone, Serialize)]
pub struct LiveTurn {
    /// Where the utterance was in the stream.
    pub speech: Span,
    /// The wake check's score, in wake-phrase mode when it ran.
    pub wake_score: Option<f32>,
    /// How long the user waited.
    pub latency: Latency,
    /// The turn itself.
    pub turn: Turn,
    /// The utterance's 16 kHz audio, only with [`ListenParams::keep_audio`].
    #[serde(skip)]
    pub audio: Option<hush_audio::Audio>,
}

/// Why an utterance was not taken as a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ignored {
    /// It did not start with the wake phrase.
    NoWakePhrase,
    /// Whisper heard no words (a bump, a breath, a clatter).
    NoWords,
}

/// What the listener noticed.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// Speech began.
    SpeechStarted {
        /// Where in the stream (audio time since listening began).
        #[serde(serialize_with = "secs")]
        at: Duration,
    },
    /// Speech began while an action ran, and the action was cancelled.
    BargeIn {
        /// Where in the stream (audio time since listening began).
        #[serde(serialize_with = "secs")]
        at: Duration,
    },
    /// An utterance that was not for hush.
    Ignored {
        /// Where the utterance was.
        speech: Span,
        /// Why it was not a command.
        reason: Ignored,
        /// The wake check's score, when it ran.
        wake_score: Option<f32>,
        /// How long the check took.
        #[serde(serialize_with = "millis")]
        check: Duration,
    },
    /// The wake phrase on its own: the next utterance is the command.
    Woke {
        /// Where the phrase was said.
        speech: Span,
        /// The wake check's score.
        wake_score: f32,
    },
    /// An utterance became a turn.
    Turn(Box<LiveTurn>),
    /// An utterance could not be handled (a recogniser error); listening
    /// goes on.
    Failed {
        /// Where the utterance was.
        speech: Span,
        /// What went wrong.
        error: String,
    },
}
