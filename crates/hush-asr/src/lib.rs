//! Speech recognition for hush: 16 kHz audio in, a [`Transcript`] out.
//!
//! It holds Whisper's log-mel front end ([`mel`]), a Whisper model on candle
//! with a self-attention cache ([`model`]), and greedy or beam decoding
//! with the guards a command engine needs: the encoder sees only the audio
//! plus a margin (not a padded 30 s window), the number of tokens is capped
//! by the audio's duration, repeated n-grams stop the decoder, and Whisper's
//! no-speech probability empties transcripts of non-speech. A [`Guide`]
//! (a grammar) can keep every hypothesis inside the sentences it allows.
//!
//! It does not read files other than model files, fetch or convert models
//! (`hush-models`), know any grammar itself, or understand what was said
//! (later stages).

pub mod eval;
pub mod gguf;
pub mod mel;
pub mod model;
mod tokenizer;

pub use model::{Config, WeightMode, Whisper};
pub use tokenizer::WhisperTokenizer;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use candle_core::{Device, Tensor};
use mel::{MelFrontEnd, HOP};
use model::{prob_of, top_masked, DecoderState};

/// Samples in Whisper's 30 s window.
pub const WINDOW_SAMPLES: usize = 30 * 16_000;
const WINDOW_FRAMES: usize = 3000;

/// Why recognition failed.
#[derive(Debug, thiserror::Error)]
pub enum AsrError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: cannot load model: {detail}")]
    Model { path: PathBuf, detail: String },
    #[error("{path}: invalid config: {detail}")]
    Config { path: PathBuf, detail: String },
    #[error("{path}: invalid tokenizer: {detail}")]
    Tokenizer { path: PathBuf, detail: String },
    #[error("the audio is empty")]
    EmptyAudio,
    #[error("{seconds:.1} s of audio is more than one 30 s window")]
    TooLong { seconds: f32 },
    #[error("unknown language '{0}' for this model")]
    UnknownLanguage(String),
    #[error("inference failed: {0}")]
    Inference(String),
}

impl AsrError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io { path: path.to_owned(), source }
    }
    pub(crate) fn model(path: &Path, detail: impl std::fmt::Display) -> Self {
        Self::Model { path: path.to_owned(), detail: detail.to_string() }
    }
}

impl From<candle_core::Error> for AsrError {
    fn from(e: candle_core::Error) -> Self {
        Self::Inference(e.to_string())
    }
}

/// The three files of a model.
#[derive(Debug, Clone)]
pub struct ModelPaths {
    pub config: PathBuf,
    pub tokenizer: PathBuf,
    /// `.safetensors` (f32/f16) or `.gguf` (quantised).
    pub weights: PathBuf,
}

/// Encoder trimming: encode the audio's frames plus a margin instead of a
/// 30 s window. The margin gives the decoder the trailing silence it was
/// trained to end on; the floor keeps very short clips in familiar territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trim {
    pub margin_frames: usize,
    pub min_frames: usize,
}

impl Default for Trim {
    fn default() -> Self {
        Self { margin_frames: 50, min_frames: 300 }
    }
}

/// Per-call decoding choices.
#[derive(Debug, Clone)]
pub struct DecodeOptions {
    /// `None` encodes full 30 s windows, as Whisper was trained.
    pub trim: Option<Trim>,
    /// Upper bound on text tokens per 30 s window (Whisper's own is 224).
    pub max_tokens: usize,
    /// Tokens allowed per second of audio before decoding is cut off; stops
    /// runaway loops on short clips.
    pub tokens_per_second: f32,
    /// Language code for multilingual models; `None` detects it.
    pub language: Option<String>,
    /// A window is empty when P(no speech) exceeds this and the mean token
    /// log-probability is below `logprob_threshold` (Whisper's rule).
    pub no_speech_threshold: f32,
    pub logprob_threshold: f32,
    /// Hypotheses kept while decoding: 1 is greedy; more is beam search
    /// (the hypotheses step together, one pass over the weights for all),
    /// ranked by mean token log-probability as Whisper's own beam search
    /// does.
    pub beam: usize,
    /// Text given to Whisper as said before (its prompt): it steers the
    /// vocabulary and spelling of what it hears ("americano", "top up").
    /// Only the last `max_tokens()/2 - 1` tokens are used, as Whisper's
    /// own decoding does.
    pub prompt: Option<String>,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self {
            trim: Some(Trim::default()),
            max_tokens: 224,
            tokens_per_second: 12.0,
            language: None,
            no_speech_threshold: 0.6,
            logprob_threshold: -1.0,
            beam: 1,
            prompt: None,
        }
    }
}

/// Where the model runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Compute {
    #[default]
    Cpu,
    /// An NVIDIA GPU by ordinal; needs the `cuda` feature.
    Cuda(usize),
}

impl std::fmt::Display for Compute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Compute::Cpu => f.write_str("cpu"),
            Compute::Cuda(i) => write!(f, "cuda:{i}"),
        }
    }
}

/// A grammar that steers decoding ([`Recognizer::decode_guided`]): every
/// hypothesis stays a prefix of some sentence it allows, and ends only
/// where a sentence may end.
pub trait Guide: Sync {
    type State: Clone + Send;
    /// True for [`Unguided`]: decoding then skips the grammar entirely.
    const FREE: bool = false;
    /// Before any text.
    fn start(&self) -> Self::State;
    /// The state after `piece`, a token's text (a leading space starts a
    /// word); `None` when the text can no longer be a sentence.
    fn feed(&self, state: &Self::State, piece: &str) -> Option<Self::State>;
    /// Whether the text so far is a whole sentence.
    fn can_end(&self, state: &Self::State) -> bool;
    /// Text the grammar expects next (whole words with their leading
    /// space, or the rest of the word being said), offered to the decoder
    /// even when the model ranks it low.
    fn expected(&self, state: &Self::State, out: &mut Vec<String>);
    /// Log-probability the grammar takes off a hypothesis for its text so
    /// far (free text inside a wildcard, say): its weight against the
    /// acoustic score.
    fn penalty(&self, state: &Self::State) -> f32;
}

