//! Live listening: a stream of 16 kHz audio in, a [`Turn`](crate::Turn) out as soon as
//! each utterance ends.
//!
//! [`Session::listen`](crate::Session::listen) returns a [`Listener`]; the host feeds it audio as it
//! arrives (from [`hush_audio::Capture`], or its own sound pipeline) and
//! reads [`Event`]s. The endpointer cuts utterances; a worker task
//! transcribes, understands and dispatches them in order while audio keeps
//! coming in, so speech heard while an action runs can stop it (barge-in).
//!
//! Three modes decide which utterances are commands: every one
//! ([`Mode::Continuous`]), those said while the host holds a push-to-talk
//! control ([`Mode::PushToTalk`]), or those that start with the wake phrase
//! ([`Mode::WakePhrase`]), which a cheap check scores before anything is
//! transcribed. An answer to the assistant's question never needs the wake
//! phrase.
mod listener;
mod playback;
mod types;
mod wake;
mod worker;

pub use listener::Listener;
pub use playback::Playback;
pub use types::{EndOfCommand, Event, Ignored, Latency, ListenParams, LiveTurn, Mode, Span, WakeParams, WAKE_SURE, WAKE_THRESHOLD};
pub use wake::{builtin_wake_model, read_wake_phrase, wake_lead, wake_score};
