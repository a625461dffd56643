//! `hush bench asr`: WER (clean and per SNR), per-clip latency, real-time
//! factor, peak RSS and model size over a JSONL manifest of clips.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use hush_eval::wer::WerCounter;
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};

use crate::ModelArgs;

#[derive(Args)]
pub struct AsrBenchArgs {
    /// JSONL manifest: `audio` (relative to the manifest), `text`, optional `snr_db`.
    #[arg(long)]
    manifest: PathBuf,
    /// Models to compare (repeat the flag); the first `--model` of ModelArgs is used when absent.
    #[arg(long = "compare", value_name = "MODEL")]
    compare: Vec<String>,
    #[command(flatten)]
    model: ModelArgs,
    /// Also run every model with trimming off (full 30 s windows).
    #[arg(long)]
    trim_both: bool,
    /// Use only the first N rows of the manifest.
    #[arg(long)]
    limit: Option<usize>,
    /// Only clean clips (no `snr_db`).
    #[arg(long)]
    clean_only: bool,
    /// Score another engine's report (see benches/compare/faster_whisper.py)
    /// with the same normaliser, in the same table. Repeatable.
    #[arg(long)]
    external: Vec<PathBuf>,
    /// Only score `--external` reports; run no hush model.
    #[arg(long)]
    skip_hush: bool,
    /// Write the full results (per clip too) here as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
}

#[derive(Deserialize)]
struct Row {
    audio: String,
    text: String,
    #[serde(default)]
    snr_db: Option<f64>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct Item {
    pub(crate) audio: String,
    snr_db: Option<f64>,
    pub(crate) reference: String,
    pub(crate) hypothesis: String,
    #[serde(default)]
    edits: usize,
    #[serde(default)]
    words: usize,
    pub(crate) audio_seconds: f64,
    pub(crate) latency_ms: f64,
}

/// What an engine measured, before scoring.
#[derive(Deserialize)]
pub(crate) struct Run {
    pub(crate) engine: String,
    pub(crate) model: String,
    pub(crate) settings: String,
    pub(crate) threads: usize,
    pub(crate) peak_rss_mb: f64,
    pub(crate) model_file_mb: f64,
    pub(crate) load_ms: f64,
    pub(crate) items: Vec<Item>,
}

/// Another engine's report (benches/compare/faster_whisper.py writes them).
pub(crate) fn read_external(path: &Path) -> Result<Run> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// One model × setting run; the schema `benches/compare/faster_whisper.py` writes too.
#[derive(Serialize)]
pub struct Report {
    engine: String,
    model: String,
    settings: String,
    threads: usize,
    clips: usize,
    /// WER in percent by condition: "clean", "10dB", "5dB", ...
    wer: BTreeMap<String, f64>,
    latency_ms_p50: f64,
    latency_ms_p95: f64,
    latency_ms_mean: f64,
    real_time_factor: f64,
    peak_rss_mb: f64,
    model_file_mb: f64,
    load_ms: f64,
    items: Vec<Item>,
}

fn condition(snr: Option<f64>) -> String {
    snr.map_or_else(|| "clean".to_owned(), |s| format!("{s}dB"))
}

pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[idx]
}

/// Resets the kernel's peak-RSS mark, so each model's peak is its own.
pub(crate) fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

pub fn asr(args: &AsrBenchArgs) -> Result<()> {
    let text = std::fs::read_to_string(&args.manifest).with_context(|| format!("reading {}", args.manifest.display()))?;
    let base = args.manifest.parent().unwrap_or(Path::new("."));
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let row: Row = serde_json::from_str(line).with_context(|| format!("{}:{}", args.manifest.display(), i + 1))?;
        if args.clean_only && row.snr_db.is_some() {
            continue;
        }
        rows.push(row);
    }
    if let Some(n) = args.limit {
        rows.truncate(n);
    }
    anyhow::ensure!(!rows.is_empty(), "the manifest has no clips");

    let mut reports = Vec::new();
    for path in &args.external {
        reports.push(score(read_external(path)?));
    }
    if args.skip_hush {
        print_table(&reports);
        return Ok(());
    }
    let models = if args.compare.is_empty() { vec![args.model.model.clone()] } else { args.compare.clone() };
    for model in &models {
        for trim in if args.trim_both { vec![true, false] } else { vec![!args.model.no_trim] } {
            let margs = ModelArgs { model: model.clone(), no_trim: !trim, ..args.model.clone() };
            reports.push(run_one(&margs, &rows, base)?);
        }
    }
    print_table(&reports);
    if let Some(path) = &args.json {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, serde_json::to_string_pretty(&reports)?)?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

