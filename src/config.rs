//! An engine's settings as data, for hosts that configure it from outside
//! Rust: the C ABI reads them from JSON, the CLI fills them from its flags.

use crate::builder::EngineBuilder;
use crate::engine::Engine;
use crate::error::EngineError;
use crate::listen::{EndOfCommand, ListenParams, Mode};
use crate::parts::LEARNED_THRESHOLD;
use crate::recognize::Decoding;
use hush_actions::{DialogueParams, Messages};
use hush_asr::{AsrParams, Compute, ModelPaths, Trim, WeightMode};
use hush_nlu::Language;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// What an engine is built from, every field optional: JSON may leave any
/// out (and may not add unknown ones). [`EngineConfig::builder`] checks it
/// and turns it into an [`EngineBuilder`], where a Rust app can go on with
/// what data cannot say (its own actions).
///
/// ```
/// let config: hush::EngineConfig = serde_json::from_str(r#"{"decoding": "constrained", "beam": 2}"#).unwrap();
/// let engine = config.builder().unwrap().build().unwrap();
/// assert_eq!(engine.decoding(), hush::Decoding::Constrained);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EngineConfig {
    /// A model id from the model cache (`tiny.en-q8_0`); none (and no
    /// `model_files`): the engine takes text only.
    pub model: Option<String>,
    /// Or the model's three files (`{"config", "tokenizer", "weights"}`).
    pub model_files: Option<ModelPaths>,
    /// Folders of intent files; none: the built-in domains.
    pub intents: Vec<PathBuf>,
    /// A model trained with `hush train`.
    pub learned_model: Option<PathBuf>,
    /// Whether the built-in domains also read with their own learned
    /// model (default true; see [`EngineBuilder::builtin_model`]).
    pub builtin_model: Option<bool>,
    /// The learned model's confidence threshold, 0 to 1: of
    /// `learned_model` (default [`LEARNED_THRESHOLD`]), else of the
    /// built-in domains' model (default
    /// [`BUILTIN_THRESHOLD`](crate::parts::BUILTIN_THRESHOLD); see
    /// [`EngineBuilder::builtin_model_threshold`]).
    pub learned_threshold: Option<f32>,
    /// `free`, `biased`, `constrained` or `auto` (see [`Decoding`]).
    pub decoding: Decoding,
    /// Whisper's beam width, 1 (greedy, the default) to 16.
    pub beam: Option<usize>,
    /// Threads for Whisper's kernels, 1 to 256 (default: every core).
    pub threads: Option<usize>,
    /// How quantised weights are held: `quantized`, `dequantized` or
    /// `mixed` (the default).
    pub weights: Option<WeightMode>,
    /// Where Whisper runs: `cpu` (the default), `cuda` or `cuda:N`.
    pub compute: Option<Compute>,
    /// Language code (ISO 639-1) a multilingual model is told (default:
    /// detect). A language hush reads (`en`, `id`, `zh`) also picks the language
    /// of the built-in domains.
    pub language: Option<String>,
    /// The built-in domains in each of these languages, in one engine
    /// (`["en", "id"]`): a multilingual model detects among them and each
    /// turn is answered in its own. Overrides `language`'s domains.
    pub languages: Vec<String>,
    /// Text Whisper takes as said before each utterance.
    pub prompt: Option<String>,
    /// Encode full 30 s windows instead of the audio plus a margin.
    pub full_window: bool,
    /// When trimming: mel frames of silence after the audio, and the
    /// fewest frames encoded (research settings; defaults 50, and 300 for
    /// tiny or 1,500 for base and wider: `Trim::model_min_frames`).
    pub trim_margin_frames: Option<usize>,
    /// See `trim_margin_frames`.
    pub trim_min_frames: Option<usize>,
    /// Understand and ask, but run no action.
    pub dry_run: bool,
    /// Whether a spoken request read with forgiveness is checked first
    /// ("Did you say ...?"; default true, see
    /// [`DialogueParams::check_doubtful`](hush_actions::DialogueParams)).
    pub check_doubtful: Option<bool>,
    /// How long an action may run, 1 ms to 10 minutes (default 10 s).
    pub action_timeout_ms: Option<u64>,
    /// How long a yes-or-no question waits for its answer, 1 s to 10
    /// minutes (default 30 s; a slower device, or valgrind, needs longer).
    pub confirm_timeout_ms: Option<u64>,
    /// A JSON-lines audit log (redacted; never audio or transcripts).
    pub audit_log: Option<PathBuf>,
    /// The app's own sentences in place of hush's, by language code and
    /// name: `{"id": {"cant_help": "Wah, belum bisa."}}` (the names are
    /// the fields of [`Messages`]).
    pub messages: BTreeMap<String, BTreeMap<String, String>>,
    /// How live audio is listened to.
    pub listen: ListenConfig,
}

