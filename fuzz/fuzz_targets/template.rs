//! The template language's parser on any text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(e) = hush_nlu::parse_template(s) {
            let mut n = 0;
            e.visit(&mut |_| n += 1);
            assert!(n > 0);
        }
    }
});
