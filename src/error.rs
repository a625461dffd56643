//! What can go wrong building an engine or taking a turn.

use hush_actions::{LedgerError, RegistryError};
use hush_asr::AsrError;
use hush_audio::AudioError;
use hush_learn::LearnError;
use hush_nlu::IntentErrors;
use std::path::PathBuf;

/// Why an engine could not be built or a turn not taken.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("model: {0}")]
    Model(#[from] hush_models::ModelError),
    #[error(transparent)]
    Asr(#[from] AsrError),
    #[error(transparent)]
    Audio(#[from] AudioError),
    #[error("intent files:\n{0}")]
    Intents(#[from] IntentErrors),
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error("the learned model's confidence threshold must be within 0..1, not {0}")]
    Threshold(f32),
    #[error("learned model {path}: {source}")]
    Learned { path: PathBuf, source: LearnError },
    #[error("audit log {path}: {source}")]
    Audit { path: PathBuf, source: std::io::Error },
    #[error("this engine was built without a speech model; add one with EngineBuilder::model")]
    NoModel,
    #[error("speech recognition stopped unexpectedly: {0}")]
    Worker(String),
    #[error("the engine runs actions on tokio: call it from within a tokio runtime")]
    NoRuntime,
    #[error("wake phrase: {0}")]
    Wake(String),
    #[error("an action is registered for '{intent}', which no intent file defines (the closest is '{closest}')")]
    UnknownIntent { intent: String, closest: String },
    #[error("bad audio samples: {0}")]
    Samples(String),
    #[error("an utterance could not be recognised: {0}")]
    Utterance(String),
}