/// No grammar: Whisper writes what it hears.
pub struct Unguided;

impl Guide for Unguided {
    type State = ();
    const FREE: bool = true;
    fn start(&self) {}
    fn feed(&self, _: &(), _: &str) -> Option<()> {
        Some(())
    }
    fn can_end(&self, _: &()) -> bool {
        true
    }
    fn expected(&self, _: &(), _: &mut Vec<String>) {}
    fn penalty(&self, _: &()) -> f32 {
        0.0
    }
}

/// Audio through the encoder, ready to be decoded once or more
/// ([`Recognizer::encode_window`]).
pub struct Encoded {
    audio: Tensor,
    samples: usize,
    frames: usize,
    pub timings: Timings,
}

/// A guided decoding's result.
#[derive(Debug, Clone)]
pub struct Guided<S> {
    /// The best whole sentence of the grammar (empty when none fitted).
    pub transcript: Transcript,
    /// Where the grammar is after it; `None` when no hypothesis finished
    /// a sentence (or the audio held no speech).
    pub state: Option<S>,
    /// Summed log-probability the grammar cost the sentence: per token,
    /// that of the token Whisper ranked first minus that of the token
    /// taken. 0 means free greedy decoding would have written the same.
    pub regret: f32,
}

/// How a model is loaded and run.
#[derive(Debug, Clone)]
pub struct AsrParams {
    /// Worker threads for the matrix kernels; defaults to the cores available.
    pub threads: usize,
    pub device: Compute,
    pub weight_mode: WeightMode,
    pub decode: DecodeOptions,
}

impl Default for AsrParams {
    fn default() -> Self {
        Self {
            threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            device: Compute::Cpu,
            weight_mode: WeightMode::default(),
            decode: DecodeOptions::default(),
        }
    }
}

/// Why decoding of a window stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    EndOfText,
    TokenCap,
    Repetition,
    NoSpeech,
}

/// Time spent per stage of one transcription.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Timings {
    #[serde(serialize_with = "ms")]
    pub mel: Duration,
    #[serde(serialize_with = "ms")]
    pub encode: Duration,
    #[serde(serialize_with = "ms")]
    pub decode: Duration,
    pub decode_steps: usize,
}

fn ms<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64() * 1e3)
}

/// What was said.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Transcript {
    pub text: String,
    pub language: Option<String>,
    pub tokens: Vec<u32>,
    /// Mean log-probability of the text tokens.
    pub avg_logprob: f32,
    /// Whisper's probability that the (first) window holds no speech.
    pub no_speech_prob: f32,
    /// Why the last window stopped.
    pub stop: Stop,
    pub encoder_frames: usize,
    pub timings: Timings,
}

/// A loaded model, ready to transcribe.
pub struct Recognizer {
    model: Whisper,
    tokenizer: WhisperTokenizer,
    front_end: MelFrontEnd,
    params: AsrParams,
    pool: rayon::ThreadPool,
    /// Ids never emitted as text.
    suppress: Vec<bool>,
    /// Ids whose text is only punctuation or spaces; the repetition guard
    /// looks through them ("year. What ... year? What ...").
    punctuation: Vec<bool>,
    device: Device,
    /// Each token's text, for guided decoding (built on first use).
    pieces: std::sync::OnceLock<Vec<String>>,
    /// First token of texts a guide expects, remembered.
    first_tokens: std::sync::Mutex<std::collections::HashMap<String, Option<u32>>>,
}

/// Tokens Whisper ranks highest that a guided hypothesis tries, besides
/// the ones its grammar expects.
const GUIDE_TOP: usize = 12;

/// How far below Whisper's first choice (in log-probability) a token the
/// grammar expects may be and still be tried.
const GUIDE_WINDOW: f32 = 15.0;

