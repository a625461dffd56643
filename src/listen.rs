//! Live listening: a stream of 16 kHz audio in, a [`Turn`] out as soon as
//! each utterance ends.
//!
//! [`Session::listen`] returns a [`Listener`]; the host feeds it audio as it
//! arrives (from [`hush_audio::Capture`], or its own sound pipeline) and
//! reads [`Event`]s. The endpointer cuts utterances; a worker task
//! transcribes, understands and dispatches them in order while audio keeps
//! coming in, so speech heard while an action runs can stop it (barge-in).
//!
//! Three modes decide which utterances are commands: every one
//! ([`Mode::Continuous`]), those said while the host holds a push-to-talk
//! control ([`Mode::PushToTalk`]), or those that start with the wake phrase
//! ([`Mode::WakePhrase`]), which a cheap check scores before anything is
//! transcribed. An answer to the assistant's question never needs the wake
//! phrase.

use crate::{EngineError, Session, Turn};
use hush_audio::{Endpointer, Segment, VadParams, SAMPLE_RATE};
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use zeroize::Zeroize;

/// Which utterances are commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Every utterance.
    Continuous,
    /// Only those starting with the wake phrase (or following it closely).
    WakePhrase,
    /// Only audio heard while [`Listener::push_to_talk`] is held.
    PushToTalk,
}

/// The wake phrase and how it is checked.
#[derive(Debug, Clone, PartialEq)]
pub struct WakeParams {
    pub phrase: String,
    /// Scores at or above this wake hush (see [`wake_score`]).
    pub threshold: f32,
    /// An utterance no longer than this that passes the check is the phrase
    /// alone: the command is the next utterance.
    pub phrase_alone: Duration,
    /// How long after the phrase alone the next utterance may start.
    pub follow_up: Duration,
}

impl Default for WakeParams {
    fn default() -> Self {
        WakeParams {
            phrase: "hey hush".into(),
            // Tuned on synthetic "hey hush" clips (Piper and espeak-ng
            // voices, clean and with car, street and kitchen noise) against
            // the dev commands and the noise recordings: see README.
            threshold: WAKE_THRESHOLD,
            phrase_alone: Duration::from_millis(1_300),
            follow_up: Duration::from_secs(8),
        }
    }
}

/// The default wake threshold.
pub const WAKE_THRESHOLD: f32 = -6.35;

/// Listening settings.
#[derive(Debug, Clone, PartialEq)]
pub struct ListenParams {
    pub mode: Mode,
    pub vad: VadParams,
    pub wake: WakeParams,
    /// Speech that starts while an action runs cancels it.
    pub barge_in: bool,
    /// Hand each turn's audio back in [`LiveTurn::audio`] (off by default:
    /// audio is wiped once transcribed).
    pub keep_audio: bool,
    /// Start recognising after this much quiet, before the end silence is
    /// over: if the speaker does not go on, the turn is ready almost as
    /// soon as the endpoint is decided; if they do, the reading is thrown
    /// away. `None` waits for the endpoint.
    pub read_ahead: Option<Duration>,
}

impl Default for ListenParams {
    fn default() -> Self {
        ListenParams {
            mode: Mode::Continuous,
            vad: VadParams::default(),
            wake: WakeParams::default(),
            barge_in: true,
            keep_audio: false,
            read_ahead: Some(Duration::from_millis(100)),
        }
    }
}

/// Where an utterance's speech lies in the stream (from its first sample).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Span {
    #[serde(serialize_with = "secs")]
    pub start: Duration,
    #[serde(serialize_with = "secs")]
    pub end: Duration,
}

fn secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1e3).round() / 1e3)
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1e6).round() / 1e3)
}

/// How long a live turn took, beyond the stages [`Turn::timings`] lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Latency {
    /// Quiet waited after the last speech before the utterance was ended
    /// (the endpoint silence; zero for push-to-talk).
    #[serde(serialize_with = "millis")]
    pub endpoint_silence: Duration,
    /// From the endpoint decision until the worker picked the utterance up
    /// (non-zero when an earlier one was still being handled).
    #[serde(serialize_with = "millis")]
    pub queued: Duration,
    /// From the endpoint decision to the action's outcome or the question:
    /// what the user waits for once hush knows they have finished.
    #[serde(serialize_with = "millis")]
    pub to_dispatch: Duration,
    /// Recognition was done ahead, during the end silence.
    pub read_ahead: bool,
}

