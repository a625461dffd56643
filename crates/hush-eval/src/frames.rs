//! Scoring a reader (templates, learned model, or their fusion) on
//! sentences labelled with an intent and the words of each slot: intent
//! accuracy, slot exactness (every labelled slot's value, and no other
//! slot), out-of-domain false accepts, by intent and by part of the set.
//!
//! Labelled slot words are read into values by the intent's own slot
//! types (`hush_nlu::Matcher::slot_answers`), so "twenty bucks" and "$20" are the
//! same amount, and answers are compared as values.

use hush_nlu::{Intent, Matcher, Value};
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Instant;

/// A labelled sentence of a paraphrase set (`benches/paraphrases`).
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub text: String,
    /// `None`: out of domain, should be rejected.
    pub gold: Option<String>,
    /// (slot, words said); `None` when the slots are not labelled.
    pub slots: Option<Vec<(String, String)>>,
    /// Where it came from (`written`, `slip:drop`, `slurp`, ...).
    pub part: String,
    /// The language it is written in (`en`, `id`), if the set says.
    pub language: Option<String>,
}

/// Reads `{text, intent, slots: [{slot, text}] | null, part, language?}` lines.
pub fn read_sentences(jsonl: &str) -> Result<Vec<Sentence>, String> {
    let mut out = Vec::new();
    for (i, line) in jsonl.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let at = |m: &str| format!("line {}: {m}", i + 1);
        let row: serde_json::Value = serde_json::from_str(line).map_err(|e| at(&format!("not JSON: {e}")))?;
        let text = row.get("text").and_then(|v| v.as_str()).ok_or_else(|| at("no \"text\""))?.to_owned();
        let gold = match row.get("intent") {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => Some(v.as_str().ok_or_else(|| at("\"intent\" is not a string"))?.to_owned()),
        };
        let slots = match row.get("slots") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::Array(a)) => Some(
                a.iter()
                    .map(|s| {
                        let f = |k: &str| s.get(k).and_then(|v| v.as_str()).map(str::to_owned);
                        f("slot").zip(f("text")).ok_or_else(|| at("a slot needs \"slot\" and \"text\""))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            Some(_) => return Err(at("\"slots\" must be a list or null")),
        };
        let part = row.get("part").and_then(|v| v.as_str()).unwrap_or("").to_owned();
        let language = row.get("language").and_then(|v| v.as_str()).map(str::to_owned);
        out.push(Sentence { text, gold, slots, part, language });
    }
    Ok(out)
}

/// One intent's (or one part's) row of the report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    /// Sentences labelled with it.
    pub sentences: usize,
    /// ... read as it.
    pub intent_right: usize,
    /// ... with labelled slots.
    pub slots_labelled: usize,
    /// ... read as it with exactly the labelled slot values.
    pub slots_exact: usize,
    /// Other sentences (out of domain included) read as it.
    pub wrongly_read_as: usize,
}

/// How a reader did on the sentences of one language.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LanguageTally {
    pub in_domain: Tally,
    pub out_of_domain: usize,
    pub false_accepts: usize,
}

/// A sentence read wrong, for reading.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub text: String,
    pub part: String,
    pub gold: Option<String>,
    pub read: Option<String>,
    /// The answer's slots as `name=value`, when the intent was right.
    pub slots: Vec<String>,
    /// The labelled slots as `name=value`, when they were compared.
    pub labelled: Vec<String>,
}

/// How a reader did on a set.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FrameReport {
    pub in_domain: Tally,
    pub out_of_domain: usize,
    /// Out-of-domain sentences given an intent.
    pub false_accepts: usize,
    /// Labelled slot words that their own slot type does not read (a
    /// labelling mistake or a parser's gap; compared as words), as
    /// `intent.slot: words`.
    pub unreadable_gold: Vec<String>,
    pub per_intent: BTreeMap<String, Tally>,
    pub per_part: BTreeMap<String, Tally>,
    /// By the sentences' `language` (empty when a set does not say).
    pub per_language: BTreeMap<String, LanguageTally>,
    /// Reading time per sentence in µs: p50 and p95 of all sentences.
    pub latency_us: (f64, f64),
    pub misses: Vec<Miss>,
}

