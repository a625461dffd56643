//! The embedding surface: build an [`Engine`] once, then hand it audio or
//! text and get a [`Turn`] back.

use crate::listen::{ListenParams, Listener};
use crate::recognize::{Decoding, GrammarParams, Heard, HeardBy, Hearing};
use crate::understand::{Source, Understanding};
use crate::LEARNED_THRESHOLD;
use hush_actions::{
    reference_actions, Action, ActionContext, AuditLog, CancellationToken, Dialogue, DialogueParams, Ledger, LedgerError, Outcome, Registry, RegistryError,
    Simulation, Status, Step,
};
use hush_asr::{AsrError, AsrParams, ModelPaths, Recognizer};
use hush_audio::{Audio, AudioError, DecodeOptions};
use hush_learn::{LearnError, LearnedModel};
use hush_nlu::{Intent, IntentErrors, IntentSet, MatchParams, Matcher, Slot};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("model: {0}")]
    Model(#[from] hush_models::ModelError),
    #[error(transparent)]
    Asr(#[from] AsrError),
    #[error(transparent)]
    Audio(#[from] AudioError),
    #[error("intent files:\n{0}")]
    Intents(#[from] IntentErrors),
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error("the learned model's confidence threshold must be within 0..1, not {0}")]
    Threshold(f32),
    #[error("learned model {path}: {source}")]
    Learned { path: PathBuf, source: LearnError },
    #[error("audit log {path}: {source}")]
    Audit { path: PathBuf, source: std::io::Error },
    #[error("this engine was built without a speech model; add one with EngineBuilder::model")]
    NoModel,
    #[error("speech recognition stopped unexpectedly: {0}")]
    Worker(String),
    #[error("the engine runs actions on tokio: call it from within a tokio runtime")]
    NoRuntime,
    #[error("wake phrase: {0}")]
    Wake(String),
    #[error("an action is registered for '{intent}', which no intent file defines (the closest is '{closest}')")]
    UnknownIntent { intent: String, closest: String },
    #[error("bad audio samples: {0}")]
    Samples(String),
    #[error("an utterance could not be recognised: {0}")]
    Utterance(String),
}

/// Which speech model to load.
enum ModelChoice {
    /// A model id from the cache (`tiny.en-q8_0`).
    Id(String),
    Paths(ModelPaths),
}

/// Where the reference actions keep their ledger.
enum LedgerChoice {
    File(PathBuf),
    Memory,
}

/// Settings for [`Engine`]; every one has a default.
pub struct EngineBuilder {
    model: Option<ModelChoice>,
    asr: AsrParams,
    intents: Vec<PathBuf>,
    intent_set: Option<IntentSet>,
    matching: MatchParams,
    learned: Option<(PathBuf, f32)>,
    actions: Vec<Arc<dyn Action>>,
    reference: Option<LedgerChoice>,
    simulation: Simulation,
    dialogue: DialogueParams,
    action_timeout: Duration,
    audit_log: Option<PathBuf>,
    dry_run: bool,
    audio: DecodeOptions,
    decoding: Decoding,
    grammar: GrammarParams,
}

impl Default for EngineBuilder {
    fn default() -> Self {
        EngineBuilder {
            model: None,
            asr: AsrParams::default(),
            intents: Vec::new(),
            intent_set: None,
            matching: MatchParams::default(),
            learned: None,
            actions: Vec::new(),
            reference: None,
            simulation: Simulation::default(),
            dialogue: DialogueParams::default(),
            action_timeout: hush_actions::DEFAULT_TIMEOUT,
            audit_log: None,
            dry_run: false,
            audio: DecodeOptions::default(),
            decoding: Decoding::default(),
            grammar: GrammarParams::default(),
        }
    }
}

impl EngineBuilder {
    /// A speech model from the model cache by id (`tiny.en-q8_0`); see
    /// `hush models list`. Without one the engine takes text only.
    pub fn model(mut self, id: &str) -> Self {
        self.model = Some(ModelChoice::Id(id.to_owned()));
        self
    }

    /// A speech model from explicit files.
    pub fn model_files(mut self, paths: ModelPaths) -> Self {
        self.model = Some(ModelChoice::Paths(paths));
        self
    }

    pub fn asr_params(mut self, params: AsrParams) -> Self {
        self.asr = params;
        self
    }

    /// Intent files from a folder (every `*.yaml`), instead of the
    /// built-in domains. Call again to add folders. yes/no/cancel come from
    /// the built-in general domain when the files do not define them.
    pub fn intents(mut self, dir: impl Into<PathBuf>) -> Self {
        self.intents.push(dir.into());
        self
    }

    /// An intent set built in code.
    pub fn intent_set(mut self, set: IntentSet) -> Self {
        self.intent_set = Some(set);
        self
    }

    pub fn match_params(mut self, params: MatchParams) -> Self {
        self.matching = params;
        self
    }

    /// A model trained with `hush train` (its encoder from the model
    /// cache), read when no template matches word for word; it answers
    /// when its calibrated confidence is at least
    /// [`LEARNED_THRESHOLD`](crate::LEARNED_THRESHOLD) and above the
    /// templates' (see [`Understanding`]).
    pub fn learned_model(self, dir: impl Into<PathBuf>) -> Self {
        self.learned_model_with_threshold(dir, LEARNED_THRESHOLD)
    }

    /// [`EngineBuilder::learned_model`] with its own confidence threshold.
    pub fn learned_model_with_threshold(mut self, dir: impl Into<PathBuf>, threshold: f32) -> Self {
        self.learned = Some((dir.into(), threshold));
        self
    }

    /// Registers an action for the intents it declares.
    pub fn action(mut self, action: impl Action) -> Self {
        self.actions.push(Arc::new(action));
        self
    }

    /// The reference actions (payments, rides, food) on a SQLite ledger at
    /// `path`, for intents no registered action handles.
    pub fn reference_actions(mut self, path: impl Into<PathBuf>) -> Self {
        self.reference = Some(LedgerChoice::File(path.into()));
        self
    }

    /// The reference actions on a ledger that lives in memory.
    pub fn reference_actions_in_memory(mut self) -> Self {
        self.reference = Some(LedgerChoice::Memory);
        self
    }

    /// How fast simulated providers (rides, food) move; 1 is real time.
    pub fn simulation(mut self, sim: Simulation) -> Self {
        self.simulation = sim;
        self
    }

    pub fn dialogue(mut self, params: DialogueParams) -> Self {
        self.dialogue = params;
        self
    }

    /// How long an action may run before it is stopped (default 10 s).
    pub fn action_timeout(mut self, timeout: Duration) -> Self {
        self.action_timeout = timeout;
        self
    }

    /// Appends one JSON line per turn to `path` (time, intent, redacted
    /// slots, outcome; never audio or transcripts).
    pub fn audit_log(mut self, path: impl Into<PathBuf>) -> Self {
        self.audit_log = Some(path.into());
        self
    }

    /// Understand and ask as usual, but run no action.
    pub fn dry_run(mut self, yes: bool) -> Self {
        self.dry_run = yes;
        self
    }

    /// Limits for decoding WAV files (longest duration, silence floor).
    pub fn audio_limits(mut self, limits: DecodeOptions) -> Self {
        self.audio = limits;
        self
    }

    /// How speech is decoded: freely (the default), primed with the
    /// intents' vocabulary, or inside their templates (see [`Decoding`]).
    pub fn decoding(mut self, decoding: Decoding) -> Self {
        self.decoding = decoding;
        self
    }

    /// Weights and thresholds of grammar-constrained decoding.
    pub fn grammar_params(mut self, params: GrammarParams) -> Self {
        self.grammar = params;
        self
    }

    pub fn build(self) -> Result<Engine, EngineError> {
        let recognizer = match self.model {
            None => None,
            Some(ModelChoice::Id(id)) => {
                let f = hush_models::Cache::default().resolve(&id)?;
                Some(Recognizer::load(&ModelPaths { config: f.config, tokenizer: f.tokenizer, weights: f.weights }, self.asr)?)
            }
            Some(ModelChoice::Paths(p)) => Some(Recognizer::load(&p, self.asr)?),
        };
        let set = match (self.intent_set, self.intents.is_empty()) {
            (Some(set), _) => set,
            (None, true) => IntentSet::builtin()?,
            (None, false) => load_intents(&self.intents)?,
        };
        for a in &self.actions {
            known_intents(a.as_ref(), &set)?;
        }
        let reference = match self.reference {
            Some(choice) => {
                let ledger = Arc::new(match choice {
                    LedgerChoice::File(p) => Ledger::open(&p)?,
                    LedgerChoice::Memory => Ledger::in_memory()?,
                });
                reference_actions(ledger, self.simulation)
            }
            None => Vec::new(),
        };
        let actions = Actions::new(self.actions, reference, self.action_timeout)?;
        let audit = match self.audit_log {
            Some(path) => Some(AuditLog::open(&path).map_err(|source| EngineError::Audit { path, source })?),
            None => None,
        };
        let mut understanding = Understanding::new(Matcher::new(set, self.matching));
        if let Some((dir, threshold)) = self.learned {
            if !(0.0..=1.0).contains(&threshold) {
                return Err(EngineError::Threshold(threshold));
            }
            let model = load_learned(&dir).map_err(|source| EngineError::Learned { path: dir, source })?;
            understanding = understanding.with_model(model, threshold);
        }
        let hearing = Hearing::new(self.decoding, self.grammar, understanding.matcher());
        let shared = Arc::new(Shared {
            recognizer: recognizer.map(Arc::new),
            hearing,
            understanding,
            actions: RwLock::new(actions),
            audit,
            dry_run: self.dry_run,
            audio: self.audio,
            dialogue: self.dialogue,
            turns: AtomicU64::new(0),
        });
        Ok(Engine { default: Session::new(shared.clone()), shared })
    }
}

/// The folders' intent files, plus the general domain (yes/no/cancel) when
/// they do not define it.
fn load_intents(dirs: &[PathBuf]) -> Result<IntentSet, IntentErrors> {
    let mut files = Vec::new();
    for d in dirs {
        files.extend(IntentSet::yaml_files(d)?);
    }
    let set = IntentSet::load_files(&files)?;
    if set.intent(hush_actions::CONFIRM).is_some() {
        return Ok(set);
    }
    IntentSet::load_files_with(&files, &hush_nlu::BUILTIN_DOMAINS[..1])
}

/// A model folder written by `hush train`, with its encoder from the model
/// cache.
pub fn load_learned(dir: &Path) -> Result<LearnedModel, LearnError> {
    LearnedModel::load(dir, |id| hush_models::Cache::default().model_dir(id))
}

struct Shared {
    recognizer: Option<Arc<Recognizer>>,
    hearing: Hearing,
    understanding: Understanding,
    actions: RwLock<Actions>,
    audit: Option<AuditLog>,
    dry_run: bool,
    audio: DecodeOptions,
    dialogue: DialogueParams,
    turns: AtomicU64,
}

impl Shared {
    fn routes(&self) -> Arc<Registry> {
        self.actions.read().unwrap_or_else(|p| p.into_inner()).routes.clone()
    }
}

/// The app's actions and the reference ones, and the routes they make.
struct Actions {
    app: Vec<Arc<dyn Action>>,
    reference: Vec<Arc<dyn Action>>,
    /// Made anew when an action is registered after the build, so a turn
    /// keeps the routes it started with and no lock is held across an
    /// action's await.
    routes: Arc<Registry>,
}

impl Actions {
    fn new(app: Vec<Arc<dyn Action>>, reference: Vec<Arc<dyn Action>>, timeout: Duration) -> Result<Actions, RegistryError> {
        let mut routes = Registry::new(timeout);
        for a in &app {
            routes.register(a.clone())?;
        }
        for a in &reference {
            // The app's own actions take precedence over the reference ones.
            if a.intents().iter().all(|i| !routes.handles(i)) {
                routes.register(a.clone())?;
            }
        }
        Ok(Actions { app, reference, routes: Arc::new(routes) })
    }
}

/// An action for an intent the engine does not know would never run: a
/// misspelt name is an error, not a silent no-op.
fn known_intents(action: &dyn Action, set: &IntentSet) -> Result<(), EngineError> {
    let Some(unknown) = action.intents().iter().find(|i| set.intent(i).is_none()) else {
        return Ok(());
    };
    let closest = set.intents.iter().min_by_key(|x| strsim::levenshtein(&x.name, unknown)).map(|x| x.name.clone());
    Err(EngineError::UnknownIntent { intent: unknown.to_string(), closest: closest.unwrap_or_default() })
}

/// A voice assistant: speech model, intents and actions, built once and
/// shared (it is `Send + Sync`; clone a [`Session`] per user).
///
/// The `process_*` calls run one conversation (the engine's default
/// session); [`Engine::session`] starts others that share the models.
pub struct Engine {
    shared: Arc<Shared>,
    default: Session,
}

impl Engine {
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// A new conversation (its own pending questions) on this engine.
    pub fn session(&self) -> Session {
        Session::new(self.shared.clone())
    }

    /// The default conversation.
    pub fn default_session(&self) -> &Session {
        &self.default
    }

    /// A turn from a WAV file (any rate and channel count).
    pub async fn process_wav(&self, path: impl AsRef<Path>) -> Result<Turn, EngineError> {
        self.default.process_wav(path).await
    }

    /// A turn from mono PCM samples in [-1, 1] at `rate` Hz.
    pub async fn process_pcm(&self, samples: &[f32], rate: u32) -> Result<Turn, EngineError> {
        self.default.process_pcm(samples, rate).await
    }

    /// A turn from typed (or already transcribed) text.
    pub async fn process_text(&self, text: &str) -> Result<Turn, EngineError> {
        self.default.process_text(text).await
    }

    pub fn intents(&self) -> &IntentSet {
        self.shared.understanding.matcher().intents()
    }

    /// The intents that have an action.
    pub fn handled_intents(&self) -> Vec<String> {
        self.shared.routes().intents().into_iter().map(str::to_owned).collect()
    }

    /// Adds an action to a built engine (hosts that learn their handlers
    /// late, such as the C ABI's callbacks); as with
    /// [`EngineBuilder::action`], it takes over its intents from the
    /// reference actions. Turns already running keep the actions they
    /// started with. Errors leave the engine as it was: an intent the
    /// engine does not know, or one that another of the app's actions
    /// handles.
    pub fn register(&self, action: impl Action) -> Result<(), EngineError> {
        let action: Arc<dyn Action> = Arc::new(action);
        known_intents(action.as_ref(), self.intents())?;
        let mut actions = self.shared.actions.write().unwrap_or_else(|p| p.into_inner());
        let mut app = actions.app.clone();
        app.push(action);
        *actions = Actions::new(app, actions.reference.clone(), actions.routes.timeout())?;
        Ok(())
    }

    pub fn has_model(&self) -> bool {
        self.shared.recognizer.is_some()
    }

    pub fn decoding(&self) -> Decoding {
        self.shared.hearing.decoding()
    }
}

/// One conversation: at most one question (confirmation, missing slot)
/// pending, and the action it is running, which [`Session::cancel`] stops.
#[derive(Clone)]
pub struct Session {
    shared: Arc<Shared>,
    dialogue: Arc<Mutex<Dialogue>>,
    running: Arc<Mutex<Option<CancellationToken>>>,
}

/// What happened with one utterance.
#[derive(Debug, Clone, Serialize)]
pub struct Turn {
    /// What was heard (or typed).
    pub transcript: String,
    /// The intent acted on or asked about; None when not understood.
    pub intent: Option<String>,
    /// Who understood this utterance: the templates or the learned model
    /// (None when neither understood it).
    pub source: Option<Source>,
    /// Which decoding the transcript came from (None for typed text).
    pub heard_by: Option<HeardBy>,
    /// Its slots; sensitive values stay here but print as `<redacted>` in
    /// Debug and JSON.
    #[serde(serialize_with = "redacted")]
    pub slots: Vec<Slot>,
    pub confidence: f32,
    /// A question for the user; the answer is the next turn.
    pub prompt: Option<String>,
    /// How it ended; None while a question is pending.
    pub outcome: Option<Outcome>,
    pub timings: Timings,
}

fn redacted<S: serde::Serializer>(slots: &[Slot], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(slots.iter().map(|x| x.to_json(false)))
}

impl Turn {
    /// What to say to the user: the question, or the outcome.
    pub fn reply(&self) -> &str {
        self.prompt.as_deref().or(self.outcome.as_ref().map(|o| o.say.as_str())).unwrap_or("")
    }
}

/// Time spent in each stage of a turn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Timings {
    /// Decoding and resampling audio.
    #[serde(serialize_with = "millis")]
    pub audio: Duration,
    #[serde(serialize_with = "millis")]
    pub asr: Duration,
    /// Parsing and the dialogue rules.
    #[serde(serialize_with = "millis")]
    pub nlu: Duration,
    /// Running the action.
    #[serde(serialize_with = "millis")]
    pub dispatch: Duration,
    #[serde(serialize_with = "millis")]
    pub total: Duration,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1e6).round() / 1e3)
}

