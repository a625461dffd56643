//! Scores of a learned model against labelled sentences: intent accuracy,
//! SLURP's scenario accuracy and distance-weighted span F1 (SLU-F1), and
//! SNIPS-style slot F1 and exact-frame accuracy.

use crate::data::Example;
use crate::data::Prediction;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scores {
    pub sentences: usize,
    pub intent_accuracy: f64,
    /// Share whose scenario (the intent name before its first `_`) is right.
    pub scenario_accuracy: f64,
    /// Exact span F1: slot name and character span both right.
    pub slot_f1: f64,
    /// CharSpan F1 where a predicted value of the right slot counts in part,
    /// by word-level edit distance to the gold value.
    pub span_f1_word: f64,
    /// The same by character-level edit distance.
    pub span_f1_char: f64,
    /// SLURP's SLU-F1: the mean of the word- and character-distance span F1s.
    pub slu_f1: f64,
    /// Intent and every slot exactly right.
    pub exact_frame: f64,
    /// Share of sentences whose calibrated confidence reaches
    /// [`DEFAULT_THRESHOLD`](crate::DEFAULT_THRESHOLD): those the engine
    /// lets the model answer.
    pub confident_share: f64,
    /// Intent accuracy over those sentences.
    pub confident_accuracy: f64,
}

#[derive(Default)]
struct Counts {
    tp: f64,
    fp: f64,
    fn_: f64,
}

impl Counts {
    fn f1(&self) -> f64 {
        let p = if self.tp + self.fp > 0.0 { self.tp / (self.tp + self.fp) } else { 0.0 };
        let r = if self.tp + self.fn_ > 0.0 { self.tp / (self.tp + self.fn_) } else { 0.0 };
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else if self.tp + self.fp + self.fn_ == 0.0 {
            // No slots anywhere, none predicted: nothing was missed.
            1.0
        } else {
            0.0
        }
    }
}

/// Distance in [0, 1] between a gold and a predicted value.
fn distance(gold: &str, pred: &str, words: bool) -> f64 {
    let norm = |s: &str| s.to_lowercase();
    let (g, p) = (norm(gold), norm(pred));
    let (d, n) = if words {
        let (g, p): (Vec<&str>, Vec<&str>) = (g.split_whitespace().collect(), p.split_whitespace().collect());
        (strsim::generic_levenshtein(&g, &p), g.len().max(p.len()))
    } else {
        (strsim::levenshtein(&g, &p), g.chars().count().max(p.chars().count()))
    };
    if n == 0 {
        0.0
    } else {
        (d as f64 / n as f64).min(1.0)
    }
}

/// Adds one sentence's slots to distance-weighted counts: values of the
/// same slot are paired closest first; a pair at distance d counts 1 - d
/// as right and d as both a false positive and a false negative.
fn add_distance(counts: &mut Counts, gold: &[(String, String)], pred: &[(String, String)], words: bool) {
    let mut by_slot: HashMap<&str, (Vec<&str>, Vec<&str>)> = HashMap::new();
    for (s, v) in gold {
        by_slot.entry(s).or_default().0.push(v);
    }
    for (s, v) in pred {
        by_slot.entry(s).or_default().1.push(v);
    }
    for (_, (mut g, mut p)) in by_slot {
        while !g.is_empty() && !p.is_empty() {
            let (mut bi, mut bj, mut bd) = (0, 0, f64::MAX);
            for (i, gv) in g.iter().enumerate() {
                for (j, pv) in p.iter().enumerate() {
                    let d = distance(gv, pv, words);
                    if d < bd {
                        (bi, bj, bd) = (i, j, d);
                    }
                }
            }
            counts.tp += 1.0 - bd;
            counts.fp += bd;
            counts.fn_ += bd;
            g.swap_remove(bi);
            p.swap_remove(bj);
        }
        counts.fn_ += g.len() as f64;
        counts.fp += p.len() as f64;
    }
}

fn scenario(intent: &str) -> &str {
    intent.split('_').next().unwrap_or(intent)
}

/// How many predicted slots are gold ones, name and span.
fn span_hits(g: &Example, p: &Prediction) -> usize {
    p.slots.iter().filter(|x| g.spans.iter().any(|s| s.slot == x.slot && s.start == x.start && s.end == x.end)).count()
}

/// Whether a prediction is the gold frame: its intent, and exactly the
/// gold slots (name and span).
pub fn exact_frame(g: &Example, p: &Prediction) -> bool {
    let hits = span_hits(g, p);
    g.intent == p.intent && hits == g.spans.len() && hits == p.slots.len()
}