impl FrameReport {
    pub fn intent_accuracy(&self) -> f64 {
        ratio(self.in_domain.intent_right, self.in_domain.sentences)
    }

    pub fn slot_exactness(&self) -> f64 {
        ratio(self.in_domain.slots_exact, self.in_domain.slots_labelled)
    }

    pub fn false_accept_rate(&self) -> f64 {
        ratio(self.false_accepts, self.out_of_domain)
    }
}

/// a / b, 0 when b is 0.
pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// A value as compared: list values and numbers as they are, free text
/// by its words without a leading article ("the airport" = "airport").
fn comparable(v: &Value) -> String {
    match v {
        Value::Text(t) => {
            let w = hush_nlu::words(t);
            let skip = usize::from(w.first().is_some_and(|f| matches!(f.as_str(), "the" | "a" | "an")));
            format!("text:{}", w[skip..].join(" "))
        }
        other => format!("{other:?}"),
    }
}

/// Scores `read` (a sentence → its reading, `None` when rejected) on
/// `data`; `matcher` reads the labelled slot words into values.
pub fn score(matcher: &Matcher, data: &[Sentence], mut read: impl FnMut(&str) -> Option<Intent>) -> FrameReport {
    let mut r = FrameReport::default();
    let mut latencies = Vec::with_capacity(data.len());
    for s in data {
        let t = Instant::now();
        let reading = read(&s.text);
        latencies.push(t.elapsed().as_secs_f64() * 1e6);
        let read_as = reading.as_ref().map(|i| i.name.clone());
        let part = r.per_part.entry(s.part.split(':').next().unwrap_or("").to_owned()).or_default();
        let language = r.per_language.entry(s.language.clone().unwrap_or_default()).or_default();
        let Some(gold) = &s.gold else {
            part.sentences += 1;
            r.out_of_domain += 1;
            language.out_of_domain += 1;
            if let Some(name) = &read_as {
                r.false_accepts += 1;
                language.false_accepts += 1;
                part.wrongly_read_as += 1;
                r.per_intent.entry(name.clone()).or_default().wrongly_read_as += 1;
                r.misses.push(Miss { text: s.text.clone(), part: s.part.clone(), gold: None, read: read_as, slots: vec![], labelled: vec![] });
            } else {
                part.intent_right += 1;
            }
            continue;
        };
        let right = read_as.as_deref() == Some(gold.as_str());
        let mut labelled_values: Vec<String> = Vec::new();
        let exact = match (&s.slots, &reading) {
            (Some(labelled), Some(reading)) if right => {
                let mut want: Vec<(String, String)> = Vec::new();
                for (slot, said) in labelled {
                    let value = match matcher.slot_answers(gold, reading.language, slot).and_then(|a| a.read(matcher, said)) {
                        Some(v) => comparable(&v.value),
                        None => {
                            r.unreadable_gold.push(format!("{gold}.{slot}: {said}"));
                            comparable(&Value::Text(said.clone()))
                        }
                    };
                    want.push((slot.clone(), value));
                }
                let mut got: Vec<(String, String)> = reading.slots.iter().map(|x| (x.name.clone(), comparable(&x.value))).collect();
                want.sort();
                got.sort();
                labelled_values = want.iter().map(|(n, v)| format!("{n}={v}")).collect();
                Some(want == got)
            }
            (Some(_), _) => Some(false),
            (None, _) => None,
        };
        for tally in [&mut r.in_domain, r.per_intent.entry(gold.clone()).or_default(), part, &mut language.in_domain] {
            tally.sentences += 1;
            tally.intent_right += usize::from(right);
            tally.slots_labelled += usize::from(exact.is_some());
            tally.slots_exact += usize::from(exact == Some(true));
        }
        if let Some(name) = read_as.as_ref().filter(|_| !right) {
            r.per_intent.entry(name.clone()).or_default().wrongly_read_as += 1;
        }
        if !right || exact == Some(false) {
            let slots = reading.iter().flat_map(|i| i.slots.iter().map(|x| format!("{}={}", x.name, comparable(&x.value)))).collect();
            r.misses.push(Miss { text: s.text.clone(), part: s.part.clone(), gold: s.gold.clone(), read: read_as, slots, labelled: labelled_values });
        }
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies.get(((latencies.len().max(1) - 1) as f64 * p).round() as usize).copied().unwrap_or(0.0);
    r.latency_us = (pct(0.5), pct(0.95));
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use hush_nlu::Language;

    #[test]
    fn values_not_words_are_compared_and_every_slot_counts() {
        let m = Matcher::new(hush_nlu::IntentSet::builtin().unwrap(), Default::default());
        let data = read_sentences(concat!(
            r#"{"text": "wire twenty bucks to sarah", "intent": "transfer_money", "slots": [{"slot": "amount", "text": "twenty bucks"}, {"slot": "recipient", "text": "sarah"}], "part": "written"}"#,
            "\n",
            r#"{"text": "pay attention to the road", "intent": null, "slots": null, "part": "written"}"#,
            "\n",
            r#"{"text": "call mom", "intent": "call_contact", "slots": [{"slot": "contact", "text": "mom"}], "part": "slip:drop"}"#,
        ))
        .unwrap();
        // A reader that reads "$20" for the amount, accepts the near-miss,
        // and hears a different contact.
        let r = score(&m, &data, |text| match text {
            "wire twenty bucks to sarah" => m.parse("send $20 to sarah"),
            "pay attention to the road" => m.parse("pay the electricity bill"),
            _ => m.parse("call dad"),
        });
        assert_eq!((r.in_domain.sentences, r.in_domain.intent_right, r.in_domain.slots_exact), (2, 2, 1));
        assert_eq!((r.out_of_domain, r.false_accepts), (1, 1));
        assert_eq!(r.per_intent["pay_bill"].wrongly_read_as, 1);
        assert_eq!((r.per_part["slip"].sentences, r.per_part["slip"].slots_exact), (1, 0));
        assert_eq!((r.per_part["written"].sentences, r.per_part["written"].intent_right), (2, 1));
        assert_eq!(r.misses.len(), 2);
        // The contact misheard: the miss says what was labelled beside what was read.
        let call = r.misses.iter().find(|x| x.text == "call mom").unwrap();
        assert_eq!((call.labelled.join(" "), call.slots.join(" ")), ("contact=text:mom".into(), "contact=text:dad".into()));
        assert!(r.unreadable_gold.is_empty());
    }

    /// Sentences of two languages are tallied apart, their slot words
    /// read by the language the reading is in.
    #[test]
    fn each_language_is_tallied_apart() {
        let set = hush_nlu::IntentSet::builtin_for(&[Language::English, Language::Indonesian]).unwrap();
        let m = Matcher::new(set, Default::default());
        let data = read_sentences(concat!(
            r#"{"text": "kirim lima puluh ribu ke budi", "intent": "transfer_money", "slots": [{"slot": "amount", "text": "lima puluh ribu"}, {"slot": "recipient", "text": "budi"}], "language": "id"}"#,
            "\n",
            r#"{"text": "tagihan listrik bulan lalu mahal", "intent": null, "slots": null, "language": "id"}"#,
            "\n",
            r#"{"text": "send twenty dollars to budi", "intent": "transfer_money", "slots": [{"slot": "amount", "text": "twenty dollars"}, {"slot": "recipient", "text": "budi"}], "language": "en"}"#,
        ))
        .unwrap();
        let r = score(&m, &data, |text| match text {
            "tagihan listrik bulan lalu mahal" => m.parse("bayar tagihan listrik"),
            t => m.parse(t),
        });
        let (id, en) = (&r.per_language["id"], &r.per_language["en"]);
        assert_eq!((id.in_domain.sentences, id.in_domain.slots_exact, id.out_of_domain, id.false_accepts), (1, 1, 1, 1));
        assert_eq!((en.in_domain.sentences, en.in_domain.slots_exact, en.out_of_domain, en.false_accepts), (1, 1, 0, 0));
        assert!(r.unreadable_gold.is_empty(), "{:?}", r.unreadable_gold);
    }

    #[test]
    fn bad_lines_are_named() {
        assert!(read_sentences("{\"intent\": null}").unwrap_err().starts_with("line 1: no \"text\""));
        assert!(read_sentences("{\"text\": \"x\", \"slots\": 3}").unwrap_err().contains("list or null"));
    }
}
