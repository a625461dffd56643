//! Test and benchmark material for live listening: clips stitched into one
//! long recording with pauses, noise mixed in at a chosen SNR, and where
//! speech truly is, so that segmentation can be scored.

use hush_audio::vad::FRAME;
use std::ops::Range;

fn frame_db(f: &[f32]) -> f32 {
    10.0 * (f.iter().map(|x| x * x).sum::<f32>() / f.len().max(1) as f32 + 1e-12).log10()
}

/// Which 20 ms frames of a clean clip hold speech: those within 40 dB of its
/// loudest frame (the dev set's definition of active speech).
pub fn speech_frames(clean: &[f32]) -> Vec<bool> {
    let db: Vec<f32> = clean.chunks(FRAME).map(frame_db).collect();
    let loudest = db.iter().cloned().fold(f32::MIN, f32::max);
    db.iter().map(|&e| e > loudest - 40.0).collect()
}

/// A clean clip without the quiet before its first and after its last
/// speech frame.
pub fn trimmed(clean: &[f32]) -> &[f32] {
    let speech = speech_frames(clean);
    let first = speech.iter().position(|&s| s).unwrap_or(0);
    let last = speech.iter().rposition(|&s| s).map_or(0, |i| i + 1);
    &clean[(first * FRAME).min(clean.len())..(last * FRAME).min(clean.len())]
}

/// Mean power of a clean clip's speech frames.
fn speech_power(clean: &[f32]) -> f64 {
    let active: Vec<f64> = clean
        .chunks(FRAME)
        .zip(speech_frames(clean))
        .filter(|(_, s)| *s)
        .map(|(f, _)| f.iter().map(|x| (*x as f64).powi(2)).sum::<f64>() / f.len() as f64)
        .collect();
    active.iter().sum::<f64>() / active.len().max(1) as f64
}

/// A clean clip scaled so that its speech frames' mean power is `dbfs`
/// (as one speaker at one distance from the microphone would be).
pub fn at_level(clean: &[f32], dbfs: f32) -> Vec<f32> {
    let gain = (10f64.powf(dbfs as f64 / 10.0) / speech_power(clean).max(1e-20)).sqrt() as f32;
    clean.iter().map(|x| x * gain).collect()
}

/// Synthetic cabin noise for tests that must run without the recorded
/// noise set (`../shared/data/noise`): rumble (white noise through two
/// one-pole low-passes, so most energy lies below ~300 Hz, as in the
/// recorded car at 60 mph), an engine's firing tone and two harmonics that
/// drift slowly, and a little broadband hiss (tyres, fan). Deterministic
/// for a seed; peak about -6 dBFS like the recordings.
pub fn road_noise(seconds: f64, seed: u64) -> Vec<f32> {
    let rate = hush_audio::SAMPLE_RATE as f64;
    let n = (seconds.max(0.0) * rate) as usize;
    let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    let mut white = move || {
        x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((x >> 40) as f64 / (1u64 << 23) as f64) - 1.0
    };
    let (a1, a2) = ((-2.0 * std::f64::consts::PI * 300.0 / rate).exp(), (-2.0 * std::f64::consts::PI * 120.0 / rate).exp());
    let (mut l1, mut l2, mut phase) = (0.0, 0.0, 0.0);
    let mut out: Vec<f64> = (0..n)
        .map(|i| {
            let w = white();
            l1 = a1 * l1 + (1.0 - a1) * w;
            l2 = a2 * l2 + (1.0 - a2) * l1;
            let t = i as f64 / rate;
            let engine = 45.0 + 5.0 * (2.0 * std::f64::consts::PI * 0.07 * t).sin();
            phase += 2.0 * std::f64::consts::PI * engine / rate;
            let tone = 0.5 * phase.sin() + 0.25 * (2.0 * phase).sin() + 0.12 * (3.0 * phase).sin();
            8.0 * l2 + 0.05 * tone + 0.01 * w
        })
        .collect();
    let peak = out.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-12);
    out.iter_mut().for_each(|v| *v *= 0.5 / peak);
    out.into_iter().map(|v| v as f32).collect()
}

