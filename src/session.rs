//! One conversation on an engine: its pending question, the action it
//! runs, and each turn from audio or text to outcome.

use crate::error::EngineError;
use crate::recognize::Heard;
use crate::shared::Shared;
use crate::turn::{Turn, TurnTimings};
use crate::understand::Refusal;
use hush_actions::{ActionContext, Awaiting, CancellationToken, Dialogue, Outcome, Status, Step};
use hush_asr::Recognizer;
use hush_audio::Audio;
use hush_nlu::{Intent, Language};
use parking_lot::Mutex;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One conversation: at most one question (confirmation, missing slot)
/// pending, and the action it is running, which [`Session::cancel`] stops.
#[derive(Clone)]
pub struct Session {
    pub(crate) shared: Arc<Shared>,
    pub(crate) dialogue: Arc<Mutex<Dialogue>>,
    pub(crate) running: Arc<Mutex<Option<CancellationToken>>>,
}

impl Session {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        let dialogue = Dialogue::new(shared.dialogue);
        Session { shared, dialogue: Arc::new(Mutex::new(dialogue)), running: Arc::new(Mutex::new(None)) }
    }

    /// A turn from a WAV file (any rate and channel count).
    pub async fn process_wav(&self, path: impl AsRef<Path>) -> Result<Turn, EngineError> {
        let t = Instant::now();
        runtime()?;
        self.recognizer()?;
        let (audio, _) = hush_audio::read_wav(path.as_ref(), &self.shared.audio)?;
        self.process_audio(audio, t).await
    }

    /// A turn from mono PCM samples in [-1, 1] at `rate` Hz.
    pub async fn process_pcm(&self, samples: &[f32], rate: u32) -> Result<Turn, EngineError> {
        let t = Instant::now();
        runtime()?;
        self.recognizer()?;
        let audio = Audio::from_pcm(samples, rate)?;
        self.process_audio(audio, t).await
    }

    /// A turn from typed (or already transcribed) text.
    pub async fn process_text(&self, text: &str) -> Result<Turn, EngineError> {
        runtime()?;
        Ok(self.understand_and_act(text.to_owned(), Said::Typed, TurnTimings::default(), Instant::now()).await)
    }

    /// Stops the running action, if any, keeping a pending question;
    /// whether one was running. The user talking over hush (barge-in).
    pub fn interrupt(&self) -> bool {
        match self.running.lock().take() {
            Some(t) => {
                t.cancel();
                true
            }
            None => false,
        }
    }

    /// Stops the running action, if any, and drops a pending question.
    pub fn cancel(&self) {
        if let Some(t) = self.running.lock().take() {
            t.cancel();
        }
        self.dialogue.lock().reset();
    }

    /// The intent waiting for an answer (a confirmation or a missing slot).
    pub fn pending(&self) -> Option<Intent> {
        self.dialogue.lock().pending().cloned()
    }

    pub(crate) fn recognizer(&self) -> Result<Arc<Recognizer>, EngineError> {
        self.shared.recognizer.clone().ok_or(EngineError::NoModel)
    }

    async fn process_audio(&self, audio: Audio, start: Instant) -> Result<Turn, EngineError> {
        let timings = TurnTimings { audio: start.elapsed(), ..TurnTimings::default() };
        let (heard, asr) = self.transcribe(audio).await?;
        let said = Said::Heard { doubtful: heard.doubtful, language: heard.transcript.language };
        let mut turn = self.understand_and_act(heard.transcript.text, said, TurnTimings { asr, ..timings }, start).await;
        turn.heard_by = Some(heard.by);
        Ok(turn)
    }

    /// Whisper on 16 kHz audio, decoded the engine's way, and how long it
    /// took.
    pub(crate) async fn transcribe(&self, audio: impl Into<Audio>) -> Result<(Heard, Duration), EngineError> {
        let rec = self.recognizer()?;
        let audio = audio.into();
        let t = Instant::now();
        let shared = self.shared.clone();
        let (as_said, answering) = {
            let dialogue = self.dialogue.lock();
            (dialogue.awaiting_confirmation(), matches!(dialogue.awaiting(), Some(Awaiting::Slot(_))))
        };
        // Whisper is CPU-bound: keep it off the async workers. `audio` is
        // zeroed when the closure drops it.
        let heard =
            tokio::task::spawn_blocking(
                move || {
                    if as_said {
                        shared.hearing.hear_as_said(&rec, audio.samples())
                    } else {
                        shared.hearing.hear(&rec, audio.samples())
                    }
                },
            )
            .await
            .map_err(|e| EngineError::Worker(e.to_string()))??;
        let heard = if answering { heard.into_answer() } else { heard };
        Ok((heard, t.elapsed()))
    }

    /// A turn from `transcript`, typed or heard.
    pub(crate) async fn understand_and_act(&self, transcript: String, said: Said, mut timings: TurnTimings, start: Instant) -> Turn {
        let sh = &self.shared;
        let t = Instant::now();
        // The answer to "shall I pay?" is read by the templates alone: the
        // learned model guesses a new request in what is a question or a
        // hedge ("what was the amount?"), and a new request drops the
        // pending one.
        let heard_in = match &said {
            Said::Typed => None,
            Said::Heard { language, .. } => language.clone(),
        };
        let language = heard_in.as_deref().and_then(Language::from_code);
        let (reading, refusal) = if self.dialogue.lock().awaiting_confirmation() {
            (sh.understanding.read_templates(&transcript), None)
        } else {
            match sh.understanding.reading(&transcript, language) {
                Ok(r) => (Some(r), None),
                Err(why) => (None, why),
            }
        };
        let source = reading.as_ref().map(|r| r.source);
        // Speech may not be what was said: a reading that needed forgiving
        // is asked about before it is acted on.
        let doubtful = match said {
            Said::Typed => false,
            Said::Heard { doubtful, .. } => doubtful || reading.as_ref().is_some_and(|r| !r.exact()),
        };
        let left = reading.as_ref().and_then(|r| r.left.clone());
        let parsed = reading.map(|r| r.intent);
        let routes = sh.routes();
        let (step, awaiting) = {
            let mut dialogue = self.dialogue.lock();
            dialogue.hear_in(language);
            let step = dialogue.step(&transcript, parsed.clone(), doubtful, sh.understanding.matcher(), &routes, Instant::now());
            (step, dialogue.awaiting())
        };
        timings.nlu = t.elapsed();
        let awaiting = awaiting.filter(|_| matches!(step, Step::Ask { .. }));
        let (intent, prompt, outcome) = match step {
            // The first of two requests asked about: the second is named
            // before the question, which the next reply answers.
            Step::Ask { intent, prompt } => {
                let note = left.as_ref().map(|l| hush_actions::fill(&routes.messages(intent.language).one_at_a_time, &[("request", l)]));
                (Some(intent), Some(note.map_or(prompt.clone(), |n| format!("{n} {prompt}"))), None)
            }
            // A request refused for what it says is answered for that,
            // rather than as one not understood: "don't call mum" gets
            // "Okay, I won't.", not "Sorry, I can't help with that."
            Step::Reply(mut o) => {
                match refusal.filter(|_| o.status == Status::NotUnderstood) {
                    Some(Refusal::Negated(l)) => o.say = routes.messages(l).wont,
                    Some(Refusal::MoreThanOnce(l)) => o.say = routes.messages(l).one_payment,
                    Some(Refusal::Conditional(l)) => o.say = routes.messages(l).conditional,
                    None => {}
                }
                (parsed, None, Some(o))
            }
            Step::Run { intent, confirmed, key } => {
                let t = Instant::now();
                let outcome = if sh.dry_run {
                    Outcome::new(Status::DryRun, format!("(dry run) would {}.", intent.name.replace('_', " ")))
                } else {
                    let ctx = ActionContext::new(key, confirmed);
                    *self.running.lock() = Some(ctx.cancel_token().clone());
                    let o = routes.dispatch(&intent, ctx).await;
                    self.running.lock().take();
                    o
                };
                timings.dispatch = t.elapsed();
                // A second request said with this one is not done: say so.
                let mut outcome = outcome;
                if let Some(left) = left {
                    let ask = hush_actions::fill(&routes.messages(intent.language).one_at_a_time, &[("request", &left)]);
                    outcome.say = format!("{} {ask}", outcome.say).trim_start().to_owned();
                }
                (Some(intent), None, Some(outcome))
            }
        };
        timings.total = start.elapsed();
        let n = sh.turns.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(audit) = &sh.audit {
            if let Err(e) = audit.record(n, intent.as_ref(), prompt.is_some(), outcome.as_ref()) {
                tracing::warn!(error = %e, path = %audit.path().display(), "cannot write the audit log");
            }
        }
        // The language heard, else the language of the intent understood.
        let language = heard_in.or(intent.as_ref().map(|i| i.language.code().to_owned()));
        Turn {
            transcript,
            language,
            confidence: intent.as_ref().map_or(0.0, |i| i.confidence),
            slots: intent.as_ref().map(|i| i.slots.clone()).unwrap_or_default(),
            intent: intent.map(|i| i.name),
            source,
            heard_by: None,
            prompt,
            awaiting,
            outcome,
            timings,
        }
    }
}

