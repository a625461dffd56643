//! A loaded model: loading, encoding, and transcription window by window.

use std::time::Instant;

use candle_core::{Device, Tensor};

use crate::mel::{MelFrontEnd, HOP};
use crate::model::{prob_of, DecoderState};
use crate::pauses::split_at_pauses;
use crate::transcript::Decoded;
use crate::{
    AsrError, AsrParams, Compute, Config, DecodeOptions, Guide, Guided, ModelPaths, Stop, Timings, Transcript, Trim, Unguided, Whisper, WhisperTokenizer,
    WINDOW_FRAMES, WINDOW_SAMPLES,
};

/// Audio through the encoder, ready to be decoded once or more
/// ([`Recognizer::encode_window`]).
pub struct Encoded {
    pub(crate) audio: Tensor,
    pub(crate) samples: usize,
    pub(crate) frames: usize,
    pub timings: Timings,
    /// The decoder started on this audio (its cross-attention keys and
    /// values, the prompt fed), kept for the next decoding with the same
    /// prompt and language: auto decodes a command freely and then with
    /// its grammar, and starting costs a few milliseconds each time.
    begun: parking_lot::Mutex<Option<(BeginKey, Begun)>>,
}

/// What [`Recognizer::begin`] depends on besides the audio.
#[derive(PartialEq)]
struct BeginKey {
    language: Option<String>,
    languages: Vec<String>,
    prompt: Option<String>,
}

impl BeginKey {
    fn of(opts: &DecodeOptions) -> Self {
        Self { language: opts.language.clone(), languages: opts.languages.clone(), prompt: opts.prompt.clone() }
    }
}

impl Encoded {
    /// Encoder output computed before (kept from an earlier
    /// [`Recognizer::encode_window`] of `samples` samples), to decode again
    /// without encoding again.
    pub fn from_states(audio: Tensor, samples: usize) -> Encoded {
        let frames = audio.dims().get(1).map_or(0, |n| n * 2);
        Encoded { audio, samples, frames, timings: Timings::default(), begun: Default::default() }
    }

    /// The encoder's output: (1, positions, width).
    pub fn states(&self) -> &Tensor {
        &self.audio
    }
}

/// A loaded model, ready to transcribe.
pub struct Recognizer {
    pub(crate) model: Whisper,
    pub(crate) tokenizer: WhisperTokenizer,
    pub(crate) front_end: MelFrontEnd,
    pub(crate) params: AsrParams,
    pub(crate) pool: rayon::ThreadPool,
    /// Ids never emitted as text.
    pub(crate) suppress: Vec<bool>,
    /// Ids whose text is only punctuation or spaces; the repetition guard
    /// looks through them ("year. What ... year? What ...").
    pub(crate) punctuation: Vec<bool>,
    /// Per token id, the first id of the same word in another case or
    /// without its leading space: the repetition guard compares these.
    pub(crate) words: Vec<u32>,
    pub(crate) device: Device,
    /// Each token's text, for guided decoding (built on first use).
    pub(crate) pieces: std::sync::OnceLock<Vec<String>>,
    /// First token of texts a guide expects, remembered.
    pub(crate) first_tokens: parking_lot::Mutex<std::collections::HashMap<String, Option<u32>>>,
}