impl Recognizer {
    pub fn load(paths: &ModelPaths, params: AsrParams) -> Result<Self, AsrError> {
        let device = match params.device {
            Compute::Cpu => Device::Cpu,
            Compute::Cuda(i) => Device::new_cuda(i).map_err(|e| AsrError::Inference(format!("CUDA device {i}: {e}")))?,
        };
        let text = std::fs::read_to_string(&paths.config).map_err(|e| AsrError::io(&paths.config, e))?;
        let config: Config = serde_json::from_str(&text).map_err(|e| AsrError::Config { path: paths.config.clone(), detail: e.to_string() })?;
        let threads = params.threads.max(1);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| AsrError::Inference(format!("thread pool: {e}")))?;
        // Parsing tokenizer.json (50k merges) takes as long as reading the
        // weights, so the two run side by side.
        let t = Instant::now();
        let (tokenizer, model) = std::thread::scope(|s| {
            let tokenizer = s.spawn(|| WhisperTokenizer::from_file(&paths.tokenizer));
            let model = pool.install(|| Whisper::load(config.clone(), &paths.weights, params.weight_mode, &device));
            let tokenizer =
                tokenizer.join().unwrap_or_else(|_| Err(AsrError::Tokenizer { path: paths.tokenizer.clone(), detail: "the tokenizer parser panicked".into() }));
            (tokenizer, model)
        });
        let (tokenizer, model) = (tokenizer?, model?);
        tracing::debug!(ms = t.elapsed().as_secs_f64() * 1e3, "tokenizer and weights loaded");
        let t = Instant::now();
        // Text mode: only text tokens and end-of-text may be emitted; every
        // other special token and timestamp is suppressed, as are the
        // symbols the model's config lists.
        let mut suppress = vec![false; config.vocab_size];
        for (i, s) in suppress.iter_mut().enumerate() {
            *s = i as u32 > tokenizer.eot;
        }
        for &t in &config.suppress_tokens {
            if let Some(s) = suppress.get_mut(t as usize) {
                *s = true;
            }
        }
        let punctuation = (0..config.vocab_size as u32).map(|id| tokenizer.is_punctuation(id)).collect();
        let front_end = MelFrontEnd::new(config.num_mel_bins);
        tracing::debug!(ms = t.elapsed().as_secs_f64() * 1e3, "tables built");
        Ok(Self {
            model,
            tokenizer,
            front_end,
            params: AsrParams { threads, ..params },
            pool,
            suppress,
            punctuation,
            device,
            pieces: Default::default(),
            first_tokens: Default::default(),
        })
    }

    /// The network itself, for benchmarks and research.
    pub fn model(&self) -> &Whisper {
        &self.model
    }

    pub fn front_end(&self) -> &MelFrontEnd {
        &self.front_end
    }

    /// Mel frames a window of `samples` samples is encoded with.
    pub fn encoder_frames(&self, samples: usize, trim: Option<Trim>) -> usize {
        self.frames_for(samples, trim)
    }

    /// Runs a closure on this recogniser's thread pool.
    pub fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        self.pool.install(f)
    }

    pub fn config(&self) -> &Config {
        &self.model.config
    }

    pub fn tokenizer(&self) -> &WhisperTokenizer {
        &self.tokenizer
    }

    pub fn params(&self) -> &AsrParams {
        &self.params
    }

    /// Transcribes 16 kHz mono samples with the loaded options.
    pub fn transcribe(&self, samples: &[f32]) -> Result<Transcript, AsrError> {
        self.transcribe_with(samples, &self.params.decode)
    }

    /// Transcribes with other decoding options (e.g. trimming off).
    pub fn transcribe_with(&self, samples: &[f32], opts: &DecodeOptions) -> Result<Transcript, AsrError> {
        if samples.is_empty() {
            return Err(AsrError::EmptyAudio);
        }
        self.pool.install(|| {
            let mut timings = Timings::default();
            let mut texts = Vec::new();
            let mut all_tokens = Vec::new();
            let mut first: Option<(Option<String>, f32)> = None;
            let (mut logprob_sum, mut stop, mut encoder_frames) = (0.0f32, Stop::EndOfText, 0);
            for range in split_at_pauses(samples) {
                let w = self.window(&samples[range], opts, &mut timings)?;
                first.get_or_insert((w.language.clone(), w.no_speech_prob));
                logprob_sum += w.logprob_sum;
                stop = w.stop;
                encoder_frames += w.frames;
                if !w.tokens.is_empty() {
                    texts.push(self.tokenizer.decode(&w.tokens)?.trim().to_owned());
                    all_tokens.extend(w.tokens);
                }
            }
            let (language, no_speech_prob) = first.unwrap_or_default();
            Ok(Transcript {
                text: texts.join(" "),
                language,
                avg_logprob: if all_tokens.is_empty() { 0.0 } else { logprob_sum / all_tokens.len() as f32 },
                tokens: all_tokens,
                no_speech_prob,
                stop,
                encoder_frames,
                timings,
            })
        })
    }

    /// Encodes audio of at most one 30 s window (a command) for
    /// [`Recognizer::decode_guided`], which may then decode it more than
    /// once (with a grammar, and without) for the price of one encoding.
    pub fn encode_window(&self, samples: &[f32], opts: &DecodeOptions) -> Result<Encoded, AsrError> {
        if samples.is_empty() {
            return Err(AsrError::EmptyAudio);
        }
        if samples.len() > WINDOW_SAMPLES {
            return Err(AsrError::TooLong { seconds: samples.len() as f32 / 16_000.0 });
        }
        self.pool.install(|| {
            let mut timings = Timings::default();
            let (audio, frames) = self.encode(samples, opts.trim, &mut timings)?;
            Ok(Encoded { audio, samples: samples.len(), frames, timings })
        })
    }

    /// Decodes encoded audio inside `guide`'s grammar ([`Unguided`]: as
    /// [`Recognizer::transcribe_with`] does). The transcript's timings
    /// count the encoding too. When the audio holds no speech (Whisper's
    /// rule, as in free decoding) no sentence is returned.
    pub fn decode_guided<G: Guide>(&self, enc: &Encoded, opts: &DecodeOptions, guide: &G) -> Result<Guided<G::State>, AsrError> {
        self.pool.install(|| {
            let mut timings = enc.timings;
            let t = Instant::now();
            let Begun { state, logits, language, no_speech_prob, prompt_len } = self.begin(&enc.audio, opts, opts.prompt.as_deref().unwrap_or(""))?;
            let mut d = self.decode_text(state, logits, enc.samples, prompt_len, true, opts, guide, &mut timings)?;
            let avg = if d.tokens.is_empty() { 0.0 } else { d.logprob / d.tokens.len() as f32 };
            if no_speech_prob > opts.no_speech_threshold && avg < opts.logprob_threshold {
                d = Decoded { tokens: Vec::new(), logprob: 0.0, ending: 0.0, stop: Stop::NoSpeech, regret: 0.0, guide: None };
            }
            timings.decode += t.elapsed();
            let text = self.tokenizer.decode(&d.tokens)?.trim().to_owned();
            // A grammar's sentence claims the speech ends where it does, so
            // its end of text counts as a token (a sentence cut short by the
            // grammar scores low); free decoding's mean is Whisper's.
            let avg_logprob = match (d.tokens.len(), G::FREE) {
                (0, _) => 0.0,
                (n, true) => d.logprob / n as f32,
                (n, false) => (d.logprob + d.ending) / (n + 1) as f32,
            };
            let transcript = Transcript { text, language, avg_logprob, tokens: d.tokens, no_speech_prob, stop: d.stop, encoder_frames: enc.frames, timings };
            Ok(Guided { transcript, state: d.guide, regret: d.regret })
        })
    }

    /// Mel frames to encode for a window of `samples` samples.
    fn frames_for(&self, samples: usize, trim: Option<Trim>) -> usize {
        match trim {
            None => WINDOW_FRAMES,
            Some(t) => {
                let n = (samples / HOP + t.margin_frames).max(t.min_frames).min(WINDOW_FRAMES);
                n + n % 2
            }
        }
    }

    /// Log-mel frames of `samples` through the encoder.
    fn encode(&self, samples: &[f32], trim: Option<Trim>, timings: &mut Timings) -> Result<(Tensor, usize), AsrError> {
        let cfg = &self.model.config;
        let t0 = Instant::now();
        let frames = self.frames_for(samples.len(), trim);
        let mel = self.front_end.log_mel(samples, frames);
        let mel = Tensor::from_vec(mel, (1, cfg.num_mel_bins, frames), &self.device)?;
        let t1 = Instant::now();
        timings.mel += t1 - t0;
        let audio = self.model.encoder.forward(&mel)?;
        timings.encode += t1.elapsed();
        Ok((audio, frames))
    }

    /// Starts the decoder on encoded audio: feeds the start-of-transcript
    /// prompt (detecting the language on multilingual models unless `opts`
    /// names one) and returns the logits for the first text token.
    /// `previous` is text said before (Whisper's prompt), usually empty.
    fn begin(&self, audio: &Tensor, opts: &DecodeOptions, previous: &str) -> Result<Begun, AsrError> {
        let cfg = &self.model.config;
        let dec = &self.model.decoder;
        let tok = &self.tokenizer;
        let mut state = dec.start(audio)?;
        let mut language = None;
        let mut prompt = vec![];
        if !previous.is_empty() {
            let ids = tok.encode(previous)?;
            let budget = dec.max_tokens() / 2 - 1;
            prompt.push(tok.start_of_previous);
            prompt.extend(&ids[ids.len().saturating_sub(budget)..]);
        }
        prompt.push(tok.sot);
        // Logits at the start-of-transcript position carry P(no speech).
        let mut sot_logits: Option<Vec<f32>> = None;
        if cfg.is_multilingual() {
            let lang = match &opts.language {
                Some(code) => tok.language_id(code).ok_or_else(|| AsrError::UnknownLanguage(code.clone()))?,
                None => {
                    let logits = dec.step(&mut state, &prompt, 1)?.squeeze(0)?.to_vec1::<f32>()?;
                    let best = tok.languages.iter().map(|l| l.1).filter(|&i| (i as usize) < logits.len());
                    let id = best.max_by(|a, b| logits[*a as usize].total_cmp(&logits[*b as usize]));
                    sot_logits = Some(logits);
                    id.ok_or_else(|| AsrError::Inference("the tokenizer lists no languages".into()))?
                }
            };
            language = tok.language_of(lang).map(str::to_owned);
            prompt.extend([lang, tok.transcribe]);
        }
        prompt.push(tok.no_timestamps);
        let feed = &prompt[state.len()..];
        // Logits only from the start-of-transcript token on (the vocabulary
        // projection is the dear part of a step); its row gives P(no speech).
        let sot_at = prompt.iter().position(|&t| t == tok.sot).unwrap_or(0);
        let rows = if sot_logits.is_none() { prompt.len() - sot_at } else { 1 };
        let logits = dec.step(&mut state, feed, rows)?.to_vec2::<f32>()?;
        let sot_logits = sot_logits.unwrap_or_else(|| logits[0].clone());
        let no_speech_prob = tok.no_speech.map_or(0.0, |id| prob_of(&sot_logits, id));
        let logits = logits.into_iter().last().unwrap_or_default();
        Ok(Begun { state, logits, language, no_speech_prob, prompt_len: prompt.len() })
    }

    /// Reads audio that should start with a phrase (a wake phrase, say)
    /// in one pass: scores the phrase, and only if `accept` agrees,
    /// transcribes what follows it. `accept` sees the scores after each
    /// context and answers `Some(yes or no)` or `None` (read the next
    /// context first; `None` after the last is a no), so a clear case
    /// costs one context.
    ///
    /// The scores are the log-probability of each of the phrase's tokens,
    /// teacher-forced right after the prompt, indexed
    /// `[context][phrase][token]`: each context is text given to Whisper as
    /// said before (its prompt; "" for none), which primes it to hear words
    /// it would otherwise miss. The transcript continues, without a
    /// context, after the phrase that scored best there; it does not
    /// include the phrase. Audio of at most one 30 s window.
    pub fn read_after_phrase(
        &self,
        samples: &[f32],
        phrases: &[&str],
        contexts: &[&str],
        mut accept: impl FnMut(&[Vec<Vec<f32>>]) -> Option<bool> + Send,
    ) -> Result<PhraseReading, AsrError> {
        if samples.is_empty() {
            return Err(AsrError::EmptyAudio);
        }
        if phrases.is_empty() || contexts.is_empty() {
            return Err(AsrError::Inference("a phrase reading needs a phrase and a context".into()));
        }
        self.pool.install(|| {
            let opts = DecodeOptions { language: Some("en".into()), ..self.params.decode.clone() };
            let mut timings = Timings::default();
            let window = samples.len().min(WINDOW_FRAMES * HOP);
            let (audio, frames) = self.encode(&samples[..window], opts.trim, &mut timings)?;
            let t = Instant::now();
            let ids: Vec<Vec<u32>> = phrases.iter().map(|p| self.tokenizer.encode(&format!(" {}", p.trim()))).collect::<Result<_, _>>()?;
            let mut scores = Vec::with_capacity(contexts.len());
            // After each phrase, in the first context: where a transcript goes on.
            let mut after: Vec<(DecoderState, Vec<f32>, usize)> = Vec::new();
            let mut accepted = false;
            for (c, context) in contexts.iter().enumerate() {
                let begun = self.begin(&audio, &opts, context)?;
                let mut per_phrase = Vec::with_capacity(phrases.len());
                for ids in &ids {
                    let mut state = begun.state.clone();
                    let mut rows = vec![begun.logits.clone()];
                    rows.extend(self.model.decoder.step(&mut state, ids, ids.len())?.to_vec2::<f32>()?);
                    per_phrase.push(rows.iter().zip(ids).map(|(l, &id)| prob_of(l, id).max(1e-30).ln()).collect::<Vec<f32>>());
                    if c == 0 {
                        after.push((state, rows.pop().unwrap_or_default(), begun.prompt_len + ids.len()));
                    }
                }
                scores.push(per_phrase);
                if let Some(yes) = accept(&scores) {
                    accepted = yes;
                    break;
                }
            }
            timings.decode += t.elapsed();
            if !accepted {
                return Ok(PhraseReading { scores, transcript: None });
            }
            let mean = |v: &Vec<f32>| v.iter().sum::<f32>() / v.len().max(1) as f32;
            let best = (0..after.len()).max_by(|&a, &b| mean(&scores[0][a]).total_cmp(&mean(&scores[0][b]))).unwrap_or(0);
            let (state, logits, fed) = after.swap_remove(best);
            let t = Instant::now();
            let Decoded { tokens, logprob: logprob_sum, stop, .. } = self.decode_text(state, logits, window, fed, false, &opts, &Unguided, &mut timings)?;
            timings.decode += t.elapsed();
            let text = self.tokenizer.decode(&tokens)?.trim().to_owned();
            let transcript = Transcript {
                text,
                language: Some("en".into()),
                avg_logprob: if tokens.is_empty() { 0.0 } else { logprob_sum / tokens.len() as f32 },
                tokens,
                no_speech_prob: 0.0,
                stop,
                encoder_frames: frames,
                timings,
            };
            Ok(PhraseReading { scores, transcript: Some(transcript) })
        })
    }

    /// Decodes text from `state` (whose last logits are `logits`) until
    /// end of text, the token cap for `samples` of audio, or a loop:
    /// greedily, or by beam search when `opts.beam` > 1, every hypothesis
    /// kept inside `guide`'s grammar. `first` applies Whisper's
    /// suppression of tokens that cannot begin a transcript.
    #[allow(clippy::too_many_arguments)]
    fn decode_text<G: Guide>(
        &self,
        state: DecoderState,
        logits: Vec<f32>,
        samples: usize,
        fed: usize,
        first: bool,
        opts: &DecodeOptions,
        guide: &G,
        timings: &mut Timings,
    ) -> Result<Decoded<G::State>, AsrError> {
        let seconds = samples as f32 / 16_000.0;
        let cap = (opts.max_tokens).min((seconds * opts.tokens_per_second).ceil() as usize + 8).min(self.model.decoder.max_tokens().saturating_sub(fed + 1));
        if cap == 0 {
            return Ok(Decoded { tokens: Vec::new(), logprob: 0.0, ending: 0.0, stop: Stop::TokenCap, regret: 0.0, guide: G::FREE.then(|| guide.start()) });
        }
        let mut first_banned = self.suppress.clone();
        if first {
            for &t in &self.model.config.begin_suppress_tokens {
                if let Some(b) = first_banned.get_mut(t as usize) {
                    *b = true;
                }
            }
        }
        let width = opts.beam.max(1);
        let mut live = vec![Hypothesis { tokens: Vec::new(), logprob: 0.0, regret: 0.0, guide: guide.start(), state, logits }];
        let mut done: Vec<Ending<G::State>> = Vec::new();
        let mut reserve: Vec<Ending<G::State>> = Vec::new();
        let mut expected = Vec::new();
        loop {
            let banned = if live[0].tokens.is_empty() { &first_banned } else { &self.suppress };
            // (hypothesis, token, its log-probability, the grammar after it)
            let mut candidates: Vec<Candidate<G::State>> = Vec::with_capacity(live.len() * width);
            // Per hypothesis: the log-probability of Whisper's first choice.
            let mut best_lps = vec![0.0f32; live.len()];
            for (h, hyp) in live.iter().enumerate() {
                if G::FREE {
                    candidates.extend(top_masked(&hyp.logits, banned, width).into_iter().map(|(t, lp)| (h, t, lp, hyp.guide.clone())));
                    continue;
                }
                let top = top_masked(&hyp.logits, banned, GUIDE_TOP);
                let Some(&(best, best_lp)) = top.first() else { continue };
                best_lps[h] = best_lp;
                let log_sum = hyp.logits[best as usize] - best_lp;
                let mut ids: Vec<u32> = top.iter().map(|t| t.0).collect();
                expected.clear();
                guide.expected(&hyp.guide, &mut expected);
                for text in &expected {
                    if let Some(id) = self.first_token(text)? {
                        // A token Whisper all but rules out cannot win; the
                        // grammar is not asked about it.
                        let plausible = hyp.logits.get(id as usize).is_some_and(|l| l - log_sum >= best_lp - GUIDE_WINDOW);
                        if plausible && !banned.get(id as usize).copied().unwrap_or(true) && !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                }
                let eot = self.tokenizer.eot;
                if !ids.contains(&eot) && !banned.get(eot as usize).copied().unwrap_or(true) {
                    ids.push(eot);
                }
                let pieces = self.pieces();
                for id in ids {
                    let lp = hyp.logits[id as usize] - log_sum;
                    if id == eot {
                        if guide.can_end(&hyp.guide) {
                            candidates.push((h, id, lp, hyp.guide.clone()));
                        }
                    } else if let Some(next) = pieces.get(id as usize).and_then(|p| guide.feed(&hyp.guide, p)) {
                        candidates.push((h, id, lp, next));
                    }
                }
            }
            // Each candidate's score once: the grammar's penalty is not free
            // to compute, and a sort would ask for it at every comparison.
            let mut scored: Vec<(f32, Candidate<G::State>)> = candidates.into_iter().map(|c| (live[c.0].logprob + c.2 - guide.penalty(&c.3), c)).collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            let mut next: Vec<Next<G::State>> = Vec::with_capacity(width);
            for (score, (h, token, lp, g)) in scored {
                if next.len() == width {
                    // A guided hypothesis that may end here keeps that
                    // ending in reserve, in case every one that goes on
                    // wanders off without finishing a sentence.
                    if !G::FREE && token == self.tokenizer.eot {
                        let hyp = &live[h];
                        let regret = hyp.regret + best_lps[h] - lp;
                        reserve.push(Ending { tokens: hyp.tokens.clone(), logprob: hyp.logprob, ending: lp, score, stop: Stop::EndOfText, regret, guide: g });
                    }
                    continue;
                }
                let hyp = &live[h];
                // What greedy free decoding would have gained here instead.
                let regret = hyp.regret + if G::FREE { 0.0 } else { best_lps[h] - lp };
                if token == self.tokenizer.eot || (G::FREE && self.restarts(&hyp.tokens, token)?) {
                    done.push(Ending { tokens: hyp.tokens.clone(), logprob: hyp.logprob, ending: lp, score, stop: Stop::EndOfText, regret, guide: g });
                    continue;
                }
                let mut tokens = hyp.tokens.clone();
                tokens.push(token);
                let logprob = hyp.logprob + lp;
                let cut = self.loop_cut(&tokens);
                if cut.is_some() || tokens.len() >= cap {
                    // A grammar's sentence must be whole: a cut one is no sentence.
                    if G::FREE || (cut.is_none() && guide.can_end(&g)) {
                        let stop = if let Some(keep) = cut {
                            tokens.truncate(keep);
                            Stop::Repetition
                        } else {
                            Stop::TokenCap
                        };
                        done.push(Ending { tokens, logprob, ending: 0.0, score, stop, regret, guide: g });
                    }
                } else {
                    next.push((h, tokens, logprob, regret, g));
                }
            }
            if done.len() >= width || next.is_empty() {
                break;
            }
            // All hypotheses step together: one pass over the weights.
            let mut states: Vec<DecoderState> = next.iter().map(|n| live[n.0].state.clone()).collect();
            let last: Vec<u32> = next.iter().map(|n| n.1[n.1.len() - 1]).collect();
            let logits = self.model.decoder.step_many(&mut states, &last)?.to_vec2::<f32>()?;
            timings.decode_steps += 1;
            live = next
                .into_iter()
                .zip(states)
                .zip(logits)
                .map(|(((_, tokens, logprob, regret, guide), state), logits)| Hypothesis { tokens, logprob, regret, guide, state, logits })
                .collect();
        }
        // Mean log-probability per token, the ending counted as a token.
        let mean = |d: &Ending<G::State>| d.score / (d.tokens.len() + usize::from(d.stop == Stop::EndOfText)).max(1) as f32;
        let best = if done.is_empty() { reserve } else { done }.into_iter().max_by(|a, b| mean(a).total_cmp(&mean(b)));
        Ok(match best {
            Some(e) => Decoded { tokens: e.tokens, logprob: e.logprob, ending: e.ending, stop: e.stop, regret: e.regret, guide: Some(e.guide) },
            None => Decoded { tokens: Vec::new(), logprob: 0.0, ending: 0.0, stop: Stop::TokenCap, regret: 0.0, guide: None },
        })
    }

    /// Each token's text, as a guide is fed it.
    fn pieces(&self) -> &[String] {
        self.pieces.get_or_init(|| (0..self.tokenizer.eot).map(|id| self.tokenizer.decode(&[id]).unwrap_or_default()).collect())
    }

    /// The first token of `text`, as Whisper would start writing it.
    fn first_token(&self, text: &str) -> Result<Option<u32>, AsrError> {
        if let Some(&id) = self.first_tokens.lock().unwrap_or_else(|p| p.into_inner()).get(text) {
            return Ok(id);
        }
        let id = self.tokenizer.encode(text)?.first().copied();
        let mut cache = self.first_tokens.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() > 100_000 {
            cache.clear();
        }
        cache.insert(text.to_owned(), id);
        Ok(id)
    }

    fn window(&self, samples: &[f32], opts: &DecodeOptions, timings: &mut Timings) -> Result<Window, AsrError> {
        let (audio, frames) = self.encode(samples, opts.trim, timings)?;
        let t2 = Instant::now();
        let Begun { state, logits, language, no_speech_prob, prompt_len } = self.begin(&audio, opts, opts.prompt.as_deref().unwrap_or(""))?;

        let Decoded { mut tokens, logprob: mut logprob_sum, mut stop, .. } =
            self.decode_text(state, logits, samples.len(), prompt_len, true, opts, &Unguided, timings)?;
        let avg = if tokens.is_empty() { 0.0 } else { logprob_sum / tokens.len() as f32 };
        if no_speech_prob > opts.no_speech_threshold && avg < opts.logprob_threshold {
            tokens.clear();
            logprob_sum = 0.0;
            stop = Stop::NoSpeech;
        }
        timings.decode += t2.elapsed();
        // Token ids only: transcripts may hold sensitive slot values.
        tracing::debug!(frames, tokens = tokens.len(), ?stop, no_speech_prob, avg_logprob = avg, "window decoded");
        Ok(Window { tokens, logprob_sum, no_speech_prob, language, stop, frames })
    }
}