/// The listening settings of [`EngineConfig`] (see [`ListenParams`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ListenConfig {
    /// `continuous` (the default), `wake_phrase` or `push_to_talk`.
    pub mode: Option<Mode>,
    /// The wake phrase (default "hey hush").
    pub wake_phrase: Option<String>,
    /// The wake check's score needed (default
    /// [`WAKE_THRESHOLD`](crate::listen::WAKE_THRESHOLD)).
    pub wake_threshold: Option<f32>,
    /// The wake-phrase model's probability an utterance needs before
    /// Whisper checks it, 0 to 1 (0: Whisper checks every utterance;
    /// default: the model's own threshold; see
    /// [`WakeParams::gate`](crate::listen::WakeParams::gate)).
    pub wake_gate: Option<f32>,
    /// The wake-phrase model's probability at which the phrase counts as
    /// said without Whisper's check, 0 to 1 (0: Whisper checks all the
    /// gate lets through; default
    /// [`WAKE_SURE`](crate::listen::WAKE_SURE)).
    pub wake_sure: Option<f32>,
    /// How much less likely than what Whisper would write itself the
    /// phrase may be in Whisper's check, a mean token log-probability of 0
    /// or more (0, the default: the score alone decides; see
    /// [`WakeParams::lead`](crate::listen::WakeParams::lead)).
    pub wake_lead: Option<f32>,
    /// Speech while an action runs cancels it (default true).
    pub barge_in: Option<bool>,
    /// Quiet that ends an utterance, 50 to 10,000 ms.
    pub end_silence_ms: Option<u64>,
    /// The longest utterance, 500 to 120,000 ms.
    pub max_utterance_ms: Option<u64>,
    /// What tells speech from noise: `silero` (the Silero VAD model,
    /// fetched by `make models` or `hush models import silero-vad`) or
    /// `energy` (frame energy, no model). Left out: Silero when its model
    /// is in the cache, else energy with a warning.
    pub vad: Option<VadKind>,
    /// End a pause sooner after a whole command and later after the start
    /// of one, as the templates read the words so far (default false: it
    /// needs audio fed in real time; see
    /// [`EndOfCommand`]).
    pub end_of_command: Option<bool>,
}

/// The voice-activity detectors [`ListenConfig::vad`] can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VadKind {
    /// Frame energy against an adaptive noise floor.
    Energy,
    /// The Silero VAD model's speech probability.
    Silero,
}

/// The cache's name of the Silero VAD model.
pub const SILERO_MODEL: &str = "silero-vad";

/// Bounds of the configuration's numbers: the CLI's beam cap, more threads
/// than any head unit has cores, an action timeout of ten minutes.
const MAX_BEAM: usize = 16;
const MAX_THREADS: usize = 256;
const MAX_ACTION_TIMEOUT_MS: u64 = 600_000;
const MAX_TRIM_FRAMES: usize = 3000;