impl Session {
    fn new(shared: Arc<Shared>) -> Self {
        let dialogue = Dialogue::new(shared.dialogue);
        Session { shared, dialogue: Arc::new(Mutex::new(dialogue)), running: Arc::new(Mutex::new(None)) }
    }

    pub async fn process_wav(&self, path: impl AsRef<Path>) -> Result<Turn, EngineError> {
        let t = Instant::now();
        runtime()?;
        self.recognizer()?;
        let (audio, _) = hush_audio::read_wav(path.as_ref(), &self.shared.audio)?;
        self.process_audio(audio, t).await
    }

    pub async fn process_pcm(&self, samples: &[f32], rate: u32) -> Result<Turn, EngineError> {
        let t = Instant::now();
        runtime()?;
        self.recognizer()?;
        let audio = Audio::from_pcm(samples, rate)?;
        self.process_audio(audio, t).await
    }

    pub async fn process_text(&self, text: &str) -> Result<Turn, EngineError> {
        runtime()?;
        Ok(self.understand_and_act(text.to_owned(), Timings::default(), Instant::now()).await)
    }

    /// Listens to a live stream on this conversation (see [`Listener`]).
    /// Needs a tokio runtime and a speech model.
    pub fn listen(&self, params: ListenParams) -> Result<Listener, EngineError> {
        Listener::new(self.clone(), params)
    }

