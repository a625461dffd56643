//! What a parse finds: an intent, its slots, and the evidence its
//! confidence is computed from; and how forgiving the matcher is.

use crate::language::Language;
use crate::values::Value;
use serde::Serialize;
use std::fmt;

/// How forgiving the matcher is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchParams {
    /// Parses below this confidence are "not understood". The confidence
    /// is calibrated: at 0.3, on SLURP devel, 97 % of accepted in-domain
    /// parses are right and 97.7 % of out-of-domain sentences are rejected.
    pub threshold: f32,
    /// Paths costing more than this are abandoned.
    pub max_cost: f32,
    /// Paths costing this much more than the best at the same point are
    /// abandoned.
    pub beam: f32,
}

impl Default for MatchParams {
    fn default() -> Self {
        MatchParams { threshold: 0.3, max_cost: 3.0, beam: 1.0 }
    }
}

/// A slot filled by a parse.
#[derive(Clone, PartialEq, Serialize)]
pub struct Slot {
    pub name: String,
    pub value: Value,
    /// The words of the transcript it came from, as written there (empty
    /// for values a template fixes).
    pub raw: String,
    /// Marked `sensitive:` in the intent file: never print it in logs.
    pub sensitive: bool,
}

/// `Debug` (and so every `tracing` field) hides sensitive values.
impl fmt::Debug for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.sensitive {
            write!(f, "Slot {{ name: {:?}, value: <redacted> }}", self.name)
        } else {
            write!(f, "Slot {{ name: {:?}, value: {:?}, raw: {:?} }}", self.name, self.value, self.raw)
        }
    }
}

/// An understood request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Intent {
    pub name: String,
    pub slots: Vec<Slot>,
    /// In [0, 1]: how likely this parse is right.
    pub confidence: f32,
    /// Total edit cost of the match (0 = a template matched word for word).
    pub cost: f32,
    /// Required slots the utterance did not give.
    pub missing: Vec<String>,
    /// The template that matched, as written in its intent file.
    pub template: String,
    /// What the confidence was computed from.
    pub evidence: Evidence,
    /// The language of the intent file that understood it, so an action
    /// answers in it.
    pub language: Language,
}

/// How well a template explained an utterance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evidence {
    pub words: usize,
    /// Words matched by template words exactly, or by listed or built-in
    /// slot values.
    pub matched: usize,
    /// Words taken as free text (wildcards, unlisted values).
    pub free: usize,
    /// Cost of misheard and extra words.
    pub edit_cost: f32,
    /// Cost of template words that were not said.
    pub skip_cost: f32,
    /// Cost of the free text (unlisted values are less likely than listed).
    pub free_cost: f32,
}

impl Slot {
    /// The slot as JSON for logs and reports: a sensitive value and the
    /// words it came from are replaced by `"<redacted>"` unless `reveal`.
    pub fn to_json(&self, reveal: bool) -> serde_json::Value {
        let hide = self.sensitive && !reveal;
        serde_json::json!({
            "name": self.name,
            "value": if hide { serde_json::json!("<redacted>") } else { serde_json::to_value(&self.value).unwrap_or_default() },
            "raw": if hide { "<redacted>" } else { self.raw.as_str() },
            "sensitive": self.sensitive,
        })
    }
}

impl Intent {
    pub fn slot(&self, name: &str) -> Option<&Slot> {
        self.slots.iter().find(|s| s.name == name)
    }
}
