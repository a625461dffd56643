//! Routes intents to actions and runs each call in a cage: its own task, a
//! timeout, a cancellation token, and panics caught.

use crate::action::{default_confirmation, Action, ActionContext, Outcome, Status};
use crate::messages::{fill, spaced, Messages};
use hush_nlu::{Intent, Language};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

/// Actions by the intents they handle, and what hush says around them.
#[derive(Clone)]
pub struct Registry {
    routes: HashMap<String, Arc<dyn Action>>,
    timeout: Duration,
    messages: BTreeMap<Language, Messages>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RegistryError {
    #[error("intent '{0}' already has an action; register one action per intent")]
    Duplicate(String),
    #[error("an action declares no intents")]
    NoIntents,
}

/// How long a cancelled or timed-out action may take to clean up.
const CANCEL_GRACE: Duration = Duration::from_secs(1);

/// How long an action may run before it is stopped, unless set.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

impl Default for Registry {
    fn default() -> Self {
        Registry::new(DEFAULT_TIMEOUT)
    }
}

impl Registry {
    pub fn new(timeout: Duration) -> Self {
        Registry { routes: HashMap::new(), timeout, messages: BTreeMap::new() }
    }

    /// Says `messages` in `language` in place of hush's own sentences
    /// ([`Messages::builtin`]), in the dialogue and around actions.
    pub fn set_messages(&mut self, language: Language, messages: Messages) {
        self.messages.insert(language, messages);
    }

    /// What hush says in `language`: the app's table, else hush's.
    pub fn messages(&self, language: Language) -> Messages {
        self.messages.get(&language).cloned().unwrap_or_else(|| Messages::builtin(language))
    }

    /// Routes every intent `action` declares to it. An intent already
    /// routed elsewhere is an error and nothing is registered.
    pub fn register(&mut self, action: Arc<dyn Action>) -> Result<(), RegistryError> {
        let intents = action.intents();
        if intents.is_empty() {
            return Err(RegistryError::NoIntents);
        }
        if let Some(taken) = intents.iter().find(|i| self.routes.contains_key(**i)) {
            return Err(RegistryError::Duplicate(taken.to_string()));
        }
        for i in intents {
            self.routes.insert(i.to_string(), action.clone());
        }
        Ok(())
    }

    pub fn handles(&self, intent: &str) -> bool {
        self.routes.contains_key(intent)
    }

    /// The intents that have an action, sorted.
    pub fn intents(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.routes.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The confirmation question of the action for `intent`, else the one
    /// its intent file writes (`written`, values filled in), else hush's.
    pub fn confirmation(&self, intent: &Intent, written: Option<String>) -> String {
        self.routes
            .get(&intent.name)
            .and_then(|a| a.confirmation(intent))
            .or(written)
            .unwrap_or_else(|| fill(&self.messages(intent.language).confirm, &[("request", &default_confirmation(intent))]))
    }

    /// Runs the action for `intent`. Whatever the action does — returns,
    /// errs, panics, hangs past the timeout, or is cancelled through
    /// `ctx` — the result is an [`Outcome`].
    pub async fn dispatch(&self, intent: &Intent, ctx: ActionContext) -> Outcome {
        let says = self.messages(intent.language);
        let Some(action) = self.routes.get(&intent.name).cloned() else {
            return Outcome::new(Status::Unhandled, fill(&says.unhandled, &[("intent", &spaced(&intent.name))]));
        };
        let cancel = ctx.cancel_token().clone();
        let stoppable = action.stoppable();
        let owned = intent.clone();
        let mut task = tokio::spawn(async move { action.execute(&owned, &ctx).await });
        let out = tokio::select! {
            joined = &mut task => return match joined {
                Ok(Ok(outcome)) => outcome,
                // An action that gave up because it was told to stop.
                Ok(Err(_)) if cancel.is_cancelled() => Outcome::new(Status::Cancelled, says.stopped.clone()),
                Ok(Err(e)) => e.into_outcome(&says),
                Err(e) if e.is_panic() => {
                    tracing::error!(intent = %intent.name, "action panicked");
                    Outcome::new(Status::Panicked, says.panicked.clone())
                }
                Err(_) => Outcome::new(Status::Cancelled, says.stopped.clone()),
            },
            _ = tokio::time::sleep(self.timeout) => {
                tracing::warn!(intent = %intent.name, timeout_ms = self.timeout.as_millis() as u64, "action timed out");
                Outcome::new(Status::TimedOut, says.timed_out.clone())
            }
            _ = cancel.cancelled() => Outcome::new(Status::Cancelled, says.stopped.clone()),
        };
        // Tell a cooperative action to stop and give it a grace period, then
        // say what is true: what it did if it finished after all (a payment
        // made in the grace is a payment made); that it may still finish if
        // hush cannot stop it; otherwise it is dropped and stopped.
        cancel.cancel();
        let finished = tokio::time::timeout(CANCEL_GRACE, &mut task).await;
        if let Ok(Ok(Ok(done))) = finished {
            return done;
        }
        task.abort();
        if stoppable {
            return out;
        }
        let say = match out.status {
            Status::TimedOut => says.timed_out_running,
            _ => says.still_running,
        };
        Outcome::new(out.status, say).with_data(serde_json::json!({ "still_running": true }))
    }
}
