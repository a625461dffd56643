//! Intent files: loaded, and when they load, compiled into a matcher and
//! a grammar and sampled. The input is mutated from the built-in domains
//! (the seed corpus) or is any text.
#![no_main]
use hush_nlu::{IntentSet, MatchParams, Matcher};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    if let Ok(set) = IntentSet::from_sources(&[("fuzz.yaml", src)]) {
        let _ = hush_nlu::sample(&set, 2, 7);
        let _ = hush_nlu::vocabulary_prompt(&set, 800);
        let m = Matcher::new(set, MatchParams::default());
        let g = m.grammar();
        let _ = g.feed(&g.start(), " hello");
        let _ = m.parse("pay my bill");
    }
});
