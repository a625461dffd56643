//! Whisper's log-mel front end, computed as OpenAI's `log_mel_spectrogram`
//! does on audio padded with silence: 400-sample periodic Hann window, hop
//! 160, centred frames with a reflected start, power spectrum, Slaney mel
//! filterbank, `log10`, clamp to `max - 8`, then `(x + 4) / 4`.
//!
//! Unlike candle's `pcm_to_mel` it only transforms frames that touch audio
//! (the rest are silence, whose value is known) and uses a real FFT.

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};

pub const N_FFT: usize = 400;
pub const HOP: usize = 160;

/// A reusable front end for one mel-bin count.
pub struct MelFrontEnd {
    n_mels: usize,
    /// `[n_mels][N_FFT / 2 + 1]`, row-major.
    filters: Vec<f32>,
    /// Per filter, the bins where it is non-zero (a filter spans a few
    /// bins of 201, so this skips most of the multiply).
    support: Vec<std::ops::Range<usize>>,
    window: Vec<f32>,
    fft: Arc<dyn RealToComplex<f32>>,
}

impl MelFrontEnd {
    pub fn new(n_mels: usize) -> Self {
        let window = (0..N_FFT).map(|n| (0.5 - 0.5 * (2.0 * std::f64::consts::PI * n as f64 / N_FFT as f64).cos()) as f32).collect();
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(N_FFT);
        let filters = slaney_filterbank(n_mels, N_FFT, crate::SAMPLE_RATE as f64);
        let n_bins = N_FFT / 2 + 1;
        let support = filters
            .chunks(n_bins)
            .map(|row| {
                let first = row.iter().position(|&w| w != 0.0).unwrap_or(0);
                let last = row.iter().rposition(|&w| w != 0.0).map_or(0, |l| l + 1);
                first..last.max(first)
            })
            .collect();
        Self { n_mels, filters, support, window, fft }
    }

    /// Number of frames audio of `samples` samples fills (Whisper drops the
    /// last STFT frame).
    pub fn frames_for(samples: usize) -> usize {
        samples / HOP
    }

    /// Log-mel of `samples` followed by silence, `n_frames` long,
    /// as `[n_mels][n_frames]` row-major.
    pub fn log_mel(&self, samples: &[f32], n_frames: usize) -> Vec<f32> {
        let n_bins = N_FFT / 2 + 1;
        // Frames whose window overlaps audio; later ones are pure silence.
        let active = n_frames.min((samples.len() + N_FFT / 2).div_ceil(HOP));
        let mut mel = vec![0f32; self.n_mels * n_frames];
        let mut frame = self.fft.make_input_vec();
        let mut spectrum = self.fft.make_output_vec();
        let mut scratch = self.fft.make_scratch_vec();
        let mut power = vec![0f32; n_bins];
        let mut max = f32::NEG_INFINITY;
        for t in 0..active {
            let start = (t * HOP) as isize - (N_FFT / 2) as isize;
            for (i, x) in frame.iter_mut().enumerate() {
                let idx = start + i as isize;
                // Reflect at the start (without repeating sample 0), silence after the end.
                let idx = if idx < 0 { (-idx) as usize } else { idx as usize };
                *x = samples.get(idx).copied().unwrap_or(0.0) * self.window[i];
            }
            self.fft.process_with_scratch(&mut frame, &mut spectrum, &mut scratch).expect("buffers come from the same plan");
            for (p, c) in power.iter_mut().zip(&spectrum) {
                *p = c.norm_sqr();
            }
            for (m, bins) in self.support.iter().enumerate() {
                let row = &self.filters[m * n_bins..(m + 1) * n_bins];
                let e: f32 = row[bins.clone()].iter().zip(&power[bins.clone()]).map(|(w, p)| w * p).sum();
                let v = e.max(1e-10).log10();
                max = max.max(v);
                mel[m * n_frames + t] = v;
            }
        }
        if active < n_frames {
            max = max.max(-10.0);
        }
        let floor = max - 8.0;
        for m in 0..self.n_mels {
            let row = &mut mel[m * n_frames..(m + 1) * n_frames];
            for (t, v) in row.iter_mut().enumerate() {
                let raw = if t < active { *v } else { -10.0 };
                *v = (raw.max(floor) + 4.0) / 4.0;
            }
        }
        mel
    }
}

fn hz_to_mel(f: f64) -> f64 {
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let logstep = 6.4f64.ln() / 27.0;
    if f >= min_log_hz {
        min_log_hz / f_sp + (f / min_log_hz).ln() / logstep
    } else {
        f / f_sp
    }
}

fn mel_to_hz(m: f64) -> f64 {
    let f_sp = 200.0 / 3.0;
    let min_log_hz = 1000.0;
    let min_log_mel = min_log_hz / f_sp;
    let logstep = 6.4f64.ln() / 27.0;
    if m >= min_log_mel {
        min_log_hz * (logstep * (m - min_log_mel)).exp()
    } else {
        f_sp * m
    }
}