impl EngineConfig {
    /// Every number within what hush can do (a beam of a million would
    /// reserve memory for a million hypotheses), and one model source.
    pub fn check(&self) -> Result<(), EngineError> {
        let out = |field: &str, v: String, range: String| Err(EngineError::Config(format!("{field} is {v}; it must be {range}")));
        if self.model.is_some() && self.model_files.is_some() {
            return Err(EngineError::Config("give model or model_files, not both".into()));
        }
        if let Some(b) = self.beam.filter(|b| !(1..=MAX_BEAM).contains(b)) {
            return out("beam", b.to_string(), format!("1 to {MAX_BEAM}"));
        }
        if let Some(t) = self.threads.filter(|t| !(1..=MAX_THREADS).contains(t)) {
            return out("threads", t.to_string(), format!("1 to {MAX_THREADS}"));
        }
        if let Some(t) = self.learned_threshold.filter(|t| !(0.0..=1.0).contains(t)) {
            return out("learned_threshold", t.to_string(), "0 to 1".into());
        }
        // Whisper's window holds 3,000 mel frames; more is no setting at all.
        for (field, v) in [("trim_margin_frames", self.trim_margin_frames), ("trim_min_frames", self.trim_min_frames)] {
            if let Some(v) = v.filter(|v| *v > MAX_TRIM_FRAMES) {
                return out(field, v.to_string(), format!("0 to {MAX_TRIM_FRAMES}"));
            }
        }
        if let Some(t) = self.listen.wake_threshold.filter(|t| !t.is_finite()) {
            return out("listen.wake_threshold", t.to_string(), "a number".into());
        }
        if let Some(m) = self.listen.wake_lead.filter(|m| !(m.is_finite() && *m >= 0.0)) {
            return out("listen.wake_lead", m.to_string(), "0 or more".into());
        }
        for (field, t) in [("listen.wake_gate", self.listen.wake_gate), ("listen.wake_sure", self.listen.wake_sure)] {
            if let Some(t) = t.filter(|t| !(0.0..=1.0).contains(t)) {
                return out(field, t.to_string(), "0 to 1".into());
            }
        }
        let ms = [
            ("action_timeout_ms", self.action_timeout_ms, 1, MAX_ACTION_TIMEOUT_MS),
            ("confirm_timeout_ms", self.confirm_timeout_ms, 1_000, MAX_ACTION_TIMEOUT_MS),
            ("listen.end_silence_ms", self.listen.end_silence_ms, 50, 10_000),
            ("listen.max_utterance_ms", self.listen.max_utterance_ms, 500, 120_000),
        ];
        for (field, v, lo, hi) in ms {
            if let Some(v) = v.filter(|v| !(lo..=hi).contains(v)) {
                return out(field, v.to_string(), format!("{lo} to {hi}"));
            }
        }
        self.messages().map(drop)
    }

    /// The sentences `messages` replaces, each language's over hush's own.
    fn messages(&self) -> Result<Vec<(Language, Messages)>, EngineError> {
        let mut out = Vec::new();
        for (code, changes) in &self.messages {
            let Some(language) = Language::from_code(code) else {
                return Err(EngineError::Config(format!("messages: unknown language '{code}'; hush speaks {}", Language::codes())));
            };
            let messages = Messages::builtin(language).replaced(changes).map_err(|e| EngineError::Config(format!("messages.{code}: {e}")))?;
            out.push((language, messages));
        }
        Ok(out)
    }

    /// Whisper's settings.
    pub fn asr_params(&self) -> AsrParams {
        let mut p = AsrParams::default();
        if let Some(t) = self.threads {
            p.threads = t;
        }
        if let Some(w) = self.weights {
            p.weight_mode = w;
        }
        if let Some(c) = self.compute {
            p.device = c;
        }
        let trim = Trim::default();
        p.decode.trim = (!self.full_window)
            .then_some(Trim { margin_frames: self.trim_margin_frames.unwrap_or(trim.margin_frames), min_frames: self.trim_min_frames.or(trim.min_frames) });
        p.decode.beam = self.beam.unwrap_or(p.decode.beam);
        p.decode.language.clone_from(&self.language);
        if p.decode.language.is_none() {
            // Detection among the languages the engine reads.
            p.decode.languages.clone_from(&self.languages);
        }
        p.decode.prompt.clone_from(&self.prompt);
        p
    }

    /// The listener's settings.
    /// Loads the Silero model from the cache unless `vad` is `energy`.
    pub fn listen_params(&self) -> Result<ListenParams, EngineError> {
        self.listen_params_in(&hush_models::Cache::default())
    }

    fn listen_params_in(&self, cache: &hush_models::Cache) -> Result<ListenParams, EngineError> {
        let mut listen = ListenParams::default();
        let c = &self.listen;
        // Silero by default: in noise it cuts more commands whole and hears
        // neither clatter nor the car's own playback as speech (issue 25).
        // An engine that never listens must still build without it, so a
        // missing model falls back to energy; a damaged one is an error.
        let weights = match c.vad {
            Some(VadKind::Energy) => None,
            Some(VadKind::Silero) => Some(cache.resolve_weights(SILERO_MODEL)?),
            None => match cache.resolve_weights(SILERO_MODEL) {
                Err(hush_models::ModelError::NotInstalled { .. }) => {
                    tracing::warn!("the Silero VAD model is not in the cache (`make models`): listening with the energy detector");
                    None
                }
                w => Some(w?),
            },
        };
        if let Some(weights) = weights {
            listen.vad = hush_audio::VadParams::silero(hush_audio::SileroModel::load(&weights)?);
        }
        if let Some(mode) = c.mode {
            listen.mode = mode;
        }
        if let Some(phrase) = &c.wake_phrase {
            listen.wake.phrase.clone_from(phrase);
        }
        if let Some(t) = c.wake_threshold {
            listen.wake.threshold = t;
        }
        if let Some(t) = c.wake_gate {
            listen.wake.gate = (t > 0.0).then_some(t);
        }
        if let Some(t) = c.wake_sure {
            listen.wake.sure = (t > 0.0).then_some(t);
        }
        if let Some(m) = c.wake_lead {
            listen.wake.lead = (m > 0.0).then_some(m);
        }
        if let Some(b) = c.barge_in {
            listen.barge_in = b;
        }
        if let Some(ms) = c.end_silence_ms {
            listen.vad.end_silence = Duration::from_millis(ms);
        }
        if let Some(ms) = c.max_utterance_ms {
            listen.vad.max_utterance = Duration::from_millis(ms);
        }
        if c.end_of_command == Some(true) {
            listen.end_of_command = Some(EndOfCommand::default());
        }
        Ok(listen)
    }