/// What a car's microphone picks up of its loudspeaker: `playback` after
/// `delay_ms` (the sound output's latency and the distance), at `gain`,
/// with two early reflections and a reverberant tail that decays 60 dB in
/// `t60_ms` (four feedback combs in parallel: Schroeder's reverberator, so
/// that half an hour of playback takes no longer to pass through than to
/// read). Same length as `playback`.
pub fn cabin_echo(playback: &[f32], delay_ms: f64, gain: f32, t60_ms: f64) -> Vec<f32> {
    let rate = hush_audio::SAMPLE_RATE as f64;
    let delay = (delay_ms * rate / 1000.0) as usize;
    let reflections = [(0usize, 1.0f32), (37, -0.4), (113, 0.25)];
    // Mutually prime comb lengths (2.3-3.9 ms) keep the tail from ringing.
    let combs = [37usize, 43, 53, 61].map(|ms10| ((ms10 as f64 * rate / 10_000.0) as usize, 10f64.powf(-3.0 * (ms10 as f64 / 10.0) / t60_ms) as f32));
    let mut lines: Vec<Vec<f32>> = combs.iter().map(|(len, _)| vec![0.0; *len]).collect();
    let mut out = vec![0.0f32; playback.len()];
    for (n, y) in out.iter_mut().enumerate() {
        let at = |k: usize| if n >= delay + k { playback[n - delay - k] } else { 0.0 };
        let direct: f32 = reflections.iter().map(|(k, g)| g * at(*k)).sum();
        let mut tail = 0.0;
        for ((len, g), line) in combs.iter().zip(&mut lines) {
            let slot = &mut line[n % len];
            let v = at(120) + g * *slot;
            tail += *slot;
            *slot = v;
        }
        *y = gain * (direct + 0.08 * tail);
    }
    out
}

/// One long recording built clip by clip.
#[derive(Default)]
pub struct Stitch {
    samples: Vec<f32>,
    speech: Vec<bool>,
    clips: Vec<Range<usize>>,
    power: Vec<f64>,
}

impl Stitch {
    pub fn new() -> Stitch {
        Stitch::default()
    }

    /// Quiet (before noise is added).
    pub fn pause(&mut self, seconds: f64) -> &mut Self {
        let n = (seconds * hush_audio::SAMPLE_RATE as f64) as usize;
        self.samples.resize(self.samples.len() + n, 0.0);
        self.align();
        self
    }

    /// Appends a clean 16 kHz clip; returns its index.
    pub fn clip(&mut self, clean: &[f32]) -> usize {
        self.align();
        let start = self.samples.len();
        self.samples.extend_from_slice(clean);
        self.speech.extend(speech_frames(clean));
        self.clips.push(start..self.samples.len());
        self.power.push(speech_power(clean));
        self.align();
        self.clips.len() - 1
    }

    /// Adds `noise` (looped, from `offset`) under the whole recording at
    /// `snr_db` below the clips' mean speech power.
    pub fn noise(&mut self, noise: &[f32], snr_db: f32, offset: usize) -> &mut Self {
        if noise.is_empty() || self.power.is_empty() {
            return self;
        }
        let speech = self.power.iter().sum::<f64>() / self.power.len() as f64;
        let n = noise.len();
        let noise_power = noise.iter().map(|x| (*x as f64).powi(2)).sum::<f64>() / n as f64;
        let gain = (speech / noise_power.max(1e-20) / 10f64.powf(snr_db as f64 / 10.0)).sqrt() as f32;
        for (i, s) in self.samples.iter_mut().enumerate() {
            *s += gain * noise[(offset + i) % n];
        }
        self
    }

    pub fn samples(&self) -> &[f32] {
        &self.samples
    }

    /// Per 20 ms frame of the recording: speech or not.
    pub fn speech(&self) -> &[bool] {
        &self.speech
    }

    /// Where each clip lies (samples).
    pub fn clips(&self) -> &[Range<usize>] {
        &self.clips
    }

    fn align(&mut self) {
        let whole = self.samples.len().div_ceil(FRAME) * FRAME;
        self.samples.resize(whole, 0.0);
        self.speech.resize(whole / FRAME, false);
    }
}

/// How well utterances found in a recording match where speech is.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentationScore {
    /// Of the frames inside an utterance's speech, the share that is speech.
    pub precision: f64,
    /// Of the speech frames, the share inside an utterance's speech.
    pub recall: f64,
    /// Clips cut as exactly one utterance whose audio holds all their speech.
    pub whole: usize,
    /// The others (indices of clips).
    pub not_whole: Vec<usize>,
    pub clips: usize,
    /// Utterances that overlap no clip's speech.
    pub extra: usize,
}

