//! The built-in domains: every template round-trips, and ASR-style damage
//! is tolerated.

use hush_nlu::{sample, IntentSet, MatchParams, Matcher, Value};

fn matcher() -> Matcher {
    Matcher::new(IntentSet::builtin().unwrap_or_else(|e| panic!("{e}")), MatchParams::default())
}

#[test]
fn every_builtin_template_round_trips() {
    let m = matcher();
    let samples = sample(m.intents(), 8, 7);
    let mut failures = Vec::new();
    for s in &samples {
        let got = m.parse(&s.text);
        let ok = got.as_ref().is_some_and(|i| {
            let mut slots: Vec<(String, Value)> = i.slots.iter().map(|x| (x.name.clone(), x.value.clone())).collect();
            let mut want = s.slots.clone();
            slots.sort_by(|a, b| a.0.cmp(&b.0));
            want.sort_by(|a, b| a.0.cmp(&b.0));
            i.name == s.intent && slots == want
        });
        if !ok {
            failures.push(format!("{} #{}: \"{}\" {:?} → {:?}", s.intent, s.template, s.text, s.slots, got.map(|i| (i.name, i.slots, i.confidence))));
        }
    }
    assert!(failures.is_empty(), "{} of {} samples did not round-trip:\n{}", failures.len(), samples.len(), failures.join("\n"));
}

#[test]
#[ignore = "a profiling loop, not a check"]
fn profile_slurp() {
    let m = matcher();
    let text = std::fs::read_to_string("../../../shared/data/slurp/devel.jsonl").unwrap();
    let texts: Vec<String> = text.lines().map(|l| l.split("\"text\": \"").nth(1).unwrap().split('"').next().unwrap().to_string()).collect();
    let t = std::time::Instant::now();
    for _ in 0..5 {
        for s in &texts {
            std::hint::black_box(m.parse(s));
        }
    }
    eprintln!("{:.1} us/parse", t.elapsed().as_secs_f64() * 1e6 / (5 * texts.len()) as f64);
}
