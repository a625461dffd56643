//! Labelled sentences for training and scoring: an intent and character
//! spans of slots, read from SLURP-, SNIPS- or hush-style JSON lines.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde::Serialize;
use std::path::Path;

/// One labelled sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    pub text: String,
    pub intent: String,
    /// Slot spans, in character offsets of `text` (end exclusive), sorted
    /// and not overlapping.
    pub spans: Vec<CharSpan>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CharSpan {
    pub slot: String,
    pub start: usize,
    pub end: usize,
}

impl Example {
    /// The words of a span as written.
    pub fn value(&self, span: &CharSpan) -> String {
        self.text.chars().skip(span.start).take(span.end - span.start).collect()
    }
}

/// Which JSON-lines dialect a file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// `{text, intent, entities: [{type, start_char, end_char}]}`
    Slurp,
    /// `{text, intent, slots: [{slot, start_char, end_char}]}`
    Snips,
    /// `{text, intent, slots: [{name, start, end}]}` (the SNIPS keys also
    /// work); `"intent": null` is out of domain ([`crate::OUT_OF_DOMAIN`]).
    Hush,
}

/// A line that is not a usable example.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct DataError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// Reads examples from a file.
pub fn read(path: &Path, format: Format) -> Result<Vec<Example>, DataError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| DataError { file: file.clone(), line: 0, message: format!("cannot read: {e}") })?;
    parse(&file, &text, format)
}

/// Reads examples from JSON lines; `file` names them in errors.
pub fn parse(file: &str, text: &str, format: Format) -> Result<Vec<Example>, DataError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let err = |message: String| DataError { file: file.to_owned(), line: i + 1, message };
        let row: serde_json::Value = serde_json::from_str(line).map_err(|e| err(format!("not JSON: {e}")))?;
        out.push(example(&row, format).map_err(err)?);
    }
    if out.is_empty() {
        return Err(DataError { file: file.to_owned(), line: 0, message: "no examples".into() });
    }
    Ok(out)
}

fn example(row: &serde_json::Value, format: Format) -> Result<Example, String> {
    let text = row.get("text").and_then(|v| v.as_str()).ok_or("no \"text\" string")?.to_owned();
    if text.trim().is_empty() {
        return Err("empty \"text\"".into());
    }
    let intent = match row.get("intent") {
        // hush's own files mark a sentence the app does not serve with a
        // null intent; the model learns it as a class of its own.
        Some(serde_json::Value::Null) if format == Format::Hush => crate::OUT_OF_DOMAIN.to_owned(),
        v => v.and_then(|v| v.as_str()).filter(|s| !s.is_empty()).ok_or("no \"intent\" string")?.to_owned(),
    };
    let (list, name_keys, start_keys, end_keys): (&str, &[&str], &[&str], &[&str]) = match format {
        Format::Slurp => ("entities", &["type"], &["start_char"], &["end_char"]),
        Format::Snips => ("slots", &["slot"], &["start_char"], &["end_char"]),
        Format::Hush => ("slots", &["name", "slot"], &["start", "start_char"], &["end", "end_char"]),
    };
    let len = text.chars().count();
    let mut spans = Vec::new();
    let items = match row.get(list) {
        None | Some(serde_json::Value::Null) => &[][..],
        Some(serde_json::Value::Array(a)) => a.as_slice(),
        Some(_) => return Err(format!("\"{list}\" must be a list")),
    };
    for (k, item) in items.iter().enumerate() {
        let field = |keys: &[&str]| keys.iter().find_map(|key| item.get(*key));
        let slot = field(name_keys).and_then(|v| v.as_str()).ok_or_else(|| format!("{list}[{k}]: no \"{}\"", name_keys[0]))?;
        let num = |keys: &[&str]| field(keys).and_then(|v| v.as_u64()).map(|n| n as usize).ok_or_else(|| format!("{list}[{k}]: no \"{}\" number", keys[0]));
        let (start, end) = (num(start_keys)?, num(end_keys)?);
        if start >= end || end > len {
            return Err(format!("{list}[{k}] ({slot}): span {start}..{end} is outside the {len}-character text"));
        }
        spans.push(CharSpan { slot: slot.to_owned(), start, end });
    }
    spans.sort_by_key(|s| (s.start, s.end));
    if let Some(w) = spans.windows(2).find(|w| w[1].start < w[0].end) {
        return Err(format!("slots {} and {} overlap", w[0].slot, w[1].slot));
    }
    Ok(Example { text, intent, spans })
}

/// Training sentences from an intent set alone: `per_template` sentences
/// sampled from every template (with their slots' spans) plus each intent's
/// `examples:` (intent only), so an app's own domains get a learned fallback
/// with no extra data.
pub fn from_intents(set: &hush_nlu::IntentSet, per_template: usize, seed: u64) -> Vec<Example> {
    let mut out: Vec<Example> = hush_nlu::sample(set, per_template, seed)
        .into_iter()
        .filter(|s| !s.text.is_empty())
        .map(|s| Example { spans: s.spans.into_iter().map(|(slot, start, end)| CharSpan { slot, start, end }).collect(), text: s.text, intent: s.intent })
        .collect();
    for intent in &set.intents {
        out.extend(intent.examples.iter().map(|t| Example { text: t.clone(), intent: intent.name.clone(), spans: vec![] }));
    }
    out
}

