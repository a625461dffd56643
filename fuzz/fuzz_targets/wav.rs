//! WAV decoding, whole-file and frame by frame: an error or audio, never a
//! panic, and never more memory than the bytes given justify.
#![no_main]
use hush_audio::{decode_wav, AudioLimits};
use libfuzzer_sys::fuzz_target;
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    let opts = AudioLimits { max_duration: Duration::from_secs(3600), silence_floor_dbfs: None };
    if let Ok((audio, info)) = decode_wav(std::io::Cursor::new(data), &opts) {
        assert!(hush_audio::RATES.contains(&info.sample_rate));
        assert!(audio.samples().iter().all(|s| s.is_finite()));
    }
});
