//! Building an [`Engine`]: the model, intents, actions and limits it runs with.

use crate::engine::Engine;
use crate::error::EngineError;
use crate::parts::LEARNED_THRESHOLD;
use crate::recognize::{Decoding, GrammarParams, Hearing};
use crate::session::Session;
use crate::shared::{known_intents, Actions, Shared};
use crate::understand::Understanding;
use hush_actions::{Action, AuditLog, DialogueParams, Messages, Registry};
use hush_asr::{AsrParams, ModelPaths, Recognizer};
use hush_audio::AudioLimits;
use hush_learn::{LearnError, LearnedModel};
use hush_nlu::{IntentErrors, IntentSet, Language, MatchParams, Matcher};
use parking_lot::{Mutex, RwLock};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

/// Which speech model to load.
enum ModelChoice {
    /// A model id from the cache (`tiny.en-q8_0`).
    Id(String),
    Paths(ModelPaths),
}

/// Settings for [`Engine`]; every one has a default.
pub struct EngineBuilder {
    model: Option<ModelChoice>,
    asr: AsrParams,
    intents: Vec<PathBuf>,
    intent_set: Option<IntentSet>,
    matching: MatchParams,
    learned: Option<(PathBuf, f32)>,
    builtin_model: bool,
    builtin_threshold: f32,
    actions: Vec<Arc<dyn Action>>,
    fallback: Vec<Arc<dyn Action>>,
    dialogue: DialogueParams,
    action_timeout: Duration,
    messages: Vec<(Language, Messages)>,
    audit_log: Option<PathBuf>,
    dry_run: bool,
    audio: AudioLimits,
    decoding: Decoding,
    grammar: GrammarParams,
    languages: Vec<Language>,
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
            builtin_model: true,
            builtin_threshold: BUILTIN_THRESHOLD,
            actions: Vec::new(),
            fallback: Vec::new(),
            dialogue: DialogueParams::default(),
            action_timeout: hush_actions::DEFAULT_TIMEOUT,
            messages: Vec::new(),
            audit_log: None,
            dry_run: false,
            audio: AudioLimits::default(),
            decoding: Decoding::default(),
            grammar: GrammarParams::default(),
            languages: vec![Language::English],
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

    /// Threads, compute device, weight mode and decoding options of the speech model.
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

    /// How forgiving the template matcher is (edit costs, confidence threshold).
    pub fn match_params(mut self, params: MatchParams) -> Self {
        self.matching = params;
        self
    }

    /// A model trained with `hush train` (its encoder from the model
    /// cache), read when no template matches word for word; it answers
    /// when its calibrated confidence is at least
    /// [`LEARNED_THRESHOLD`](crate::parts::LEARNED_THRESHOLD) and above the
    /// templates' (see [`Understanding`]).
    pub fn learned_model(self, dir: impl Into<PathBuf>) -> Self {
        self.learned_model_with_threshold(dir, LEARNED_THRESHOLD)
    }

    /// [`EngineBuilder::learned_model`] with its own confidence threshold.
    pub fn learned_model_with_threshold(mut self, dir: impl Into<PathBuf>, threshold: f32) -> Self {
        self.learned = Some((dir.into(), threshold));
        self
    }

    /// Whether the built-in domains are also read by their own learned
    /// model, so that paraphrases no template covers are understood
    /// ("wire twenty bucks to sarah") and near-misses are rejected ("pay
    /// attention to the road"). On by default; it applies only with the
    /// built-in domains and no [`EngineBuilder::learned_model`], and needs
    /// the sentence encoder in the model cache (`hush models import
    /// minilm`): without it the engine reads with the templates alone and
    /// logs that once.
    pub fn builtin_model(mut self, on: bool) -> Self {
        self.builtin_model = on;
        self
    }

