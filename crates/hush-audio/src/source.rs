//! Where live audio comes from: a WAV file replayed as if it were being
//! spoken, or (with the `microphone` feature) a sound card. Both feed a
//! [`Capture`] through the same downmix, resampler and bounded ring.

use crate::capture::{capture, Capture, CaptureWriter};
use crate::{AudioError, AudioLimits};
use std::path::Path;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use zeroize::Zeroize;

/// What a source delivers, before conversion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    pub name: String,
    pub sample_rate: u32,
    pub channels: u16,
    /// The device's or file's sample format ("i16", "f32", ...).
    pub format: String,
}

/// A running source; audio stops when it is dropped (a replay also stops
/// when it reaches the end of its file).
pub struct Source {
    pub info: SourceInfo,
    _running: Running,
}

pub(crate) enum Running {
    Replay(#[allow(dead_code)] JoinHandle<()>),
    #[cfg(feature = "microphone")]
    Microphone(#[allow(dead_code)] cpal::Stream),
}

impl Source {
    pub(crate) fn from_parts(info: SourceInfo, running: Running) -> Source {
        Source { info, _running: running }
    }
}

/// How fast a file is replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// As a sound card would deliver it: 10 ms at a time, on time; audio the
    /// consumer has no room for is dropped and counted.
    RealTime,
    /// As fast as the consumer reads; nothing is dropped.
    Fast,
}

/// Replays a WAV file (any rate, channels and sample format hound reads)
/// through the live path. `capacity` bounds the ring buffer.
pub fn replay(path: &Path, pace: Pace, capacity: Duration, limits: &AudioLimits) -> Result<(Source, Capture), AudioError> {
    let (frames, wav) = crate::wav::read_wav_frames(path, limits)?;
    let (writer, capture) = capture(wav.sample_rate, wav.channels, capacity)?;
    let info = SourceInfo {
        name: path.display().to_string(),
        sample_rate: wav.sample_rate,
        channels: wav.channels,
        format: format!("{}{}", if wav.float { "f" } else { "i" }, wav.bits_per_sample),
    };
    let chunk = (wav.sample_rate as usize / 100).max(1) * wav.channels as usize;
    let thread = std::thread::Builder::new()
        .name("hush-replay".into())
        .spawn(move || play(frames, chunk, pace, writer))
        .map_err(|e| AudioError::Device(format!("cannot start the replay thread: {e}")))?;
    Ok((Source::from_parts(info, Running::Replay(thread)), capture))
}

fn play(mut frames: Vec<f32>, chunk: usize, pace: Pace, mut writer: CaptureWriter) {
    let start = Instant::now();
    for (i, piece) in frames.chunks(chunk).enumerate() {
        let written = match pace {
            Pace::RealTime => {
                // Chunks are 10 ms of audio each.
                let due = Duration::from_millis(10 * i as u64);
                std::thread::sleep(due.saturating_sub(start.elapsed()));
                writer.write(piece)
            }
            Pace::Fast => writer.write_waiting(piece),
        };
        if let Err(e) = written {
            writer.fail(e.to_string());
            break;
        }
    }
    frames.zeroize();
    writer.close();
}