/// Where a turn's words came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Said {
    /// Typed (or transcribed elsewhere): what was meant.
    Typed,
    /// Heard by Whisper; `doubtful` when recognition itself only offers it
    /// as a question; `language`, the one a multilingual model heard
    /// (its ISO 639-1 code).
    Heard { doubtful: bool, language: Option<String> },
}

/// Actions and recognition run on tokio tasks; without a runtime they would
/// panic.
fn runtime() -> Result<(), EngineError> {
    tokio::runtime::Handle::try_current().map(drop).map_err(|_| EngineError::NoRuntime)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Awaiting, Engine, EngineConfig};

    /// `text` as if Whisper had heard it.
    async fn hear(s: &Session, text: &str) -> Turn {
        s.understand_and_act(text.into(), Said::Heard { doubtful: false, language: None }, TurnTimings::default(), Instant::now()).await
    }

    fn status(t: &Turn) -> Option<Status> {
        t.outcome.as_ref().map(|o| o.status)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn speech_read_with_forgiveness_is_checked_first_and_typed_text_is_not() {
        let engine = Engine::builder().builtin_model(false).dry_run(true).build().unwrap();
        let s = engine.session();
        assert_eq!(status(&hear(&s, " Navigate home.").await), Some(Status::DryRun), "heard exactly: done at once");

        let t = hear(&s, " Navigte home.").await;
        assert_eq!(t.prompt.as_deref(), Some("Did you say \"Navigte home\"?"));
        assert_eq!(t.awaiting, Some(Awaiting::Confirm("navigate_to".into())));
        assert_eq!((t.intent.as_deref(), t.outcome.is_none()), (Some("navigate_to"), true));
        let t = hear(&s, " Yes.").await;
        assert_eq!((t.intent.as_deref(), status(&t)), (Some("navigate_to"), Some(Status::DryRun)));

        let t = hear(&s, " Navigte home.").await;
        assert!(t.prompt.is_some());
        let t = hear(&s, " No.").await;
        assert_eq!((status(&t), t.reply()), (Some(Status::Aborted), "Okay, please say it again."));
        assert!(s.pending().is_none());

        let t = s.process_text("navigte home").await.unwrap();
        assert_eq!(status(&t), Some(Status::DryRun), "typed words are what was meant");

        // A sentence recognition offers only as a question is asked about,
        // though the templates read it exactly.
        let t = s.understand_and_act(" Navigate home.".into(), Said::Heard { doubtful: true, language: None }, TurnTimings::default(), Instant::now()).await;
        assert_eq!(t.prompt.as_deref(), Some("Did you say \"Navigate home\"?"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_app_can_act_on_doubtful_speech_at_once() {
        let config: EngineConfig = serde_json::from_str(r#"{"builtin_model": false, "dry_run": true, "check_doubtful": false}"#).unwrap();
        let engine = config.builder().unwrap().build().unwrap();
        assert_eq!(status(&hear(&engine.session(), " Navigte home.").await), Some(Status::DryRun));
        // Nor does recognition keep sentences only to ask about them.
        assert_eq!(engine.shared.hearing.params().ask_margin, 0.0);
        let checking = Engine::builder().build().unwrap();
        assert!(checking.shared.hearing.params().ask_margin > checking.shared.hearing.params().margin);
    }
}
