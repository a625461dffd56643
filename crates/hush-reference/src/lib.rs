//! Reference actions for hush's built-in domains, on a SQLite [`Ledger`]:
//! bills, balances, payments and canteen top-ups move money between seeded
//! accounts; rides and food orders go to a simulated provider whose states
//! advance with the clock.
//!
//! They are for the demo, the CLI and tests, and a pattern to copy (the
//! idempotency key recorded with each payment, a duplicate refused). An app
//! registers its own [`Action`]s instead and does not link this crate or
//! SQLite. It does not understand or ask anything: the engine's dialogue
//! rules decide when an action runs.
//!
//! [`Action`]: hush_actions::Action

mod actions;
pub mod ledger;
mod says;

pub use actions::{order_state, reference_actions, ride_state, Food, Payments, Rides, Simulation, DUPLICATE_WINDOW};
pub use ledger::{Ledger, LedgerError};
pub use says::fmt_money;

use hush_actions::Action;
use std::path::Path;
use std::sync::Arc;

/// The reference actions on the ledger at `path` (created and seeded when
/// it does not exist), in real time.
pub fn actions_at(path: &Path) -> Result<Vec<Arc<dyn Action>>, LedgerError> {
    Ok(reference_actions(Arc::new(Ledger::open(path)?), Simulation::default()))
}

/// The reference actions on a fresh ledger in memory, in real time: for
/// tests and trying things out.
pub fn actions_in_memory() -> Result<Vec<Arc<dyn Action>>, LedgerError> {
    Ok(reference_actions(Arc::new(Ledger::in_memory()?), Simulation::default()))
}
