//! Voice activity detection and endpointing on a stream of 16 kHz samples.
//!
//! Each 20 ms frame is judged speech or not by a [`Detector`]. The energy
//! detector pre-emphasises the frame (which takes most of a car's rumble,
//! below 300 Hz, out of the picture) and compares its energy with an
//! adaptive noise floor: the floor follows quiet frames down at once and
//! creeps up slowly, so it settles on the background whatever its level.
//! The Silero detector reads a trained model's speech probability, with
//! hysteresis (a higher bar to start than to go on). Either way, speech
//! starts after a few speech frames in a row (a click does not start one)
//! and keeps a pre-roll so that the first syllable is not lost; it ends
//! after a stretch of quiet (the end-of-speech silence) or at the maximum
//! utterance length.

use crate::silero::{Silero, SileroModel};
use crate::SAMPLE_RATE;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroize;

/// Samples per analysis frame (20 ms).
pub const FRAME: usize = SAMPLE_RATE as usize / 50;

/// What decides that a frame is speech.
#[derive(Clone, Default)]
pub enum Detector {
    /// Frame energy against an adaptive noise floor (`threshold_db`); needs
    /// no model.
    #[default]
    Energy,
    /// Silero VAD: speech starts when its probability reaches `threshold`
    /// and goes on while it stays above `threshold - 0.15` (Silero's own
    /// hysteresis).
    Silero { model: Arc<SileroModel>, threshold: f32 },
}

impl Detector {
    /// Silero at its authors' default threshold.
    pub fn silero(model: Arc<SileroModel>) -> Detector {
        Detector::Silero { model, threshold: 0.5 }
    }

    /// "energy" or "silero".
    pub fn name(&self) -> &'static str {
        match self {
            Detector::Energy => "energy",
            Detector::Silero { .. } => "silero",
        }
    }
}

impl std::fmt::Debug for Detector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Detector::Energy => f.write_str("Energy"),
            Detector::Silero { threshold, .. } => write!(f, "Silero {{ threshold: {threshold} }}"),
        }
    }
}

impl PartialEq for Detector {
    fn eq(&self, other: &Detector) -> bool {
        match (self, other) {
            (Detector::Energy, Detector::Energy) => true,
            (Detector::Silero { model: a, threshold: x }, Detector::Silero { model: b, threshold: y }) => Arc::ptr_eq(a, b) && x == y,
            _ => false,
        }
    }
}

/// Endpointing settings.
#[derive(Debug, Clone, PartialEq)]
pub struct VadParams {
    /// What tells speech from noise.
    pub detector: Detector,
    /// With the energy detector, a frame is speech when its energy is this
    /// far above the noise floor.
    pub threshold_db: f32,
    /// Speech frames in a row that start an utterance.
    pub start_frames: usize,
    /// Speech an utterance must hold in all (its speech frames, pauses
    /// not counted) to be one: until then it is not reported as speech
    /// ([`Endpointer::in_speech`]: no barge-in, no read-ahead), and if it
    /// ends shorter it is dropped. Its start stays where speech began, so
    /// a short first word before a pause is kept.
    pub min_speech: Duration,
    /// Quiet after speech that ends an utterance.
    pub end_silence: Duration,
    /// Audio kept from before the detected start.
    pub pre_roll: Duration,
    /// An utterance is cut here even if the speaker goes on.
    pub max_utterance: Duration,
    /// Frames quieter than this (dBFS, after pre-emphasis) are never speech.
    pub min_level_db: f32,
}

impl Default for VadParams {
    fn default() -> Self {
        VadParams {
            detector: Detector::Energy,
            // Tuned on the dev clips at 10 and 5 dB SNR (tests/vad.rs).
            threshold_db: 5.0,
            start_frames: 3,
            // Zero: the energy detector's start run is its guard.
            min_speech: Duration::ZERO,
            end_silence: Duration::from_millis(300),
            pre_roll: Duration::from_millis(300),
            max_utterance: Duration::from_secs(12),
            min_level_db: -60.0,
        }
    }
}

impl VadParams {
    /// The Silero detector with the rest at the defaults, and Silero's own
    /// minimum speech duration (250 ms): its probability jumps on a
    /// clatter for a few frames.
    pub fn silero(model: Arc<SileroModel>) -> VadParams {
        VadParams { detector: Detector::silero(model), min_speech: Duration::from_millis(250), ..VadParams::default() }
    }
}

/// One endpointed utterance. Its samples are zeroed when it is dropped.
pub struct Segment {
    /// Sample offsets in the stream (16 kHz): where the kept audio starts
    /// (pre-roll included), where speech was first detected, and where the
    /// last speech frame ended.
    pub start: u64,
    pub speech_start: u64,
    pub speech_end: u64,
    /// Cut at the maximum length rather than ended by silence.
    pub truncated: bool,
    pub samples: Vec<f32>,
}

