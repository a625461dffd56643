//! The task that reads, understands and dispatches each utterance in
//! order while audio keeps coming in.

use super::types::*;
use super::wake::{gate, has_words, letters, read_wake_phrase, without_phrase, without_trailing_phrase, Needs};
use crate::session::Said;
use crate::{EngineError, Session};
use hush_audio::{Segment, SAMPLE_RATE};
use hush_nlu::{Ending, Grammar};
use parking_lot::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use zeroize::Zeroize;

pub(crate) struct Job {
    pub(crate) segment: Segment,
    pub(crate) speech: Span,
    /// When the endpoint was decided (or the push-to-talk control released).
    pub(crate) decided: Instant,
    pub(crate) endpoint_silence: Duration,
    /// Taken as a command without the wake check (push-to-talk).
    pub(crate) addressed: bool,
    /// Read ahead during the end silence; the utterance may go on.
    pub(crate) ahead: bool,
}

pub(crate) struct Worker {
    pub(crate) busy: Arc<AtomicUsize>,
    pub(crate) session: Session,
    pub(crate) mode: Mode,
    pub(crate) wake: WakeParams,
    pub(crate) keep_audio: bool,
    pub(crate) events: mpsc::UnboundedSender<Event>,
    /// After the phrase alone: utterances starting before this are commands.
    pub(crate) awake_until: Option<Duration>,
    /// A reading done ahead, during an utterance's end silence.
    pub(crate) ahead: Option<(Span, Result<Recognition, String>)>,
    /// With end-of-command endpointing: the templates' grammar, and where
    /// the listener finds how the words read ahead end.
    pub(crate) endings: Option<(Grammar, Endings)>,
}

/// How the words read ahead in a pause end, for the utterance whose speech
/// they are: the worker writes it, the listener takes it.
pub(crate) type Endings = Arc<Mutex<Option<(Span, Ending)>>>;

/// Whisper's reading of an utterance.
pub(crate) enum Recognition {
    /// A command as heard (and how long recognition took; whether it is
    /// only to be asked about, [`crate::parts::Heard::doubtful`]; the
    /// language a multilingual model heard).
    Heard { text: String, asr: Duration, by: crate::parts::HeardBy, doubtful: bool, language: Option<String> },
    /// The wake check failed (Whisper's score, when the model let it
    /// through to Whisper).
    NotForUs { score: Option<f32>, took: Duration },
    /// The wake check passed; what followed the phrase.
    AfterPhrase { score: f32, text: String, took: Duration, language: Option<String> },
}

impl Worker {
    pub(crate) async fn run(mut self, mut jobs: mpsc::UnboundedReceiver<Job>) {
        while let Some(job) = jobs.recv().await {
            let speech = job.speech;
            if job.ahead {
                // Only kept if the utterance ends as it is now.
                let reading = self.read(job.segment, speech, job.addressed).await.map_err(|e| e.to_string());
                if let Some((grammar, out)) = &self.endings {
                    let ending = match &reading {
                        Ok(Recognition::Heard { text, .. } | Recognition::AfterPhrase { text, .. }) if has_words(text) => grammar.ending(text),
                        _ => Ending::Open,
                    };
                    *out.lock() = Some((speech, ending));
                }
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

    async fn read(&self, mut segment: Segment, speech: Span, addressed: bool) -> Result<Recognition, EngineError> {
        if self.expected(speech, addressed) {
            let samples = std::mem::take(&mut segment.samples);
            let (heard, asr) = self.session.transcribe(samples).await?;
            // Said anyway (an answer with the phrase before it): only a close
            // likeness is taken off.
            let language = heard.transcript.language;
            let text = match without_phrase(&heard.transcript.text, &self.wake.phrase) {
                (rest, distance) if self.mode == Mode::WakePhrase && distance * 2 <= letters(&self.wake.phrase) => rest,
                _ => heard.transcript.text,
            };
            return Ok(Recognition::Heard { text, asr, by: heard.by, doubtful: heard.doubtful, language });
        }
        // The wake check and the transcription in one pass: Whisper scores
        // the phrase and, if it is there, goes on to read what follows it.
        let from = (segment.speech_start - segment.start) as usize;
        let from = from.saturating_sub(SAMPLE_RATE as usize / 10);
        let mut samples = segment.samples.split_off(from);
        let rec = self.session.recognizer()?;
        let (phrase, whisper) = (self.wake.phrase.clone(), Needs::of(&self.wake));
        let gate = gate(&self.wake);
        let t = Instant::now();
        let checked = tokio::task::spawn_blocking(move || {
            // The model first: Whisper only hears what may start with the phrase.
            let r = match gate.map(|g| g.whisper_needs(&samples, whisper)).unwrap_or(Ok(Some(whisper))) {
                Ok(None) => Ok(None),
                Err(e) => Err(EngineError::Asr(e)),
                Ok(Some(needed)) => read_wake_phrase(&rec, &samples, &phrase, needed.score, needed.lead).map(|(score, _, rest)| Some((score, rest))),
            };
            samples.zeroize();
            r
        })
        .await
        .map_err(|e| EngineError::Worker(e.to_string()))??;
        let took = t.elapsed();
        let Some((score, transcript)) = checked else {
            return Ok(Recognition::NotForUs { score: None, took });
        };
        Ok(match transcript {
            None => Recognition::NotForUs { score: Some(score), took },
            // The text after the phrase starts with its comma, if any.
            Some(t) => {
                let text = without_trailing_phrase(t.text.trim_start_matches(|c: char| !c.is_alphanumeric()), &self.wake.phrase);
                Recognition::AfterPhrase { score, text: text.to_owned(), took, language: t.language }
            }
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
        let (text, asr, score, by, doubtful, language) = match reading {
            Recognition::Heard { text, asr, .. } if !has_words(&text) => {
                return Ok(Event::Ignored { speech, reason: Ignored::NoWords, wake_score: None, check: asr });
            }
            Recognition::Heard { text, asr, by, doubtful, language } => (text, asr, None, by, doubtful, language),
            Recognition::NotForUs { score, took } => {
                return Ok(Event::Ignored { speech, reason: Ignored::NoWakePhrase, wake_score: score, check: took });
            }
            Recognition::AfterPhrase { score, text, took, language } => {
                if speech.end - speech.start <= self.wake.phrase_alone || !has_words(&text) {
                    self.awake_until = Some(speech.end + self.wake.follow_up);
                    return Ok(Event::Woke { speech, wake_score: score });
                }
                (text, took, Some(score), crate::parts::HeardBy::Free, false, language)
            }
        };
        self.awake_until = None;
        let timings = crate::parts::TurnTimings { asr, ..Default::default() };
        // A reading made ahead ran before the job was picked up: the turn's
        // clock starts where that work did, so its total is never less than
        // its recognition time.
        let started = if latency.read_ahead { picked.checked_sub(asr).unwrap_or(picked) } else { picked };
        let mut turn = self.session.understand_and_act(text, Said::Heard { doubtful, language }, timings, started).await;
        turn.heard_by = Some(by);
        latency.to_dispatch = decided.elapsed();
        Ok(Event::Turn(Box::new(LiveTurn { speech, wake_score: score, latency, turn, audio: kept })))
    }
}
