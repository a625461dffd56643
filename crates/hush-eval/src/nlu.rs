//! Scoring the matcher on labelled sentences: precision and recall of the
//! intents it knows, how often it rejects what it does not know, how well
//! its confidence is calibrated, and how fast it parses.

use crate::frames::ratio;
use hush_nlu::{Evidence, Matcher};
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Instant;

/// A sentence with what it should parse to.
#[derive(Debug, Clone)]
pub struct Labeled {
    pub text: String,
    /// The intent it means, `None` when no intent of the set fits.
    pub gold: Option<String>,
    /// Out of domain: nothing in its whole topic is covered, so it should
    /// be rejected (SLURP sentences of unmapped scenarios).
    pub out_of_domain: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct IntentScore {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

/// One confidence bin: how sure the matcher said it was, and how often it
/// was right.
#[derive(Debug, Clone, Serialize)]
pub struct Bin {
    pub from: f32,
    pub to: f32,
    pub count: usize,
    pub mean_confidence: f32,
    pub accuracy: f32,
}

/// A wrong answer, for reading.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub text: String,
    pub gold: Option<String>,
    pub predicted: Option<String>,
    pub confidence: f32,
}

#[derive(Debug, Clone, Serialize)]
pub struct NluReport {
    pub sentences: usize,
    /// Sentences whose intent the set has.
    pub in_domain: usize,
    pub out_of_domain: usize,
    /// Neither: an uncovered intent within a covered topic.
    pub other: usize,
    /// Parses accepted (confidence at or above the threshold).
    pub accepted: usize,
    pub correct: usize,
    /// correct / accepted.
    pub precision: f64,
    /// correct / accepted, counting only in-domain sentences (out-of-domain
    /// ones are scored by `out_of_domain_rejected`).
    pub in_domain_precision: f64,
    /// correct / in_domain.
    pub recall: f64,
    /// Share of out-of-domain sentences rejected.
    pub out_of_domain_rejected: f64,
    /// Share of `other` sentences rejected.
    pub other_rejected: f64,
    /// Expected calibration error of the best parse's confidence (10 bins).
    pub calibration_error: f64,
    /// The same, over only the sentences that had a candidate parse at
    /// all (the rest are trivially right at confidence 0).
    pub calibration_error_parsed: f64,
    pub calibration: Vec<Bin>,
    pub latency_us_p50: f64,
    pub latency_us_p95: f64,
    pub per_intent: BTreeMap<String, IntentScore>,
    pub misses: Vec<Miss>,
    /// Every sentence's best parse, for fitting and reading.
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub text: String,
    pub gold: Option<String>,
    pub out_of_domain: bool,
    /// The best parse whatever its confidence.
    pub best: Option<String>,
    pub confidence: f32,
    pub evidence: Option<Evidence>,
}

/// Reliability table of the best parses' confidence: 10 equal-width bins,
/// with how sure the matcher was in each and how often it was right.
fn reliability(items: &[&Item]) -> Vec<Bin> {
    let mut bins = [(0usize, 0f64, 0usize); 10];
    for i in items {
        let b = ((i.confidence * 10.0) as usize).min(9);
        bins[b].0 += 1;
        bins[b].1 += i.confidence as f64;
        bins[b].2 += usize::from(i.best.is_some() && i.best == i.gold);
    }
    bins.iter()
        .enumerate()
        .map(|(i, &(n, sum, right))| Bin {
            from: i as f32 / 10.0,
            to: (i + 1) as f32 / 10.0,
            count: n,
            mean_confidence: if n == 0 { 0.0 } else { (sum / n as f64) as f32 },
            accuracy: ratio(right, n) as f32,
        })
        .collect()
}

/// Expected calibration error of a reliability table.
fn expected_calibration_error(bins: &[Bin]) -> f64 {
    let n: usize = bins.iter().map(|b| b.count).sum();
    bins.iter().map(|b| b.count as f64 * (b.mean_confidence as f64 - b.accuracy as f64).abs()).sum::<f64>() / n.max(1) as f64
}

/// Parses every sentence and scores the answers.
pub fn evaluate(m: &Matcher, data: &[Labeled]) -> NluReport {
    let threshold = m.params().threshold;
    let mut per_intent: BTreeMap<String, IntentScore> = BTreeMap::new();
    let mut latencies = Vec::with_capacity(data.len());
    let (mut accepted, mut correct, mut ood_rej, mut other_rej, mut accepted_in) = (0, 0, 0, 0, 0);
    let mut misses = Vec::new();
    let mut items = Vec::with_capacity(data.len());
    for ex in data {
        let t = Instant::now();
        let best = m.parse_nbest(&ex.text, 1).into_iter().next();
        latencies.push(t.elapsed().as_secs_f64() * 1e6);
        let conf = best.as_ref().map_or(0.0, |b| b.confidence);
        let evidence = best.as_ref().map(|b| b.evidence);
        let top = best.map(|b| b.name);
        items.push(Item { text: ex.text.clone(), gold: ex.gold.clone(), out_of_domain: ex.out_of_domain, best: top.clone(), confidence: conf, evidence });
        let predicted = top.filter(|_| conf >= threshold);
        if let Some(p) = &predicted {
            accepted += 1;
            accepted_in += usize::from(ex.gold.is_some());
            if Some(p) == ex.gold.as_ref() {
                correct += 1;
                per_intent.entry(p.clone()).or_default().true_positives += 1;
            } else {
                per_intent.entry(p.clone()).or_default().false_positives += 1;
            }
        } else if ex.out_of_domain {
            ood_rej += 1;
        } else if ex.gold.is_none() {
            other_rej += 1;
        }
        if let Some(g) = &ex.gold {
            if predicted.as_ref() != Some(g) {
                per_intent.entry(g.clone()).or_default().false_negatives += 1;
            }
        }
        if predicted != ex.gold {
            misses.push(Miss { text: ex.text.clone(), gold: ex.gold.clone(), predicted, confidence: conf });
        }
    }
    latencies.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| latencies.get(((latencies.len().max(1) - 1) as f64 * p).round() as usize).copied().unwrap_or(0.0);
    let in_domain = data.iter().filter(|e| e.gold.is_some()).count();
    let out_of_domain = data.iter().filter(|e| e.out_of_domain).count();
    let other = data.len() - in_domain - out_of_domain;
    // Calibration looks at the best parse whatever the threshold.
    let all: Vec<&Item> = items.iter().collect();
    let calibration = reliability(&all);
    let calibration_error = expected_calibration_error(&calibration);
    let parsed: Vec<&Item> = items.iter().filter(|i| i.best.is_some()).collect();
    let calibration_error_parsed = expected_calibration_error(&reliability(&parsed));
    NluReport {
        sentences: data.len(),
        in_domain,
        out_of_domain,
        other,
        accepted,
        correct,
        precision: ratio(correct, accepted),
        in_domain_precision: ratio(correct, accepted_in),
        recall: ratio(correct, in_domain),
        out_of_domain_rejected: ratio(ood_rej, out_of_domain),
        other_rejected: ratio(other_rej, other),
        calibration_error,
        calibration_error_parsed,
        calibration,
        latency_us_p50: pct(0.5),
        latency_us_p95: pct(0.95),
        per_intent,
        misses,
        items,
    }
}

/// SLURP intents the built-in domains cover, and the built-in intent each
/// means. SLURP has no payments, school or calls; its taxi, takeaway,
/// media and volume requests map here.
pub const SLURP_TO_BUILTIN: &[(&str, &str)] = &[
    ("transport_taxi", "order_ride"),
    ("takeaway_order", "order_food"),
    ("play_music", "play_media"),
    ("play_radio", "play_media"),
    ("play_podcasts", "play_media"),
    ("play_audiobook", "play_media"),
    ("music", "play_media"),
    ("podcasts", "play_media"),
    ("audio_volume_up", "adjust_volume"),
    ("audio_volume_down", "adjust_volume"),
    ("audio_volume_mute", "adjust_volume"),
];

/// Reads labelled sentences from JSONL.
///
/// `slurp` rows (`text`, `intent`, `scenario`) are mapped with `map`
/// (SLURP intent → ours); a sentence is out of domain when its scenario
/// has no mapped intent. Other rows are hush's own: `text` and `intent`
/// (null or absent for out-of-domain sentences).
pub fn read_labeled(jsonl: &str, slurp: bool, map: &[(&str, &str)]) -> Result<Vec<Labeled>, String> {
    let mut rows = Vec::new();
    for (i, line) in jsonl.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let row: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("line {}: not JSON: {e}", i + 1))?;
        let field = |k: &str| row.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let text = field("text").ok_or_else(|| format!("line {}: no \"text\"", i + 1))?;
        let intent = field("intent");
        if slurp && intent.is_none() {
            return Err(format!("line {}: no \"intent\"", i + 1));
        }
        let scenario = field("scenario");
        rows.push((text, intent, scenario));
    }
    if !slurp {
        return Ok(rows.into_iter().map(|(text, intent, _)| Labeled { text, out_of_domain: intent.is_none(), gold: intent }).collect());
    }
    let scenario_of = |intent: &str, scenario: &Option<String>| scenario.clone().unwrap_or_else(|| intent.split('_').next().unwrap_or(intent).to_string());
    let mapped = |intent: &str| map.iter().find(|(s, _)| *s == intent).map(|(_, h)| h.to_string());
    // A scenario is covered when any of its intents is mapped.
    let covered: Vec<String> =
        rows.iter().filter(|(_, i, _)| i.as_deref().and_then(mapped).is_some()).map(|(_, i, s)| scenario_of(i.as_deref().unwrap_or(""), s)).collect();
    Ok(rows
        .into_iter()
        .map(|(text, intent, scenario)| {
            let intent = intent.unwrap_or_default();
            let out_of_domain = !covered.contains(&scenario_of(&intent, &scenario));
            Labeled { text, gold: mapped(&intent), out_of_domain }
        })
        .collect())
}
