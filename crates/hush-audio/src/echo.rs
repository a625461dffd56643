//! Echo cancellation: takes what the device itself is playing (a
//! navigation prompt, the radio, hush's host app speaking) out of what the
//! microphone hears, so that playback is not taken for the user.
//!
//! The loudspeaker reaches the microphone delayed and filtered by the
//! cabin. [`EchoCanceller`] learns that path as an adaptive filter over the
//! playback (a partitioned-block frequency-domain NLMS, the design of
//! Speex's and WebRTC's cancellers, 20 ms blocks) and subtracts its
//! estimate. Two copies of the filter keep it stable while the user talks
//! over the playback: a background filter always adapts, and the one whose
//! output is used copies it only when it cancels better; one that the
//! user's voice has pulled off course is reset from the one in use.
//!
//! What the filter cannot take out (the path changing, a tail longer than
//! the filter, loudspeaker distortion) is left to a gate: the canceller
//! measures what it leaves of the echo (as a share of the loudest playback
//! within the filter's reach) and the background noise, and a frame whose
//! residual is no more than [`EchoParams::gate_db`] above that was
//! playback: the endpointer does not count it as speech. While the filter
//! is still learning the path (the first two seconds of sound played, and
//! until it takes the echo down by 12 dB) every frame within its reach of
//! playback is taken as playback: missing the user's first words over the
//! very first prompt is better than taking the prompt for the user.
//!
//! It does not suppress the residual further (taking gated frames down by
//! another 20 dB pulled the energy detector's noise floor down with them,
//! and noise then started three times as many utterances in
//! `hush bench live`).

use crate::vad::FRAME;
use crate::SAMPLE_RATE;
use realfft::num_complex::Complex32;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroize;

/// Echo canceller settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EchoParams {
    /// The longest echo path the filter models: the output latency of the
    /// host's sound stack plus the cabin's reverberation.
    pub tail: Duration,
    /// A frame whose residual is no more than this above what the filter
    /// is expected to leave (its measured leak, plus the background noise)
    /// was playback.
    pub gate_db: f32,
}

impl Default for EchoParams {
    fn default() -> Self {
        // Chosen on tests/listen.rs's prompts through a simulated cabin;
        // `hush bench live --playback` measures them on longer sessions.
        EchoParams { tail: Duration::from_millis(320), gate_db: 6.0 }
    }
}

const BINS: usize = FRAME + 1;
/// Step size of the background filter's update (normalised).
const STEP: f32 = 1.0;
/// How much of the step goes by each partition's share of the filter
/// (proportionate NLMS); the rest is spread evenly.
const PROP: f32 = 0.3;
/// Frames of sound played before the filter is trusted: at least 2 s, and
/// until it takes the echo down by 12 dB (at most 10 s: a quiet prompt in
/// loud noise never gets there, nor matters).
const LEARNING: usize = 100;
const TRUSTED_DB: f32 = 12.0;

/// One filter: a spectrum per 20 ms partition of the echo path.
#[derive(Clone)]
struct Filter(Vec<Complex32>);

/// Cancels the playback's echo from microphone frames (16 kHz, 20 ms).
pub struct EchoCanceller {
    params: EchoParams,
    partitions: usize,
    forward: Arc<dyn RealToComplex<f32>>,
    inverse: Arc<dyn ComplexToReal<f32>>,
    /// The previous playback frame (the first half of the FFT's window).
    last: [f32; FRAME],
    /// Playback spectra, newest first: `partitions` blocks of `BINS`.
    history: Vec<Complex32>,
    /// Smoothed playback power per bin (times the partitions).
    power: Vec<f32>,
    used: Filter,
    background: Filter,
    /// Smoothed residual energies of the two filters.
    used_energy: f32,
    background_energy: f32,
    /// Playback frames since the last one with sound.
    silent: usize,
    /// Playback frames with sound so far (up to 5 × [`LEARNING`]).
    learned: usize,
    /// Microphone and residual energy above the noise while playback
    /// sounds, decaying over ~200 ms: how far the filter takes the echo
    /// down (the pauses in the user's talk show it).
    reduction: (f32, f32),
    trusted: bool,
    /// The residual echo's energy as a share of the loudest playback
    /// frame within the filter's reach.
    leak_db: Option<f32>,
    /// The residual's floor (background noise).
    noise: f32,
    /// The energies of the last `partitions` playback frames (a ring), and
    /// the frames processed.
    played: Vec<f32>,
    frames: usize,
    time: Vec<f32>,
    spectrum: Vec<Complex32>,
    scratch: Vec<Complex32>,
    /// Each background partition's norm, for proportionate steps.
    norms: Vec<f32>,
    /// The normalised error spectrum of an update.
    step: Vec<Complex32>,
    /// The residuals of the filter in use and of the background one.
    residual: [[f32; FRAME]; 2],
}

