//! The number, money, time and date parsers, in every language, on
//! arbitrary words.
#![no_main]
use hush_nlu::{parse_builtin, parse_number, Builtin, Language};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let words = hush_nlu::words(&text);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    if let Some(n) = parse_number(&words) {
        assert!(n.value.is_finite() && n.words <= words.len());
    }
    for language in Language::ALL {
        for (_, ty) in Builtin::ALL {
            if let Some(r) = parse_builtin(ty, &words, language) {
                assert!(r.len <= words.len(), "{ty:?} read {} of {} words", r.len, words.len());
            }
        }
    }
});