    /// The confidence the built-in domains' learned model needs to answer
    /// or to call a sentence out of domain (default [`BUILTIN_THRESHOLD`]).
    /// Higher rejects more near-misses and understands fewer paraphrases:
    /// on the held-out half of `benches/paraphrases`, 0.9 against 0.7 took
    /// false accepts from 8.1 % to 5.2 % and intent accuracy from 93.3 %
    /// to 89.4 % (docs/BENCHMARKS.md), a trade an app makes by what a
    /// wrong action costs it.
    pub fn builtin_model_threshold(mut self, threshold: f32) -> Self {
        self.builtin_threshold = threshold;
        self
    }

    /// Registers an action for the intents it declares.
    pub fn action(mut self, action: impl Action) -> Self {
        self.actions.push(Arc::new(action));
        self
    }

    /// A set of actions for the intents that no action given to
    /// [`EngineBuilder::action`] (or registered later) handles: the app's
    /// own take over intent by intent. The demo's are
    /// `hush_reference::reference_actions` (payments, rides, food on a
    /// SQLite ledger). Unlike the app's, a set may cover intents the
    /// engine's intent files do not have: those never run.
    pub fn fallback_actions(mut self, actions: impl IntoIterator<Item = Arc<dyn Action>>) -> Self {
        self.fallback.extend(actions);
        self
    }

    /// How long a confirmation or a missing-slot question stays open, and
    /// whether a request heard doubtfully is checked first.
    pub fn dialogue(mut self, params: DialogueParams) -> Self {
        self.dialogue = params;
        self
    }

