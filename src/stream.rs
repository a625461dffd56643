//! Streaming: audio frames in as the host's own audio stack delivers them,
//! a [`Turn`] out when an utterance ends.
//!
//! [`Session::stream`] wraps a [`Listener`] (the same endpointing, wake
//! phrase and push-to-talk) in the simplest loop an app can write: feed a
//! frame, get `Some(turn)` when the user has finished speaking. Frames may
//! come at any rate (resampled to 16 kHz here) and any length. The call
//! that ends an utterance returns once its turn is done (recognition,
//! understanding, the action); a host that must not wait that long on its
//! audio thread feeds from a thread of its own, or uses the [`Listener`]
//! and its events directly.

use crate::listen::{Event, ListenParams, Listener};
use crate::{EngineError, Session, Turn};
use hush_audio::{StreamResampler, SAMPLE_RATE};
use std::collections::VecDeque;
use zeroize::Zeroize;

/// A live conversation fed frame by frame. Create with [`Session::stream`]
/// inside a tokio runtime.
pub struct Stream {
    listener: Listener,
    input: To16k,
    /// Turns ended by one call beyond the one it returned, oldest first.
    ready: VecDeque<Result<Turn, EngineError>>,
}

impl Session {
    /// Streams audio into this conversation (see [`Stream`]). Needs a tokio
    /// runtime and a speech model.
    pub fn stream(&self, params: ListenParams) -> Result<Stream, EngineError> {
        Ok(Stream { listener: self.listen(params)?, input: To16k::default(), ready: VecDeque::new() })
    }
}

impl Stream {
    /// Feeds mono samples in [-1, 1] at `rate` Hz. Returns the turn of an
    /// utterance this frame ended; an utterance that could not be
    /// recognised is its error (the stream goes on). When one call ends
    /// several utterances (a long frame), the first is returned and the
    /// others wait in [`ready`](Self::ready). Audio with no words (a cough,
    /// a door) ends no turn. The rate may change between calls.
    pub async fn feed(&mut self, frame: &[f32], rate: u32) -> Result<Option<Turn>, EngineError> {
        self.input.convert(frame, rate, |at16| self.listener.feed(at16))?;
        self.collect().await;
        self.ready.pop_front().transpose()
    }

    /// What the device plays through its loudspeaker (a prompt, the radio),
    /// fed as it is handed to the sound output: the listener takes its
    /// echo out of what the microphone hears, so that it is neither a turn
    /// nor a barge-in (see [`Playback`](crate::listen::Playback)).
    pub fn feed_playback(&mut self, frame: &[f32], rate: u32) -> Result<(), EngineError> {
        self.listener.playback().feed(frame, rate)
    }

    /// The playback reference as a handle of its own, for a host that feeds
    /// it from its sound output's thread.
    pub fn playback(&self) -> crate::listen::Playback {
        self.listener.playback()
    }

    /// [`feed`](Self::feed) for 16-bit PCM.
    pub async fn feed_i16(&mut self, frame: &[i16], rate: u32) -> Result<Option<Turn>, EngineError> {
        let mut samples: Vec<f32> = frame.iter().map(|&s| f32::from(s) / 32768.0).collect();
        let turn = self.feed(&samples, rate).await;
        samples.zeroize();
        turn
    }

    /// The next turn already ended but not yet returned.
    pub fn ready(&mut self) -> Option<Result<Turn, EngineError>> {
        self.ready.pop_front()
    }

    /// Presses or releases push-to-talk (see [`Listener::push_to_talk`]);
    /// releasing ends the utterance, and its turn is returned.
    pub async fn push_to_talk(&mut self, pressed: bool) -> Result<Option<Turn>, EngineError> {
        self.listener.push_to_talk(pressed);
        self.collect().await;
        self.ready.pop_front().transpose()
    }

    /// Ends the stream: the utterance being heard is ended as it is, and
    /// every turn not yet returned is.
    pub async fn finish(mut self) -> Vec<Result<Turn, EngineError>> {
        if let Err(e) = self.input.flush(|tail| self.listener.feed(tail)) {
            self.ready.push_back(Err(e));
        }
        let events = self.listener.finish().await;
        self.ready.extend(events.into_iter().filter_map(turn));
        self.ready.into()
    }

    /// Audio fed so far (at 16 kHz).
    pub fn position(&self) -> std::time::Duration {
        self.listener.position()
    }

    /// Waits for the utterances ended so far and keeps their turns.
    async fn collect(&mut self) {
        let events = if self.listener.pending() > 0 { self.listener.settle().await } else { self.listener.events() };
        self.ready.extend(events.into_iter().filter_map(turn));
    }
}

/// Frames at whatever rate the host delivers them, to 16 kHz.
#[derive(Default)]
pub(crate) struct To16k {
    /// The rate frames come at, and the resampler from it (none at 16 kHz).
    input: Option<(u32, Option<StreamResampler>)>,
}

impl To16k {
    /// Hands `frame` (mono, at `rate`) to `sink` at 16 kHz. The rate may
    /// change between calls.
    pub(crate) fn convert(&mut self, frame: &[f32], rate: u32, mut sink: impl FnMut(&[f32])) -> Result<(), EngineError> {
        if let Some(bad) = frame.iter().position(|s| !s.is_finite()) {
            return Err(EngineError::Samples(format!("sample {bad} is {}, not a number in [-1, 1]", frame[bad])));
        }
        if self.input.as_ref().is_none_or(|(r, _)| *r != rate) {
            let next = if rate == SAMPLE_RATE { None } else { Some(StreamResampler::new(rate, SAMPLE_RATE)?) };
            self.flush(&mut sink)?;
            self.input = Some((rate, next));
        }
        match &mut self.input {
            Some((_, Some(r))) => {
                let mut at16 = r.push(frame)?;
                sink(&at16);
                at16.zeroize();
            }
            _ => sink(frame),
        }
        Ok(())
    }

    /// Hands the resampler's last samples (its filter's delay) to `sink`
    /// and drops it: before the rate changes, and at the end.
    pub(crate) fn flush(&mut self, mut sink: impl FnMut(&[f32])) -> Result<(), EngineError> {
        if let Some((_, Some(r))) = self.input.take() {
            let mut tail = r.finish()?;
            sink(&tail);
            tail.zeroize();
        }
        Ok(())
    }
}

fn turn(e: Event) -> Option<Result<Turn, EngineError>> {
    match e {
        Event::Turn(live) => Some(Ok(live.turn)),
        Event::Failed { error, .. } => Some(Err(EngineError::Utterance(error))),
        _ => None,
    }
}
