//! `hush run`, `hush chat` and `hush ledger`: the whole engine, from audio
//! or text to a done action, and the ledger the reference actions keep.

use crate::ModelArgs;
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use hush::{Engine, EngineError, Turn};
use hush_reference::ledger::{Ledger, Payment};
use hush_reference::{fmt_money, order_state, ride_state};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct EngineArgs {
    #[command(flatten)]
    model: ModelArgs,
    /// Directory of intent files (default: the built-in domains).
    #[arg(long)]
    intents: Option<PathBuf>,
    /// A model trained with `hush train`, read when no template matches
    /// word for word.
    #[arg(long, value_name = "DIR")]
    learned: Option<PathBuf>,
    /// Calibrated confidence the learned model needs to answer or to
    /// reject: --learned's (default 0.5), else the built-in domains'
    /// (default 0.7).
    #[arg(long)]
    learned_threshold: Option<f32>,
    /// Understand and ask, but run no action (the ledger is not touched).
    #[arg(long)]
    dry_run: bool,
    /// Act at once on speech read with forgiveness, instead of asking
    /// "Did you say ...?" first.
    #[arg(long)]
    no_check: bool,
    /// The reference actions' SQLite ledger [default: $HUSH_LEDGER or
    /// ~/.local/share/hush/ledger.sqlite].
    #[arg(long)]
    ledger: Option<PathBuf>,
    /// Audit log, one JSON line per turn, sensitive slots redacted
    /// [default: audit.jsonl beside the ledger].
    #[arg(long)]
    audit_log: Option<PathBuf>,
    /// Write no audit log.
    #[arg(long, conflicts_with = "audit_log")]
    no_audit: bool,
    /// Seconds an action may run before it is stopped.
    #[arg(long, default_value_t = 10.0)]
    action_timeout: f64,
    /// Save each WAV input's 16 kHz audio in this folder (off by default:
    /// hush writes no audio unless asked).
    #[arg(long, value_name = "DIR")]
    keep_audio: Option<PathBuf>,
    /// Append each turn's transcript to this JSON-lines file (off by
    /// default: hush writes no transcripts unless asked).
    #[arg(long, value_name = "FILE")]
    keep_transcripts: Option<PathBuf>,
    /// Print one JSON object per turn.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct RunArgs {
    /// WAV files, one turn each, in order (a confirmation can be the next file).
    files: Vec<PathBuf>,
    /// Typed turns, after the files.
    #[arg(long = "text", value_name = "TEXT")]
    texts: Vec<String>,
    #[command(flatten)]
    engine: EngineArgs,
}

#[derive(Args)]
pub struct ChatArgs {
    #[command(flatten)]
    engine: EngineArgs,
    /// Typed text only: do not load a speech model.
    #[arg(long)]
    text_only: bool,
}

#[derive(Args)]
pub struct LedgerArgs {
    /// What to show.
    #[command(subcommand)]
    show: Option<LedgerShow>,
    /// The ledger file [default: $HUSH_LEDGER or ~/.local/share/hush/ledger.sqlite].
    #[arg(long, global = true)]
    ledger: Option<PathBuf>,
    /// Print JSON.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand, Clone, Copy, PartialEq)]
enum LedgerShow {
    /// Everything (the default).
    All,
    Accounts,
    Bills,
    Payments,
    Rides,
    Orders,
    /// Empty the ledger and seed it again.
    Reset,
}

#[derive(Args)]
pub struct TurnBenchArgs {
    /// A JSONL manifest of clips (`audio` relative to its folder, `duration_s`, `snr_db`).
    #[arg(long)]
    manifest: PathBuf,
    /// Only clean clips up to this long.
    #[arg(long, default_value_t = 4.0)]
    max_seconds: f64,
    /// At most this many clips.
    #[arg(long)]
    limit: Option<usize>,
    #[command(flatten)]
    model: ModelArgs,
    /// Write the per-turn timings and the summary here.
    #[arg(long)]
    json: Option<PathBuf>,
}

impl EngineArgs {
    pub(crate) fn json(&self) -> bool {
        self.json
    }

