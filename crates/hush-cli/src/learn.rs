//! `hush train` and the learned-model path of `hush bench nlu`.

use anyhow::{Context, Result};
use clap::Args;
use hush_learn::{data, Format, Labels, LearnedModel, TrainParams};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct TrainArgs {
    /// JSONL of labelled sentences.
    #[arg(long, required_unless_present = "intents")]
    data: Option<PathBuf>,
    /// Also (or only) train on an intents folder: sentences sampled from its
    /// templates, with their slots, plus its `examples:`.
    #[arg(long)]
    intents: Option<PathBuf>,
    /// Sentences sampled per template with --intents.
    #[arg(long, default_value_t = 8)]
    per_template: usize,
    /// slurp, snips or hush.
    #[arg(long, default_value = "hush", value_parser = crate::by_name::<Format>)]
    format: Format,
    /// Where to write the trained model (a folder).
    #[arg(long)]
    out: PathBuf,
    /// The pretrained encoder, a model id of the cache (`hush models import minilm`).
    #[arg(long, default_value = "minilm")]
    encoder: String,
    /// Share of each intent's sentences held out for validation (early
    /// stopping, calibration, the scores printed at the end).
    #[arg(long, default_value_t = 0.1, value_parser = crate::share)]
    val: f64,
    #[arg(long, default_value_t = TrainParams::default().seed)]
    seed: u64,
    #[arg(long, default_value_t = TrainParams::default().epochs)]
    epochs: usize,
    #[arg(long, default_value_t = TrainParams::default().batch_size)]
    batch: usize,
    /// Learning rate of the encoder's adapters.
    #[arg(long, default_value_t = TrainParams::default().encoder_lr)]
    lr: f64,
    /// Rank of the encoder's low-rank adapters (0: train the heads only).
    #[arg(long, default_value_t = 8)]
    rank: usize,
    /// Use only the first N sentences (quick runs).
    #[arg(long)]
    limit: Option<usize>,
    /// A JSONL file (a test manifest) whose `text`s must not be trained
    /// on: sentences with the same words are dropped, so a spoken test set
    /// drawn from the same corpus stays unseen.
    #[arg(long)]
    holdout: Option<PathBuf>,
}

/// The sentences of a JSONL file's `text` fields, as words compared.
fn held_out(path: &Path) -> Result<std::collections::HashSet<Vec<String>>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = std::collections::HashSet::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let row: serde_json::Value = serde_json::from_str(line).with_context(|| format!("{}:{}", path.display(), i + 1))?;
        let t = row.get("text").and_then(|t| t.as_str()).with_context(|| format!("{}:{}: no \"text\"", path.display(), i + 1))?;
        out.insert(hush_nlu::words(t));
    }
    Ok(out)
}

fn encoder_dir(id: &str) -> Result<PathBuf> {
    let dir = hush_models::Cache::default().model_dir(id);
    anyhow::ensure!(dir.join("model.safetensors").is_file(), "encoder '{id}' is not installed; run `hush models import {id}`");
    Ok(dir)
}

/// Keeps freed memory in the process instead of handing it back to the
/// kernel: a training step allocates and frees hundreds of MB of tensors,
/// and glibc's defaults turned that into page faults that took ~40 % of
/// the time (`hush train` 1.76× faster on 640 SNIPS sentences).
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator thresholds; called before the
    // training threads start.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}

pub fn train(a: &TrainArgs) -> Result<()> {
    keep_freed_memory();
    let mut examples = match &a.data {
        Some(file) => data::read(file, a.format)?,
        None => Vec::new(),
    };
    if let Some(dir) = &a.intents {
        let set = hush_nlu::IntentSet::load_dir(dir).map_err(|e| anyhow::anyhow!("{e}"))?;
        examples.extend(data::from_intents(&set, a.per_template, a.seed));
    }
    if let Some(path) = &a.holdout {
        let held = held_out(path)?;
        let before = examples.len();
        examples.retain(|e| !held.contains(&hush_nlu::words(&e.text)));
        println!("held out {} sentences found in {}", before - examples.len(), path.display());
    }
    examples.truncate(a.limit.unwrap_or(usize::MAX));
    anyhow::ensure!(!examples.is_empty(), "no training sentences");
    let (train, val) = data::split(&examples, a.val, a.seed);
    let enc = encoder_dir(&a.encoder)?;
    let labels = Labels::from_examples(&examples);
    println!(
        "{} sentences: {} to train, {} to validate; {} intents, {} slot tags",
        examples.len(),
        train.len(),
        val.len(),
        labels.intents.len(),
        labels.tags.len()
    );
    let mut model = LearnedModel::new(&enc, labels, a.rank, a.seed)?;
    let params = TrainParams { epochs: a.epochs, batch_size: a.batch, encoder_lr: a.lr, seed: a.seed, ..TrainParams::default() };
    let steps = train.len().div_ceil(a.batch.max(1)) * a.epochs;
    let bar = indicatif::ProgressBar::new(steps as u64);
    bar.set_style(indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} steps, {elapsed} (eta {eta}) {msg}").expect("a valid template"));
    let report = model.train(&train, &val, &params, |p| {
        bar.inc(1);
        let val = p.val.map(|(acc, f1)| format!(", val intent {:.1} % slot F1 {f1:.3}", acc * 100.0)).unwrap_or_default();
        bar.set_message(format!("epoch {} loss {:.3}{val}", p.epoch, p.loss));
    })?;
    bar.finish_and_clear();
    model.save(&a.out)?;
    println!(
        "trained {} epochs (best {}), losses {:?}",
        report.epochs_run,
        report.best_epoch,
        report.losses.iter().map(|l| (l * 1000.0).round() / 1000.0).collect::<Vec<_>>()
    );
    let mut summary = serde_json::json!({"train": report, "temperature": model.labels.temperature});
    if !val.is_empty() {
        let scores = score(&model, &val)?;
        print_scores("validation", &scores);
        summary["validation"] = serde_json::to_value(&scores)?;
    }
    std::fs::write(a.out.join("report.json"), serde_json::to_string_pretty(&summary)?)?;
    println!("model written to {}", a.out.display());
    Ok(())
}

