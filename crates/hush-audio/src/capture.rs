//! A live source's path to the endpointer: native-rate frames in, downmixed
//! and resampled to 16 kHz on the producer's side, through a bounded ring
//! buffer to the consumer.
//!
//! The ring never grows: when the consumer falls behind (a long
//! transcription, say) and the ring is full, new audio is dropped and
//! counted, so memory stays bounded and the listener can say how much it
//! missed. A file replay can instead wait for room ([`CaptureWriter::write_waiting`]),
//! since a file has no deadline.

use crate::{AudioError, StreamResampler, SAMPLE_RATE};
use parking_lot::{Condvar, Mutex};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroize;

/// Creates a capture path for a source at `rate` Hz with `channels`
/// interleaved channels, buffering up to `capacity` of 16 kHz audio.
pub fn capture(rate: u32, channels: u16, capacity: Duration) -> Result<(CaptureWriter, Capture), AudioError> {
    if channels == 0 {
        return Err(AudioError::NotWav { reason: "a source with zero channels".into() });
    }
    let resampler = StreamResampler::new(rate, SAMPLE_RATE)?;
    let slots = ((capacity.as_secs_f64() * SAMPLE_RATE as f64) as usize).max(crate::vad::FRAME);
    let shared = Arc::new(Shared {
        ring: Mutex::new(Ring { buf: vec![0.0; slots], head: 0, len: 0, closed: false, error: None }),
        changed: Condvar::new(),
        dropped: AtomicU64::new(0),
        received: AtomicU64::new(0),
    });
    let writer = CaptureWriter { shared: shared.clone(), resampler: Some(resampler), channels: channels as usize };
    Ok((writer, Capture { shared }))
}

struct Shared {
    ring: Mutex<Ring>,
    changed: Condvar,
    /// 16 kHz samples dropped because the ring was full.
    dropped: AtomicU64,
    /// 16 kHz samples produced (kept or dropped).
    received: AtomicU64,
}

struct Ring {
    buf: Vec<f32>,
    head: usize,
    len: usize,
    closed: bool,
    error: Option<String>,
}

impl Ring {
    fn room(&self) -> usize {
        self.buf.len() - self.len
    }

    fn put(&mut self, samples: &[f32]) {
        let cap = self.buf.len();
        for &s in samples {
            let at = (self.head + self.len) % cap;
            self.buf[at] = s;
            self.len += 1;
        }
    }

    /// Moves up to `max` samples out, zeroing the slots they leave.
    fn take(&mut self, max: usize, out: &mut Vec<f32>) {
        let cap = self.buf.len();
        let n = self.len.min(max);
        for _ in 0..n {
            out.push(std::mem::take(&mut self.buf[self.head]));
            self.head = (self.head + 1) % cap;
        }
        self.len -= n;
    }
}

impl Drop for Ring {
    fn drop(&mut self) {
        self.buf.zeroize();
    }
}

/// The producer's end: a sound card callback or a file replay.
pub struct CaptureWriter {
    shared: Arc<Shared>,
    resampler: Option<StreamResampler>,
    channels: usize,
}

impl CaptureWriter {
    /// Adds interleaved frames at the source's rate. Audio that does not fit
    /// in the ring is dropped and counted (a live source cannot wait).
    pub fn write(&mut self, interleaved: &[f32]) -> Result<(), AudioError> {
        let out = self.convert(interleaved)?;
        self.put(out, false);
        Ok(())
    }

    /// Like [`write`](Self::write) but waits for room instead of dropping:
    /// for sources with no deadline, such as a file. Returns early if the
    /// consumer has gone.
    pub fn write_waiting(&mut self, interleaved: &[f32]) -> Result<(), AudioError> {
        let out = self.convert(interleaved)?;
        self.put(out, true);
        Ok(())
    }

    /// The source failed (a device unplugged, say): the consumer's next
    /// read returns [`AudioError::Device`] once the audio before it is read.
    pub fn fail(&mut self, reason: impl Into<String>) {
        let mut ring = self.shared.ring.lock();
        ring.error.get_or_insert(reason.into());
        self.shared.changed.notify_all();
    }

    /// Ends the stream normally: the filter's tail is flushed first.
    pub fn close(mut self) {
        if let Some(r) = self.resampler.take() {
            match r.finish() {
                Ok(tail) => self.put(tail, true),
                Err(e) => self.fail(e.to_string()),
            }
        }
    }

    fn convert(&mut self, interleaved: &[f32]) -> Result<Vec<f32>, AudioError> {
        let Some(resampler) = self.resampler.as_mut() else { return Ok(Vec::new()) };
        let mut mono = crate::wav::downmix(interleaved, self.channels);
        let out = resampler.push(&mono);
        mono.zeroize();
        out
    }

    fn put(&self, mut samples: Vec<f32>, wait: bool) {
        let sh = &self.shared;
        sh.received.fetch_add(samples.len() as u64, Ordering::Relaxed);
        let mut ring = sh.ring.lock();
        let mut rest: &[f32] = &samples;
        while !rest.is_empty() {
            if ring.closed {
                break;
            }
            let n = ring.room().min(rest.len());
            ring.put(&rest[..n]);
            rest = &rest[n..];
            sh.changed.notify_all();
            if rest.is_empty() {
                break;
            }
            if !wait {
                sh.dropped.fetch_add(rest.len() as u64, Ordering::Relaxed);
                break;
            }
            sh.changed.wait(&mut ring);
        }
        drop(ring);
        samples.zeroize();
    }
}

impl Drop for CaptureWriter {
    fn drop(&mut self) {
        // A writer that goes away ends the stream (after what it wrote).
        let mut ring = self.shared.ring.lock();
        ring.closed = true;
        self.shared.changed.notify_all();
    }
}

