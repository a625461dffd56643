//! What can go wrong building an engine or taking a turn.

use hush_actions::RegistryError;
use hush_asr::AsrError;
use hush_audio::AudioError;
use hush_learn::LearnError;
use hush_nlu::IntentErrors;
use std::path::PathBuf;

/// Why an engine could not be built or a turn not taken.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The speech model could not be found in the cache or loaded.
    #[error("model: {0}")]
    Model(#[from] hush_models::ModelError),
    /// Speech recognition failed (model files, inference).
    #[error(transparent)]
    Asr(#[from] AsrError),
    /// The audio could not be read (bad file, wrong rate, too long, silent).
    #[error(transparent)]
    Audio(#[from] AudioError),
    /// The intent files have errors (each with its file, line and column).
    #[error("intent files:\n{0}")]
    Intents(#[from] IntentErrors),
    /// Two actions claim one intent, or an action is malformed.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// An [`EngineConfig`](crate::EngineConfig) value out of range, or two
    /// that exclude each other.
    #[error("configuration: {0}")]
    Config(String),
    /// The learned model's threshold is outside 0..1.
    #[error("the learned model's confidence threshold must be within 0..1, not {0}")]
    Threshold(f32),
    /// The learned model could not be loaded.
    #[error("learned model {path}: {source}")]
    Learned {
        /// The model's folder.
        path: PathBuf,
        /// What went wrong.
        source: LearnError,
    },
    /// The audit log could not be opened.
    #[error("audit log {path}: {source}")]
    Audit {
        /// The log file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// Audio was given to an engine built without a speech model.
    #[error("this engine was built without a speech model; add one with EngineBuilder::model")]
    NoModel,
    /// The recognition task ended unexpectedly.
    #[error("speech recognition stopped unexpectedly: {0}")]
    Worker(String),
    /// Called outside a tokio runtime.
    #[error("the engine runs actions on tokio: call it from within a tokio runtime")]
    NoRuntime,
    /// The wake phrase cannot be used (empty, or the model cannot say it).
    #[error("wake phrase: {0}")]
    Wake(String),
    /// An action names an intent that no intent file defines.
    #[error("an action is registered for '{intent}', which no intent file defines (the closest is '{closest}')")]
    UnknownIntent {
        /// The intent the action names.
        intent: String,
        /// The defined intent whose name is closest to it.
        closest: String,
    },
    /// Samples were not finite or the rate was not usable.
    #[error("bad audio samples: {0}")]
    Samples(String),
    /// A live utterance could not be recognised.
    #[error("an utterance could not be recognised: {0}")]
    Utterance(String),
}
