//! The matcher on arbitrary text, with the built-in domains in English and
//! Indonesian: an intent with a confidence in [0, 1], or none.
#![no_main]
use hush_nlu::{IntentSet, Language, MatchParams, Matcher};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static M: LazyLock<Matcher> = LazyLock::new(|| {
    let set = IntentSet::builtin_for(&[Language::English, Language::Indonesian]).expect("built-in domains");
    Matcher::new(set, MatchParams::default())
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for i in M.parse_nbest(&text, 3) {
        assert!((0.0..=1.0).contains(&i.confidence), "{i:?}");
    }
    for language in [Language::English, Language::Indonesian] {
        let _ = M.unlisted_value("order_ride", language, "destination", &text);
    }
    let _ = M.language_of(&text);
});
