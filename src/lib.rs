//! hush: an on-device voice assistant engine.
//!
//! Audio in, intent out today: [`audio`] decodes and resamples WAV to 16 kHz
//! mono, [`asr`] runs a (quantised) Whisper model on it, [`nlu`] turns the
//! transcript into an intent with slots using the intent files of
//! `intents/`. Actions are the next stage. Nothing here touches the
//! network, and audio is never written anywhere.
//!
//! ```no_run
//! use hush::{AsrParams, ModelPaths, Recognizer};
//! let dir = std::path::Path::new("/home/me/.cache/hush/models/tiny.en");
//! let paths = ModelPaths {
//!     config: dir.join("config.json"),
//!     tokenizer: dir.join("tokenizer.json"),
//!     weights: dir.join("model-q8_0.gguf"),
//! };
//! let recognizer = Recognizer::load(&paths, AsrParams::default())?;
//! let (audio, _) = hush::read_wav("command.wav", &Default::default())?;
//! println!("{}", recognizer.transcribe(audio.samples())?.text);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod engine;

pub use engine::{Engine, EngineBuilder, EngineError, Session, Timings, Turn};
pub use hush_actions as actions;
pub use hush_actions::{async_trait, Action, ActionContext, ActionError, Outcome, Status};
pub use hush_asr as asr;
pub use hush_audio as audio;
pub use hush_nlu as nlu;

pub use hush_asr::{AsrError, AsrParams, DecodeOptions, ModelPaths, Recognizer, Transcript};
pub use hush_audio::{read_wav, Audio, AudioError, DecodeOptions as AudioOptions};
pub use hush_nlu::{Intent, IntentSet, MatchParams, Matcher, Slot, Value};