/// librosa's `filters.mel(sr, n_fft, n_mels, htk=False, norm="slaney")`,
/// the filterbank Whisper was trained with.
pub fn slaney_filterbank(n_mels: usize, n_fft: usize, sample_rate: f64) -> Vec<f32> {
    let n_bins = n_fft / 2 + 1;
    let fft_freqs: Vec<f64> = (0..n_bins).map(|k| k as f64 * sample_rate / n_fft as f64).collect();
    let (lo, hi) = (hz_to_mel(0.0), hz_to_mel(sample_rate / 2.0));
    let mel_f: Vec<f64> = (0..n_mels + 2).map(|i| mel_to_hz(lo + (hi - lo) * i as f64 / (n_mels + 1) as f64)).collect();
    let mut out = vec![0f32; n_mels * n_bins];
    for m in 0..n_mels {
        let enorm = 2.0 / (mel_f[m + 2] - mel_f[m]);
        for (k, &f) in fft_freqs.iter().enumerate() {
            let lower = (f - mel_f[m]) / (mel_f[m + 1] - mel_f[m]);
            let upper = (mel_f[m + 2] - f) / (mel_f[m + 2] - mel_f[m + 1]);
            out[m * n_bins + k] = (lower.min(upper).max(0.0) * enorm) as f32;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filterbank_matches_librosa_reference_values() {
        // Values of whisper/assets/mel_filters.npz (librosa's filterbank);
        // the whole matrix matched it to 2e-9 when this was written.
        let f = slaney_filterbank(80, 400, 16_000.0);
        let at = |m: usize, k: usize| f[m * 201 + k];
        for (m, k, want) in [(0, 1, 0.024_862_595), (1, 2, 0.022_871_772), (40, 60, 0.0), (79, 190, 0.002_232_055)] {
            assert!((at(m, k) - want).abs() < 1e-7, "[{m}][{k}] = {} (want {want})", at(m, k));
        }
        let sum: f32 = f.iter().sum();
        assert!((sum - 1.999_024_2).abs() < 1e-4, "sum {sum}");
        // Every filter is non-negative and has some weight; area-normalised
        // filters get lower peaks as they widen.
        for m in 0..80 {
            let row = &f[m * 201..(m + 1) * 201];
            assert!(row.iter().all(|&w| w >= 0.0));
            assert!(row.iter().any(|&w| w > 0.0), "filter {m} empty");
        }
        let peak = |m: usize| f[m * 201..(m + 1) * 201].iter().cloned().fold(0.0, f32::max);
        assert!(peak(79) < peak(10));
    }

    #[test]
    fn silence_is_constant_and_tone_lands_in_the_right_bin() {
        let fe = MelFrontEnd::new(80);
        // 1 kHz tone: mel bin nearest 1 kHz is the peak.
        let tone: Vec<f32> = (0..16_000).map(|i| (2.0 * std::f32::consts::PI * 1000.0 * i as f32 / 16_000.0).sin() * 0.5).collect();
        let frames = MelFrontEnd::frames_for(tone.len());
        assert_eq!(frames, 100);
        let mel = fe.log_mel(&tone, 300);
        let frame50: Vec<f32> = (0..80).map(|m| mel[m * 300 + 50]).collect();
        let best = frame50.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
        let centre = |m: usize| {
            let (lo, hi) = (hz_to_mel(0.0), hz_to_mel(8000.0));
            mel_to_hz(lo + (hi - lo) * (m + 1) as f64 / 81.0)
        };
        assert!((centre(best) - 1000.0).abs() < 60.0, "peak bin {best} at {} Hz", centre(best));
        // Frames past the audio are all the same clamped floor value.
        let tail: Vec<f32> = (0..80).map(|m| mel[m * 300 + 250]).collect();
        assert!(tail.iter().all(|&v| v == tail[0]));
        let max = mel.iter().cloned().fold(f32::MIN, f32::max);
        assert!((tail[0] - (max - 2.0)).abs() < 1e-5, "floor is max - 8 in log10 units");
    }

    #[test]
    fn matches_a_direct_dft() {
        // A slow, obviously-correct reference for one frame.
        let fe = MelFrontEnd::new(80);
        let x: Vec<f32> = (0..4000).map(|i| ((i * 7919) % 1000) as f32 / 1000.0 - 0.5).collect();
        let mel = fe.log_mel(&x, 30);
        let t = 10;
        let mut power = vec![0f64; 201];
        for (k, p) in power.iter_mut().enumerate() {
            let (mut re, mut im) = (0.0, 0.0);
            for n in 0..400 {
                let s = x[t * 160 - 200 + n] as f64 * (0.5 - 0.5 * (2.0 * std::f64::consts::PI * n as f64 / 400.0).cos());
                let a = -2.0 * std::f64::consts::PI * (k * n) as f64 / 400.0;
                re += s * a.cos();
                im += s * a.sin();
            }
            *p = re * re + im * im;
        }
        let filters = slaney_filterbank(80, 400, 16_000.0);
        let max = mel.iter().cloned().fold(f32::MIN, f32::max) * 4.0 - 4.0;
        for m in [0, 20, 40, 79] {
            let e: f64 = (0..201).map(|k| filters[m * 201 + k] as f64 * power[k]).sum();
            let expected = ((e.max(1e-10).log10() as f32).max(max - 8.0) + 4.0) / 4.0;
            assert!((mel[m * 30 + t] - expected).abs() < 1e-4, "bin {m}: {} vs {expected}", mel[m * 30 + t]);
        }
    }
}