impl EchoCanceller {
    pub fn new(params: EchoParams) -> EchoCanceller {
        let block = Duration::from_secs_f64(FRAME as f64 / SAMPLE_RATE as f64);
        let partitions = (params.tail.as_secs_f64() / block.as_secs_f64()).ceil().max(1.0) as usize;
        let mut planner = RealFftPlanner::<f32>::new();
        let forward = planner.plan_fft_forward(2 * FRAME);
        let inverse = planner.plan_fft_inverse(2 * FRAME);
        let scratch = vec![Complex32::default(); forward.get_scratch_len().max(inverse.get_scratch_len())];
        let zero = Filter(vec![Complex32::default(); partitions * BINS]);
        EchoCanceller {
            params,
            partitions,
            forward,
            inverse,
            last: [0.0; FRAME],
            history: vec![Complex32::default(); partitions * BINS],
            power: vec![0.0; BINS],
            used: zero.clone(),
            background: zero,
            used_energy: 0.0,
            background_energy: 0.0,
            silent: usize::MAX,
            learned: 0,
            reduction: (0.0, 0.0),
            trusted: false,
            leak_db: None,
            noise: 0.0,
            played: vec![0.0; partitions],
            frames: 0,
            time: vec![0.0; 2 * FRAME],
            spectrum: vec![Complex32::default(); BINS],
            scratch,
            norms: vec![0.0; partitions],
            step: vec![Complex32::default(); BINS],
            residual: [[0.0; FRAME]; 2],
        }
    }

    /// Whether the playback has been silent for longer than the filter
    /// reaches: nothing of it can be in the microphone now, and frames
    /// need not be processed.
    pub fn idle(&self) -> bool {
        self.silent > self.partitions
    }

    /// Takes the echo of `playback` (what the loudspeaker was given over
    /// the same 20 ms) out of `mic`, in place. Returns whether the frame
    /// was mostly playback.
    pub fn process(&mut self, mic: &mut [f32; FRAME], playback: &[f32; FRAME]) -> bool {
        if playback.iter().any(|&x| x != 0.0) {
            self.silent = 0;
            // Above -70 dBFS: sound, not dither.
            if energy(playback) > FRAME as f32 * 1e-7 {
                self.learned = (self.learned + 1).min(5 * LEARNING);
            }
        } else {
            self.silent = self.silent.saturating_add(1);
        }
        self.push_playback(playback);
        let mic_energy = energy(mic);
        let used = self.cancel(0, mic);
        let background = self.cancel(1, mic);
        self.adapt();
        self.used_energy = 0.7 * self.used_energy + 0.3 * used;
        self.background_energy = 0.7 * self.background_energy + 0.3 * background;
        let out = if self.background_energy < 0.5 * self.used_energy {
            // The background filter cancels 3 dB better: use it.
            self.used.0.copy_from_slice(&self.background.0);
            self.used_energy = self.background_energy;
            1
        } else {
            if self.used_energy < 0.25 * self.background_energy {
                // The user's voice pulled the background filter off course.
                self.background.0.copy_from_slice(&self.used.0);
                self.background_energy = self.used_energy;
            }
            0
        };
        let out_energy = energy(&self.residual[out]);
        let echo_energy: f32 = mic.iter().zip(&self.residual[out]).map(|(m, r)| (m - r) * (m - r)).sum();
        mic.copy_from_slice(&self.residual[out]);
        self.residual.zeroize();
        self.playback_only(energy(playback), mic_energy, echo_energy, out_energy)
    }

    /// The gate: whether a frame (its playback's energy, and the
    /// microphone's, the echo estimate's and the residual's) was only
    /// playback.
    fn playback_only(&mut self, played: f32, mic: f32, echo: f32, residual: f32) -> bool {
        // A filter's misadjustment leaves a residual in proportion to the
        // playback over the whole path, not to this frame's echo: compare
        // with the loudest playback frame within the filter's reach.
        self.played[self.frames % self.partitions] = played;
        self.frames += 1;
        let reach = self.played.iter().fold(0.0f32, |m, e| m.max(*e));
        // The background noise, followed down at once and up by 0.1 dB a
        // frame: a residual at its level is no one talking, and no echo.
        self.noise = if self.noise == 0.0 || residual < self.noise { residual } else { self.noise * 1.023 };
        // What the filter leaves above the noise, as a share of the reach
        // (in dB, averaged over a second; -40 dB where the residual is all
        // noise): learnt only on frames where the echo dominates, so that
        // the user's voice over the playback does not move it.
        if echo > 4.0 * residual && echo > FRAME as f32 * 1e-7 {
            let ratio = 10.0 * ((residual - self.noise) / reach.max(1e-12)).max(1e-4).log10();
            self.leak_db = Some(self.leak_db.map_or(ratio, |l| 0.98 * l + 0.02 * ratio));
        }
        let sounding = self.silent <= self.partitions;
        if sounding {
            // Above the noise, which no filter takes out.
            self.reduction = (0.9 * self.reduction.0 + (mic - self.noise).max(0.0), 0.9 * self.reduction.1 + (residual - self.noise).max(0.0));
        }
        // Once trusted, for good: the user talking over the playback
        // lowers the reduction measured, not the filter's.
        self.trusted |= self.learned >= 5 * LEARNING || self.learned >= LEARNING && self.reduction.0 > self.reduction.1 * 10f32.powf(TRUSTED_DB / 10.0);
        let expected = reach * 10f32.powf(self.leak_db.unwrap_or(0.0) / 10.0) + self.noise;
        sounding && (!self.trusted || residual < expected * 10f32.powf(self.params.gate_db / 10.0))
    }

