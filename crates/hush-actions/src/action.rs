//! What an app implements ([`Action`]) and what it gives back ([`Outcome`]).

use crate::messages::{fill, spaced, Messages};
use async_trait::async_trait;
use hush_nlu::Intent;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

/// Something the app does for an intent: order the ride, pay the bill.
///
/// The registry calls [`Action::execute`] on a task of its own, under a
/// timeout: an action that fails, panics or hangs becomes an [`Outcome`]
/// and never takes the engine down.
#[async_trait]
pub trait Action: Send + Sync + 'static {
    /// The intents this action handles (names from the intent files).
    fn intents(&self) -> Vec<&str>;

    /// The question asked before an intent marked `confirm: true` runs,
    /// in the user's language (`intent.language`); `None` lets hush ask its
    /// own ([`default_confirmation`] in [`Messages::confirm`]). It is
    /// spoken to the user, so it may say sensitive values; it is never
    /// logged.
    fn confirmation(&self, _intent: &Intent) -> Option<String> {
        None
    }

    /// Whether dropping the action's future stops its work. An action whose
    /// work runs out of hush's reach (a C callback on its own thread, a
    /// request already sent elsewhere) says `false`: when it times out or
    /// is cancelled and has not finished within a grace period, the user
    /// hears that it "is still running and may yet finish", not that it
    /// stopped.
    fn stoppable(&self) -> bool {
        true
    }

    async fn execute(&self, intent: &Intent, ctx: &ActionContext) -> Result<Outcome, ActionError>;
}

/// "Pay bill: biller electricity, amount 42.00 USD", the request as its
/// names and values, for actions that do not phrase their own question
/// (the registry asks it in the user's language, [`Messages::confirm`]).
///
/// [`Messages::confirm`]: crate::Messages::confirm
pub fn default_confirmation(intent: &Intent) -> String {
    let slots: Vec<String> = intent.slots.iter().map(|s| format!("{} {}", spaced(&s.name), s.value)).collect();
    let what = hush_nlu::capitalise(&spaced(&intent.name));
    if slots.is_empty() {
        what
    } else {
        format!("{what}: {}", slots.join(", "))
    }
}

/// What an action knows about the turn it runs in.
#[derive(Debug, Clone)]
pub struct ActionContext {
    /// Same for the same request (intent and slot values) said again or
    /// retried: an action that moves money records it and refuses a second
    /// one with the same key.
    pub idempotency_key: String,
    /// The user said yes to the confirmation question.
    pub confirmed: bool,
    cancel: CancellationToken,
}

impl ActionContext {
    pub fn new(idempotency_key: String, confirmed: bool) -> Self {
        ActionContext { idempotency_key, confirmed, cancel: CancellationToken::new() }
    }

    /// The token that cancels this call (the user said "stop", the app
    /// called cancel, or the timeout struck).
    pub fn cancel_token(&self) -> &CancellationToken {
        &self.cancel
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// Resolves when the call is cancelled: `select!` on it around slow work
    /// to stop early and clean up.
    pub async fn cancelled(&self) {
        self.cancel.cancelled().await
    }
}

/// How a turn ended, with a sentence to say to the user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub status: Status,
    /// A short sentence for the user ("Paid your electricity bill.").
    pub say: String,
    /// Action-specific details for the app (ids, states, ETAs); no
    /// sensitive values belong here.
    #[serde(skip_serializing_if = "serde_json::Value::is_null")]
    pub data: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The action did what was asked.
    Done,
    /// The same request (same idempotency key) was already done; nothing
    /// was done again.
    AlreadyDone,
    /// The action refused for a reason the user can act on (unknown biller,
    /// not enough money).
    Rejected,
    /// The action failed (its error is logged, the user hears an apology).
    Failed,
    /// The action did not answer within the timeout and was stopped.
    TimedOut,
    /// The action panicked; the panic was contained.
    Panicked,
    /// The call was cancelled while it ran.
    Cancelled,
    /// The user said no, or cancelled a question.
    Aborted,
    /// A question (confirmation, missing slot) went unanswered too long.
    Expired,
    /// Understood, but no action handles this intent.
    Unhandled,
    /// Not understood (or not something hush can do).
    NotUnderstood,
    /// `--dry-run`: understood and allowed, deliberately not executed.
    DryRun,
}

impl Outcome {
    pub fn new(status: Status, say: impl Into<String>) -> Self {
        Outcome { status, say: say.into(), data: serde_json::Value::Null }
    }

    pub fn done(say: impl Into<String>) -> Self {
        Self::new(Status::Done, say)
    }

    pub fn with_data(mut self, data: serde_json::Value) -> Self {
        self.data = data;
        self
    }

    /// Finished as the user wanted (done now or before).
    pub fn is_success(&self) -> bool {
        matches!(self.status, Status::Done | Status::AlreadyDone | Status::DryRun)
    }
}

/// Why an action did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// A refusal the user can act on; `say` is spoken as it is.
    #[error("{say}")]
    Rejected { say: String },
    /// A slot value the action cannot use (a negative amount, an unknown
    /// account).
    #[error("cannot use {slot}: {reason}")]
    InvalidSlot { slot: String, reason: String },
    /// The intent lacks a slot the action needs.
    #[error("missing {0}")]
    MissingSlot(String),
    /// Anything else (storage, provider); logged, not spoken.
    #[error(transparent)]
    Failed(#[from] Box<dyn std::error::Error + Send + Sync>),
}

impl ActionError {
    pub fn rejected(say: impl Into<String>) -> Self {
        ActionError::Rejected { say: say.into() }
    }

    pub fn invalid(slot: &str, reason: impl Into<String>) -> Self {
        ActionError::InvalidSlot { slot: slot.to_owned(), reason: reason.into() }
    }

    /// The outcome the user gets for this error, said with `says`.
    pub fn into_outcome(self, says: &Messages) -> Outcome {
        match self {
            ActionError::Rejected { say } => Outcome::new(Status::Rejected, say),
            ActionError::InvalidSlot { slot, reason } => {
                Outcome::new(Status::Rejected, fill(&says.invalid_slot, &[("slot", &spaced(&slot)), ("reason", &reason)]))
            }
            ActionError::MissingSlot(slot) => Outcome::new(Status::Rejected, fill(&says.missing_slot, &[("slot", &spaced(&slot))])),
            ActionError::Failed(e) => {
                tracing::warn!(error = %e, "action failed");
                Outcome::new(Status::Failed, says.failed.clone())
            }
        }
    }
}
