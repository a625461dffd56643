//! The GGUF header check that runs before candle reads a file: whatever it
//! accepts, candle's reader must read without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut r = std::io::Cursor::new(data);
    if hush_asr::gguf::check_header(&mut r, data.len() as u64).is_ok() {
        r.set_position(0);
        let _ = candle_core::quantized::gguf_file::Content::read(&mut r);
    }
});
