//! How a model is loaded and how each call decodes.

use std::path::PathBuf;

use crate::WeightMode;

/// The three files of a model.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelPaths {
    /// `config.json`.
    pub config: PathBuf,
    /// `tokenizer.json`.
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
    /// The fewest frames encoded; `None`: the model's own
    /// ([`Trim::model_min_frames`]).
    pub min_frames: Option<usize>,
}

impl Default for Trim {
    fn default() -> Self {
        Self { margin_frames: 50, min_frames: None }
    }
}

impl Trim {
    /// The floor for a model of width `d_model`: 3 s for tiny (384); 15 s
    /// for base (512) and wider, which reads short clips much worse from a
    /// short window (docs/BENCHMARKS.md: on 180 clean dev clips base-q8_0
    /// read 19.08 % WER at 3 s, 17.11 % at 15 s, whisper.cpp's full window
    /// 17.19 %; tiny.en 18.83 / 18.26 %, not worth 2.5x its time).
    pub fn model_min_frames(d_model: usize) -> usize {
        if d_model >= 512 {
            1_500
        } else {
            300
        }
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
    /// When detecting, the languages to choose among (codes; empty: any
    /// the model knows), e.g. those an app has intents in: a command is
    /// never heard as a language nothing would understand.
    pub languages: Vec<String>,
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
            languages: Vec::new(),
            no_speech_threshold: 0.6,
            logprob_threshold: -1.0,
            beam: 1,
            prompt: None,
        }
    }
}

/// Where the model runs: written `cpu`, `cuda` or `cuda:N` (flags, JSON).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Compute {
    #[default]
    Cpu,
    /// An NVIDIA GPU by ordinal; needs the `cuda` feature.
    Cuda(usize),
}

impl std::str::FromStr for Compute {
    type Err = String;

    fn from_str(s: &str) -> Result<Compute, String> {
        match s {
            "cpu" => Ok(Compute::Cpu),
            "cuda" => Ok(Compute::Cuda(0)),
            _ => s.strip_prefix("cuda:").and_then(|n| n.parse().ok()).map(Compute::Cuda).ok_or_else(|| format!("'{s}' is not a device: cpu, cuda or cuda:N")),
        }
    }
}

impl TryFrom<String> for Compute {
    type Error = String;

    fn try_from(s: String) -> Result<Compute, String> {
        s.parse()
    }
}

impl From<Compute> for String {
    fn from(c: Compute) -> String {
        c.to_string()
    }
}

impl std::fmt::Display for Compute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Compute::Cpu => f.write_str("cpu"),
            Compute::Cuda(i) => write!(f, "cuda:{i}"),
        }
    }
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
