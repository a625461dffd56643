//! Intent files loaded: every limit and error path of the loader, on the
//! built-in domains mutated (the seed corpus) or any text. `compile` takes
//! what loads on to the matcher.
#![no_main]
use hush_nlu::IntentSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    match IntentSet::from_sources(&[("fuzz.yaml", src)]) {
        // What loads is within the limits the matcher relies on.
        Ok(set) => {
            for t in set.intents.iter().flat_map(|i| &i.templates) {
                assert!(t.text.chars().count() <= 16_384, "{}", t.text.len());
            }
        }
        // Every problem is located in the file.
        Err(e) => assert!(!e.0.is_empty() && e.0.iter().all(|e| e.at.line >= 1)),
    }
});
