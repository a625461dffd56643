//! What an engine's sessions share: the models, the actions and their
//! routes, and the limits.

use crate::error::EngineError;
use crate::recognize::Hearing;
use crate::understand::Understanding;
use hush_actions::{Action, AuditLog, DialogueParams, Registry, RegistryError};
use hush_asr::Recognizer;
use hush_audio::AudioLimits;
use hush_nlu::IntentSet;
use parking_lot::RwLock;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

/// The engine's state, shared by its sessions.
pub(crate) struct Shared {
    pub(crate) recognizer: Option<Arc<Recognizer>>,
    pub(crate) hearing: Hearing,
    pub(crate) understanding: Understanding,
    pub(crate) actions: RwLock<Actions>,
    pub(crate) audit: Option<AuditLog>,
    pub(crate) dry_run: bool,
    pub(crate) audio: AudioLimits,
    pub(crate) dialogue: DialogueParams,
    pub(crate) turns: AtomicU64,
}

impl Shared {
    pub(crate) fn routes(&self) -> Arc<Registry> {
        self.actions.read().routes.clone()
    }
}

/// The app's actions and the fallback ones, and the routes they make.
pub(crate) struct Actions {
    pub(crate) app: Vec<Arc<dyn Action>>,
    pub(crate) fallback: Vec<Arc<dyn Action>>,
    /// Made anew when an action is registered after the build, so a turn
    /// keeps the routes it started with and no lock is held across an
    /// action's await.
    pub(crate) routes: Arc<Registry>,
    /// The routes' settings (timeout, messages) before any action.
    pub(crate) base: Registry,
}

impl Actions {
    pub(crate) fn new(app: Vec<Arc<dyn Action>>, fallback: Vec<Arc<dyn Action>>, base: Registry) -> Result<Actions, RegistryError> {
        let mut routes = base.clone();
        for a in &app {
            routes.register(a.clone())?;
        }
        for a in &fallback {
            // The app's own actions take precedence over the fallback ones.
            if a.intents().iter().all(|i| !routes.handles(i)) {
                routes.register(a.clone())?;
            }
        }
        Ok(Actions { app, fallback, routes: Arc::new(routes), base })
    }
}

/// An action for an intent the engine does not know would never run: a
/// misspelt name is an error, not a silent no-op.
pub(crate) fn known_intents(action: &dyn Action, set: &IntentSet) -> Result<(), EngineError> {
    let Some(unknown) = action.intents().into_iter().find(|i| set.intent(i).is_none()) else {
        return Ok(());
    };
    let closest = set.intents.iter().min_by_key(|x| strsim::levenshtein(&x.name, unknown)).map(|x| x.name.clone());
    Err(EngineError::UnknownIntent { intent: unknown.to_string(), closest: closest.unwrap_or_default() })
}
