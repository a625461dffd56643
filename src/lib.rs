//! hush: an on-device voice assistant engine.
//!
//! Audio in, action done: an [`Engine`] transcribes speech with a
//! (quantised) Whisper model, reads the intent and its slots with the
//! intent files of `intents/` (and, optionally, a learned model), applies
//! the dialogue rules (confirmation, missing slots), and runs the app's
//! [`Action`]. Build it once; hand it audio or text and read the [`Turn`];
//! or [`Session::listen`] to a live stream and read [`listen::Event`]s as
//! utterances end (endpointing, wake phrase, push-to-talk, barge-in); or
//! feed a [`Stream`] frame by frame from the app's own audio stack.
//! Nothing here touches the network, and audio is never written anywhere.
//!
//! The root holds what an app needs. The stages themselves (audio,
//! recognition, intents, learned model, actions) and the parts tools and
//! research use are under [`parts`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let engine = hush::Engine::builder().model("tiny.en-q8_0").build()?;
//! let turn = engine.process_wav("command.wav").await?;
//! println!("{} -> {}", turn.transcript, turn.reply());
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod builder;
pub mod config;
mod engine;
mod error;
pub mod json;
pub mod listen;
mod recognize;
mod session;
mod shared;
mod stream;
mod turn;
mod understand;

// The listener resamples to what Whisper takes; the two crates name it each.
const _: () = assert!(hush_audio::SAMPLE_RATE as usize == hush_asr::SAMPLE_RATE);

pub use builder::EngineBuilder;
pub use config::EngineConfig;
pub use engine::Engine;
pub use error::EngineError;
pub use hush_actions::{async_trait, Action, ActionContext, ActionError, Awaiting, Messages, Outcome, Status};
pub use hush_nlu::{Intent, Language, Slot, Value};
pub use recognize::Decoding;
pub use session::Session;
pub use stream::Stream;
pub use turn::Turn;

/// The stages and research parts behind the [`Engine`]: each stage's crate,
/// the recogniser and the readers the engine combines, and the types the
/// builder's finer settings take. Tools (the `hush` CLI, benchmarks) use
/// them; an app that only builds an engine does not need them.
pub mod parts {
    pub use crate::builder::{builtin_learned, load_learned, model_paths, BUILTIN_THRESHOLD};
    pub use crate::recognize::{GrammarParams, Heard, HeardBy, Hearing, PROMPT_CHARS};
    pub use crate::turn::TurnTimings;
    pub use crate::understand::{ReadBy, Refusal, Understanding, Understood};
    pub use hush_actions as actions;
    pub use hush_asr as asr;
    pub use hush_asr::{AsrError, AsrParams, DecodeOptions, ModelPaths, Recognizer, Transcript};
    pub use hush_audio as audio;
    pub use hush_audio::{read_wav, Audio, AudioError, AudioLimits};
    pub use hush_learn as learn;
    /// The learned model's default confidence threshold.
    pub use hush_learn::DEFAULT_THRESHOLD as LEARNED_THRESHOLD;
    pub use hush_nlu as nlu;
    pub use hush_nlu::{IntentSet, MatchParams, Matcher};
}