impl Recognizer {
    /// Whether `next` begins the utterance again after a finished sentence
    /// ("What time is it? What"). On trimmed windows the decoder sometimes
    /// misses end-of-text and starts over; a command is said once, so a new
    /// sentence that opens with the first word's start is taken as the end.
    fn restarts(&self, tokens: &[u32], next: u32) -> Result<bool, AsrError> {
        let Some(&last) = tokens.last() else { return Ok(false) };
        if !self.punctuation.get(last as usize).copied().unwrap_or(false) {
            return Ok(false);
        }
        let ended = self.tokenizer.decode(&[last])?;
        if !ended.trim_end().ends_with(['.', '?', '!']) {
            return Ok(false);
        }
        let next_text = self.tokenizer.decode(&[next])?.trim().to_lowercase();
        let text = self.tokenizer.decode(tokens)?.to_lowercase();
        let first_word = text.split_whitespace().next().unwrap_or("");
        Ok(!next_text.is_empty() && first_word.starts_with(&next_text))
    }

    /// [`repetition_cut`] over the tokens as they are (catching loops of
    /// symbols, "$ $ $ $") and over their words alone (punctuation skipped,
    /// catching "year. What ... year? What ..."), as a length of `tokens`.
    fn loop_cut(&self, tokens: &[u32]) -> Option<usize> {
        if let Some(keep) = repetition_cut(tokens) {
            return Some(keep);
        }
        let words: Vec<(usize, u32)> =
            tokens.iter().enumerate().filter(|(_, &t)| !self.punctuation.get(t as usize).copied().unwrap_or(false)).map(|(i, &t)| (i, t)).collect();
        let ids: Vec<u32> = words.iter().map(|w| w.1).collect();
        repetition_cut(&ids).map(|keep| words[keep].0)
    }
}