/// A turn heard live.
#[derive(Debug, Clone, Serialize)]
pub struct LiveTurn {
    pub speech: Span,
    /// The wake check's score, in wake-phrase mode when it ran.
    pub wake_score: Option<f32>,
    pub latency: Latency,
    pub turn: Turn,
    /// The utterance's 16 kHz audio, only with [`ListenParams::keep_audio`].
    #[serde(skip)]
    pub audio: Option<hush_audio::Audio>,
}

/// Why an utterance was not taken as a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ignored {
    NoWakePhrase,
    /// Whisper heard no words (a bump, a breath, a clatter).
    NoWords,
}

/// What the listener noticed.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// Speech began.
    SpeechStarted {
        #[serde(serialize_with = "secs")]
        at: Duration,
    },
    /// Speech began while an action ran, and the action was cancelled.
    BargeIn {
        #[serde(serialize_with = "secs")]
        at: Duration,
    },
    /// An utterance that was not for hush.
    Ignored {
        speech: Span,
        reason: Ignored,
        wake_score: Option<f32>,
        #[serde(serialize_with = "millis")]
        check: Duration,
    },
    /// The wake phrase on its own: the next utterance is the command.
    Woke { speech: Span, wake_score: f32 },
    /// An utterance became a turn.
    Turn(Box<LiveTurn>),
    /// An utterance could not be handled (a recogniser error); listening
    /// goes on.
    Failed { speech: Span, error: String },
}

/// Feeds audio in, hands events out. Create with [`Session::listen`] inside
/// a tokio runtime.
pub struct Listener {
    mode: Mode,
    barge_in: bool,
    read_ahead: Option<Duration>,
    vad: Endpointer,
    session: Session,
    /// Samples fed so far.
    fed: u64,
    /// Utterances handed to the worker, and those it has reported on.
    submitted: usize,
    handled: usize,
    /// Jobs (reads ahead included) the worker has not finished.
    busy: Arc<AtomicUsize>,
    /// For [`feed_recorded`]: when hush became busy, and the audio fed then.
    clock: Option<(Instant, u64)>,
    /// Audio of a push-to-talk press in progress.
    held: Option<(u64, Vec<f32>)>,
    jobs: Option<mpsc::UnboundedSender<Job>>,
    events_tx: mpsc::UnboundedSender<Event>,
    events: mpsc::UnboundedReceiver<Event>,
    worker: Option<tokio::task::JoinHandle<()>>,
}

struct Job {
    segment: Segment,
    speech: Span,
    /// When the endpoint was decided (or the push-to-talk control released).
    decided: Instant,
    endpoint_silence: Duration,
    /// Taken as a command without the wake check (push-to-talk).
    addressed: bool,
    /// Read ahead during the end silence; the utterance may go on.
    ahead: bool,
}

fn at(samples: u64) -> Duration {
    Duration::from_secs_f64(samples as f64 / SAMPLE_RATE as f64)
}

impl Listener {
    pub(crate) fn new(session: Session, params: ListenParams) -> Result<Listener, EngineError> {
        let handle = tokio::runtime::Handle::try_current().map_err(|_| EngineError::NoRuntime)?;
        if params.mode == Mode::WakePhrase && params.wake.phrase.split_whitespace().next().is_none() {
            return Err(EngineError::Wake("the wake phrase is empty".into()));
        }
        session.recognizer()?;
        let (jobs, rx) = mpsc::unbounded_channel();
        let (events_tx, events) = mpsc::unbounded_channel();
        let busy = Arc::new(AtomicUsize::new(0));
        let worker = Worker {
            busy: busy.clone(),
            session: session.clone(),
            mode: params.mode,
            wake: params.wake,
            keep_audio: params.keep_audio,
            events: events_tx.clone(),
            awake_until: None,
            ahead: None,
        };
        let worker = handle.spawn(worker.run(rx));
        Ok(Listener {
            mode: params.mode,
            barge_in: params.barge_in,
            read_ahead: params.read_ahead.filter(|d| *d < params.vad.end_silence),
            vad: Endpointer::new(params.vad),
            session,
            fed: 0,
            submitted: 0,
            handled: 0,
            busy,
            clock: None,
            held: None,
            jobs: Some(jobs),
            events_tx,
            events,
            worker: Some(worker),
        })
    }

