//! Speech recognition for hush: 16 kHz audio in, a [`Transcript`] out.
//!
//! It holds Whisper's log-mel front end ([`mel`]), a Whisper model on candle
//! with a self-attention cache ([`model`]), and greedy or beam decoding
//! with the guards a command engine needs: the encoder sees only the audio
//! plus a margin (not a padded 30 s window), the number of tokens is capped
//! by the audio's duration, repeated n-grams stop the decoder, and Whisper's
//! no-speech probability empties transcripts of non-speech. A [`Guide`]
//! (a grammar) can keep every hypothesis inside the sentences it allows.
//!
//! It does not read files other than model files, fetch or convert models
//! (`hush-models`), know any grammar itself, or understand what was said
//! (later stages).

mod beam;
mod error;
pub mod gguf;
mod guards;
mod guide;
pub mod mel;
pub mod model;
mod options;
mod pauses;
mod phrase;
mod recognizer;
mod tokenizer;
mod transcript;
pub mod wake;

pub use error::AsrError;
pub use guards::repetition_cut;
pub use guide::{Guide, Guided, Unguided};
pub use model::{Config, WeightMode, Whisper};
pub use options::{AsrParams, Compute, DecodeOptions, ModelPaths, Trim};
pub use pauses::split_at_pauses;
pub use phrase::PhraseReading;
pub use recognizer::{Encoded, Recognizer};
pub use tokenizer::WhisperTokenizer;
pub use transcript::{Stop, Timings, Transcript};
pub use wake::{WakeMeta, WakeModel};

/// Whisper's audio: 16 kHz mono, hence hush_audio's resampling target (the
/// facade asserts that the two agree).
pub const SAMPLE_RATE: usize = 16_000;
/// Samples in Whisper's 30 s window.
pub const WINDOW_SAMPLES: usize = 30 * SAMPLE_RATE;
/// Mel frames in that window, one per hop.
pub(crate) const WINDOW_FRAMES: usize = WINDOW_SAMPLES / mel::HOP;
