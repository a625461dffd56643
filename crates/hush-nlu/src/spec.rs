//! Intent files: what they hold (`load` reads and checks them; `size`
//! bounds what a template may expand to).
//!
//! A directory of `*.yaml` files is one [`IntentSet`]: lists and rules
//! are shared by the files of one language, intent names are unique among
//! them, and skip words are shared by all. Every problem is reported with file, line and column and a hint,
//! and all problems are reported at once.

use crate::language::Language;
use crate::template::{self, Expr};
use crate::values::Builtin;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// Where something was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Loc {
    pub file: String,
    pub line: usize,
    pub col: usize,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// One problem in the intent files.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{at}: {message}")]
pub struct IntentError {
    pub at: Loc,
    pub message: String,
}

/// Every problem found while loading, in file order.
#[derive(Debug, Clone, thiserror::Error)]
pub struct IntentErrors(pub Vec<IntentError>);

impl fmt::Display for IntentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// A slot type: a list of values, or a built-in with its bounds.
#[derive(Debug, Clone, PartialEq)]
pub enum SlotType {
    List(usize),
    /// A built-in type, read as `language` says it.
    Builtin {
        ty: Builtin,
        min: Option<f64>,
        max: Option<f64>,
        max_words: usize,
        language: Language,
    },
}

