//! Actions for hush: what happens after an utterance is understood.
//!
//! - [`Action`]: the trait an app implements for its intents; [`Registry`]
//!   routes intents to actions and runs each call on its own task with a
//!   timeout, cancellation and panic containment, so every call ends in an
//!   [`Outcome`].
//! - [`Dialogue`]: the safety rules — `confirm: true` intents wait for a
//!   yes, missing required slots are asked for and filled from the next
//!   utterance, and each request carries an idempotency key.
//! - [`AuditLog`]: JSON lines of what was done, sensitive slots redacted.
//! - [`reference`](mod@reference): actions for the built-in domains on a SQLite
//!   [`Ledger`] (bills, balances, payments, rides, food orders).
//!
//! It does not hear, transcribe or parse: it starts from an [`Intent`].
//!
//! [`Intent`]: hush_nlu::Intent

mod action;
mod audit;
mod dialogue;
pub mod ledger;
pub mod reference;
mod registry;

pub use action::{default_confirmation, Action, ActionContext, ActionError, Outcome, Status};
pub use async_trait::async_trait;
pub use audit::AuditLog;
pub use dialogue::{answer, idempotency_key, Answer, Dialogue, DialogueParams, Step, CANCEL, CONFIRM, DENY};
pub use ledger::{Ledger, LedgerError};
pub use reference::{reference_actions, Simulation};
pub use registry::{Registry, RegistryError, DEFAULT_TIMEOUT};
pub use tokio_util::sync::CancellationToken;