/// What [`Recognizer::read_after_phrase`] found.
#[derive(Debug, Clone)]
pub struct PhraseReading {
    /// `[context][phrase][token]` log-probabilities.
    pub scores: Vec<Vec<Vec<f32>>>,
    /// What follows the phrase, when it was accepted.
    pub transcript: Option<Transcript>,
}

struct Begun {
    state: DecoderState,
    /// For the first text token.
    logits: Vec<f32>,
    language: Option<String>,
    no_speech_prob: f32,
    prompt_len: usize,
}

/// One partial transcript of a beam.
struct Hypothesis<S> {
    tokens: Vec<u32>,
    logprob: f32,
    regret: f32,
    guide: S,
    state: DecoderState,
    logits: Vec<f32>,
}

/// A token a hypothesis may take: (the hypothesis, the token, its
/// log-probability, the grammar after it).
type Candidate<S> = (usize, u32, f32, S);

/// A hypothesis going on: (the one it extends, its tokens, their
/// log-probability, its regret, the grammar after it).
type Next<S> = (usize, Vec<u32>, f32, f32, S);

/// A finished hypothesis: `logprob` of its tokens, `score` counting its
/// ending and the grammar's penalty.
struct Ending<S> {
    tokens: Vec<u32>,
    logprob: f32,
    /// Log-probability of the end of text, when it ended there.
    ending: f32,
    score: f32,
    stop: Stop,
    regret: f32,
    guide: S,
}

