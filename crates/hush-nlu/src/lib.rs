//! Language understanding for hush. So far: the built-in number parser that
//! slot types (integer, money, time, ...) build on. It reads numbers both as
//! people say them ("one hundred and five") and as Whisper writes them
//! ("105", "1,000", "$42", "2.5").
//!
//! It does not yet parse intents or templates (issue 3).

mod numbers;

pub use numbers::{parse_number, Number};
