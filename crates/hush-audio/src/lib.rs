//! Audio input for hush: turns WAV files (or raw PCM) into 16 kHz mono `f32`
//! samples, the only form the recogniser accepts.
//!
//! It decodes 8/16/24/32-bit integer and 32-bit float PCM WAV with `hound`,
//! downmixes any number of channels, and resamples from any rate with a
//! band-limited sinc resampler (`rubato`). Every failure is an [`AudioError`];
//! nothing here panics on input.
//!
//! [`Endpointer`] finds where utterances start and end in a stream (voice
//! activity detection by frame energy against an adaptive noise floor, or
//! by the Silero VAD model run in plain Rust: [`Silero`]).
//!
//! [`EchoCanceller`] takes what the device itself plays out of what its
//! microphone hears.
//!
//! Live audio comes from a [`Source`]: a WAV file replayed at real-time
//! speed or faster, or (feature `microphone`, off by default) a sound card
//! through cpal. Either feeds a [`Capture`]: downmixed, resampled to 16 kHz
//! in streaming mode and kept in a bounded ring buffer that drops (and
//! counts) audio rather than grow when its reader falls behind.
//!
//! It never writes audio anywhere; buffers that held audio are zeroed.

pub mod capture;
pub mod echo;
#[cfg(feature = "microphone")]
mod microphone;
mod resample;
pub mod silero;
mod source;
pub mod vad;
mod wav;

pub use capture::{capture, Capture, CaptureWriter, Read};
pub use echo::{EchoCanceller, EchoParams};
#[cfg(feature = "microphone")]
pub use microphone::{input_devices, open_microphone, InputDevice};
pub use resample::{resample, StreamResampler};
pub use silero::{Silero, SileroModel};
pub use source::{replay, Pace, Source, SourceInfo};
pub use vad::{Detector, Endpointer, Segment, VadParams};
pub use wav::{decode_wav, downmix, read_wav, read_wav_frames, WavInfo};

use std::path::PathBuf;
use std::time::Duration;
use zeroize::Zeroize;

/// The sample rate every downstream stage works at.
pub const SAMPLE_RATE: u32 = 16_000;

/// The input rates hush takes (telephone audio to studio recorders);
/// outside them a rate is a mistake, and resampling it would waste memory.
pub const RATES: std::ops::RangeInclusive<u32> = 4_000..=384_000;

/// Mono audio at [`SAMPLE_RATE`], samples in `[-1, 1]`.
///
/// The samples are zeroed when the value is dropped, so that speech does not
/// linger in freed memory.
#[derive(Clone, PartialEq)]
pub struct Audio {
    samples: Vec<f32>,
}

impl Audio {
    /// Wraps samples that are already 16 kHz mono.
    pub fn from_samples(samples: Vec<f32>) -> Self {
        Self { samples }
    }

    /// Converts PCM at any rate (already mono) to 16 kHz.
    pub fn from_pcm(samples: &[f32], sample_rate: u32) -> Result<Self, AudioError> {
        if samples.is_empty() {
            return Err(AudioError::Empty);
        }
        if let Some(index) = samples.iter().position(|s| !s.is_finite()) {
            return Err(AudioError::NotFinite { index: index as u64 });
        }
        Ok(Self { samples: resample(samples, sample_rate, SAMPLE_RATE)? })
    }

    pub fn samples(&self) -> &[f32] {
        &self.samples
    }

    pub fn duration(&self) -> Duration {
        Duration::from_secs_f64(self.samples.len() as f64 / SAMPLE_RATE as f64)
    }

    /// Peak absolute amplitude (0 for silence, 1 for full scale).
    pub fn peak(&self) -> f32 {
        peak(&self.samples)
    }
}

impl From<Vec<f32>> for Audio {
    /// Samples that are already 16 kHz mono.
    fn from(samples: Vec<f32>) -> Self {
        Audio::from_samples(samples)
    }
}

impl std::fmt::Debug for Audio {
    // Never print the samples themselves: logs hold no audio.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Audio").field("samples", &self.samples.len()).field("seconds", &self.duration().as_secs_f32()).finish()
    }
}