    /// Feeds 16 kHz mono samples. Utterances that end here are queued for
    /// the worker; their turns arrive as events.
    pub fn feed(&mut self, samples: &[f32]) {
        if self.mode == Mode::PushToTalk {
            if let Some((_, held)) = self.held.as_mut() {
                hush_audio::extend_wiping(held, samples);
            }
            self.fed += samples.len() as u64;
            return;
        }
        // Frame by frame, so that the start of speech is seen where it is.
        for piece in samples.chunks(hush_audio::vad::FRAME) {
            let was = self.vad.in_speech();
            let ended = self.vad.push(piece);
            self.fed += piece.len() as u64;
            for segment in ended {
                self.submit(segment, false, false);
            }
            if !was && self.vad.in_speech() {
                self.speech_started();
            }
            if let (Some(after), Some(quiet)) = (self.read_ahead, self.vad.quiet()) {
                // Exactly once per pause: the frame that reaches `after`.
                if quiet >= after && quiet < after + Duration::from_millis(20) {
                    if let Some(heard) = self.vad.heard() {
                        self.submit(heard, false, true);
                    }
                }
            }
        }
    }

    /// Presses (`true`) or releases the push-to-talk control. Audio fed
    /// while it is held is one utterance, handed over on release.
    pub fn push_to_talk(&mut self, pressed: bool) {
        match (pressed, self.held.take()) {
            (true, None) => {
                self.held = Some((self.fed, Vec::new()));
                self.speech_started();
            }
            (true, Some(held)) => self.held = Some(held),
            (false, Some((start, samples))) if !samples.is_empty() => {
                let end = start + samples.len() as u64;
                let segment = Segment { start, speech_start: start, speech_end: end, truncated: false, samples };
                self.submit(segment, true, false);
            }
            (false, _) => {}
        }
    }

    /// Events so far, without waiting.
    pub fn events(&mut self) -> Vec<Event> {
        let mut out = Vec::new();
        while let Ok(e) = self.events.try_recv() {
            self.count(&e);
            out.push(e);
        }
        out
    }

    /// Waits for the next event; `None` once the listener is finished.
    pub async fn next_event(&mut self) -> Option<Event> {
        let e = self.events.recv().await?;
        self.count(&e);
        Some(e)
    }

    /// Utterances ended but not yet handled.
    pub fn pending(&self) -> usize {
        self.submitted - self.handled
    }

    /// Waits until every ended utterance is handled; returns the events.
    /// (A replay that must not run ahead of hush, e.g. to measure latency
    /// without queueing.)
    pub async fn settle(&mut self) -> Vec<Event> {
        let mut out = self.events();
        while self.pending() > 0 {
            match self.next_event().await {
                Some(e) => out.push(e),
                None => break,
            }
        }
        out
    }

    /// Feeds recorded audio as if it were arriving live, but without
    /// waiting when nothing is being worked on: while hush is busy with an
    /// utterance the audio goes in at real-time speed (so a read ahead gets
    /// its head start and the next utterance can queue, as live), and at
    /// once otherwise. Timings then match a live session's while a
    /// recording takes only the time hush needs.
    pub async fn feed_recorded(&mut self, samples: &[f32]) {
        for frame in samples.chunks(hush_audio::vad::FRAME) {
            if self.busy.load(Ordering::Acquire) > 0 {
                let (since, fed_then) = *self.clock.get_or_insert((Instant::now(), self.fed));
                let due = since + at(self.fed - fed_then);
                tokio::time::sleep_until(due.into()).await;
            } else {
                self.clock = None;
            }
            self.feed(frame);
        }
    }

