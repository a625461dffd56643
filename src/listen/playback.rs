//! The device's own playback, as a reference for the echo canceller.

use crate::stream::To16k;
use crate::EngineError;
use hush_audio::vad::FRAME;
use hush_audio::SAMPLE_RATE;
use parking_lot::Mutex;
use std::collections::VecDeque;
use std::sync::Arc;

/// How far playback may be fed ahead of the microphone. A host hands its
/// sound output a few hundred milliseconds at a time; more than this is a
/// host feeding whole files, whose timing would not match what is heard.
const MAX_AHEAD_SECONDS: u64 = 30;

/// What the device is playing through its loudspeaker, fed by the host as
/// it hands audio to its sound output (from any thread: the handle is
/// cheap to clone). The listener takes the playback's echo out of what the
/// microphone hears, so that a navigation prompt or the radio neither
/// starts a turn nor barges in, while the user talking over it is still
/// heard.
///
/// Timing: samples fed now are taken to start playing where the
/// microphone is now (or where the previous playback ends, if that is
/// later); the echo canceller allows for the sound output's latency and
/// the cabin's echo up to [`EchoParams::tail`](hush_audio::EchoParams).
#[derive(Clone)]
pub struct Playback(Arc<Mutex<Played>>);

struct Played {
    /// The stream position (16 kHz samples) the microphone has reached.
    heard: u64,
    /// Where the queued samples play.
    start: u64,
    queue: VecDeque<f32>,
    input: To16k,
}

impl Playback {
    pub(crate) fn new() -> Playback {
        Playback(Arc::new(Mutex::new(Played { heard: 0, start: 0, queue: VecDeque::new(), input: To16k::default() })))
    }

    /// Feeds mono samples in [-1, 1] at `rate` Hz, as they are played.
    pub fn feed(&self, samples: &[f32], rate: u32) -> Result<(), EngineError> {
        let mut played = self.0.lock();
        let p = &mut *played;
        let ahead = (p.start + p.queue.len() as u64).saturating_sub(p.heard);
        let incoming = samples.len() as u64 * SAMPLE_RATE as u64 / rate.max(1) as u64;
        if ahead + incoming > MAX_AHEAD_SECONDS * SAMPLE_RATE as u64 {
            return Err(EngineError::Samples(format!(
                "playback would run {:.1} s ahead of the microphone (at most {MAX_AHEAD_SECONDS} s): feed it as it is played",
                (ahead + incoming) as f64 / SAMPLE_RATE as f64
            )));
        }
        if p.start + (p.queue.len() as u64) < p.heard {
            // A gap in the playback: the new samples play from now.
            p.queue.clear();
            p.start = p.heard;
        }
        let queue = &mut p.queue;
        p.input.convert(samples, rate, |at16| queue.extend(at16))
    }

    /// The playback for the 20 ms of microphone audio at stream position
    /// `at`; `None` when nothing was playing. Drops what has been played.
    pub(crate) fn take(&self, at: u64) -> Option<[f32; FRAME]> {
        let mut p = self.0.lock();
        p.heard = at + FRAME as u64;
        let end = p.start + p.queue.len() as u64;
        if p.queue.is_empty() || end <= at || p.start >= at + FRAME as u64 {
            return None;
        }
        let mut frame = [0.0; FRAME];
        let skip = at.saturating_sub(p.start) as usize;
        let from = p.start.saturating_sub(at) as usize;
        for (f, x) in frame[from..].iter_mut().zip(p.queue.iter().skip(skip)) {
            *f = *x;
        }
        let played = ((at + FRAME as u64).saturating_sub(p.start) as usize).min(p.queue.len());
        p.queue.drain(..played);
        p.start += played as u64;
        Some(frame)
    }
}
