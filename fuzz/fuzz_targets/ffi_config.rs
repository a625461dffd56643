//! The C ABI's configuration JSON, read and checked as hush_engine_new()
//! does before building anything.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = hush_ffi::check_config(s);
    }
});
