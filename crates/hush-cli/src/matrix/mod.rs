//! `hush bench matrix`: one manifest of labelled clips through models ×
//! quantisations × decoding options, each transcript read by every NLU
//! mode. Each run's per-clip results are appended to a JSONL file as they
//! come, so an interrupted matrix resumes where it stopped; the report is
//! JSON (schema in docs/BENCHMARKS.md), a Markdown table and SVG plots.

mod plot;
mod report;

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use hush::parts::{Understanding, LEARNED_THRESHOLD};
use hush_learn::eval::Frame;
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};

use crate::nlu::NluMode;
use crate::ModelArgs;
use hush_learn::Format;

#[derive(Args)]
pub struct MatrixArgs {
    /// JSONL manifest: `audio` (relative to the manifest), `text`, optional
    /// `snr_db`, and the intent and slots in the `--format` dialect.
    #[arg(long)]
    manifest: PathBuf,
    /// How intents and slots are written: slurp (`intent`, `entities`),
    /// snips (`intent`, `slots` with `slot`/`start_char`/`end_char`) or hush
    /// (`intent`, `slots` with `name`/`start`/`end`).
    #[arg(long, default_value = "slurp", value_parser = crate::by_name::<Format>)]
    format: Format,
    /// Models (comma-separated), as `hush models list` names them.
    #[arg(long, value_delimiter = ',', default_value = "tiny.en")]
    models: Vec<String>,
    /// Weights: f32 (the imported safetensors) or a GGUF quantisation
    /// (q8_0, q4_k, ...; `make models-matrix` writes them).
    #[arg(long, value_delimiter = ',', default_value = "q8_0")]
    quants: Vec<String>,
    /// Encoder trimming: on, off, or both (on,off).
    #[arg(long, value_delimiter = ',', default_value = "on")]
    trim: Vec<OnOff>,
    /// Beam widths (1 is greedy).
    #[arg(long, value_delimiter = ',', default_value = "1")]
    beams: Vec<u16>,
    /// Decoding: free, biased (primed with the built-in domains' words), or both.
    #[arg(long = "decoding", value_delimiter = ',', default_value = "free", value_parser = crate::by_name::<hush::Decoding>)]
    decoding: Vec<hush::Decoding>,
    /// auto's closed margins to compare (`GrammarParams::closed_margin`:
    /// how far below free decoding's mean a sentence of listed words may be
    /// and still beat free text that is no command; 0.6, the plain margin,
    /// is the lever off); default: the engine's.
    #[arg(long, value_delimiter = ',')]
    closed_margins: Vec<f32>,
    /// NLU modes reading every transcript: templates, learned, fused.
    #[arg(long, value_delimiter = ',', default_value = "templates")]
    nlu: Vec<NluMode>,
    /// A model trained with `hush train` (needed by learned and fused).
    #[arg(long)]
    learned: Option<PathBuf>,
    /// Calibrated confidence the learned model needs to answer (the
    /// built-in model's engine setting is `BUILTIN_THRESHOLD`, 0.7).
    #[arg(long, default_value_t = LEARNED_THRESHOLD, value_parser = crate::nlu::confidence)]
    learned_threshold: f32,
    #[command(flatten)]
    intents: crate::nlu::IntentArgs,
    /// ASR threads, device and weight handling shared by every run
    /// (`--model` is ignored: see `--models` and `--quants`).
    #[command(flatten)]
    model: ModelArgs,
    /// Use only the first N clips of the manifest.
    #[arg(long)]
    limit: Option<usize>,
    /// Only clean clips (no `snr_db`).
    #[arg(long)]
    clean_only: bool,
    /// Folder for per-clip results, report.json, report.md and the plots.
    #[arg(long, default_value = "target/bench/matrix")]
    out: PathBuf,
    /// Discard saved per-clip results instead of resuming from them.
    #[arg(long)]
    fresh: bool,
    /// A report.json of an earlier matrix: print and tabulate the changes.
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// Another engine's transcripts (benches/compare/faster_whisper.py),
    /// scored by the same code and read by the same NLU. Repeatable.
    #[arg(long)]
    external: Vec<PathBuf>,
    /// Where Whisper runs: cpu, or cuda / cuda:N (a build with `--features
    /// cuda`); the same as `--compute`.
    #[arg(long)]
    device: Option<hush_asr::Compute>,
    /// Measure this one run and stop: how the matrix runs each cell in a
    /// process of its own, so each peak RSS is that model's alone.
    #[arg(long, hide = true)]
    cell: Option<String>,
}

