//! The whisper.cpp ggml reader on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = hush_models::foreign::parse_ggml(data);
});