    /// What hush says in `language` (the dialogue's cancellations and
    /// repeated questions, an action that failed or hung), in place of its
    /// own [`Messages::builtin`].
    pub fn messages(mut self, language: Language, messages: Messages) -> Self {
        self.messages.push((language, messages));
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
    pub fn audio_limits(mut self, limits: AudioLimits) -> Self {
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

    /// The language of the built-in domains (English by default): with
    /// [`Language::Indonesian`] the engine understands "pesan ojek ke
    /// bandara" with the same intents and slots ([`Language::Mandarin`]:
    /// rides and payments only), and a multilingual Whisper
    /// model is told the language unless [`AsrParams`] name one. Intent
    /// files given with [`EngineBuilder::intents`] say their own language.
    pub fn language(mut self, language: Language) -> Self {
        self.languages = vec![language];
        self
    }

    /// The built-in domains in each of `languages`, in one engine: "book
    /// me a ride" and "pesan ojek" are both `order_ride`, served by one
    /// action and answered in the language they were said in. A
    /// multilingual Whisper model detects among these languages only (the
    /// default English model hears English alone: name `base-q8_0`). The
    /// built-in learned model reads the English sentences; the others are
    /// read by their templates. None named: English.
    pub fn languages(mut self, languages: &[Language]) -> Self {
        self.languages = vec![];
        for &l in languages {
            if !self.languages.contains(&l) {
                self.languages.push(l);
            }
        }
        if self.languages.is_empty() {
            self.languages.push(Language::English);
        }
        self
    }

    /// Loads the model, intents and actions; fails with what is wrong, nothing half-built.
    pub fn build(mut self) -> Result<Engine, EngineError> {
        if let ([only], None) = (&self.languages[..], &self.asr.decode.language) {
            if *only != Language::English {
                self.asr.decode.language = Some(only.code().to_owned());
            }
        }
        let builtin = self.intent_set.is_none() && self.intents.is_empty();
        let set = match (self.intent_set, self.intents.is_empty()) {
            (Some(set), _) => set,
            (None, true) => IntentSet::builtin_for(&self.languages)?,
            (None, false) => load_intents(&self.intents)?,
        };
        // Whisper detects only among the languages the intents are in (and
        // a model that cannot hear them is refused here).
        let decode = &mut self.asr.decode;
        if decode.language.is_none() && decode.languages.is_empty() {
            for spec in &set.intents {
                let code = spec.language.code().to_owned();
                if !decode.languages.contains(&code) {
                    decode.languages.push(code);
                }
            }
        }
        let recognizer = match self.model {
            None => None,
            Some(ModelChoice::Id(id)) => Some(Recognizer::load(&model_paths(&id)?, self.asr)?),
            Some(ModelChoice::Paths(p)) => Some(Recognizer::load(&p, self.asr)?),
        };
        for a in &self.actions {
            known_intents(a.as_ref(), &set)?;
        }
        let mut base = Registry::new(self.action_timeout);
        for (language, messages) in self.messages {
            base.set_messages(language, messages);
        }
        let actions = Actions::new(self.actions, self.fallback, base)?;
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
        } else if builtin && self.builtin_model && self.languages.contains(&Language::English) {
            if !(0.0..=1.0).contains(&self.builtin_threshold) {
                return Err(EngineError::Threshold(self.builtin_threshold));
            }
            // The built-in learned model learned English sentences.
            if let Some(model) = builtin_learned()? {
                understanding = understanding.with_builtin_model(model, self.builtin_threshold);
            }
        }
        // A sentence kept only to be asked about would be acted on by a
        // dialogue that asks nothing: then it is not kept.
        let mut grammar = self.grammar;
        if !self.dialogue.check_doubtful {
            grammar.ask_margin = 0.0;
        }
        let hearing = Hearing::new(self.decoding, grammar, understanding.matcher());
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

impl Engine {
    /// A builder with the defaults: no speech model, the built-in intents, no actions.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
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
    if set.intent(hush_nlu::CONFIRM).is_some() {
        return Ok(set);
    }
    IntentSet::load_files_with(&files, &hush_nlu::BUILTIN_DOMAINS[..1])
}

/// The files of a model in the model cache by id (`tiny.en-q8_0`), as
/// [`Recognizer::load`] takes them.
pub fn model_paths(id: &str) -> Result<ModelPaths, hush_models::ModelError> {
    let f = hush_models::Cache::default().resolve(id)?;
    Ok(ModelPaths { config: f.config, tokenizer: f.tokenizer, weights: f.weights })
}

/// The confidence the built-in domains' learned model needs to answer or
/// to reject, chosen on the tune half of `benches/paraphrases`: against
/// 0.5, out-of-domain sentences accepted fell from 6 to 3 of 440, for 1
/// of 640 in-domain sentences no longer understood.
pub const BUILTIN_THRESHOLD: f32 = 0.7;

/// The built-in domains' learned model (`intents/learned`, trained by
/// `make intents-model` from the templates and `benches/paraphrases`),
/// loaded once per process and shared by the engines that use it; `None`
/// when its encoder is not installed.
pub fn builtin_learned() -> Result<Option<Arc<LearnedModel>>, EngineError> {
    static LOADED: Mutex<std::sync::Weak<LearnedModel>> = Mutex::new(std::sync::Weak::new());
    let mut loaded = LOADED.lock();
    if let Some(model) = loaded.upgrade() {
        return Ok(Some(model));
    }
    let cache = hush_models::Cache::default();
    let dir = Path::new("intents/learned");
    let saved = hush_learn::Saved {
        dir,
        meta: include_bytes!("../intents/learned/model.json"),
        adapters: include_bytes!("../intents/learned/adapters.safetensors"),
        heads: include_bytes!("../intents/learned/heads.safetensors"),
    };
    let mut missing = None;
    let model = LearnedModel::from_parts(&saved, |id| {
        let encoder = cache.model_dir(id);
        if !encoder.join("model.safetensors").is_file() {
            missing = Some(id.to_owned());
        }
        encoder
    });
    match (model, missing) {
        (Ok(model), _) => {
            let model = Arc::new(model);
            *loaded = Arc::downgrade(&model);
            Ok(Some(model))
        }
        (Err(_), Some(id)) => {
            static ONCE: std::sync::Once = std::sync::Once::new();
            ONCE.call_once(|| {
                tracing::info!(encoder = %id, "the built-in domains read with their templates alone: paraphrases need the sentence encoder (`hush models import {id}`)")
            });
            Ok(None)
        }
        (Err(source), None) => Err(EngineError::Learned { path: dir.to_owned(), source }),
    }
}

/// A model folder written by `hush train`, with its encoder from the model
/// cache.
pub fn load_learned(dir: &Path) -> Result<LearnedModel, LearnError> {
    LearnedModel::load(dir, |id| hush_models::Cache::default().model_dir(id))
}