    /// Shifts the playback history by one block and adds the new block's
    /// spectrum (of the last two frames: overlap-save).
    fn push_playback(&mut self, playback: &[f32; FRAME]) {
        self.history.copy_within(0..(self.partitions - 1) * BINS, BINS);
        self.time[..FRAME].copy_from_slice(&self.last);
        self.time[FRAME..].copy_from_slice(playback);
        self.last.copy_from_slice(playback);
        self.forward.process_with_scratch(&mut self.time, &mut self.history[..BINS], &mut self.scratch).expect("buffers sized for the plan");
        let partitions = self.partitions as f32;
        for (p, x) in self.power.iter_mut().zip(&self.history[..BINS]) {
            *p = 0.9 * *p + 0.1 * partitions * x.norm_sqr();
        }
    }

    /// The residual of the filter in use (0) or the background one (1),
    /// into `self.residual[which]`, and its energy.
    fn cancel(&mut self, which: usize, mic: &[f32; FRAME]) -> f32 {
        let filter = if which == 1 { &self.background } else { &self.used };
        self.spectrum.fill(Complex32::default());
        for (w, x) in filter.0.chunks_exact(BINS).zip(self.history.chunks_exact(BINS)) {
            for ((y, w), x) in self.spectrum.iter_mut().zip(w).zip(x) {
                *y += w * x;
            }
        }
        self.inverse_fft();
        let scale = 1.0 / (2 * FRAME) as f32;
        for ((r, m), y) in self.residual[which].iter_mut().zip(mic).zip(&self.time[FRAME..]) {
            *r = m - y * scale;
        }
        energy(&self.residual[which])
    }

    /// One NLMS step of the background filter towards its residual,
    /// constrained to a linear (not circular)
    /// convolution.
    fn adapt(&mut self) {
        self.time[..FRAME].fill(0.0);
        self.time[FRAME..].copy_from_slice(&self.residual[1]);
        self.forward.process_with_scratch(&mut self.time, &mut self.spectrum, &mut self.scratch).expect("buffers sized for the plan");
        // A quiet bin would otherwise get a huge step from its error.
        let floor = self.partitions as f32 * (2 * FRAME) as f32 * 1e-7;
        for ((s, e), p) in self.step.iter_mut().zip(&self.spectrum).zip(&self.power) {
            *s = e * (STEP / (p + floor));
        }
        let scale = 1.0 / (2 * FRAME) as f32;
        // Proportionate steps: an echo path is sparse (nothing before the
        // output latency, a decaying tail after the direct sound), so the
        // partitions that already hold most of it learn fastest.
        for (n, w) in self.norms.iter_mut().zip(self.background.0.chunks_exact(BINS)) {
            *n = w.iter().map(|c| c.norm_sqr()).sum::<f32>().sqrt();
        }
        let total = self.norms.iter().sum::<f32>();
        let k = self.partitions as f32;
        for p in 0..self.partitions {
            let share = if total > 0.0 { PROP * k * self.norms[p] / total + (1.0 - PROP) } else { 1.0 };
            let (w, x) = (&mut self.background.0[p * BINS..(p + 1) * BINS], &self.history[p * BINS..(p + 1) * BINS]);
            for ((w, x), e) in w.iter_mut().zip(x).zip(&self.step) {
                *w += x.conj() * e * share;
            }
            // The second half of each partition's impulse response would
            // wrap around the block: zero it.
            self.spectrum.copy_from_slice(w);
            self.inverse_fft();
            self.time[FRAME..].fill(0.0);
            self.time[..FRAME].iter_mut().for_each(|t| *t *= scale);
            let w = &mut self.background.0[p * BINS..(p + 1) * BINS];
            self.forward.process_with_scratch(&mut self.time, w, &mut self.scratch).expect("buffers sized for the plan");
        }
    }

    /// `self.spectrum` to `self.time` (unscaled).
    fn inverse_fft(&mut self) {
        // A real signal's spectrum has real DC and Nyquist bins; products
        // of spectra keep them real up to rounding.
        self.spectrum[0].im = 0.0;
        self.spectrum[BINS - 1].im = 0.0;
        self.inverse.process_with_scratch(&mut self.spectrum, &mut self.time, &mut self.scratch).expect("buffers sized for the plan");
    }
}

fn energy(x: &[f32]) -> f32 {
    x.iter().map(|v| v * v).sum()
}

impl Drop for EchoCanceller {
    fn drop(&mut self) {
        // The residual and the scratch held the user's voice.
        self.time.zeroize();
        for buffer in [&mut self.spectrum, &mut self.scratch, &mut self.step] {
            buffer.iter_mut().for_each(|c| *c = Complex32::default());
        }
        self.residual.zeroize();
    }
}