fn run_one(margs: &ModelArgs, rows: &[Row], base: &Path) -> Result<Report> {
    reset_peak_rss();
    let (rec, load, weights) = margs.load()?;
    let hearing = margs.builtin_hearing()?;
    let settings = format!("{:?}, trim {}", rec.params().weight_mode, if margs.no_trim { "off" } else { "on" }).to_lowercase();
    let bar = ProgressBar::new(rows.len() as u64);
    bar.set_style(ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ETA {eta}").expect("static").progress_chars("=> "));
    bar.set_message(format!("{} ({settings})", margs.model));
    let mut items = Vec::new();
    for row in rows {
        let path = base.join(&row.audio);
        let t = Instant::now();
        let (audio, _) = hush_audio::read_wav(&path, &Default::default()).with_context(|| path.display().to_string())?;
        let tr = hearing.hear(&rec, audio.samples())?.transcript;
        items.push(Item {
            audio: row.audio.clone(),
            snr_db: row.snr_db,
            reference: row.text.clone(),
            hypothesis: tr.text,
            edits: 0,
            words: 0,
            audio_seconds: audio.duration().as_secs_f64(),
            latency_ms: t.elapsed().as_secs_f64() * 1e3,
        });
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(score(Run {
        engine: "hush".into(),
        model: margs.model.clone(),
        settings,
        threads: rec.params().threads,
        peak_rss_mb: peak_rss_mb(),
        model_file_mb: std::fs::metadata(&weights).map_or(0.0, |m| m.len() as f64 / 1e6),
        load_ms: load.as_secs_f64() * 1e3,
        items,
    }))
}

/// WER per condition and latency statistics of a run.
fn score(mut run: Run) -> Report {
    let mut counters: BTreeMap<String, WerCounter> = BTreeMap::new();
    for item in &mut run.items {
        let counter = counters.entry(condition(item.snr_db)).or_default();
        let before = counter.words;
        item.edits = counter.add(&item.reference, &item.hypothesis);
        item.words = counter.words - before;
    }
    let mut lat: Vec<f64> = run.items.iter().map(|i| i.latency_ms).collect();
    lat.sort_by(f64::total_cmp);
    let audio: f64 = run.items.iter().map(|i| i.audio_seconds).sum();
    Report {
        engine: run.engine,
        model: run.model,
        settings: run.settings,
        threads: run.threads,
        clips: run.items.len(),
        wer: counters.iter().map(|(k, c)| (k.clone(), c.wer())).collect(),
        latency_ms_p50: percentile(&lat, 0.5),
        latency_ms_p95: percentile(&lat, 0.95),
        latency_ms_mean: lat.iter().sum::<f64>() / lat.len().max(1) as f64,
        real_time_factor: lat.iter().sum::<f64>() / 1e3 / audio.max(1e-9),
        peak_rss_mb: run.peak_rss_mb,
        model_file_mb: run.model_file_mb,
        load_ms: run.load_ms,
        items: run.items,
    }
}

fn print_table(reports: &[Report]) {
    let conditions: Vec<String> = {
        let mut c: Vec<String> = reports.iter().flat_map(|r| r.wer.keys().cloned()).collect();
        c.sort_by_key(|k| (k != "clean", -(k.trim_end_matches("dB").parse::<f64>().unwrap_or(0.0) as i64)));
        c.dedup();
        c
    };
    print!("{:<8} {:<16} {:<26} {:>5}", "engine", "model", "settings", "clips");
    for c in &conditions {
        print!(" {:>10}", format!("WER {c}"));
    }
    println!(" {:>8} {:>8} {:>6} {:>7} {:>7} {:>7}", "p50 ms", "p95 ms", "RTF", "RSS MB", "file MB", "load ms");
    for r in reports {
        print!("{:<8} {:<16} {:<26} {:>5}", r.engine, r.model, r.settings, r.clips);
        for c in &conditions {
            print!(" {:>10}", r.wer.get(c).map_or("-".to_owned(), |w| format!("{w:.2}")));
        }
        println!(
            " {:>8.1} {:>8.1} {:>6.3} {:>7.0} {:>7.1} {:>7.0}",
            r.latency_ms_p50, r.latency_ms_p95, r.real_time_factor, r.peak_rss_mb, r.model_file_mb, r.load_ms
        );
    }
}