    fn ledger_path(&self) -> PathBuf {
        self.ledger.clone().unwrap_or_else(Ledger::default_path)
    }

    pub(crate) fn build(&self, with_model: bool) -> Result<Engine> {
        let mut c = self.model.config();
        if !with_model {
            c.model = None;
        }
        c.intents.extend(self.intents.clone());
        c.learned_model.clone_from(&self.learned);
        c.learned_threshold = self.learned_threshold;
        c.action_timeout_ms = Some((self.action_timeout * 1000.0).round().max(1.0) as u64);
        c.dry_run = self.dry_run;
        c.check_doubtful = self.no_check.then_some(false);
        let ledger = self.ledger_path();
        if !self.dry_run && !self.no_audit {
            c.audit_log = Some(self.audit_log.clone().unwrap_or_else(|| ledger.with_file_name("audit.jsonl")));
        }
        let actions = if self.dry_run { hush_reference::actions_in_memory()? } else { hush_reference::actions_at(&ledger)? };
        Ok(c.builder()?.fallback_actions(actions).build()?)
    }

    /// Whether the user asked for audio to be kept.
    pub(crate) fn keeps_audio(&self) -> bool {
        self.keep_audio.is_some()
    }

    /// Keeps what the user asked to keep of a turn.
    pub(crate) fn keep(&self, input: &str, turn: &Turn, audio: Heard, n: usize) -> Result<()> {
        if let Some(dir) = &self.keep_audio {
            match audio {
                Heard::Typed | Heard::Spoken => {}
                Heard::File(wav) => keep_audio(dir, hush_audio::read_wav(wav, &Default::default())?.0.samples(), &stem(wav), n)?,
                Heard::Pcm(samples) => keep_audio(dir, samples, "utterance", n)?,
            }
        }
        if let Some(file) = &self.keep_transcripts {
            let mut f = std::fs::OpenOptions::new().create(true).append(true).open(file).with_context(|| format!("opening {}", file.display()))?;
            writeln!(f, "{}", serde_json::json!({"input": input, "transcript": turn.transcript}))?;
        }
        Ok(())
    }

    /// Reports an input that gave no turn (an unreadable file): on stderr,
    /// and as an error line among the turns with --json.
    pub(crate) fn report_error(&self, input: &str, e: &dyn std::fmt::Display) {
        if self.json {
            let mut v = hush::json::error(e);
            v["input"] = serde_json::json!(input);
            println!("{v}");
        }
        eprintln!("error: {input}: {e}");
    }

