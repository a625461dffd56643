//! What the built-in domains' tests share.
// Each test file is its own crate and uses only part of this.
#![allow(dead_code)]

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

/// A command, the intent it asks for, and slots it must carry.
pub type Said = (&'static str, &'static str, Vec<(&'static str, Value)>);

/// Asserts every command of `table` reads as its intent with (at least)
/// its slots, listing every one that does not.
pub fn assert_commands(m: &Matcher, table: &[Said]) {
    let mut wrong = Vec::new();
    for (said, intent, slots) in table {
        let got = m.parse(said);
        let ok = got.as_ref().is_some_and(|i| i.name == *intent && slots.iter().all(|(n, v)| i.slots.iter().any(|s| s.name == *n && &s.value == v)));
        if !ok {
            wrong.push(format!("{said:?}: wanted {intent} {slots:?}, got {:?}", got.map(|i| (i.name, i.slots))));
        }
    }
    assert!(wrong.is_empty(), "{} of {}:\n{}", wrong.len(), table.len(), wrong.join("\n"));
}