/// Scores predictions (in the order of `gold`).
pub fn score(gold: &[Example], pred: &[Prediction]) -> Scores {
    let n = gold.len().min(pred.len());
    if n == 0 {
        return Scores::default();
    }
    let (mut intent, mut scen, mut frame, mut confident, mut confident_right) = (0usize, 0usize, 0usize, 0usize, 0usize);
    let (mut exact, mut word, mut char) = (Counts::default(), Counts::default(), Counts::default());
    for (g, p) in gold.iter().zip(pred) {
        intent += usize::from(g.intent == p.intent);
        if p.confidence >= crate::DEFAULT_THRESHOLD {
            confident += 1;
            confident_right += usize::from(g.intent == p.intent);
        }
        scen += usize::from(scenario(&g.intent) == scenario(&p.intent));
        let hits = span_hits(g, p);
        exact.tp += hits as f64;
        exact.fp += (p.slots.len() - hits) as f64;
        exact.fn_ += (g.spans.len() - hits) as f64;
        frame += usize::from(exact_frame(g, p));
        let gv: Vec<(String, String)> = g.spans.iter().map(|s| (s.slot.clone(), g.value(s))).collect();
        let pv: Vec<(String, String)> = p.slots.iter().map(|s| (s.slot.clone(), s.text.clone())).collect();
        add_distance(&mut word, &gv, &pv, true);
        add_distance(&mut char, &gv, &pv, false);
    }
    let share = |k: usize| k as f64 / n as f64;
    let (w, c) = (word.f1(), char.f1());
    Scores {
        sentences: n,
        intent_accuracy: share(intent),
        scenario_accuracy: share(scen),
        slot_f1: exact.f1(),
        span_f1_word: w,
        span_f1_char: c,
        slu_f1: (w + c) / 2.0,
        exact_frame: share(frame),
        confident_share: share(confident),
        confident_accuracy: if confident > 0 { confident_right as f64 / confident as f64 } else { 0.0 },
    }
}

/// What an utterance was read as: an intent (none when rejected) and slot
/// values as words. Spoken-input scoring compares these, since a
/// recogniser's text differs from the reference and spans cannot be.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Frame {
    pub intent: Option<String>,
    /// (slot, value) pairs; values compared after lower-casing.
    pub slots: Vec<(String, String)>,
}

/// Scores of predicted frames against gold ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct FrameScores {
    pub sentences: usize,
    pub intent_accuracy: f64,
    /// Slot F1 where a slot counts when its name and whole value are right.
    pub slot_f1: f64,
    pub span_f1_word: f64,
    pub span_f1_char: f64,
    /// SLURP's SLU-F1: the mean of the word- and character-distance F1s.
    pub slu_f1: f64,
    /// Intent right and the slots exactly the gold ones.
    pub exact_frame: f64,
}