fn score(model: &LearnedModel, examples: &[hush_learn::Example]) -> Result<hush_learn::Scores> {
    Ok(hush_learn::score(examples, &predict(model, examples)?))
}

fn predict(model: &LearnedModel, examples: &[hush_learn::Example]) -> Result<Vec<hush_learn::Prediction>> {
    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    Ok(model.predict(&texts)?)
}

/// The first `n` sentences whose frame is not exactly the gold one.
fn print_misses(examples: &[hush_learn::Example], pred: &[hush_learn::Prediction], n: usize) {
    let gold_slots = |e: &hush_learn::Example| e.spans.iter().map(|s| format!("{}=\"{}\"", s.slot, e.value(s))).collect::<Vec<_>>();
    let misses = examples.iter().zip(pred).filter(|(e, p)| !hush_learn::exact_frame(e, p));
    for (e, p) in misses.take(n) {
        let got: Vec<String> = p.slots.iter().map(|s| format!("{}=\"{}\"", s.slot, s.text)).collect();
        println!("  miss: \"{}\" gold {} [{}] read {} [{}] ({:.2})", e.text, e.intent, gold_slots(e).join(" "), p.intent, got.join(" "), p.confidence);
    }
}

fn print_scores(what: &str, s: &hush_learn::Scores) {
    println!("{what}: {} sentences", s.sentences);
    println!("  intent accuracy    {:>6.2} %   scenario accuracy {:.2} %", s.intent_accuracy * 100.0, s.scenario_accuracy * 100.0);
    println!("  slot F1 (exact)    {:>6.3}     SLU-F1 {:.3} (word {:.3}, char {:.3})", s.slot_f1, s.slu_f1, s.span_f1_word, s.span_f1_char);
    println!("  exact frame        {:>6.2} %", s.exact_frame * 100.0);
    println!(
        "  confidence ≥ {}    {:>6.2} % of sentences, {:.2} % of them the right intent",
        hush::parts::LEARNED_THRESHOLD,
        s.confident_share * 100.0,
        s.confident_accuracy * 100.0
    );
}

/// `hush bench nlu --learned DIR`: the learned model over labelled
/// sentences, or over the validation part `val_split` (share, seed) of them.
pub fn bench(model_dir: &Path, data_file: &Path, format: Format, val_split: Option<(f64, u64)>, show_misses: usize, json: Option<&Path>) -> Result<()> {
    let model = hush::parts::load_learned(model_dir).with_context(|| format!("loading the learned model {}", model_dir.display()))?;
    let mut examples = data::read(data_file, format)?;
    if let Some((share, seed)) = val_split {
        examples = data::split(&examples, share, seed).1;
    }
    let t = std::time::Instant::now();
    let pred = predict(&model, &examples)?;
    let elapsed = t.elapsed();
    let scores = hush_learn::score(&examples, &pred);
    print_scores(&data_file.display().to_string(), &scores);
    print_misses(&examples, &pred, show_misses);
    println!("  {:.1} ms per sentence (batches of 32)", elapsed.as_secs_f64() * 1e3 / examples.len() as f64);
    // What the engine sees: one utterance at a time.
    let mut single: Vec<f64> = examples
        .iter()
        .take(200)
        .map(|e| {
            let t = std::time::Instant::now();
            model.predict(&[e.text.as_str()]).map(|_| crate::ms(t.elapsed()))
        })
        .collect::<Result<_, _>>()?;
    single.sort_by(f64::total_cmp);
    let (p50, p95) = (crate::bench::percentile(&single, 0.5), crate::bench::percentile(&single, 0.95));
    println!("  one sentence at a time: p50 {p50:.2} ms, p95 {p95:.2} ms ({} sentences)", single.len());
    if let Some(out) = json {
        let mut v = serde_json::to_value(&scores)?;
        v["single_ms"] = serde_json::json!({"p50": p50, "p95": p95, "sentences": single.len()});
        std::fs::write(out, serde_json::to_string_pretty(&v)?)?;
    }
    Ok(())
}
