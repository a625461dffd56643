//! Intent files that load, compiled: the matcher's automaton, the grammar
//! that steers Whisper, sampled sentences, the vocabulary prompt and the
//! templates' openings read for negations. Small files (the Makefile
//! gives 1 KB), so that each run stays cheap.
#![no_main]
use hush_nlu::{IntentSet, MatchParams, Matcher};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let Ok(set) = IntentSet::from_sources(&[("fuzz.yaml", src)]) else { return };
    let samples = hush_nlu::sample(&set, 1, 7);
    for s in &samples {
        assert!(!s.intent.is_empty());
    }
    let _ = hush_nlu::vocabulary_prompt(&set, 800);
    let m = Matcher::new(set, MatchParams::default());
    // Whether a negated sentence negates its reading: every template's
    // opening is read.
    for s in samples.iter().take(8) {
        let said = format!("do not {}", s.text);
        for i in m.parse_nbest(&said, 1) {
            let _ = hush_nlu::negates(m.intents(), &said, &i);
        }
    }
    let g = m.grammar();
    let _ = g.feed(&g.start(), " hello");
    let _ = m.parse("turn on the light");
});