    /// [`feed_recorded`](Self::feed_recorded) for a whole recording, then
    /// waits for every utterance to be handled; returns all events (the
    /// listener goes on: call [`finish`](Self::finish) for the tail).
    pub async fn replay(&mut self, samples: &[f32]) -> Vec<Event> {
        let mut out = Vec::new();
        for chunk in samples.chunks(SAMPLE_RATE as usize / 10) {
            self.feed_recorded(chunk).await;
            out.extend(self.events());
        }
        out.extend(self.settle().await);
        out
    }

    fn count(&mut self, e: &Event) {
        if matches!(e, Event::Ignored { .. } | Event::Woke { .. } | Event::Turn(_) | Event::Failed { .. }) {
            self.handled += 1;
        }
    }

    /// Ends the stream: the utterance being heard (or a held push-to-talk)
    /// is handed over, every queued utterance is handled, and all remaining
    /// events are returned.
    pub async fn finish(mut self) -> Vec<Event> {
        if let Some(segment) = self.vad.finish() {
            self.submit(segment, false, false);
        }
        self.push_to_talk(false);
        self.jobs.take();
        if let Some(worker) = self.worker.take() {
            if let Err(e) = worker.await {
                let _ = self.events_tx.send(Event::Failed { speech: Span { start: at(self.fed), end: at(self.fed) }, error: e.to_string() });
            }
        }
        self.events()
    }

    /// Audio fed so far.
    pub fn position(&self) -> Duration {
        at(self.fed)
    }

    fn speech_started(&mut self) {
        let now = at(self.fed);
        let _ = self.events_tx.send(Event::SpeechStarted { at: now });
        if self.barge_in && self.session.interrupt() {
            let _ = self.events_tx.send(Event::BargeIn { at: now });
        }
    }

    fn submit(&mut self, segment: Segment, addressed: bool, ahead: bool) {
        let speech = Span { start: at(segment.speech_start), end: at(segment.speech_end) };
        let endpoint_silence = at(segment.start + segment.samples.len() as u64).saturating_sub(speech.end);
        let job = Job { segment, speech, decided: Instant::now(), endpoint_silence, addressed, ahead };
        if let Some(jobs) = &self.jobs {
            // The worker only stops when the listener does.
            self.busy.fetch_add(1, Ordering::AcqRel);
            if jobs.send(job).is_err() {
                self.busy.fetch_sub(1, Ordering::AcqRel);
            } else if !ahead {
                self.submitted += 1;
            }
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(w) = self.worker.take() {
            w.abort();
        }
        if let Some((_, held)) = self.held.as_mut() {
            held.zeroize();
        }
    }
}

struct Worker {
    busy: Arc<AtomicUsize>,
    session: Session,
    mode: Mode,
    wake: WakeParams,
    keep_audio: bool,
    events: mpsc::UnboundedSender<Event>,
    /// After the phrase alone: utterances starting before this are commands.
    awake_until: Option<Duration>,
    /// A reading done ahead, during an utterance's end silence.
    ahead: Option<(Span, Result<Reading, String>)>,
}

/// Whisper's reading of an utterance.
enum Reading {
    /// A command as heard (and how long recognition took).
    Heard { text: String, asr: Duration, by: crate::HeardBy },
    /// The wake check failed.
    NotForUs { score: f32, took: Duration },
    /// The wake check passed; what followed the phrase.
    AfterPhrase { score: f32, text: String, took: Duration },
}

impl Worker {
    async fn run(mut self, mut jobs: mpsc::UnboundedReceiver<Job>) {
        while let Some(job) = jobs.recv().await {
            let speech = job.speech;
            if job.ahead {
                // Only kept if the utterance ends as it is now.
                let reading = self.read(job.segment, speech, job.addressed).await.map_err(|e| e.to_string());
                self.ahead = Some((speech, reading));
                self.busy.fetch_sub(1, Ordering::AcqRel);
                continue;
            }
            let event = match self.handle(job).await {
                Ok(e) => e,
                Err(e) => Event::Failed { speech, error: e.to_string() },
            };
            self.busy.fetch_sub(1, Ordering::AcqRel);
            if self.events.send(event).is_err() {
                return;
            }
        }
    }