/// Scores utterances (`speech`: where speech was detected; `kept`: the
/// audio handed on, pre-roll and end silence included; both in samples)
/// against a [`Stitch`]'s truth.
pub fn score_segments(stitch: &Stitch, speech: &[Range<u64>], kept: &[Range<u64>]) -> SegmentationScore {
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let inside = |i: usize| {
        let (a, b) = ((i * FRAME) as u64, ((i + 1) * FRAME) as u64);
        speech.iter().any(|s| a < s.end && b > s.start)
    };
    for (i, &truth) in stitch.speech().iter().enumerate() {
        match (truth, inside(i)) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            _ => {}
        }
    }
    let truth_span = |clip: &Range<usize>| {
        let frames = &stitch.speech()[clip.start / FRAME..clip.end.div_ceil(FRAME)];
        let first = frames.iter().position(|&t| t).unwrap_or(0);
        let last = frames.iter().rposition(|&t| t).unwrap_or(0);
        (clip.start + first * FRAME) as u64..(clip.start + (last + 1) * FRAME) as u64
    };
    let spans: Vec<Range<u64>> = stitch.clips().iter().map(truth_span).collect();
    let not_whole: Vec<usize> = spans
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            let touching: Vec<&Range<u64>> = kept.iter().filter(|k| k.start < t.end && k.end > t.start).collect();
            !(touching.len() == 1 && touching[0].start <= t.start && touching[0].end >= t.end)
        })
        .map(|(i, _)| i)
        .collect();
    let extra = speech.iter().filter(|s| !spans.iter().any(|t| s.start < t.end && s.end > t.start)).count();
    SegmentationScore {
        precision: tp as f64 / (tp + fp).max(1) as f64,
        recall: tp as f64 / (tp + fn_).max(1) as f64,
        whole: spans.len() - not_whole.len(),
        not_whole,
        clips: spans.len(),
        extra,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stitched_truth_and_noise_level() {
        let tone: Vec<f32> = (0..8_000).map(|i| 0.5 * (i as f32 * 0.1).sin()).collect();
        let mut s = Stitch::new();
        s.pause(0.5);
        s.clip(&tone);
        s.pause(1.0);
        s.clip(&tone);
        assert_eq!(s.clips().len(), 2);
        assert_eq!(s.speech().iter().filter(|&&x| x).count(), 50);
        let mut padded = vec![0.0; 1_000];
        padded.extend_from_slice(&tone);
        padded.extend(vec![0.0; 700]);
        assert_eq!(trimmed(&padded).len(), 9_280 - 960, "from frame 3 to frame 28, the last holding tone");
        let quiet = at_level(&tone, -20.0);
        assert!((10.0 * speech_power(&quiet).log10() + 20.0).abs() < 1e-3);
        assert_eq!(s.clips()[0], 8_000..16_000);
        let noise = vec![1.0f32, -1.0];
        s.noise(&noise, 10.0, 0);
        // Power in the first pause: the speech power (0.125) less 10 dB.
        let p: f64 = s.samples()[..8_000].iter().map(|x| (*x as f64).powi(2)).sum::<f64>() / 8_000.0;
        assert!((p - 0.0125).abs() < 1e-4, "{p}");
        // Exact detection scores perfectly; a stray utterance counts as extra.
        let speech = [8_000..16_000u64, 32_000..40_000];
        let score = score_segments(&s, &speech, &[3_000..20_000, 27_000..45_000]);
        assert_eq!((score.precision, score.recall, score.whole, score.extra), (1.0, 1.0, 2, 0));
        // Half the speech found, its audio cut short, and a stray utterance
        // of 4 frames in the pause.
        let score = score_segments(&s, &[8_000..16_000, 20_000..21_000], &[3_000..12_000, 20_000..26_000]);
        assert_eq!((score.whole, score.extra), (0, 1));
        assert!((score.recall - 0.5).abs() < 1e-9, "{score:?}");
        assert!((score.precision - 25.0 / 29.0).abs() < 1e-9, "{score:?}");
    }
}