impl std::fmt::Debug for Segment {
    // Logs hold no audio: lengths only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segment")
            .field("start", &self.start)
            .field("speech_start", &self.speech_start)
            .field("speech_end", &self.speech_end)
            .field("truncated", &self.truncated)
            .field("samples", &self.samples.len())
            .finish()
    }
}

impl Drop for Segment {
    fn drop(&mut self) {
        self.samples.zeroize();
    }
}

/// Splits a stream of 16 kHz mono samples into utterances.
pub struct Endpointer {
    params: VadParams,
    /// Samples not yet making a whole frame.
    pending: Vec<f32>,
    /// The last sample of the previous frame, for pre-emphasis.
    last: f32,
    /// Stream offset of the next frame.
    at: u64,
    floor_db: Option<f32>,
    /// Loud frames in a row while not in speech.
    run: usize,
    /// Recent audio while not in speech (pre-roll plus the starting run).
    recent: VecDeque<f32>,
    /// The utterance being heard.
    current: Option<Segment>,
    /// Its speech frames so far.
    speech_frames: usize,
    quiet_frames: usize,
    /// The end silence for the pause going on now, instead of the
    /// params' (see [`Endpointer::end_pause_after`]).
    pause_end: Option<Duration>,
    silero: Option<Silero>,
}

impl Endpointer {
    pub fn new(params: VadParams) -> Endpointer {
        // The pre-roll buffer never grows past this, so it is never
        // reallocated (which would free a copy of the audio unwiped).
        let recent = VecDeque::with_capacity(Self::keep(&params));
        let silero = match &params.detector {
            Detector::Silero { model, .. } => Some(Silero::new(model.clone())),
            Detector::Energy => None,
        };
        Endpointer {
            params,
            pending: Vec::new(),
            last: 0.0,
            at: 0,
            floor_db: None,
            run: 0,
            recent,
            current: None,
            speech_frames: 0,
            quiet_frames: 0,
            pause_end: None,
            silero,
        }
    }

    /// Samples kept while not in speech: the pre-roll and the starting run.
    fn keep(p: &VadParams) -> usize {
        (p.pre_roll.as_secs_f64() * SAMPLE_RATE as f64) as usize + p.start_frames.max(1) * FRAME
    }

    /// The utterance being heard, once it has held `min_speech`.
    fn heard_so_far(&self) -> Option<&Segment> {
        let min = (self.params.min_speech.as_millis() as usize).div_ceil(20);
        self.current.as_ref().filter(|_| self.speech_frames >= min)
    }

    /// Ends the utterance being heard: it, if it held `min_speech`; a blip
    /// shorter than that is wiped as it drops.
    fn take_heard(&mut self) -> Option<Segment> {
        let long_enough = self.heard_so_far().is_some();
        self.current.take().filter(|_| long_enough)
    }

    /// Whether an utterance is being heard now.
    pub fn in_speech(&self) -> bool {
        self.heard_so_far().is_some()
    }

    /// While an utterance is being heard: the quiet since its last speech.
    pub fn quiet(&self) -> Option<Duration> {
        self.heard_so_far().map(|_| Duration::from_millis(20 * self.quiet_frames as u64))
    }

    /// While an utterance is being heard: where its speech started and
    /// where its last speech frame ended (stream samples).
    pub fn speech(&self) -> Option<(u64, u64)> {
        self.heard_so_far().map(|c| (c.speech_start, c.speech_end))
    }

    /// Ends the pause going on now after `quiet` instead of the params' end
    /// silence (at once if it has already lasted that long); speech that
    /// resumes goes back to the params'. For a caller that knows more than
    /// the audio: that the words so far are a whole command, or only the
    /// start of one.
    pub fn end_pause_after(&mut self, quiet: Duration) {
        if self.current.is_some() {
            self.pause_end = Some(quiet);
        }
    }

    /// A copy of the utterance heard so far, as if it ended now (for work
    /// that can start before the endpoint is decided).
    pub fn heard(&self) -> Option<Segment> {
        self.heard_so_far().map(|c| Segment { samples: c.samples.clone(), ..*c })
    }

    /// The current noise floor (dBFS, pre-emphasised), once known.
    pub fn noise_floor_db(&self) -> Option<f32> {
        self.floor_db
    }