    /// A builder with these settings, after [`EngineConfig::check`].
    pub fn builder(&self) -> Result<EngineBuilder, EngineError> {
        self.check()?;
        let mut b = Engine::builder().asr_params(self.asr_params()).decoding(self.decoding).dry_run(self.dry_run);
        if let Some(id) = &self.model {
            b = b.model(id);
        }
        if let Some(f) = &self.model_files {
            b = b.model_files(f.clone());
        }
        if let Some(l) = self.language.as_deref().and_then(Language::from_code) {
            b = b.language(l);
        }
        if !self.languages.is_empty() {
            let mut languages = Vec::new();
            for code in &self.languages {
                let l = Language::from_code(code)
                    .ok_or_else(|| EngineError::Config(format!("languages: hush has no built-in domains in '{code}' (it has {})", Language::codes())))?;
                languages.push(l);
            }
            b = b.languages(&languages);
        }
        for dir in &self.intents {
            b = b.intents(dir);
        }
        if let Some(on) = self.builtin_model {
            b = b.builtin_model(on);
        }
        if let Some(dir) = &self.learned_model {
            b = b.learned_model_with_threshold(dir, self.learned_threshold.unwrap_or(LEARNED_THRESHOLD));
        } else if let Some(t) = self.learned_threshold {
            b = b.builtin_model_threshold(t);
        }
        if let Some(ms) = self.action_timeout_ms {
            b = b.action_timeout(Duration::from_millis(ms));
        }
        if self.check_doubtful.is_some() || self.confirm_timeout_ms.is_some() {
            let default = DialogueParams::default();
            let check_doubtful = self.check_doubtful.unwrap_or(default.check_doubtful);
            let confirm_timeout = self.confirm_timeout_ms.map_or(default.confirm_timeout, Duration::from_millis);
            b = b.dialogue(DialogueParams { check_doubtful, confirm_timeout, ..default });
        }
        if let Some(path) = &self.audit_log {
            b = b.audit_log(path);
        }
        for (language, messages) in self.messages()? {
            b = b.messages(language, messages);
        }
        Ok(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vad(json: &str, cache: &hush_models::Cache) -> Result<&'static str, EngineError> {
        let c: EngineConfig = serde_json::from_str(json).unwrap();
        Ok(c.listen_params_in(cache)?.vad.detector.name())
    }

    /// An engine that never listens builds without the Silero model; one
    /// that asks for it by name is told it is missing.
    #[test]
    fn a_missing_silero_model_falls_back_only_when_not_asked_for() {
        let empty = tempfile::tempdir().unwrap();
        let cache = hush_models::Cache::new(empty.path());
        assert_eq!(vad("{}", &cache).unwrap(), "energy");
        assert_eq!(vad(r#"{"listen": {"vad": "energy"}}"#, &cache).unwrap(), "energy");
        let e = vad(r#"{"listen": {"vad": "silero"}}"#, &cache).unwrap_err();
        assert!(e.to_string().contains(SILERO_MODEL), "{e}");
    }

    /// A damaged model is an error even when the detector was not named:
    /// falling back would hide it.
    #[test]
    fn a_damaged_silero_model_is_an_error() {
        let root = tempfile::tempdir().unwrap();
        let cache = hush_models::Cache::new(root.path());
        let dir = cache.model_dir(SILERO_MODEL);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("model.safetensors"), b"not a model").unwrap();
        assert!(vad("{}", &cache).is_err());
        assert_eq!(vad(r#"{"listen": {"vad": "energy"}}"#, &cache).unwrap(), "energy");
    }
}