/// Scores `(gold, predicted)` frames; `same_intent(gold, predicted)` says
/// whether two intent names mean the same (label sets can differ).
pub fn score_frames(pairs: &[(Frame, Frame)], same_intent: impl Fn(&str, &str) -> bool) -> FrameScores {
    if pairs.is_empty() {
        return FrameScores::default();
    }
    let (mut intent, mut frame) = (0usize, 0usize);
    let (mut exact, mut word, mut char) = (Counts::default(), Counts::default(), Counts::default());
    for (g, p) in pairs {
        let right = matches!((&g.intent, &p.intent), (Some(g), Some(p)) if same_intent(g, p));
        intent += usize::from(right);
        let lower = |v: &[(String, String)]| v.iter().map(|(s, x)| (s.clone(), x.to_lowercase())).collect::<Vec<_>>();
        let (gs, mut ps) = (lower(&g.slots), lower(&p.slots));
        let mut hits = 0;
        for x in &gs {
            if let Some(i) = ps.iter().position(|y| y == x) {
                ps.swap_remove(i);
                hits += 1;
            }
        }
        exact.tp += hits as f64;
        exact.fp += (p.slots.len() - hits) as f64;
        exact.fn_ += (gs.len() - hits) as f64;
        frame += usize::from(right && hits == gs.len() && hits == p.slots.len());
        add_distance(&mut word, &g.slots, &p.slots, true);
        add_distance(&mut char, &g.slots, &p.slots, false);
    }
    let share = |k: usize| k as f64 / pairs.len() as f64;
    let (w, c) = (word.f1(), char.f1());
    FrameScores {
        sentences: pairs.len(),
        intent_accuracy: share(intent),
        slot_f1: exact.f1(),
        span_f1_word: w,
        span_f1_char: c,
        slu_f1: (w + c) / 2.0,
        exact_frame: share(frame),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::CharSpan;
    use crate::data::TaggedSlot;

    fn gold(intent: &str, text: &str, spans: &[(&str, usize, usize)]) -> Example {
        Example { text: text.into(), intent: intent.into(), spans: spans.iter().map(|&(s, a, b)| CharSpan { slot: s.into(), start: a, end: b }).collect() }
    }

    fn pred(intent: &str, text: &str, spans: &[(&str, usize, usize)]) -> Prediction {
        let slots = spans.iter().map(|&(s, a, b)| TaggedSlot { slot: s.into(), start: a, end: b, text: text.chars().skip(a).take(b - a).collect() }).collect();
        Prediction { intent: intent.into(), confidence: 1.0, slots }
    }

    #[test]
    fn perfect_partial_and_wrong() {
        let t = "wake me up at five am tomorrow";
        let g = [gold("alarm_set", t, &[("time", 14, 21), ("date", 22, 30)])];
        let s = score(&g, &[pred("alarm_set", t, &[("time", 14, 21), ("date", 22, 30)])]);
        assert_eq!((s.intent_accuracy, s.slot_f1, s.slu_f1, s.exact_frame), (1.0, 1.0, 1.0, 1.0));

        // "five" for "five am": wrong as an exact span, half right by words.
        let s = score(&g, &[pred("alarm_query", t, &[("time", 14, 18), ("date", 22, 30)])]);
        assert_eq!((s.intent_accuracy, s.scenario_accuracy, s.exact_frame), (0.0, 1.0, 0.0));
        assert!((s.slot_f1 - 0.5).abs() < 1e-9, "{s:?}");
        // word distance 1/2: tp 1.5, fp 0.5, fn 0.5 → F1 0.75
        assert!((s.span_f1_word - 0.75).abs() < 1e-9, "{s:?}");
        assert!(s.span_f1_char > s.span_f1_word, "{s:?}");

        // A value under the wrong slot name counts as missed and extra.
        let s = score(&g, &[pred("alarm_set", t, &[("place", 14, 21)])]);
        assert_eq!((s.slot_f1, s.span_f1_word), (0.0, 0.0));
    }

    #[test]
    fn no_slots_anywhere_is_perfect_not_zero() {
        let g = [gold("weather_query", "is it raining", &[])];
        let s = score(&g, &[pred("weather_query", "is it raining", &[])]);
        assert_eq!((s.slot_f1, s.slu_f1, s.exact_frame), (1.0, 1.0, 1.0));
    }

    #[test]
    fn frames_compare_values_not_spans() {
        let f = |intent: Option<&str>, slots: &[(&str, &str)]| Frame {
            intent: intent.map(str::to_owned),
            slots: slots.iter().map(|(s, v)| (s.to_string(), v.to_string())).collect(),
        };
        let gold = f(Some("transport_taxi"), &[("place_name", "the airport"), ("time", "five pm")]);
        let pairs = vec![
            (gold.clone(), f(Some("transport_taxi"), &[("place_name", "The Airport"), ("time", "five pm")])),
            (gold.clone(), f(Some("order_ride"), &[("place_name", "airport")])),
            (gold.clone(), f(None, &[])),
        ];
        let same = |g: &str, p: &str| g == p || (g, p) == ("transport_taxi", "order_ride");
        let s = score_frames(&pairs, same);
        assert_eq!(s.sentences, 3);
        assert!((s.intent_accuracy - 2.0 / 3.0).abs() < 1e-9, "{s:?}");
        assert!((s.exact_frame - 1.0 / 3.0).abs() < 1e-9, "{s:?}");
        // exact: tp 2, fp 1, fn 4 → P 2/3, R 1/3 → F1 4/9
        assert!((s.slot_f1 - 4.0 / 9.0).abs() < 1e-9, "{s:?}");
        assert!(s.slu_f1 > s.slot_f1, "\"airport\" for \"the airport\" counts in part: {s:?}");
        let strict = score_frames(&pairs, |g, p| g == p);
        assert!((strict.intent_accuracy - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(score_frames(&[], same), FrameScores::default());
    }
}