    /// Whether an utterance is for hush without the wake check.
    fn expected(&self, speech: Span, addressed: bool) -> bool {
        self.mode != Mode::WakePhrase || addressed || self.awake_until.is_some_and(|t| speech.start <= t) || self.session.pending().is_some()
    }

    async fn read(&self, mut segment: Segment, speech: Span, addressed: bool) -> Result<Reading, EngineError> {
        if self.expected(speech, addressed) {
            let samples = std::mem::take(&mut segment.samples);
            let (heard, asr) = self.session.transcribe(samples).await?;
            // Said anyway (an answer with the phrase before it): only a close
            // likeness is taken off.
            let text = match without_phrase(&heard.transcript.text, &self.wake.phrase) {
                (rest, distance) if self.mode == Mode::WakePhrase && distance * 2 <= letters(&self.wake.phrase) => rest,
                _ => heard.transcript.text,
            };
            return Ok(Reading::Heard { text, asr, by: heard.by });
        }
        // The wake check and the transcription in one pass: Whisper scores
        // the phrase and, if it is there, goes on to read what follows it.
        let from = (segment.speech_start - segment.start) as usize;
        let from = from.saturating_sub(SAMPLE_RATE as usize / 10);
        let mut samples = segment.samples.split_off(from);
        let rec = self.session.recognizer()?;
        let (phrase, threshold) = (self.wake.phrase.clone(), self.wake.threshold);
        let t = Instant::now();
        let (score, transcript) = tokio::task::spawn_blocking(move || {
            let r = read_wake_phrase(&rec, &samples, &phrase, threshold);
            samples.zeroize();
            r
        })
        .await
        .map_err(|e| EngineError::Worker(e.to_string()))??;
        let took = t.elapsed();
        Ok(match transcript {
            None => Reading::NotForUs { score, took },
            // The text after the phrase starts with its comma, if any.
            Some(t) => Reading::AfterPhrase { score, text: t.text.trim_start_matches(|c: char| !c.is_alphanumeric()).to_owned(), took },
        })
    }