    /// Prints a turn, and keeps what the user asked to keep.
    pub(crate) fn report(&self, input: &str, turn: &Turn, audio: Heard, n: usize) -> Result<()> {
        self.keep(input, turn, audio, n)?;
        if self.json {
            let mut v = hush::json::turn(turn);
            v["input"] = serde_json::json!(input);
            println!("{v}");
            return Ok(());
        }
        println!("▶ {input}");
        if !matches!(audio, Heard::Typed) {
            println!("  heard    \"{}\"", turn.transcript.trim());
        }
        if let Some(intent) = &turn.intent {
            let slots: Vec<String> =
                turn.slots.iter().map(|s| if s.sensitive { format!("{}=<redacted>", s.name) } else { format!("{}={}", s.name, s.value) }).collect();
            let by = if turn.source == Some(hush::parts::ReadBy::Learned) { ", learned model" } else { "" };
            println!("  intent   {intent} ({:.2}{by}) {}", turn.confidence, slots.join(" "));
        }
        if let Some(p) = &turn.prompt {
            println!("  hush ?   {p}");
        }
        if let Some(o) = &turn.outcome {
            println!("  hush     {}", o.say);
            println!("  outcome  {}", serde_json::to_value(o.status)?.as_str().unwrap_or(""));
        }
        let t = &turn.timings;
        let ms = crate::ms;
        // A typed turn has no audio or recognition stage to time.
        let heard = match audio {
            Heard::Typed => String::new(),
            _ => format!("audio {:.1} ms · asr {:.1} ms · ", ms(t.audio), ms(t.asr)),
        };
        println!("  timings  {heard}nlu {:.2} ms · dispatch {:.2} ms · total {:.1} ms", ms(t.nlu), ms(t.dispatch), ms(t.total));
        Ok(())
    }
}

/// Where a turn's words came from.
#[derive(Clone, Copy)]
pub(crate) enum Heard<'a> {
    Typed,
    File(&'a Path),
    /// 16 kHz samples (an utterance cut from a stream).
    Pcm(&'a [f32]),
    /// Speech whose audio was not kept (the listener wipes it).
    Spoken,
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Saves 16 kHz audio the user asked to keep.
fn keep_audio(dir: &Path, samples: &[f32], stem: &str, n: usize) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let out = dir.join(format!("{n:03}-{stem}.wav"));
    let spec = hound::WavSpec { channels: 1, sample_rate: hush_audio::SAMPLE_RATE, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut w = hound::WavWriter::create(&out, spec).with_context(|| format!("writing {}", out.display()))?;
    for &s in samples {
        w.write_sample((s.clamp(-1.0, 1.0) * 32767.0) as i16)?;
    }
    w.finalize()?;
    Ok(())
}

/// `--vad`'s values.
pub(crate) fn vad_kind(s: &str) -> Result<hush::config::VadKind, String> {
    match s {
        "energy" => Ok(hush::config::VadKind::Energy),
        "silero" => Ok(hush::config::VadKind::Silero),
        _ => Err("energy or silero".into()),
    }
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_time().build()?)
}

pub fn run(a: &RunArgs) -> Result<()> {
    anyhow::ensure!(!a.files.is_empty() || !a.texts.is_empty(), "give WAV files and/or --text \"...\"");
    let engine = a.engine.build(!a.files.is_empty())?;
    let rt = runtime()?;
    let mut failed = 0;
    let mut n = 0;
    for file in &a.files {
        n += 1;
        match rt.block_on(engine.process_wav(file)) {
            Ok(turn) => a.engine.report(&file.display().to_string(), &turn, Heard::File(file), n)?,
            // A bad file is reported; the session goes on with the next.
            Err(e @ (EngineError::Audio(_) | EngineError::Asr(_))) => {
                a.engine.report_error(&file.display().to_string(), &e);
                failed += 1;
            }
            Err(e) => return Err(e.into()),
        }
    }
    for text in &a.texts {
        n += 1;
        let turn = rt.block_on(engine.process_text(text))?;
        a.engine.report(text, &turn, Heard::Typed, n)?;
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {} files could not be processed", a.files.len());
    }
    Ok(())
}

pub fn chat(a: &ChatArgs) -> Result<()> {
    let engine = match a.engine.build(!a.text_only) {
        Ok(e) => e,
        Err(e) if !a.text_only && e.downcast_ref::<EngineError>().is_some_and(|e| matches!(e, EngineError::Model(_))) => {
            eprintln!("note: {e}; typed text only");
            a.engine.build(false)?
        }
        Err(e) => return Err(e),
    };
    let rt = runtime()?;
    eprintln!("hush chat: type a request, or a WAV file's path{}; an empty line or Ctrl-D ends.", if engine.has_model() { "" } else { " (needs a model)" });
    let stdin = std::io::stdin();
    let mut n = 0;
    for line in stdin.lock().lines() {
        let line = line?;
        let line = line.trim();
        if line.is_empty() || line == "quit" || line == "exit" {
            break;
        }
        n += 1;
        let path = Path::new(line);
        let is_wav = path.extension().is_some_and(|x| x.eq_ignore_ascii_case("wav"));
        let turn = if is_wav { rt.block_on(engine.process_wav(path)) } else { rt.block_on(engine.process_text(line)) };
        match turn {
            Ok(t) => a.engine.report(line, &t, if is_wav { Heard::File(path) } else { Heard::Typed }, n)?,
            Err(e) => a.engine.report_error(line, &e),
        }
    }
    Ok(())
}

pub fn ledger(a: &LedgerArgs) -> Result<()> {
    let path = a.ledger.clone().unwrap_or_else(Ledger::default_path);
    let show = a.show.unwrap_or(LedgerShow::All);
    // Showing a mistyped path would otherwise make and seed a new ledger
    // there, and show that as if it were the user's.
    anyhow::ensure!(
        show == LedgerShow::Reset || path.exists(),
        "no ledger at {} (`hush run` makes one at first use; `hush ledger reset --ledger {}` makes a fresh one)",
        path.display(),
        path.display()
    );
    let ledger = Ledger::open(&path)?;
    if show == LedgerShow::Reset {
        ledger.reset()?;
        println!("{}: reset to the seeded accounts and bills", path.display());
        return Ok(());
    }
    let want = |s: LedgerShow| show == LedgerShow::All || show == s;
    if a.json {
        let mut v = serde_json::json!({});
        if want(LedgerShow::Accounts) {
            v["accounts"] = serde_json::to_value(ledger.accounts()?)?;
        }
        if want(LedgerShow::Bills) {
            v["bills"] = serde_json::to_value(ledger.bills()?)?;
        }
        if want(LedgerShow::Payments) {
            v["payments"] = serde_json::to_value(ledger.payments()?)?;
        }
        if want(LedgerShow::Rides) {
            v["rides"] = serde_json::to_value(ledger.rides()?)?;
        }
        if want(LedgerShow::Orders) {
            v["orders"] = serde_json::to_value(ledger.food_orders()?)?;
        }
        println!("{v}");
        return Ok(());
    }
    println!("ledger {}", path.display());
    let now = hush_reference::ledger::now_ms();
    let when = |ms: i64| humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms.max(0) as u64)).to_string();
    if want(LedgerShow::Accounts) {
        println!("\naccounts");
        for x in ledger.accounts()? {
            println!("  {:<12} {:>14}", x.name, fmt_money(x.balance_minor, &x.currency));
        }
    }
    if want(LedgerShow::Bills) {
        println!("\nbills");
        for b in ledger.bills()? {
            let due = if b.due_minor == 0 { "paid".to_owned() } else { fmt_money(b.due_minor, &b.currency) };
            println!("  {:<12} {:>14}  due {}", b.biller, due, b.due_date);
        }
    }
    if want(LedgerShow::Payments) {
        let payments = ledger.payments()?;
        println!("\npayments ({})", payments.len());
        for Payment { id, kind, payee, amount_minor, currency, account, at_ms, key, scheduled } in payments {
            println!(
                "  #{id:<4} {} {kind:<9} {payee:<14} {:>12} from {account}  key {}{}",
                when(at_ms),
                fmt_money(amount_minor, &currency),
                &key[..key.len().min(12)],
                scheduled.map(|s| format!("  to be paid {s}")).unwrap_or_default()
            );
        }
    }
    if want(LedgerShow::Rides) {
        let rides = ledger.rides()?;
        println!("\nrides ({})", rides.len());
        for r in rides {
            let state = ride_state(&r, (now - r.requested_ms) / 1000);
            println!(
                "  #{:<4} {} {:<8} to {:<16} {state:<10} {} in {}, fare {}",
                r.id,
                when(r.requested_ms),
                r.ride_type,
                r.destination,
                r.driver,
                r.car,
                fmt_money(r.fare_cents, "USD")
            );
        }
    }
    if want(LedgerShow::Orders) {
        let orders = ledger.food_orders()?;
        println!("\nfood orders ({})", orders.len());
        for o in orders {
            let state = order_state(&o, (now - o.ordered_ms) / 1000);
            println!("  #{:<4} {} {} x {} from {}  {}  {state}", o.id, when(o.ordered_ms), o.quantity, o.dish, o.restaurant, fmt_money(o.total_cents, "USD"));
        }
    }
    Ok(())
}

