//! The CTranslate2 model reader and converter on arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = hush_models::ct2::convert_bytes(data);
});
