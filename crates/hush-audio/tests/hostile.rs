//! The 60-byte WAVs of issue 19, read from disk as an app would: headers
//! claiming 65,535 channels, 4,294,967,295 Hz or 4 GB of data are typed
//! errors, each under 1 s and 100 MB (a phone-sized limit), because
//! nothing is sized from the header before it is checked.

use hush_audio::{read_wav, read_wav_frames, AudioError, AudioLimits};
use std::time::Duration;

#[path = "../../../tests/support/bounded.rs"]
mod bounded;
use bounded::bounded;

/// A 16-byte-data PCM WAV whose header says what it likes.
fn wav(channels: u16, rate: u32, bits: u16, data_len: u32) -> Vec<u8> {
    let block = channels.wrapping_mul(bits / 8);
    let mut b = Vec::new();
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&u32::MAX.to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&channels.to_le_bytes());
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&rate.wrapping_mul(block as u32).to_le_bytes());
    b.extend_from_slice(&block.to_le_bytes());
    b.extend_from_slice(&bits.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    b.extend_from_slice(&[0x11; 16]);
    b
}

#[test]
fn lying_headers_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    // Data lengths in whole frames, so that only the claim itself is wrong.
    let whole = |block: u32| u32::MAX - u32::MAX % block.max(1);
    let unlimited = AudioLimits { max_duration: Duration::from_secs(u32::MAX as u64), silence_floor_dbfs: None };
    let cases = [
        ("65535 channels", wav(65_535, 16_000, 16, whole(131_070))),
        ("4294967295 Hz", wav(1, u32::MAX, 16, whole(2))),
        ("4 GB of 32-channel audio", wav(32, 48_000, 16, whole(64))),
        ("4 GB of mono audio", wav(1, 16_000, 16, whole(2))),
    ];
    for (what, bytes) in cases {
        assert_eq!(bytes.len(), 60, "{what}");
        let path = dir.path().join("lying.wav");
        std::fs::write(&path, &bytes).unwrap();
        for opts in [AudioLimits::default(), unlimited.clone()] {
            let e = bounded(what, || read_wav(&path, &opts)).unwrap_err();
            assert!(
                matches!(
                    e,
                    AudioError::Unsupported(_) | AudioError::BadRate(_) | AudioError::TooLong { .. } | AudioError::Truncated { .. } | AudioError::NotWav { .. }
                ),
                "{what}: {e:?}"
            );
            let e = bounded(what, || read_wav_frames(&path, &opts)).unwrap_err();
            assert!(!matches!(e, AudioError::Io { .. }), "{what}: {e:?}");
        }
    }
}