#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum OnOff {
    On,
    Off,
}

/// One clip of the manifest.
pub(crate) struct Clip {
    /// Identifies the clip across runs: its audio path and reference text.
    key: String,
    audio: String,
    path: PathBuf,
    text: String,
    snr_db: Option<f64>,
    /// `None` when the manifest gives no intent.
    gold: Option<Frame>,
    /// The clip's language, when the manifest holds several: its
    /// conditions are then reported per language ("id 6dB").
    language: Option<String>,
}

impl Clip {
    fn condition(&self) -> String {
        match &self.language {
            Some(l) => format!("{l} {}", condition(self.snr_db)),
            None => condition(self.snr_db),
        }
    }
}

pub(crate) fn condition(snr: Option<f64>) -> String {
    snr.map_or_else(|| "clean".to_owned(), |s| format!("{s}dB"))
}

/// One clip through one run's recogniser: a line of `items/<run>.jsonl`.
#[derive(Serialize, Deserialize, Clone, Default)]
pub(crate) struct Item {
    key: String,
    hypothesis: String,
    audio_seconds: f64,
    /// Stage times in ms; an external engine gives only `asr`.
    #[serde(default)]
    read: f64,
    #[serde(default)]
    mel: f64,
    #[serde(default)]
    encode: f64,
    #[serde(default)]
    decode: f64,
    asr: f64,
    #[serde(default)]
    decode_steps: usize,
    #[serde(default)]
    decode_rows: usize,
    /// "grammar" when a constrained or auto decoding kept the grammar's
    /// sentence; "free" otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    heard_by: Option<hush::parts::HeardBy>,
    /// Mean token log-probability of the transcript, and the other
    /// decoding's text and mean when auto weighed two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    logprob: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    other: Option<(String, f32)>,
    /// What the grammar cost Whisper, when its sentence was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    regret: Option<f32>,
    /// The grammar's sentence auto offers only as a question ("Did you
    /// say ...?"); the hypothesis is then the free text, as an engine that
    /// asks nothing reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    asked: Option<String>,
    /// The language a multilingual model heard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
}

/// What a run measured besides its items: `items/<run>.json`.
#[derive(Serialize, Deserialize, Clone, Default)]
pub(crate) struct RunMeta {
    engine: String,
    model: String,
    quant: String,
    /// How quantised weights are held: mixed (f32 encoder, quantised
    /// decoder), quantized, dequantized; "f32" for unquantised models.
    #[serde(default)]
    weights: String,
    trim: Option<bool>,
    beam: Option<usize>,
    /// free, or biased (a vocabulary prompt); empty for external engines.
    #[serde(default)]
    decode: String,
    device: String,
    threads: usize,
    model_file_mb: f64,
    peak_rss_mb: f64,
    load_ms: f64,
}

/// One cell of the matrix.
struct Cell {
    id: String,
    model: ModelArgs,
    grammar: hush::parts::GrammarParams,
    meta: RunMeta,
}

