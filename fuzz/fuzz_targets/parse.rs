//! The matcher on arbitrary text, with the built-in domains: an intent with
//! a confidence in [0, 1], or none.
#![no_main]
use hush_nlu::{IntentSet, MatchParams, Matcher};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static M: LazyLock<Matcher> = LazyLock::new(|| Matcher::new(IntentSet::builtin().expect("built-in domains"), MatchParams::default()));

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for i in M.parse_nbest(&text, 3) {
        assert!((0.0..=1.0).contains(&i.confidence), "{i:?}");
    }
    let _ = M.unlisted_value("order_ride", "destination", &text);
});