fn median(v: &mut [f64]) -> f64 {
    percentile(v, 0.5)
}

/// The bench's percentile over unsorted values; NaN (printed as such) when
/// there are none, e.g. no turn ran an action.
pub(crate) fn percentile(v: &mut [f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    crate::bench::percentile(v, q)
}

/// Each clip is one turn in a fresh session, with the reference actions on
/// an in-memory ledger, so recognition, parsing, the dialogue rules and
/// real actions are all timed.
pub fn bench_turn(a: &TurnBenchArgs) -> Result<()> {
    let text = std::fs::read_to_string(&a.manifest).with_context(|| format!("reading {}", a.manifest.display()))?;
    let dir = a.manifest.parent().unwrap_or(Path::new("."));
    let mut clips = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).with_context(|| format!("{}:{}", a.manifest.display(), i + 1))?;
        let clean = v["snr_db"].is_null();
        let short = v["duration_s"].as_f64().is_some_and(|d| d <= a.max_seconds);
        if let (true, true, Some(audio)) = (clean, short, v["audio"].as_str()) {
            clips.push(dir.join(audio));
        }
    }
    clips.truncate(a.limit.unwrap_or(usize::MAX));
    anyhow::ensure!(!clips.is_empty(), "no clean clips of at most {} s in {}", a.max_seconds, a.manifest.display());
    let engine = a.model.config().builder()?.fallback_actions(hush_reference::actions_in_memory()?).build()?;
    let rt = runtime()?;
    let bar = indicatif::ProgressBar::new(clips.len() as u64);
    let ms = crate::ms;
    let (mut asr, mut nlu, mut dispatch, mut added, mut added_acted) = (vec![], vec![], vec![], vec![], vec![]);
    let mut rows = Vec::new();
    for clip in &clips {
        let turn = rt.block_on(engine.session().process_wav(clip)).with_context(|| clip.display().to_string())?;
        let t = turn.timings;
        let acted = turn.outcome.as_ref().is_some_and(|o| !matches!(o.status, hush::Status::NotUnderstood | hush::Status::Unhandled))
            && t.dispatch > std::time::Duration::ZERO;
        let ratio = (ms(t.nlu) + ms(t.dispatch)) / ms(t.asr);
        asr.push(ms(t.asr));
        nlu.push(ms(t.nlu));
        added.push(ratio);
        if acted {
            dispatch.push(ms(t.dispatch));
            added_acted.push(ratio);
        }
        rows.push(serde_json::json!({"audio": clip, "intent": turn.intent, "timings": t, "acted": acted}));
        bar.inc(1);
    }
    bar.finish_and_clear();
    let summary = serde_json::json!({
        "clips": clips.len(),
        "acted": dispatch.len(),
        "asr_ms_p50": median(&mut asr),
        "nlu_ms_p50": median(&mut nlu),
        "dispatch_ms_p50": median(&mut dispatch),
        "added_p50": median(&mut added),
        "added_p95": percentile(&mut added, 0.95),
        "added_p50_acted": median(&mut added_acted),
    });
    println!("{} clean clips ≤ {} s, {} with an action run", clips.len(), a.max_seconds, dispatch.len());
    println!(
        "  ASR p50 {:.1} ms, NLU p50 {:.3} ms, dispatch p50 {:.3} ms (turns that acted)",
        summary["asr_ms_p50"].as_f64().unwrap_or(f64::NAN),
        summary["nlu_ms_p50"].as_f64().unwrap_or(f64::NAN),
        summary["dispatch_ms_p50"].as_f64().unwrap_or(f64::NAN)
    );
    println!(
        "  NLU + dispatch as a share of ASR time: p50 {:.2} %, p95 {:.2} %, p50 over turns that acted {:.2} %",
        100.0 * summary["added_p50"].as_f64().unwrap_or(f64::NAN),
        100.0 * summary["added_p95"].as_f64().unwrap_or(f64::NAN),
        100.0 * summary["added_p50_acted"].as_f64().unwrap_or(f64::NAN)
    );
    if let Some(out) = &a.json {
        if let Some(d) = out.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(out, serde_json::to_string_pretty(&serde_json::json!({"summary": summary, "turns": rows}))?)?;
    }
    Ok(())
}
