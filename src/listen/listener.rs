//! The listener: audio in, utterances cut by the endpointer and handed
//! to the worker, events out.

use super::playback::Playback;
use super::types::*;
use super::worker::{Endings, Job, Worker};
use crate::{EngineError, Session};
use hush_audio::vad::FRAME;
use hush_audio::{EchoCanceller, EchoParams, Endpointer, Segment, SAMPLE_RATE};
use hush_nlu::Ending;
use parking_lot::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use zeroize::Zeroize;

/// Feeds audio in, hands events out. Create with [`Session::listen`] inside
/// a tokio runtime.
pub struct Listener {
    mode: Mode,
    barge_in: bool,
    read_ahead: Option<Duration>,
    /// End-of-command endpointing: its settings, the default end silence,
    /// and how the words read ahead end (the worker writes it).
    end_of_command: Option<(EndOfCommand, Duration, Endings)>,
    vad: Endpointer,
    /// Microphone samples not yet making a whole frame.
    pending: Vec<f32>,
    /// What the device plays, and the canceller of its echo (from the
    /// first playback on).
    playback: Playback,
    echo: (EchoParams, Option<EchoCanceller>),
    session: Session,
    /// Samples taken in so far.
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
        let read_ahead = params.read_ahead.filter(|d| *d < params.vad.end_silence);
        let end_of_command = params.end_of_command.filter(|_| read_ahead.is_some()).map(|e| (e, params.vad.end_silence, Arc::new(Mutex::new(None))));
        let endings = end_of_command.as_ref().map(|(_, _, out)| (session.shared.understanding.matcher().grammar(), out.clone()));
        let worker = Worker {
            busy: busy.clone(),
            session: session.clone(),
            mode: params.mode,
            wake: params.wake,
            keep_audio: params.keep_audio,
            events: events_tx.clone(),
            awake_until: None,
            ahead: None,
            endings,
        };
        let worker = handle.spawn(worker.run(rx));
        Ok(Listener {
            mode: params.mode,
            barge_in: params.barge_in,
            read_ahead,
            end_of_command,
            vad: Endpointer::new(params.vad),
            pending: Vec::new(),
            playback: Playback::new(),
            echo: (params.echo, None),
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
        hush_audio::extend_wiping(&mut self.pending, samples);
        let whole = self.pending.len() / FRAME * FRAME;
        // Frame by frame, so that the start of speech is seen where it is.
        for i in (0..whole).step_by(FRAME) {
            let mut frame: [f32; FRAME] = self.pending[i..i + FRAME].try_into().expect("a whole frame");
            let playback = self.cancel_echo(&mut frame);
            if self.mode == Mode::PushToTalk {
                if let Some((_, held)) = self.held.as_mut() {
                    hush_audio::extend_wiping(held, &frame);
                }
                frame.zeroize();
                self.fed += FRAME as u64;
                continue;
            }
            let was = self.vad.in_speech();
            let ended = self.vad.push_frame(&frame, playback);
            frame.zeroize();
            self.fed += FRAME as u64;
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
                        // Held until the words are read.
                        if let Some((eoc, _, _)) = &self.end_of_command {
                            self.vad.end_pause_after(eoc.unfinished);
                        }
                    }
                }
                self.end_by_words();
            }
        }
        self.pending[..whole].zeroize();
        self.pending.drain(..whole);
    }

    /// Takes the playback's echo out of a frame; whether the frame was only
    /// playback.
    fn cancel_echo(&mut self, frame: &mut [f32; FRAME]) -> bool {
        let (params, canceller) = &mut self.echo;
        match (self.playback.take(self.fed), canceller) {
            (Some(played), canceller) => canceller.get_or_insert_with(|| EchoCanceller::new(*params)).process(frame, &played),
            // The echo of what played last still rings.
            (None, Some(c)) if !c.idle() => c.process(frame, &[0.0; FRAME]),
            _ => false,
        }
    }

    /// What the device plays, for the echo canceller (see [`Playback`]).
    pub fn playback(&self) -> Playback {
        self.playback.clone()
    }

    /// Ends the pause going on by how the words read ahead in it end, once
    /// that reading is in.
    fn end_by_words(&mut self) {
        let (Some((eoc, default, endings)), Some((start, end))) = (&self.end_of_command, self.vad.speech()) else { return };
        let span = Span { start: at(start), end: at(end) };
        let Some((_, ending)) = endings.lock().take_if(|(s, _)| *s == span) else { return };
        self.vad.end_pause_after(match ending {
            Ending::Complete => eoc.complete,
            Ending::Unfinished => eoc.unfinished,
            Ending::Open => *default,
        });
    }

    /// Presses (`true`) or releases the push-to-talk control. Audio fed
    /// while it is held is one utterance, handed over on release.
    pub fn push_to_talk(&mut self, pressed: bool) {
        if let (false, Some((_, held))) = (pressed, self.held.as_mut()) {
            // The last part-frame belongs to the press.
            hush_audio::extend_wiping(held, &self.pending);
            self.fed += self.pending.len() as u64;
            self.pending.zeroize();
            self.pending.clear();
        }
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
        if self.mode != Mode::PushToTalk {
            let mut tail = std::mem::take(&mut self.pending);
            for segment in self.vad.push(&tail) {
                self.submit(segment, false, false);
            }
            tail.zeroize();
        }
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
        self.pending.zeroize();
    }
}

impl Session {
    /// Listens to a live stream on this conversation (see [`Listener`]).
    /// Needs a tokio runtime and a speech model.
    pub fn listen(&self, params: ListenParams) -> Result<Listener, EngineError> {
        Listener::new(self.clone(), params)
    }
}