fn cells(a: &MatrixArgs) -> Result<Vec<Cell>> {
    anyhow::ensure!(!a.models.is_empty() && !a.quants.is_empty() && !a.trim.is_empty() && !a.beams.is_empty() && !a.decoding.is_empty(), "an empty matrix");
    let mut settings = Vec::new();
    for name in &a.models {
        for quant in &a.quants {
            for &trim in &a.trim {
                for &beam in &a.beams {
                    anyhow::ensure!((1..=16).contains(&beam), "--beams {beam}: widths are 1 to 16");
                    for &decode in &a.decoding {
                        let margins: Vec<Option<f32>> =
                            if a.closed_margins.is_empty() { vec![None] } else { a.closed_margins.iter().copied().map(Some).collect() };
                        settings.extend(margins.into_iter().map(|margin| (name, quant, trim == OnOff::On, beam, decode, margin)));
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for (name, quant, trim, beam, decode, closed_margin) in settings {
        anyhow::ensure!(closed_margin.is_none_or(|m| m.is_finite() && m >= 0.0), "--closed-margins: margins are log-probabilities, 0 or more");
        let id_model = if quant == "f32" { name.clone() } else { format!("{name}-{quant}") };
        let model = ModelArgs { model: id_model, no_trim: !trim, beam, decode, compute: a.device.unwrap_or(a.model.compute), ..a.model.clone() };
        let defaults = hush::parts::GrammarParams::default();
        let grammar = hush::parts::GrammarParams { closed_margin: closed_margin.unwrap_or(defaults.closed_margin), ..defaults };
        let params = model.params();
        let device = params.device.to_string();
        let weights = if quant == "f32" { "f32".to_owned() } else { format!("{:?}", params.weight_mode).to_lowercase() };
        let decoding = format!("{decode:?}").to_lowercase();
        // Settings off the defaults name the run too, so results of other
        // settings are never resumed into it.
        let mut id = format!("{name}-{quant}.trim-{}.beam-{beam}", if trim { "on" } else { "off" });
        for (value, default) in [(&weights, "mixed"), (&device, "cpu"), (&decoding, "free")] {
            if value != default && value != "f32" {
                id = format!("{id}.{value}");
            }
        }
        if grammar.closed_margin != defaults.closed_margin {
            id = format!("{id}.closed-{}", grammar.closed_margin);
        }
        let meta = RunMeta {
            engine: "hush".into(),
            model: name.clone(),
            quant: quant.clone(),
            weights,
            trim: Some(trim),
            beam: Some(beam.into()),
            decode: decoding,
            device,
            ..RunMeta::default()
        };
        out.push(Cell { id, model, grammar, meta });
    }
    Ok(out)
}

fn read_manifest(a: &MatrixArgs) -> Result<Vec<Clip>> {
    let text = std::fs::read_to_string(&a.manifest).with_context(|| format!("reading {}", a.manifest.display()))?;
    let base = a.manifest.parent().unwrap_or(Path::new("."));
    let file = a.manifest.display().to_string();
    let mut clips = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let at = || format!("{file}:{}", i + 1);
        let row: serde_json::Value = serde_json::from_str(line).with_context(at)?;
        let field = |k: &str| row.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        let (Some(audio), Some(text)) = (field("audio"), field("text")) else {
            anyhow::bail!("{}: a clip needs \"audio\" and \"text\" strings", at());
        };
        let snr_db = row.get("snr_db").and_then(|v| v.as_f64());
        if a.clean_only && snr_db.is_some() {
            continue;
        }
        let gold = match row.get("intent") {
            Some(serde_json::Value::String(_)) => {
                let ex = hush_learn::data::parse(&file, line, a.format).map_err(|e| anyhow::anyhow!("{}: {}", at(), e.message))?;
                ex.into_iter()
                    .next()
                    .map(|ex| Frame { intent: Some(ex.intent.clone()), slots: ex.spans.iter().map(|s| (s.slot.clone(), words(&ex.value(s)))).collect() })
            }
            // hush manifests mark what no intent covers with a null intent:
            // scored as to be rejected.
            Some(serde_json::Value::Null) if a.format == Format::Hush => Some(Frame::default()),
            _ => None,
        };
        let language = field("language");
        clips.push(Clip { key: format!("{audio}\t{text}"), path: base.join(&audio), audio, text, snr_db, gold, language });
    }
    clips.truncate(a.limit.unwrap_or(usize::MAX));
    // One language is no grouping: its conditions keep their plain names.
    if clips.iter().all(|c| c.language == clips[0].language) {
        clips.iter_mut().for_each(|c| c.language = None);
    }
    anyhow::ensure!(!clips.is_empty(), "{file}: no clips");
    let mut seen = HashSet::new();
    for c in &clips {
        anyhow::ensure!(seen.insert(&c.key), "{file}: the clip {} with the same text is listed twice", c.audio);
    }
    Ok(clips)
}

/// A slot value as the WER normaliser writes it ("$42" → "forty two dollars"),
/// so values heard and values labelled compare.
fn words(value: &str) -> String {
    hush_eval::wer::normalize(value).join(" ")
}

/// The per-clip results saved for a run, keyed by clip.
fn saved_items(path: &Path) -> BTreeMap<String, Item> {
    let Ok(text) = std::fs::read_to_string(path) else { return BTreeMap::new() };
    // A line cut short by an interruption is dropped and measured again.
    text.lines().filter_map(|l| serde_json::from_str::<Item>(l).ok()).map(|i| (i.key.clone(), i)).collect()
}

pub fn matrix(a: &MatrixArgs) -> Result<()> {
    let clips = read_manifest(a)?;
    let cells = cells(a)?;
    let needs_model = a.nlu.iter().any(|m| *m != NluMode::Templates);
    anyhow::ensure!(!needs_model || a.learned.is_some(), "the learned and fused modes need --learned DIR (a model from `hush train`)");
    // Everything that can fail fails before the first clip is measured.
    let externals = a.external.iter().map(|p| external(p, &clips)).collect::<Result<Vec<_>>>()?;
    for cell in &cells {
        hush_models::Cache::default().resolve(&cell.model.model)?;
    }
    let items_dir = a.out.join("items");
    if a.fresh && items_dir.is_dir() {
        std::fs::remove_dir_all(&items_dir).with_context(|| format!("removing {}", items_dir.display()))?;
    }
    std::fs::create_dir_all(&items_dir).with_context(|| format!("creating {}", items_dir.display()))?;

    if let Some(id) = &a.cell {
        let cell = cells.iter().find(|c| &c.id == id).with_context(|| format!("no run {id} in this matrix"))?;
        let (items_path, meta_path) = (items_dir.join(format!("{id}.jsonl")), items_dir.join(format!("{id}.json")));
        let saved = saved_items(&items_path);
        let missing: Vec<&Clip> = clips.iter().filter(|c| !saved.contains_key(&c.key)).collect();
        let saved_meta: Option<RunMeta> = std::fs::read_to_string(&meta_path).ok().and_then(|t| serde_json::from_str(&t).ok());
        let mut meta = measure(cell, &missing, &items_path, &a.intents.matcher()?)?;
        // A resumed run's peak is the larger of its parts.
        meta.peak_rss_mb = meta.peak_rss_mb.max(saved_meta.map_or(0.0, |m| m.peak_rss_mb));
        std::fs::write(&meta_path, serde_json::to_string_pretty(&meta)?)?;
        return Ok(());
    }

    // What is left to measure, so the progress bar's ETA covers the matrix.
    let saved: Vec<BTreeMap<String, Item>> = cells.iter().map(|c| saved_items(&items_dir.join(format!("{}.jsonl", c.id)))).collect();
    let todo: u64 = saved.iter().map(|s| clips.iter().filter(|c| !s.contains_key(&c.key)).count() as u64).sum();
    let resumed: usize = saved.iter().map(|s| clips.iter().filter(|c| s.contains_key(&c.key)).count()).sum();
    if resumed > 0 {
        eprintln!("resuming: {resumed} clip results already in {}", items_dir.display());
    }
    let bar = ProgressBar::new(todo);
    bar.set_style(ProgressStyle::with_template("{msg:32} [{bar:30}] {pos}/{len} {elapsed} ETA {eta}").expect("static").progress_chars("=> "));

    let mut runs = Vec::new();
    for (cell, items) in cells.into_iter().zip(saved) {
        let meta_path = items_dir.join(format!("{}.json", cell.id));
        let items_path = items_dir.join(format!("{}.jsonl", cell.id));
        let measured = |path: &Path| std::fs::read_to_string(path).ok().and_then(|t| serde_json::from_str::<RunMeta>(&t).ok());
        let missing = clips.iter().filter(|c| !items.contains_key(&c.key)).count();
        if missing > 0 || measured(&meta_path).is_none() {
            bar.set_message(cell.id.clone());
            run_cell(&cell.id, &items_path, bar.position(), &bar)?;
        }
        let m = measured(&meta_path).with_context(|| format!("run {} wrote no {}", cell.id, meta_path.display()))?;
        // What was measured comes from the file, what was asked from the cell.
        let meta = RunMeta { threads: m.threads, model_file_mb: m.model_file_mb, peak_rss_mb: m.peak_rss_mb, load_ms: m.load_ms, ..cell.meta };
        runs.push((cell.id, meta, saved_items(&items_path)));
    }
    bar.finish_and_clear();
    runs.extend(externals);

    let readers = Readers::load(a)?;
    let report = report::build(a, &clips, &runs, &readers)?;
    report::write(a, &report)?;
    Ok(())
}

/// Transcribes `missing` clips with one cell's model, appending each result.
fn measure(cell: &Cell, missing: &[&Clip], items_path: &Path, matcher: &hush_nlu::Matcher) -> Result<RunMeta> {
    let (rec, load, weights) = cell.model.load()?;
    let hearing = hush::parts::Hearing::new(cell.model.decoding(), cell.grammar, matcher);
    // A line an interruption cut short is dropped, so appends start on a line of their own.
    if let Ok(text) = std::fs::read(items_path) {
        if !text.is_empty() && !text.ends_with(b"\n") {
            let keep = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            std::fs::OpenOptions::new().write(true).open(items_path)?.set_len(keep as u64)?;
        }
    }
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(items_path).with_context(|| items_path.display().to_string())?;
    let ms = crate::ms;
    for clip in missing {
        let t = Instant::now();
        let (audio, _) = hush_audio::read_wav(&clip.path, &Default::default()).with_context(|| clip.path.display().to_string())?;
        let read = t.elapsed();
        let heard = hearing.hear(&rec, audio.samples()).with_context(|| format!("transcribing {}", clip.path.display()))?;
        let language = heard.transcript.language.clone();
        let (tr, other, asked) = match heard.other {
            Some(free) if heard.doubtful => (free, Some(heard.transcript.clone()), Some(heard.transcript.text)),
            other => (heard.transcript, other, None),
        };
        let item = Item {
            logprob: Some(tr.avg_logprob),
            other: other.map(|o| (o.text, o.avg_logprob)),
            regret: heard.regret,
            asked,
            key: clip.key.clone(),
            hypothesis: tr.text,
            audio_seconds: audio.duration().as_secs_f64(),
            read: ms(read),
            mel: ms(tr.timings.mel),
            encode: ms(tr.timings.encode),
            decode: ms(tr.timings.decode),
            asr: ms(t.elapsed()),
            decode_steps: tr.timings.decode_steps,
            decode_rows: tr.timings.decode_rows,
            heard_by: Some(if heard.doubtful { hush::parts::HeardBy::Free } else { heard.by }),
            language,
        };
        writeln!(file, "{}", serde_json::to_string(&item)?)?;
    }
    file.flush()?;
    Ok(RunMeta {
        threads: rec.params().threads,
        model_file_mb: std::fs::metadata(&weights).map_or(0.0, |m| m.len() as f64 / 1e6),
        peak_rss_mb: crate::bench::peak_rss_mb(),
        load_ms: ms(load),
        ..cell.meta.clone()
    })
}

/// Runs one cell in a child process (this command again, with `--cell`),
/// moving the progress bar as its items file grows.
fn run_cell(id: &str, items_path: &Path, start: u64, bar: &ProgressBar) -> Result<()> {
    let lines = || std::fs::read_to_string(items_path).map_or(0, |t| t.lines().count()) as u64;
    let before = lines();
    let exe = std::env::current_exe().context("finding the hush binary")?;
    let mut child = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1).filter(|a| a != "--fresh"))
        .args(["--cell", id])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .context("starting a matrix run")?;
    let mut stderr = child.stderr.take().context("the run's stderr")?;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        bar.set_position(start + lines().saturating_sub(before));
        std::thread::sleep(std::time::Duration::from_millis(250));
    };
    bar.set_position(start + lines().saturating_sub(before));
    let errors = reader.join().unwrap_or_default();
    anyhow::ensure!(status.success(), "run {id} failed:\n{}", errors.trim_end());
    Ok(())
}

/// An external engine's report (the `hush bench asr --external` schema) as a run.
fn external(path: &Path, clips: &[Clip]) -> Result<(String, RunMeta, BTreeMap<String, Item>)> {
    let run = crate::bench::read_external(path)?;
    let items: BTreeMap<String, Item> = run
        .items
        .into_iter()
        .map(|i| {
            let key = format!("{}\t{}", i.audio, i.reference);
            (key.clone(), Item { key, hypothesis: i.hypothesis, audio_seconds: i.audio_seconds, asr: i.latency_ms, ..Item::default() })
        })
        .collect();
    let missing = clips.iter().filter(|c| !items.contains_key(&c.key)).count();
    anyhow::ensure!(
        missing == 0,
        "{}: {missing} of the manifest's clips are not in this report (run it on the same manifest, --limit and --clean-only)",
        path.display()
    );
    let id = format!("{}-{}.{}", run.engine, run.model, run.settings.replace([',', ' '], ""));
    let meta = RunMeta {
        engine: run.engine,
        model: run.model,
        quant: run.settings,
        weights: String::new(),
        trim: None,
        beam: None,
        decode: String::new(),
        device: "cpu".into(),
        threads: run.threads,
        model_file_mb: run.model_file_mb,
        peak_rss_mb: run.peak_rss_mb,
        load_ms: run.load_ms,
    };
    Ok((id, meta, items))
}

/// The NLU modes asked for, ready to read transcripts.
pub(crate) struct Readers {
    modes: Vec<NluMode>,
    templates: Understanding,
    fused: Option<Understanding>,
    /// Intent names each mode can answer with.
    template_intents: HashSet<String>,
    learned_intents: HashSet<String>,
    /// SLURP intent → built-in intent, for scoring built-in readers on SLURP labels.
    map: Vec<(String, String)>,
    /// Slot names of the labels match the templates' own (hush manifests).
    hush_labels: bool,
}

impl Readers {
    fn load(a: &MatrixArgs) -> Result<Readers> {
        let templates = a.intents.templates()?;
        let template_intents = templates.matcher().intents().intents.iter().map(|i| i.name.clone()).collect();
        let fused = match (&a.learned, a.nlu.iter().any(|m| *m != NluMode::Templates)) {
            (Some(dir), true) => {
                let model = hush::parts::load_learned(dir).with_context(|| format!("loading the learned model {}", dir.display()))?;
                Some(a.intents.templates()?.with_model(model, a.learned_threshold))
            }
            _ => None,
        };
        let learned_intents = fused.as_ref().and_then(|u| u.model()).map(|m| m.labels.intents.iter().cloned().collect()).unwrap_or_default();
        let map =
            if a.format == Format::Slurp { hush_eval::nlu::SLURP_TO_BUILTIN.iter().map(|(s, h)| (s.to_string(), h.to_string())).collect() } else { Vec::new() };
        Ok(Readers { modes: a.nlu.clone(), templates, fused, template_intents, learned_intents, map, hush_labels: a.format == Format::Hush })
    }

    /// Whether a predicted intent means the gold one.
    fn same(&self, gold: &str, predicted: &str) -> bool {
        gold == predicted || self.map.iter().any(|(s, h)| s == gold && h == predicted)
    }

    /// Whether `mode` can answer `gold` at all (else it should reject it).
    fn in_scope(&self, mode: NluMode, gold: &str) -> bool {
        // A SLURP intent is in scope for a reader that knows the built-in
        // intent it maps to (the built-in domains' learned model as well as
        // their templates).
        let knows = |names: &HashSet<String>| names.contains(gold) || self.map.iter().any(|(s, h)| s == gold && names.contains(h));
        match mode {
            NluMode::Templates => knows(&self.template_intents),
            NluMode::Learned => knows(&self.learned_intents),
            NluMode::Fused => knows(&self.template_intents) || knows(&self.learned_intents),
        }
    }

    /// Whether slot names of `mode`'s answers are those of the labels.
    fn scores_slots(&self, mode: NluMode) -> bool {
        mode != NluMode::Templates || self.hush_labels
    }

    /// Reads a transcript; the frame's intent is `None` when rejected.
    /// `language`: the one the recogniser heard, if it said.
    fn read(&self, mode: NluMode, text: &str, language: Option<&str>) -> Frame {
        let from_reading = |r: Option<hush::parts::Understood>| {
            r.map_or_else(Frame::default, |r| Frame {
                slots: r.intent.slots.iter().map(|s| (s.name.clone(), if s.raw.is_empty() { words(&s.value.to_string()) } else { words(&s.raw) })).collect(),
                intent: Some(r.intent.name),
            })
        };
        match (mode, &self.fused) {
            (NluMode::Templates, _) => from_reading(self.templates.read(text)),
            (NluMode::Fused, Some(u)) => from_reading(u.read_in(text, language.and_then(hush_nlu::Language::from_code))),
            (NluMode::Learned, Some(u)) => from_reading(u.read_learned(text)),
            (_, None) => Frame::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hush_nlu::{IntentSet, MatchParams, Matcher};

    #[test]
    fn slurp_intents_are_in_scope_for_every_reader_of_the_builtin_intents() {
        let names = |ns: &[&str]| ns.iter().map(|n| n.to_string()).collect::<HashSet<_>>();
        let builtin = || Understanding::new(Matcher::new(IntentSet::builtin().unwrap(), MatchParams::default()));
        let map = vec![("transport_taxi".to_owned(), "order_ride".to_owned())];
        let readers = |learned: &[&str]| Readers {
            modes: Vec::new(),
            templates: builtin(),
            fused: None,
            template_intents: names(&["order_ride"]),
            learned_intents: names(learned),
            map: map.clone(),
            hush_labels: false,
        };
        let r = readers(&["order_ride", "out_of_domain"]);
        for mode in [NluMode::Templates, NluMode::Learned, NluMode::Fused] {
            assert!(r.in_scope(mode, "transport_taxi") && r.in_scope(mode, "order_ride"), "{mode:?}");
            assert!(!r.in_scope(mode, "weather_query"), "{mode:?}");
        }
        // A model of SLURP's own intents knows them by name only.
        let r = readers(&["weather_query"]);
        assert!(r.in_scope(NluMode::Learned, "weather_query") && !r.in_scope(NluMode::Learned, "transport_taxi"));
        assert!(r.in_scope(NluMode::Fused, "transport_taxi"), "the templates know it");
    }

    /// A manifest of two languages is reported by language and condition;
    /// one of a single language keeps the plain condition names.
    #[test]
    fn conditions_are_per_language_when_the_manifest_mixes_them() {
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            matrix: MatrixArgs,
        }
        let dir = std::env::temp_dir().join(format!("hush-matrix-languages-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let conditions = |rows: &[&str]| {
            let manifest = dir.join("manifest.jsonl");
            std::fs::write(&manifest, rows.join("\n")).unwrap();
            let cli = <Cli as clap::Parser>::parse_from(["matrix", "--manifest", manifest.to_str().unwrap(), "--format", "hush"]);
            read_manifest(&cli.matrix).unwrap().iter().map(Clip::condition).collect::<Vec<_>>()
        };
        let en = r#"{"audio": "a.wav", "text": "navigate home", "language": "en"}"#;
        let id = r#"{"audio": "b.wav", "text": "arahkan ke rumah", "language": "id"}"#;
        let id_noisy = r#"{"audio": "c.wav", "text": "arahkan ke rumah", "language": "id", "snr_db": 6}"#;
        assert_eq!(conditions(&[en, id, id_noisy]), ["en clean", "id clean", "id 6dB"]);
        assert_eq!(conditions(&[id, id_noisy]), ["clean", "6dB"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
