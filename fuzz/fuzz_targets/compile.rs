//! Intent files that load, compiled: the matcher's automaton, the grammar
//! that steers Whisper, sampled sentences and the vocabulary prompt. Small
//! files (the Makefile gives 1 KB), so that each run stays cheap.
#![no_main]
use hush_nlu::{IntentSet, MatchParams, Matcher};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let Ok(set) = IntentSet::from_sources(&[("fuzz.yaml", src)]) else { return };
    for s in hush_nlu::sample(&set, 1, 7) {
        assert!(!s.intent.is_empty());
    }
    let _ = hush_nlu::vocabulary_prompt(&set, 800);
    let m = Matcher::new(set, MatchParams::default());
    let g = m.grammar();
    let _ = g.feed(&g.start(), " hello");
    let _ = m.parse("turn on the light");
});