    /// Stops the running action, if any, keeping a pending question;
    /// whether one was running. The user talking over hush (barge-in).
    pub fn interrupt(&self) -> bool {
        match lock(&self.running).take() {
            Some(t) => {
                t.cancel();
                true
            }
            None => false,
        }
    }

    /// Stops the running action, if any, and drops a pending question.
    pub fn cancel(&self) {
        if let Some(t) = lock(&self.running).take() {
            t.cancel();
        }
        lock(&self.dialogue).reset();
    }

    /// The intent waiting for an answer (a confirmation or a missing slot).
    pub fn pending(&self) -> Option<Intent> {
        lock(&self.dialogue).pending().cloned()
    }

    pub(crate) fn recognizer(&self) -> Result<Arc<Recognizer>, EngineError> {
        self.shared.recognizer.clone().ok_or(EngineError::NoModel)
    }

    async fn process_audio(&self, audio: Audio, start: Instant) -> Result<Turn, EngineError> {
        let timings = Timings { audio: start.elapsed(), ..Timings::default() };
        let (heard, asr) = self.transcribe(audio).await?;
        let mut turn = self.understand_and_act(heard.transcript.text, Timings { asr, ..timings }, start).await;
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
        let as_said = lock(&self.dialogue).awaiting_confirmation();
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
        Ok((heard, t.elapsed()))
    }