    async fn handle(&mut self, job: Job) -> Result<Event, EngineError> {
        let picked = Instant::now();
        let mut latency = Latency { endpoint_silence: job.endpoint_silence, queued: picked - job.decided, ..Latency::default() };
        let Job { segment, speech, decided, addressed, .. } = job;
        let kept = self.keep_audio.then(|| hush_audio::Audio::from_samples(segment.samples.clone()));
        let reading = match self.ahead.take() {
            Some((span, reading)) if span == speech => {
                latency.read_ahead = true;
                reading.map_err(EngineError::Worker)?
            }
            _ => self.read(segment, speech, addressed).await?,
        };
        let (text, asr, score, by) = match reading {
            Reading::Heard { text, asr, .. } if !has_words(&text) => {
                return Ok(Event::Ignored { speech, reason: Ignored::NoWords, wake_score: None, check: asr });
            }
            Reading::Heard { text, asr, by } => (text, asr, None, by),
            Reading::NotForUs { score, took } => {
                return Ok(Event::Ignored { speech, reason: Ignored::NoWakePhrase, wake_score: Some(score), check: took });
            }
            Reading::AfterPhrase { score, text, took } => {
                if speech.end - speech.start <= self.wake.phrase_alone || !has_words(&text) {
                    self.awake_until = Some(speech.end + self.wake.follow_up);
                    return Ok(Event::Woke { speech, wake_score: score });
                }
                (text, took, Some(score), crate::HeardBy::Free)
            }
        };
        self.awake_until = None;
        let timings = crate::Timings { asr, ..Default::default() };
        let mut turn = self.session.understand_and_act(text, timings, picked).await;
        turn.heard_by = Some(by);
        latency.to_dispatch = decided.elapsed();
        Ok(Event::Turn(Box::new(LiveTurn { speech, wake_score: score, latency, turn, audio: kept })))
    }
}

/// The wake check, and what follows the phrase when it passes: Whisper
/// scores the phrase at the start of `samples` (see [`wake_score`]) and, at
/// or above `threshold`, transcribes the rest in the same pass.
pub fn read_wake_phrase(rec: &hush_asr::Recognizer, samples: &[f32], phrase: &str, threshold: f32) -> Result<(f32, Option<hush_asr::Transcript>), EngineError> {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    let plain = capitalise(&words.join(" "));
    let comma = match words.split_first() {
        Some((first, rest)) if !rest.is_empty() => capitalise(&format!("{first}, {}", rest.join(" "))),
        _ => plain.clone(),
    };
    let primed = format!("{plain}.");
    let mut score = f32::NEG_INFINITY;
    let reading = rec.read_after_phrase(samples, &[&plain, &comma], &["", &primed], |scores| {
        score = wake_score(scores);
        // Each context adds a log-probability (at most 0): below the
        // threshold after the plain reading is below it for good.
        (score < threshold || scores.len() == 2).then_some(score >= threshold)
    })?;
    Ok((score, reading.transcript))
}

/// How Whisper reads the wake phrase: the mean token log-probability (best
/// of the phrase with and without a comma) heard plainly, plus the same
/// when Whisper is told the phrase was said before. The plain reading keeps
/// sentences that merely start alike ("hey, share me a joke") out; the
/// primed one lets through a phrase the plain reading mishears (synthetic
/// voices in noise). Higher is more likely; [`WAKE_THRESHOLD`] is the
/// default cut.
pub fn wake_score(scores: &[Vec<Vec<f32>>]) -> f32 {
    let best = |per_phrase: &Vec<Vec<f32>>| {
        per_phrase.iter().filter(|t| !t.is_empty()).map(|t| t.iter().sum::<f32>() / t.len() as f32).fold(f32::NEG_INFINITY, f32::max)
    };
    scores.iter().map(best).sum()
}

fn has_words(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

fn letters(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphanumeric()).count()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The transcript without the wake phrase it starts with, and how far the
/// words taken off were from the phrase (letter edits). Whisper often
/// mishears the phrase ("A-Hush, navigate home"), so the leading words
/// whose letters come closest to the phrase's are dropped.
fn without_phrase(text: &str, phrase: &str) -> (String, usize) {
    let target: String = phrase.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    // Word boundaries in the original text, so what remains keeps its form.
    let mut words: Vec<(usize, String)> = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, ch) in text.char_indices() {
        if ch.is_alphanumeric() || ch == '\'' {
            current.get_or_insert((i, String::new())).1.extend(ch.to_lowercase().filter(|c| *c != '\''));
        } else if let Some(w) = current.take() {
            words.push(w);
        }
    }
    words.extend(current);
    let mut best = (usize::MAX, 0);
    let mut joined = String::new();
    for (k, (_, w)) in words.iter().enumerate().take(4) {
        joined.push_str(w);
        let d = strsim::levenshtein(&joined, &target);
        if d < best.0 {
            best = (d, k + 1);
        }
    }
    let rest = words.get(best.1).map_or("", |(i, _)| &text[*i..]);
    (rest.trim().to_owned(), best.0)
}

impl Session {
    /// Listens to a live stream on this conversation (see [`Listener`]).
    /// Needs a tokio runtime and a speech model.
    pub fn listen(&self, params: ListenParams) -> Result<Listener, EngineError> {
        Listener::new(self.clone(), params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phrase_is_taken_off_however_it_was_heard() {
        let rest = |t: &str| without_phrase(t, "hey hush").0;
        assert_eq!(rest("Hey Hush, navigate home."), "navigate home.");
        assert_eq!(rest("A-Hush, book me a ride."), "book me a ride.");
        assert_eq!(rest("Hey, hush."), "");
        assert_eq!(rest("Hayhush pay my bill"), "pay my bill");
        assert_eq!(rest(""), "");
        assert_eq!(without_phrase("Hey Hush, yes.", "hey hush").1, 0);
        assert!(without_phrase("Yes, go ahead.", "hey hush").1 > 2);
    }
}