    /// Feeds samples; returns the utterances they completed.
    pub fn push(&mut self, samples: &[f32]) -> Vec<Segment> {
        let mut done = Vec::new();
        crate::extend_wiping(&mut self.pending, samples);
        let whole = self.pending.len() / FRAME * FRAME;
        for i in (0..whole).step_by(FRAME) {
            let frame: [f32; FRAME] = self.pending[i..i + FRAME].try_into().expect("a whole frame");
            if let Some(s) = self.frame(&frame, false) {
                done.push(s);
            }
        }
        self.pending[..whole].zeroize();
        self.pending.drain(..whole);
        done
    }

    /// Feeds one whole frame, with whether it was only the device's own
    /// playback (an [`EchoCanceller`](crate::EchoCanceller)'s verdict):
    /// such a frame is never speech. Returns the utterances it completed.
    pub fn push_frame(&mut self, frame: &[f32; FRAME], playback: bool) -> Vec<Segment> {
        if !self.pending.is_empty() {
            // A partial frame from `push` goes first, and the frames no
            // longer line up with the verdicts: judge by the audio alone.
            return self.push(frame);
        }
        self.frame(frame, playback).into_iter().collect()
    }

    /// Ends the stream: the utterance being heard, if any.
    pub fn finish(&mut self) -> Option<Segment> {
        let tail = std::mem::take(&mut self.pending);
        let mut tail = tail;
        let Some(mut seg) = self.take_heard() else {
            tail.zeroize();
            return None;
        };
        crate::extend_wiping(&mut seg.samples, &tail);
        tail.zeroize();
        Some(seg)
    }

    fn frame(&mut self, frame: &[f32; FRAME], playback: bool) -> Option<Segment> {
        let p = &self.params;
        let mut energy = 0.0f64;
        let mut prev = self.last;
        for &x in frame {
            let y = (x - 0.97 * prev) as f64;
            energy += y * y;
            prev = x;
        }
        self.last = prev;
        let db = (10.0 * (energy / FRAME as f64 + 1e-12).log10()) as f32;
        let floor = *self.floor_db.get_or_insert(db);
        let loud_energy = db > floor + p.threshold_db;
        let speech = match (&p.detector, self.silero.as_mut()) {
            (Detector::Silero { threshold, .. }, Some(vad)) => {
                vad.push(frame);
                let bar = if self.current.is_some() { threshold - 0.15 } else { *threshold };
                vad.probability() >= bar
            }
            _ => loud_energy,
        };
        let loud = db > p.min_level_db && speech && !playback;
        // Down at once, up slowly (0.1 dB per quiet frame, a tenth of that
        // during speech, so that a long sentence does not lift the floor
        // into itself).
        self.floor_db = Some(if db < floor { db } else { floor + (db - floor).min(if loud_energy { 0.01 } else { 0.1 }) });
        self.at += FRAME as u64;
        let end = self.at;

        if let Some(seg) = self.current.as_mut() {
            crate::extend_wiping(&mut seg.samples, frame);
            if loud {
                self.quiet_frames = 0;
                self.pause_end = None;
                seg.speech_end = end;
                self.speech_frames += 1;
            } else {
                self.quiet_frames += 1;
            }
            let quiet = Duration::from_millis(20 * self.quiet_frames as u64);
            let long = Duration::from_secs_f64((end - seg.start) as f64 / SAMPLE_RATE as f64);
            let end_silence = self.pause_end.unwrap_or(p.end_silence);
            if quiet >= end_silence || long >= p.max_utterance {
                let truncated = quiet < end_silence;
                self.quiet_frames = 0;
                self.pause_end = None;
                let mut seg = self.take_heard();
                if let Some(s) = seg.as_mut() {
                    s.truncated = truncated;
                }
                return seg;
            }
            return None;
        }

        let keep = Self::keep(p);
        while self.recent.len() + FRAME > keep {
            self.recent.pop_front();
        }
        self.recent.extend(frame.iter());
        self.run = if loud { self.run + 1 } else { 0 };
        if self.run >= p.start_frames.max(1) {
            self.run = 0;
            let samples: Vec<f32> = self.recent.iter().copied().collect();
            wipe(&mut self.recent);
            let speech_start = end - (p.start_frames.max(1) * FRAME) as u64;
            self.current = Some(Segment { start: end - samples.len() as u64, speech_start, speech_end: end, truncated: false, samples });
            self.speech_frames = p.start_frames.max(1);
            self.quiet_frames = 0;
        }
        None
    }
}

/// Empties the pre-roll buffer, zeroing its whole allocation (popped
/// slots still hold old samples until overwritten).
fn wipe(recent: &mut VecDeque<f32>) {
    recent.iter_mut().for_each(|x| *x = 0.0);
    recent.resize(recent.capacity(), 0.0);
    recent.clear();
}

impl Drop for Endpointer {
    fn drop(&mut self) {
        self.pending.zeroize();
        wipe(&mut self.recent);
    }
}
