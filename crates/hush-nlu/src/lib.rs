//! Language understanding for hush: the intent language (`intents/*.yaml`),
//! the built-in slot types, the template matcher that turns a transcript
//! into an intent with slots, or says it did not understand, and the same
//! templates as a [`Grammar`] that can steer a recogniser word by word.
//!
//! It also reads answers to the dialogue's questions (a yes to a
//! confirmation, a bare slot value). It does not hear audio, learn from
//! examples (that is the learned model's job), keep a conversation's state
//! or run actions.

mod answer;
mod automaton;
mod chinese;
mod compile;
mod condition;
mod confidence;
mod fuzzy;
mod grammar;
pub mod import;
mod indonesian;
mod intent;
mod items;
mod language;
mod load;
mod matcher;
mod money;
mod negation;
mod normalize;
mod numbers;
mod once;
mod read;
mod repair;
mod sample;
mod search;
mod size;
mod spec;
mod template;
mod unread;
mod values;
mod words;
mod yaml;

pub use answer::{answer, Answer, SlotAnswers, CANCEL, CONFIRM, DENY};
pub use condition::conditional;
pub use grammar::{Ending, Grammar, GrammarState};
pub use intent::{Evidence, Intent, MatchParams, Slot};
pub use items::{items, joins_items, Item};
pub use language::Language;
pub use matcher::Matcher;
pub use money::{decimal, exponent_of, Money};
pub use negation::{negates, opens_negated};
pub use normalize::{capitalise, tokenize, words, Token};
pub use numbers::{cardinal, parse_number, says_a_number, Number};
pub use once::more_than_once;
pub use read::parse_builtin;
pub use repair::{correction, Correction, CorrectionKind};
pub use sample::{sample, vocabulary_prompt, Sample};
pub use spec::{IntentError, IntentErrors, IntentSet, IntentSpec, List, ListValue, Loc, SlotSpec, SlotType, TemplateSpec};
pub use template::{parse as parse_template, Expr, SyntaxError};
pub use unread::{time_begins, unread_amount, unread_time};
pub use values::{Builtin, Date, Time, Value, ValueMatch};
pub use words::{closing_from, hedge_from, is_filler};

/// The built-in domains shipped in `intents/`, compiled into the library
/// so that an engine needs no files to understand rides, payments, food,
/// school, calls and messages, the car, and yes/no/cancel.
pub const BUILTIN_DOMAINS: &[(&str, &str)] = &[
    ("intents/general.yaml", include_str!("../../../intents/general.yaml")),
    ("intents/ride.yaml", include_str!("../../../intents/ride.yaml")),
    ("intents/payments.yaml", include_str!("../../../intents/payments.yaml")),
    ("intents/food.yaml", include_str!("../../../intents/food.yaml")),
    ("intents/school.yaml", include_str!("../../../intents/school.yaml")),
    ("intents/communication.yaml", include_str!("../../../intents/communication.yaml")),
    ("intents/car.yaml", include_str!("../../../intents/car.yaml")),
];

/// The same domains in Bahasa Indonesia (`intents/id/`): the same
/// intents, slot names and list values, so one action serves both.
pub const BUILTIN_DOMAINS_ID: &[(&str, &str)] = &[
    ("intents/id/general.yaml", include_str!("../../../intents/id/general.yaml")),
    ("intents/id/ride.yaml", include_str!("../../../intents/id/ride.yaml")),
    ("intents/id/payments.yaml", include_str!("../../../intents/id/payments.yaml")),
    ("intents/id/food.yaml", include_str!("../../../intents/id/food.yaml")),
    ("intents/id/school.yaml", include_str!("../../../intents/id/school.yaml")),
    ("intents/id/communication.yaml", include_str!("../../../intents/id/communication.yaml")),
    ("intents/id/car.yaml", include_str!("../../../intents/id/car.yaml")),
];

/// A small Mandarin set (`intents/zh/`): rides and payments, and the
/// general yes/no/cancel, with the English intent and slot names.
pub const BUILTIN_DOMAINS_ZH: &[(&str, &str)] = &[
    ("intents/zh/general.yaml", include_str!("../../../intents/zh/general.yaml")),
    ("intents/zh/ride.yaml", include_str!("../../../intents/zh/ride.yaml")),
    ("intents/zh/payments.yaml", include_str!("../../../intents/zh/payments.yaml")),
];

impl IntentSet {
    /// The built-in domains (see [`BUILTIN_DOMAINS`]).
    pub fn builtin() -> Result<IntentSet, IntentErrors> {
        IntentSet::builtin_in(Language::English)
    }

    /// The built-in domains in `language`.
    pub fn builtin_in(language: Language) -> Result<IntentSet, IntentErrors> {
        IntentSet::builtin_for(&[language])
    }

    /// The built-in domains in each of `languages`, as one set: each
    /// intent once per language, in the order given.
    pub fn builtin_for(languages: &[Language]) -> Result<IntentSet, IntentErrors> {
        let sources: Vec<(&str, &str)> = languages
            .iter()
            .flat_map(|l| match l {
                Language::English => BUILTIN_DOMAINS,
                Language::Indonesian => BUILTIN_DOMAINS_ID,
                Language::Mandarin => BUILTIN_DOMAINS_ZH,
            })
            .copied()
            .collect();
        IntentSet::from_sources(&sources)
    }
}