/// What [`Recognizer::decode_text`] found.
struct Decoded<S> {
    tokens: Vec<u32>,
    logprob: f32,
    ending: f32,
    stop: Stop,
    regret: f32,
    /// `None` when no hypothesis finished (guided decoding only).
    guide: Option<S>,
}

struct Window {
    tokens: Vec<u32>,
    logprob_sum: f32,
    no_speech_prob: f32,
    language: Option<String>,
    stop: Stop,
    frames: usize,
}

/// Splits audio longer than one window into the pieces the decoder sees.
///
/// Whisper without timestamps writes one stretch of speech per window and
/// then tends to end, dropping later sentences of a long window; and a cut at
/// a fixed 30 s splits words. So long audio is cut in the middle of every
/// pause of at least 0.6 s (20 ms frames within 10 dB of the 2nd-percentile
/// frame, the noise floor), and a piece still longer than 30 s at its quietest frame
/// between 20 and 30 s. Audio of one window or less is one piece.
#[allow(clippy::single_range_in_vec_init)] // one piece is a valid answer
pub fn split_at_pauses(samples: &[f32]) -> Vec<std::ops::Range<usize>> {
    const FRAME: usize = 320;
    const MIN_PAUSE: usize = 30;
    if samples.len() <= WINDOW_SAMPLES {
        return vec![0..samples.len()];
    }
    let db: Vec<f32> = samples.chunks(FRAME).map(|f| 10.0 * (f.iter().map(|s| s * s).sum::<f32>() / f.len() as f32).max(1e-12).log10()).collect();
    let mut sorted = db.clone();
    sorted.sort_by(f32::total_cmp);
    let quiet = sorted[sorted.len() / 50] + 10.0;
    // Cut points (in frames) at the middle of each long pause.
    let mut cuts = Vec::new();
    let mut run_start = None;
    for (i, &d) in db.iter().chain(std::iter::once(&f32::INFINITY)).enumerate() {
        match (d < quiet, run_start) {
            (true, None) => run_start = Some(i),
            (false, Some(start)) => {
                if i - start >= MIN_PAUSE && start > 0 && i < db.len() {
                    cuts.push((start + i) / 2);
                }
                run_start = None;
            }
            _ => {}
        }
    }
    cuts.push(db.len());
    let window_frames = WINDOW_SAMPLES / FRAME;
    let mut pieces = Vec::new();
    let mut start = 0;
    for cut in cuts {
        while cut - start > window_frames {
            let (lo, hi) = (start + window_frames * 2 / 3, start + window_frames);
            let quietest = (lo..hi).min_by(|a, b| db[*a].total_cmp(&db[*b])).unwrap_or(hi);
            pieces.push(start..quietest);
            start = quietest;
        }
        if cut > start {
            pieces.push(start..cut);
            start = cut;
        }
    }
    pieces.into_iter().map(|r| r.start * FRAME..(r.end * FRAME).min(samples.len())).collect()
}