/// One value of a list: what the slot returns and the phrases that say it.
#[derive(Debug, Clone, PartialEq)]
pub struct ListValue {
    pub value: String,
    pub phrases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct List {
    pub name: String,
    pub values: Vec<ListValue>,
    /// An open list also takes phrases it does not know, of up to this
    /// many words, as they were said (places, contacts, dishes).
    pub open: Option<usize>,
    /// The language of the file the list is written in.
    pub language: Language,
}

impl List {
    /// Each of `phrase`'s ways of being said that the matcher and the
    /// grammar take: its words as written, in the other way of writing
    /// their numbers, and, in a closed English list, the plural of a
    /// one-thing phrase ("pharmacies" for "a pharmacy"), since people ask
    /// for kinds of things in the plural and a list author writes one.
    pub(crate) fn forms(&self, phrase: &str) -> Vec<Vec<String>> {
        let mut forms = crate::numbers::number_forms(crate::normalize::words(phrase));
        if self.language == Language::English && self.open.is_none() {
            for plural in forms.iter().filter_map(|w| crate::words::plural(w)).collect::<Vec<_>>() {
                if !forms.contains(&plural) {
                    forms.push(plural);
                }
            }
        }
        forms
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SlotSpec {
    pub name: String,
    pub ty: SlotType,
    /// Redacted in logs.
    pub sensitive: bool,
    /// May name several things joined by "and" ("a pizza and two cokes",
    /// [`crate::items`]): such a value is one request, not several, even
    /// where the intent is confirmed.
    pub several: bool,
    /// What to ask when a required slot was not said ("Where to?").
    pub prompt: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TemplateSpec {
    pub text: String,
    pub expr: Expr,
    /// Slot values a match of this template sets without hearing them
    /// (hassil's `slots:`).
    pub fixed: Vec<(String, String)>,
    pub at: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IntentSpec {
    pub name: String,
    pub domain: String,
    /// The language of the file the intent is written in.
    pub language: Language,
    pub description: Option<String>,
    /// Not to be executed before the user confirms (payments, transfers).
    pub confirm: bool,
    /// The question asked before it runs, each `{slot}` filled with the
    /// value read ("Send \"{message}\" to {contact}?"); an action's own
    /// question comes first.
    pub confirmation: Option<String>,
    pub required: Vec<String>,
    pub slots: Vec<SlotSpec>,
    pub templates: Vec<TemplateSpec>,
    /// Free sentences for the learned model.
    pub examples: Vec<String>,
    pub at: Loc,
}

impl IntentSpec {
    pub fn slot(&self, name: &str) -> Option<&SlotSpec> {
        self.slots.iter().find(|s| s.name == name)
    }
}

/// All intents of an application, with the lists and rules they use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntentSet {
    pub intents: Vec<IntentSpec>,
    pub lists: Vec<List>,
    pub rules: HashMap<String, Expr>,
    /// Words that may be said anywhere without changing the meaning.
    pub skip_words: Vec<String>,
}

/// Longest free text a wildcard takes unless its slot says otherwise.
pub const DEFAULT_WILDCARD_WORDS: usize = 12;

impl IntentSet {
    pub fn intent(&self, name: &str) -> Option<&IntentSpec> {
        self.intents.iter().find(|i| i.name == name)
    }

    /// The intent as written in `language`, or in the first language that
    /// has it (a set may hold one intent in several languages).
    pub fn intent_in(&self, name: &str, language: Language) -> Option<&IntentSpec> {
        self.intents.iter().find(|i| i.name == name && i.language == language).or_else(|| self.intent(name))
    }

    /// Whether every template of `intent` sets a slot, said or fixed: then
    /// a reading of it with no value at all says nothing the intent can do
    /// ("pause the music" read as `adjust_volume`).
    pub fn always_sets_a_slot(&self, intent: &IntentSpec) -> bool {
        fn sets(set: &IntentSet, e: &Expr, depth: usize) -> bool {
            match e {
                Expr::Word(_) | Expr::Opt(_) => false,
                Expr::Slot { .. } => true,
                Expr::Seq(items) => items.iter().any(|x| sets(set, x, depth)),
                Expr::Alt(alts) => !alts.is_empty() && alts.iter().all(|x| sets(set, x, depth)),
                // Rules are followed four deep, as everywhere.
                Expr::Rule(name) => depth < 4 && set.rules.get(name).is_some_and(|x| sets(set, x, depth + 1)),
            }
        }
        !intent.templates.is_empty() && intent.templates.iter().all(|t| !t.fixed.is_empty() || sets(self, &t.expr, 0))
    }

    /// The words `intent`'s templates say right before `slot` ("from",
    /// "my" before the account paid from): `None` where a template opens
    /// with the slot, has it follow another slot, or never says it, so that
    /// any word may come before it.
    pub fn words_before(&self, intent: &IntentSpec, slot: &str) -> Option<HashSet<String>> {
        /// What may come right before a point of a template: these words,
        /// and (`true`) the start or another slot.
        type Before = (HashSet<String>, bool);
        fn walk(set: &IntentSet, e: &Expr, before: Before, slot: &str, out: &mut Before, depth: usize) -> Before {
            match e {
                Expr::Word(w) => match crate::words(w).pop() {
                    Some(last) => (HashSet::from([last]), false),
                    None => before,
                },
                Expr::Slot { name, .. } => {
                    if name == slot {
                        out.0.extend(before.0);
                        out.1 |= before.1;
                    }
                    (HashSet::new(), true)
                }
                Expr::Seq(items) => items.iter().fold(before, |b, x| walk(set, x, b, slot, out, depth)),
                Expr::Alt(alts) => alts.iter().fold((HashSet::new(), false), |mut acc, x| {
                    let (words, open) = walk(set, x, before.clone(), slot, out, depth);
                    acc.0.extend(words);
                    (acc.0, acc.1 || open)
                }),
                Expr::Opt(x) => {
                    let (mut words, open) = walk(set, x, before.clone(), slot, out, depth);
                    words.extend(before.0);
                    (words, open || before.1)
                }
                // Rules are followed four deep, as everywhere; deeper, anything.
                Expr::Rule(name) => match set.rules.get(name).filter(|_| depth < 4) {
                    Some(x) => walk(set, x, before, slot, out, depth + 1),
                    None => (HashSet::new(), true),
                },
            }
        }
        let mut out: Before = (HashSet::new(), false);
        for t in &intent.templates {
            walk(self, &t.expr, (HashSet::new(), true), slot, &mut out, 0);
        }
        (!out.1 && !out.0.is_empty()).then_some(out.0)
    }

    /// An intent set that reads a bare answer to a question about one slot
    /// of an intent ("Where to?" — "the airport", "to the airport please"),
    /// with the same lists, built-in parsers and tolerance for mishearing
    /// as full commands, in `language`'s words where the intent is written
    /// in it. Its one intent is named after the slot. `None` if the intent
    /// or the slot is unknown.
    pub fn answer_set(&self, intent: &str, language: Language, slot: &str) -> Option<IntentSet> {
        let spec = self.intent_in(intent, language)?;
        let slot = spec.slot(slot)?.clone();
        let text = format!("{ANSWER_LEAD} {{{}}} [please|thanks|thank you]", slot.name);
        let expr = template::parse(&text).ok()?;
        let answer = IntentSpec {
            name: slot.name.clone(),
            domain: spec.domain.clone(),
            language: spec.language,
            description: None,
            confirm: false,
            confirmation: None,
            required: vec![slot.name.clone()],
            templates: vec![TemplateSpec { text, expr, fixed: Vec::new(), at: spec.at.clone() }],
            slots: vec![slot],
            examples: Vec::new(),
            at: spec.at.clone(),
        };
        Some(IntentSet { intents: vec![answer], lists: self.lists.clone(), rules: HashMap::new(), skip_words: self.skip_words.clone() })
    }
}

/// What people say before a bare slot value when answering a question.
const ANSWER_LEAD: &str = "[um|uh|oh|okay|ok|well] [(it is|it's|its|make it|let's say|i said|just)] [to|at|from|for|on|in|with|by] [the|my|a|an|some]";