impl Recognizer {
    pub fn load(paths: &ModelPaths, params: AsrParams) -> Result<Self, AsrError> {
        let device = match params.device {
            Compute::Cpu => Device::Cpu,
            Compute::Cuda(i) => Device::new_cuda(i).map_err(|e| AsrError::Inference(format!("CUDA device {i}: {e}")))?,
        };
        let text = std::fs::read_to_string(&paths.config).map_err(|e| AsrError::io(&paths.config, e))?;
        let config: Config = serde_json::from_str(&text).map_err(|e| AsrError::Config { path: paths.config.clone(), detail: e.to_string() })?;
        // A language the model cannot hear is a mistake in the settings:
        // said at load, not at the first utterance (an English-only model
        // would otherwise write English words for Indonesian speech).
        let wanted: Vec<&String> = params.decode.language.iter().chain(&params.decode.languages).collect();
        if let Some(code) = wanted.iter().find(|c| !config.is_multilingual() && **c != "en") {
            return Err(AsrError::EnglishOnly { path: paths.config.clone(), language: code.to_string() });
        }
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
        if let Some(code) = wanted.iter().find(|c| config.is_multilingual() && tokenizer.language_id(c).is_none()) {
            return Err(AsrError::UnknownLanguage(code.to_string()));
        }
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
        let mut first_of: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
        let words = (0..config.vocab_size as u32).map(|id| tokenizer.word_key(id).map_or(id, |k| *first_of.entry(k).or_insert(id))).collect();
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
            words,
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
            return Err(AsrError::TooLong { seconds: samples.len() as f32 / crate::SAMPLE_RATE as f32 });
        }
        self.pool.install(|| {
            let mut timings = Timings::default();
            let (audio, frames) = self.encode(samples, opts.trim, &mut timings)?;
            Ok(Encoded { audio, samples: samples.len(), frames, timings, begun: Default::default() })
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
            let Begun { state, logits, language, no_speech_prob, prompt_len } = self.begin_once(enc, opts)?;
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

    /// [`Recognizer::begin`] on `enc`'s audio, or a copy of the last start
    /// with the same prompt and language (a copy shares the tensors).
    fn begin_once(&self, enc: &Encoded, opts: &DecodeOptions) -> Result<Begun, AsrError> {
        let key = BeginKey::of(opts);
        let mut kept = enc.begun.lock();
        if let Some((k, begun)) = kept.as_ref() {
            if *k == key {
                return Ok(begun.clone());
            }
        }
        let begun = self.begin(&enc.audio, opts, opts.prompt.as_deref().unwrap_or(""))?;
        *kept = Some((key, begun.clone()));
        Ok(begun)
    }

    /// Mel frames to encode for a window of `samples` samples.
    fn frames_for(&self, samples: usize, trim: Option<Trim>) -> usize {
        match trim {
            None => WINDOW_FRAMES,
            Some(t) => {
                let min = t.min_frames.unwrap_or_else(|| Trim::model_min_frames(self.model.config.d_model));
                let n = (samples / HOP).saturating_add(t.margin_frames).max(min).min(WINDOW_FRAMES);
                n + n % 2
            }
        }
    }

    /// Log-mel frames of `samples` through the encoder.
    pub(crate) fn encode(&self, samples: &[f32], trim: Option<Trim>, timings: &mut Timings) -> Result<(Tensor, usize), AsrError> {
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
    pub(crate) fn begin(&self, audio: &Tensor, opts: &DecodeOptions, previous: &str) -> Result<Begun, AsrError> {
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
                    let allowed = |code: &String| opts.languages.is_empty() || opts.languages.contains(code);
                    let best = tok.languages.iter().filter(|l| allowed(&l.0)).map(|l| l.1).filter(|&i| (i as usize) < logits.len());
                    let id = best.max_by(|a, b| logits[*a as usize].total_cmp(&logits[*b as usize]));
                    sot_logits = Some(logits);
                    id.ok_or_else(|| match opts.languages.first() {
                        Some(code) => AsrError::UnknownLanguage(code.clone()),
                        None => AsrError::Inference("the tokenizer lists no languages".into()),
                    })?
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

#[derive(Clone)]
pub(crate) struct Begun {
    pub(crate) state: DecoderState,
    /// For the first text token.
    pub(crate) logits: Vec<f32>,
    pub(crate) language: Option<String>,
    pub(crate) no_speech_prob: f32,
    pub(crate) prompt_len: usize,
}

struct Window {
    tokens: Vec<u32>,
    logprob_sum: f32,
    no_speech_prob: f32,
    language: Option<String>,
    stop: Stop,
    frames: usize,
}