/// When the end of `tokens` is one pattern repeated back to back — a
/// decoder loop — the length that keeps only its first occurrence.
///
/// Patterns of one or two tokens must occur four times (people do say
/// "no no no"), of three to five tokens three times; a phrase of six or
/// more tokens said twice back to back is, in a command, a loop.
pub fn repetition_cut(tokens: &[u32]) -> Option<usize> {
    let n = tokens.len();
    for p in 1..=64 {
        let need = match p {
            1 | 2 => 4,
            3..=5 => 3,
            _ => 2,
        };
        if n < p * need {
            continue;
        }
        let tail = &tokens[n - p..];
        if (1..need).all(|r| &tokens[n - (r + 1) * p..n - r * p] == tail) {
            return Some(n - (need - 1) * p);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_audio_splits_at_pauses_and_caps_pieces() {
        let tone = |secs: f32| -> Vec<f32> { (0..(secs * 16_000.0) as usize).map(|i| (i as f32 * 0.2).sin() * 0.3).collect() };
        let quiet = |secs: f32| vec![0.0005f32; (secs * 16_000.0) as usize];
        // Short audio: one piece, whatever its pauses.
        let short: Vec<f32> = [tone(2.0), quiet(1.0), tone(2.0)].concat();
        assert_eq!(split_at_pauses(&short), vec![0..short.len()]);
        // 10 s speech, 1 s pause, 25 s speech, 0.2 s pause, 10 s speech.
        let long: Vec<f32> = [tone(10.0), quiet(1.0), tone(25.0), quiet(0.2), tone(10.0)].concat();
        let pieces = split_at_pauses(&long);
        assert_eq!(pieces.first().unwrap().start, 0);
        assert_eq!(pieces.last().unwrap().end, long.len());
        assert!(pieces.windows(2).all(|w| w[0].end == w[1].start), "contiguous: {pieces:?}");
        assert!(pieces.iter().all(|r| r.len() <= WINDOW_SAMPLES), "{pieces:?}");
        // The 1 s pause is a cut, in its middle. The 0.2 s one is too short
        // for a pause, but the 35.7 s after the first cut must be split, and
        // its quietest point is that short pause.
        assert_eq!(pieces.len(), 3, "{pieces:?}");
        let cut = |i: usize| pieces[i].end as f32 / 16_000.0;
        assert!((cut(0) - 10.5).abs() < 0.05, "first cut at {} s", cut(0));
        assert!((36.0..=36.2).contains(&cut(1)), "second cut at {} s", cut(1));
        // Continuous sound over 30 s is still cut into windows.
        let endless = tone(70.0);
        let pieces = split_at_pauses(&endless);
        assert!(pieces.len() >= 3 && pieces.iter().all(|r| r.len() <= WINDOW_SAMPLES), "{pieces:?}");
    }

    #[test]
    fn repetition_guard() {
        assert_eq!(repetition_cut(&[1, 2, 3]), None);
        assert_eq!(repetition_cut(&[9, 7, 7, 7]), None, "three of one token is speech");
        assert_eq!(repetition_cut(&[9, 7, 7, 7, 7]), Some(2));
        assert_eq!(repetition_cut(&[5, 1, 2, 3, 1, 2, 3]), None);
        assert_eq!(repetition_cut(&[5, 1, 2, 3, 1, 2, 3, 1, 2, 3]), Some(4));
        assert_eq!(repetition_cut(&[1, 2, 1, 2, 1, 2, 1, 2]), Some(2));
        assert_eq!(repetition_cut(&[]), None);
        let sentence: Vec<u32> = (10..17).collect();
        let twice: Vec<u32> = sentence.iter().chain(&sentence).copied().collect();
        assert_eq!(repetition_cut(&twice), Some(7));
        assert_eq!(repetition_cut(&twice[..13]), None);
    }
}
