//! What the built-in domains' tests share.

use hush_nlu::{sample, Matcher, Value};

/// Samples `per_template` sentences of every template of `m`'s intents
/// (seeded) and asserts each reads back as its intent with exactly the
/// slots it was generated with.
pub fn assert_every_template_round_trips(m: &Matcher, per_template: usize, seed: u64) {
    let samples = sample(m.intents(), per_template, seed);
    let sorted = |mut v: Vec<(String, Value)>| {
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    let mut failures = Vec::new();
    for s in &samples {
        let got = m.parse(&s.text);
        let ok = got
            .as_ref()
            .is_some_and(|i| i.name == s.intent && sorted(i.slots.iter().map(|x| (x.name.clone(), x.value.clone())).collect()) == sorted(s.slots.clone()));
        if !ok {
            failures.push(format!("{} #{}: {:?} {:?} → {:?}", s.intent, s.template, s.text, s.slots, got.map(|i| (i.name, i.slots, i.confidence))));
        }
    }
    assert!(failures.is_empty(), "{} of {} samples did not round-trip:\n{}", failures.len(), samples.len(), failures.join("\n"));
}