/// Splits examples into (train, validation) with a fixed seed: the same
/// seed gives the same split. `share` of them (0..1) go to validation,
/// drawn within each intent so that every intent is in both when it can be.
pub fn split(examples: &[Example], share: f64, seed: u64) -> (Vec<Example>, Vec<Example>) {
    let mut by_intent: std::collections::BTreeMap<&str, Vec<&Example>> = Default::default();
    for e in examples {
        by_intent.entry(&e.intent).or_default().push(e);
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut train, mut val) = (Vec::new(), Vec::new());
    for (_, mut group) in by_intent {
        group.shuffle(&mut rng);
        let n_val = if group.len() > 1 { ((group.len() as f64 * share).round() as usize).clamp(usize::from(share > 0.0), group.len() - 1) } else { 0 };
        val.extend(group[..n_val].iter().map(|e| (*e).clone()));
        train.extend(group[n_val..].iter().map(|e| (*e).clone()));
    }
    (train, val)
}

/// A slot the model tagged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaggedSlot {
    pub slot: String,
    /// Character offsets into the text, end exclusive.
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// The model's reading of one sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    pub intent: String,
    /// Calibrated probability of `intent`.
    pub confidence: f32,
    pub slots: Vec<TaggedSlot>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_dialects_read_alike() {
        let slurp =
            r#"{"text": "wake me up at five am", "intent": "alarm_set", "entities": [{"type": "time", "value": "five am", "start_char": 14, "end_char": 21}]}"#;
        let snips =
            r#"{"text": "wake me up at five am", "intent": "alarm_set", "slots": [{"slot": "time", "value": "five am", "start_char": 14, "end_char": 21}]}"#;
        let hush = r#"{"text": "wake me up at five am", "intent": "alarm_set", "slots": [{"name": "time", "start": 14, "end": 21}]}"#;
        let a = parse("a", slurp, Format::Slurp).unwrap();
        assert_eq!(a, parse("b", snips, Format::Snips).unwrap());
        assert_eq!(a, parse("c", hush, Format::Hush).unwrap());
        assert_eq!(a[0].value(&a[0].spans[0]), "five am");
    }

    #[test]
    fn bad_lines_name_their_line() {
        let ok = r#"{"text": "hi", "intent": "greet"}"#;
        let cases = [
            ("{\"intent\": \"x\"}", "no \"text\""),
            ("{\"text\": \"hi\"}", "no \"intent\""),
            (r#"{"text": "hi", "intent": "x", "slots": [{"slot": "a", "start_char": 1, "end_char": 9}]}"#, "outside the 2-character text"),
            (
                r#"{"text": "hi there", "intent": "x", "slots": [{"slot": "a", "start_char": 0, "end_char": 5}, {"slot": "b", "start_char": 3, "end_char": 8}]}"#,
                "overlap",
            ),
            (r#"{"text": "hi", "intent": "x", "slots": [{"start_char": 0, "end_char": 1}]}"#, "no \"slot\""),
            ("not json", "not JSON"),
        ];
        for (bad, want) in cases {
            let e = parse("data.jsonl", &format!("{ok}\n\n{bad}\n"), Format::Snips).unwrap_err();
            assert_eq!(e.line, 3, "{bad}");
            assert!(e.to_string().starts_with("data.jsonl:3: ") && e.message.contains(want), "{e}");
        }
        assert_eq!(parse("empty.jsonl", "\n", Format::Snips).unwrap_err().message, "no examples");
    }

    #[test]
    fn a_null_intent_is_out_of_domain_in_hush_files_only() {
        let row = r#"{"text": "pay attention to the road", "intent": null, "slots": null}"#;
        assert_eq!(parse("a", row, Format::Hush).unwrap()[0].intent, crate::OUT_OF_DOMAIN);
        assert!(parse("b", row, Format::Snips).unwrap_err().message.contains("no \"intent\""));
    }

    #[test]
    fn intent_files_give_spanned_examples() {
        let set = hush_nlu::IntentSet::builtin().unwrap();
        let ex = from_intents(&set, 2, 1);
        assert!(ex.len() > 2 * 290, "{}", ex.len());
        let ride = ex.iter().find(|e| e.intent == "order_ride" && e.spans.iter().any(|s| s.slot == "destination")).unwrap();
        let dest = ride.spans.iter().find(|s| s.slot == "destination").unwrap();
        assert!(!ride.value(dest).is_empty());
        assert!(ex.iter().any(|e| e.text == "feed me" && e.intent == "order_food"), "examples: are included");
        assert_eq!(from_intents(&set, 2, 1), ex, "seeded");
    }

    #[test]
    fn split_is_seeded_stratified_and_complete() {
        let ex: Vec<Example> = (0..50).map(|i| Example { text: format!("s{i}"), intent: format!("i{}", i % 5), spans: vec![] }).collect();
        let (t1, v1) = split(&ex, 0.2, 7);
        let (t2, v2) = split(&ex, 0.2, 7);
        assert_eq!((&t1, &v1), (&t2, &v2));
        assert_eq!((t1.len(), v1.len()), (40, 10));
        assert_ne!(split(&ex, 0.2, 8).1, v1, "another seed, another split");
        for i in 0..5 {
            assert_eq!(v1.iter().filter(|e| e.intent == format!("i{i}")).count(), 2);
        }
    }
}