/// What a read found.
#[derive(Debug, PartialEq)]
pub enum Read {
    /// Samples (16 kHz mono); possibly fewer than asked.
    Audio(Vec<f32>),
    /// Nothing arrived within the timeout.
    Waiting,
    /// The source ended and everything it sent has been read.
    Ended,
}

/// The consumer's end.
pub struct Capture {
    shared: Arc<Shared>,
}

impl Capture {
    /// Waits up to `timeout` for audio; returns at most `max` samples. The
    /// caller owns (and should zero) what it gets.
    pub fn read(&self, max: usize, timeout: Duration) -> Result<Read, AudioError> {
        let sh = &self.shared;
        let mut ring = sh.ring.lock();
        if ring.len == 0 && ring.error.is_none() && !ring.closed {
            sh.changed.wait_for(&mut ring, timeout);
        }
        if ring.len > 0 {
            let mut out = Vec::with_capacity(ring.len.min(max));
            ring.take(max.max(1), &mut out);
            sh.changed.notify_all();
            return Ok(Read::Audio(out));
        }
        if let Some(e) = &ring.error {
            return Err(AudioError::Device(e.clone()));
        }
        Ok(if ring.closed { Read::Ended } else { Read::Waiting })
    }

    /// 16 kHz samples dropped so far because the consumer fell behind.
    pub fn dropped(&self) -> u64 {
        self.shared.dropped.load(Ordering::Relaxed)
    }

    /// 16 kHz samples the source has produced so far, dropped ones included.
    pub fn received(&self) -> u64 {
        self.shared.received.load(Ordering::Relaxed)
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        // Wakes a writer waiting for room: nobody will make any.
        let mut ring = self.shared.ring.lock();
        ring.closed = true;
        self.shared.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(c: &Capture) -> Vec<f32> {
        let mut all = Vec::new();
        loop {
            match c.read(4096, Duration::from_millis(50)).unwrap() {
                Read::Audio(a) => all.extend(a),
                Read::Waiting => continue,
                Read::Ended => return all,
            }
        }
    }

    #[test]
    fn stereo_44k_comes_out_as_16k_mono_in_order() {
        let (mut w, c) = capture(44_100, 2, Duration::from_secs(2)).unwrap();
        let frames: Vec<f32> = (0..44_100)
            .flat_map(|i| {
                let x = (i as f32 * 440.0 * std::f32::consts::TAU / 44_100.0).sin() * 0.5;
                [x, 0.85 * x]
            })
            .collect();
        for chunk in frames.chunks(882) {
            w.write(chunk).unwrap();
        }
        w.close();
        let all = read_all(&c);
        assert_eq!(all.len(), 16_000);
        assert_eq!(c.dropped(), 0);
        let expect = |i: usize| 0.925 * 0.5 * (i as f32 * 440.0 * std::f32::consts::TAU / 16_000.0).sin();
        let err = (2_000..14_000).map(|i| (all[i] - expect(i)).abs()).fold(0.0, f32::max);
        assert!(err < 0.01, "{err}");
    }

    #[test]
    fn a_full_ring_drops_and_counts_instead_of_growing() {
        let (mut w, c) = capture(16_000, 1, Duration::from_millis(500)).unwrap();
        // 2 s written while nobody reads: 0.5 s fits, 1.5 s is dropped.
        for _ in 0..20 {
            w.write(&[0.25; 1_600]).unwrap();
        }
        assert_eq!(c.received(), 32_000);
        assert_eq!(c.dropped(), 24_000);
        drop(w);
        let kept = read_all(&c);
        assert_eq!(kept.len(), 8_000);
        // Reading made room again: nothing more is dropped.
        let (mut w, c) = capture(16_000, 1, Duration::from_millis(500)).unwrap();
        for _ in 0..20 {
            w.write(&[0.25; 1_600]).unwrap();
            assert!(matches!(c.read(1_600, Duration::ZERO).unwrap(), Read::Audio(a) if a.len() == 1_600));
        }
        assert_eq!(c.dropped(), 0);
    }

    #[test]
    fn a_waiting_writer_loses_nothing() {
        let (mut w, c) = capture(16_000, 1, Duration::from_millis(100)).unwrap();
        let producer = std::thread::spawn(move || {
            for i in 0..50 {
                w.write_waiting(&[i as f32; 1_000]).unwrap();
            }
            w.close();
        });
        let all = read_all(&c);
        producer.join().unwrap();
        assert_eq!(all.len(), 50_000);
        assert_eq!(c.dropped(), 0);
        assert!(all.windows(2).all(|w| w[1] >= w[0]), "in order");
    }

    #[test]
    fn a_failed_device_is_an_error_after_its_audio() {
        let (mut w, c) = capture(48_000, 1, Duration::from_secs(1)).unwrap();
        w.write(&[0.1; 4_800]).unwrap();
        w.fail("the microphone was unplugged");
        let mut got = 0;
        let err = loop {
            match c.read(10_000, Duration::from_millis(10)) {
                Ok(Read::Audio(a)) => got += a.len(),
                Ok(other) => panic!("{other:?}"),
                Err(e) => break e,
            }
        };
        assert!(got > 0);
        assert!(err.to_string().contains("unplugged"), "{err}");
        // A consumer that went away does not leave a waiting writer stuck.
        drop(c);
        w.write_waiting(&[0.0; 100_000]).unwrap();
    }

    #[test]
    fn zero_channels_or_rate_are_refused() {
        assert!(capture(16_000, 0, Duration::from_secs(1)).is_err());
        assert!(matches!(capture(0, 1, Duration::from_secs(1)), Err(AudioError::BadRate(0))));
    }
}