    pub(crate) async fn understand_and_act(&self, transcript: String, mut timings: Timings, start: Instant) -> Turn {
        let sh = &self.shared;
        let t = Instant::now();
        let reading = sh.understanding.read(&transcript);
        let source = reading.as_ref().map(|r| r.source);
        let parsed = reading.map(|r| r.intent);
        let routes = sh.routes();
        let step = lock(&self.dialogue).step(&transcript, parsed.clone(), sh.understanding.matcher(), &routes, Instant::now());
        timings.nlu = t.elapsed();
        let (intent, prompt, outcome) = match step {
            Step::Ask { intent, prompt } => (Some(intent), Some(prompt), None),
            Step::Reply(o) => (parsed, None, Some(o)),
            Step::Run { intent, confirmed, key } => {
                let t = Instant::now();
                let outcome = if sh.dry_run {
                    Outcome::new(Status::DryRun, format!("(dry run) would {}.", intent.name.replace('_', " ")))
                } else {
                    let ctx = ActionContext::new(key, confirmed);
                    *lock(&self.running) = Some(ctx.cancel_token().clone());
                    let o = routes.dispatch(&intent, ctx).await;
                    lock(&self.running).take();
                    o
                };
                timings.dispatch = t.elapsed();
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
        Turn {
            transcript,
            confidence: intent.as_ref().map_or(0.0, |i| i.confidence),
            slots: intent.as_ref().map(|i| i.slots.clone()).unwrap_or_default(),
            intent: intent.map(|i| i.name),
            source,
            heard_by: None,
            prompt,
            outcome,
            timings,
        }
    }
}

/// Actions and recognition run on tokio tasks; without a runtime they would
/// panic.
fn runtime() -> Result<(), EngineError> {
    tokio::runtime::Handle::try_current().map(drop).map_err(|_| EngineError::NoRuntime)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