impl Drop for Audio {
    fn drop(&mut self) {
        // The whole allocation, spare capacity included.
        self.samples.zeroize();
    }
}

/// Overwrites a buffer that held audio with zeros in a way the optimiser
/// cannot drop (the zeroize crate's volatile writes).
pub fn clear(buf: &mut [f32]) {
    buf.zeroize();
}

/// Appends to a buffer that holds audio without leaving a copy behind: when
/// it must grow, the samples move to a larger allocation and the old one is
/// zeroed before it is freed (a plain `extend` would free it as it is).
pub fn extend_wiping(buf: &mut Vec<f32>, more: &[f32]) {
    if buf.capacity() - buf.len() < more.len() {
        let mut bigger = Vec::with_capacity((buf.len() + more.len()).next_power_of_two());
        bigger.extend_from_slice(buf);
        buf.zeroize();
        *buf = bigger;
    }
    buf.extend_from_slice(more);
}

pub(crate) fn peak(samples: &[f32]) -> f32 {
    samples.iter().fold(0.0f32, |m, s| m.max(s.abs()))
}

/// Limits applied while decoding.
#[derive(Debug, Clone)]
pub struct AudioLimits {
    /// Longer files are refused from their header, before their data is read.
    pub max_duration: Duration,
    /// Audio whose peak stays below this level (dBFS) is refused as silent.
    /// `None` accepts silence.
    pub silence_floor_dbfs: Option<f32>,
}

impl Default for AudioLimits {
    fn default() -> Self {
        Self { max_duration: Duration::from_secs(600), silence_floor_dbfs: Some(-60.0) }
    }
}

/// Why audio could not be turned into samples.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("not a WAV file: {reason}")]
    NotWav { reason: String },
    #[error("truncated WAV: header promises {expected} samples, data ends after {got}")]
    Truncated { expected: u64, got: u64 },
    #[error("the audio is empty (no samples)")]
    Empty,
    #[error("sample {index} is not a finite number (NaN or infinite)")]
    NotFinite { index: u64 },
    #[error("the audio is silent (peak {peak_dbfs:.1} dBFS, floor {floor_dbfs:.1} dBFS)")]
    Silent { peak_dbfs: f32, floor_dbfs: f32 },
    #[error("unsupported WAV encoding: {0}")]
    Unsupported(String),
    #[error("audio is {seconds:.1} s long, over the {limit:.1} s limit")]
    TooLong { seconds: f64, limit: f64 },
    #[error("invalid sample rate {0} Hz (hush takes 4000 to 384000 Hz)")]
    BadRate(u32),
    #[error("resampling failed: {0}")]
    Resample(String),
    #[error("audio device: {0}")]
    Device(String),
    #[error("{path}: not a usable Silero VAD model: {detail}")]
    VadModel { path: PathBuf, detail: String },
    #[error("no input device named {name:?} (available: {})", if available.is_empty() { "none".to_string() } else { available.join(", ") })]
    NoDevice { name: String, available: Vec<String> },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_samples() {
        let a = Audio::from_samples(vec![0.123456; 16_000]);
        let s = format!("{a:?}");
        assert!(!s.contains("0.123"), "{s}");
        assert!(s.contains("16000"));
    }

    #[test]
    fn extend_wiping_keeps_the_samples() {
        let mut v = Vec::new();
        for i in 0..100 {
            extend_wiping(&mut v, &[i as f32; 7]);
        }
        assert_eq!(v.len(), 700);
        assert!(v.chunks(7).enumerate().all(|(i, c)| c.iter().all(|&x| x == i as f32)));
    }

    #[test]
    fn clear_zeroes() {
        let mut v = vec![0.5f32; 64];
        clear(&mut v);
        assert!(v.iter().all(|&s| s == 0.0));
    }

    #[test]
    fn from_pcm_rejects_empty_and_resamples() {
        assert!(matches!(Audio::from_pcm(&[], 8000), Err(AudioError::Empty)));
        let a = Audio::from_pcm(&vec![0.1; 8000], 8000).unwrap();
        assert_eq!(a.samples().len(), 16_000);
    }
}
