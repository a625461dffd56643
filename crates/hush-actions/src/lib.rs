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
//!
//! It does not hear, transcribe or parse: it starts from an [`Intent`]. It
//! has no actions of its own: the reference ones (a SQLite ledger) are in
//! `hush-reference`, so an app that brings its own links no database.
//!
//! [`Intent`]: hush_nlu::Intent

mod action;
mod audit;
mod dialogue;
mod messages;
mod registry;

pub use action::{default_confirmation, Action, ActionContext, ActionError, Outcome, Status};
pub use async_trait::async_trait;
pub use audit::AuditLog;
pub use dialogue::{idempotency_key, Awaiting, Dialogue, DialogueParams, Step};
pub use messages::{fill, Messages};
pub use registry::{Registry, RegistryError, DEFAULT_TIMEOUT};
pub use tokio_util::sync::CancellationToken;
