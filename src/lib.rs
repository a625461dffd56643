//! hush: an on-device voice assistant engine.
//!
//! Audio in, action done: [`audio`] decodes and resamples WAV to 16 kHz
//! mono, [`asr`] runs a (quantised) Whisper model on it, [`nlu`] turns the
//! transcript into an intent with slots using the intent files of
//! `intents/` (with, optionally, a [`learn`]ed model for wordings no
//! template covers: see [`Understanding`]), and [`actions`] applies the
//! dialogue rules (confirmation, missing slots) and runs the app's
//! [`Action`]. [`Engine`] joins them: build it once, then hand it audio or
//! text and read the [`Turn`]; or [`Session::listen`] to a live stream and
//! read [`Event`]s as utterances end ([`listen`]: endpointing, wake phrase,
//! push-to-talk, barge-in), or feed a [`Stream`] frame by frame from the
//! app's own audio stack and get a turn back when an utterance ends.
//! Nothing here touches the network, and audio is never written anywhere.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let engine = hush::Engine::builder().model("tiny.en-q8_0").reference_actions_in_memory().build()?;
//! let turn = engine.process_wav("command.wav").await?;
//! println!("{} -> {}", turn.transcript, turn.reply());
//! # Ok(()) }
//! ```

mod builder;
mod engine;
mod error;
pub mod listen;
mod recognize;
mod session;
mod shared;
mod stream;
mod turn;
mod understand;

pub use builder::{load_learned, EngineBuilder};
pub use engine::Engine;
pub use error::EngineError;
pub use hush_actions as actions;
pub use hush_actions::{async_trait, Action, ActionContext, ActionError, Outcome, Status};
pub use hush_asr as asr;
pub use hush_audio as audio;
pub use hush_learn as learn;
pub use hush_learn::DEFAULT_THRESHOLD as LEARNED_THRESHOLD;
pub use hush_nlu as nlu;
pub use listen::{Event, ListenParams, Listener, LiveTurn, Mode, WakeParams};
pub use recognize::{Decoding, GrammarParams, Heard, HeardBy, Hearing, PROMPT_CHARS};
pub use session::Session;
pub use stream::Stream;
pub use turn::{Timings, Turn};
pub use understand::{Reading, Source, Understanding};

pub use hush_asr::{AsrError, AsrParams, DecodeOptions, ModelPaths, Recognizer, Transcript};
pub use hush_audio::{read_wav, Audio, AudioError, DecodeOptions as AudioOptions};
pub use hush_nlu::{Intent, IntentSet, MatchParams, Matcher, Slot, Value};
