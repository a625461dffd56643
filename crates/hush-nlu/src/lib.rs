//! Language understanding for hush: the intent language (`intents/*.yaml`),
//! the built-in slot types, and the template matcher that turns a
//! transcript into an intent with slots, or says it did not understand.
//!
//! It does not hear audio, learn from examples (that is the learned model's
//! job) or run actions.

mod matcher;
mod normalize;
mod numbers;
mod spec;
mod template;
mod values;
mod yaml;

pub use normalize::{tokenize, words, Token};
pub use numbers::{parse_number, Number};
pub use values::{parse_builtin, Builtin, Date, Reading, Time, Value};
pub use spec::{IntentError, IntentErrors, IntentSet, IntentSpec, List, ListValue, Loc, SlotSpec, SlotType, TemplateSpec};
pub use template::Expr;
pub use matcher::{Intent, MatchParams, Matcher, Slot};
