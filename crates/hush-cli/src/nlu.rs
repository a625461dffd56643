//! `hush parse`, `hush intents ...` and `hush bench nlu`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use hush::parts::{ReadBy, Understanding, LEARNED_THRESHOLD};
use hush_eval::nlu::{evaluate, read_labeled, SLURP_TO_BUILTIN};
use hush_nlu::{IntentSet, Language, MatchParams, Matcher};
use serde::{Deserialize, Serialize};

#[derive(Args, Clone)]
pub struct IntentArgs {
    /// Directory of intent files (default: the built-in domains).
    #[arg(long)]
    intents: Option<PathBuf>,
    /// Confidence below which a parse is "not understood".
    #[arg(long, default_value_t = MatchParams::default().threshold)]
    threshold: f32,
    /// Read with the templates alone: without the built-in domains'
    /// learned model, which the engine adds by default.
    #[arg(long)]
    templates_only: bool,
    /// The built-in domains in these languages (en, the default; id; zh;
    /// several as one engine: `en,id`).
    #[arg(long, value_name = "LANGUAGES", value_delimiter = ',', conflicts_with = "intents", value_parser = language)]
    domains: Vec<Language>,
}

fn language(code: &str) -> Result<Language, String> {
    Language::from_code(code).ok_or_else(|| format!("hush has no built-in domains in {code:?} (it has {})", Language::codes()))
}

impl IntentArgs {
    pub fn matcher(&self) -> Result<Matcher> {
        anyhow::ensure!((0.0..=1.0).contains(&self.threshold), "--threshold must be within 0..1");
        let set = match &self.intents {
            Some(dir) => IntentSet::load_dir(dir)?,
            None => IntentSet::builtin_for(&self.languages())?,
        };
        Ok(Matcher::new(set, MatchParams { threshold: self.threshold, ..MatchParams::default() }))
    }

    /// These, with the built-in domains in the languages Whisper is told
    /// (`--language id`) or detects among (`--languages en,id`) unless
    /// intent files or domains are named.
    pub fn heard_in(&self, code: Option<&str>, codes: &[String]) -> IntentArgs {
        let mut out = self.clone();
        if out.intents.is_none() && out.domains.is_empty() {
            out.domains.extend(code.and_then(Language::from_code));
            out.domains.extend(codes.iter().filter_map(|c| Language::from_code(c)).filter(|l| Some(l.code()) != code));
        }
        out
    }

    /// The languages of the built-in domains read.
    fn languages(&self) -> Vec<Language> {
        if self.domains.is_empty() {
            vec![Language::English]
        } else {
            self.domains.clone()
        }
    }

    /// The templates alone.
    pub fn templates(&self) -> Result<Understanding> {
        Ok(Understanding::new(self.matcher()?))
    }

    /// Whether these are the built-in domains with English among them,
    /// whose sentences the built-in learned model reads.
    pub fn builtin(&self) -> bool {
        self.intents.is_none() && self.languages().contains(&Language::English)
    }

    /// As the engine reads: the built-in domains with their learned model
    /// (when its encoder is installed), other intent files with templates.
    pub fn understanding(&self) -> Result<Understanding> {
        let u = self.templates()?;
        if !self.builtin() || self.templates_only {
            return Ok(u);
        }
        Ok(match hush::parts::builtin_learned()? {
            Some(model) => u.with_builtin_model(model, hush::parts::BUILTIN_THRESHOLD),
            None => u,
        })
    }
}

#[derive(Args)]
pub struct ParseArgs {
    /// What was said (a transcript); each argument is one sentence, read
    /// on its own (quote a sentence of several words).
    #[arg(required = true)]
    text: Vec<String>,
    #[command(flatten)]
    intents: IntentArgs,
    /// A model trained with `hush train`, read when no template matches
    /// word for word (as `hush run --learned`; `--model` is always a
    /// Whisper model id).
    #[arg(long, value_name = "DIR")]
    learned: Option<PathBuf>,
    /// Calibrated confidence the learned model needs to answer.
    #[arg(long, default_value_t = LEARNED_THRESHOLD, value_parser = confidence)]
    learned_threshold: f32,
    #[command(flatten)]
    show: ShowArgs,
}

#[derive(Subcommand)]
pub enum IntentsCommand {
    /// Check intent files and report every problem with file:line:col.
    Check {
        /// Directory of intent files (default: the built-in domains).
        dir: Option<PathBuf>,
    },
    /// Generate sentences from the templates.
    Sample {
        /// Directory of intent files (default: the built-in domains).
        dir: Option<PathBuf>,
        /// Sentences per template.
        #[arg(long, default_value_t = 2)]
        per_template: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Only this intent.
        #[arg(long)]
        intent: Option<String>,
        /// One JSON object per line (text, intent, slots).
        #[arg(long)]
        json: bool,
    },
    /// Convert a Picovoice Rhino context or Home Assistant (hassil) sentences to a hush intent file.
    Import {
        /// A Rhino context YAML file.
        #[arg(long, conflicts_with = "hassil", required_unless_present = "hassil")]
        rhino: Option<PathBuf>,
        /// A hassil sentences file or a directory of them.
        #[arg(long)]
        hassil: Option<PathBuf>,
        /// Write here instead of standard output.
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

#[derive(Args)]
pub struct NluBenchArgs {
    /// JSONL of labelled sentences.
    #[arg(long)]
    data: PathBuf,
    /// `slurp` rows are mapped to built-in intents (see hush_eval::nlu::SLURP_TO_BUILTIN);
    /// `hush` rows carry our intent names (null for out-of-domain).
    #[arg(long, default_value = "hush", value_parser = ["hush", "slurp", "snips"])]
    format: String,
    /// Score a model trained with `hush train` (intent accuracy, SLU-F1,
    /// slot F1, exact frame) instead of the templates.
    #[arg(long, value_name = "DIR")]
    learned: Option<PathBuf>,
    /// With --learned: score only the sentences `hush train --val SHARE
    /// --seed SEED` held out of this same file for validation (a model
    /// trained on --data alone), e.g. to read a model again after a
    /// decoding change.
    #[arg(long, value_name = "SHARE", requires = "learned", value_parser = crate::share)]
    val_split: Option<f64>,
    #[arg(long, default_value_t = hush_learn::TrainParams::default().seed, requires = "val_split")]
    seed: u64,
    #[command(flatten)]
    intents: IntentArgs,
    /// Score these readers on a paraphrase set (`benches/paraphrases`:
    /// intents with slot words, null for out of domain): intent accuracy,
    /// slot exactness and false accepts, by intent and by part. learned
    /// and fused read with --learned DIR.
    #[arg(long, value_delimiter = ',')]
    modes: Vec<NluMode>,
    /// With --modes: the calibrated confidence the learned model needs to
    /// answer (or to call a sentence out of domain); default 0.5 for
    /// --learned DIR, 0.7 for the built-in domains' model (as the engine).
    #[arg(long, value_parser = confidence)]
    learned_threshold: Option<f32>,
    /// Print this many misparsed sentences.
    #[arg(long, default_value_t = 0)]
    show_misses: usize,
    /// Write the full report as JSON here.
    #[arg(long)]
    json: Option<PathBuf>,
}

/// How to show parses.
#[derive(Args, Clone, Copy)]
pub struct ShowArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Show the N best parses, whatever their confidence.
    #[arg(long, default_value_t = 1)]
    nbest: usize,
    /// Print sensitive slot values instead of hiding them.
    #[arg(long)]
    show_sensitive: bool,
}

/// Prints each sentence's parses; whether any was understood.
pub fn parse(a: &ParseArgs) -> Result<bool> {
    let u = match &a.learned {
        Some(dir) => {
            let model = hush::parts::load_learned(dir).with_context(|| format!("loading the learned model {}", dir.display()))?;
            a.intents.templates()?.with_model(model, a.learned_threshold)
        }
        None => a.intents.understanding()?,
    };
    let mut understood = false;
    for text in &a.text {
        if a.show.json {
            let v = parse_json(&u, text, &a.show, None, Default::default());
            understood |= !v["intent"].is_null();
            println!("{v}");
        } else {
            if a.text.len() > 1 {
                println!("\"{text}\"");
            }
            understood |= print_parses(&u, text, &a.show);
        }
    }
    Ok(understood)
}

/// What `text` reads as, and who read it: the engine's reading (templates
/// or learned model) first, then the templates' next best candidates.
fn parses(u: &Understanding, text: &str, show: &ShowArgs) -> (Option<ReadBy>, Vec<hush_nlu::Intent>) {
    let n = show.nbest.max(1);
    let mut parses = u.matcher().parse_nbest(text, n);
    let reading = u.read(text);
    let source = reading.as_ref().map(|r| r.source);
    if let Some(r) = reading {
        parses.retain(|p| p.name != r.intent.name);
        parses.insert(0, r.intent);
        parses.truncate(n);
    }
    (source, parses)
}

/// What `text` reads as, in the one turn schema (`hush::json`): a turn
/// understood but not acted on (no prompt, nothing awaited, no outcome),
/// with `parses` listing the candidates; sensitive values hidden unless
/// asked.
pub fn parse_json(
    u: &Understanding,
    text: &str,
    show: &ShowArgs,
    heard_by: Option<hush::parts::HeardBy>,
    mut timings: hush::parts::TurnTimings,
) -> serde_json::Value {
    let m = u.matcher();
    let t = std::time::Instant::now();
    let (source, parses) = parses(u, text, show);
    timings.nlu = t.elapsed();
    timings.total += timings.nlu;
    let slots_json = |p: &hush_nlu::Intent| -> Vec<serde_json::Value> { p.slots.iter().map(|s| s.to_json(show.show_sensitive)).collect() };
    let best = parses.first().filter(|_| source.is_some());
    let turn = hush::Turn {
        transcript: text.to_owned(),
        intent: best.map(|p| p.name.clone()),
        source,
        heard_by,
        language: best.map(|p| p.language.code().to_owned()),
        slots: best.map(|p| p.slots.clone()).unwrap_or_default(),
        confidence: best.map_or(0.0, |p| p.confidence),
        prompt: None,
        awaiting: None,
        outcome: None,
        timings,
    };
    let mut v = hush::json::turn(&turn);
    if let Some(p) = best {
        v["slots"] = slots_json(p).into();
    }
    v["parses"] = parses
        .iter()
        .map(|p| {
            serde_json::json!({
                "intent": p.name,
                "confidence": p.confidence,
                "cost": p.cost,
                "slots": slots_json(p),
                "missing": p.missing,
                "template": p.template,
                "confirm": m.intents().intent(&p.name).is_some_and(|i| i.confirm),
            })
        })
        .collect::<Vec<_>>()
        .into();
    v
}

/// The parses of `text` for people; whether it was understood.
pub fn print_parses(u: &Understanding, text: &str, show: &ShowArgs) -> bool {
    let m = u.matcher();
    let (source, parses) = parses(u, text, show);
    if source.is_none() {
        println!("not understood{}", parses.first().map_or(String::new(), |p| format!(" (closest: {} at {:.2})", p.name, p.confidence)));
        if show.nbest <= 1 {
            return false;
        }
    }
    for (i, p) in parses.iter().enumerate() {
        let confirm = m.intents().intent(&p.name).is_some_and(|x| x.confirm);
        let rank = if parses.len() > 1 { format!("{}. ", i + 1) } else { String::new() };
        let by = match (i, source) {
            (0, Some(ReadBy::Learned)) => ", learned model",
            (0, Some(ReadBy::Template)) if u.model().is_some() => ", templates",
            _ => "",
        };
        println!("{rank}{} (confidence {:.2}{by}){}", p.name, p.confidence, if confirm { " [needs confirmation]" } else { "" });
        for s in &p.slots {
            if s.sensitive && !show.show_sensitive {
                println!("  {} = <redacted>", s.name);
            } else {
                println!("  {} = {}{}", s.name, s.value, if s.raw.is_empty() { String::new() } else { format!("  (\"{}\")", s.raw) });
            }
        }
        if !p.missing.is_empty() {
            println!("  missing: {}", p.missing.join(", "));
        }
        if !p.template.is_empty() {
            println!("  template: {}", p.template);
        }
    }
    source.is_some()
}

/// The intent files of `dir`, or the built-in domains.
fn load(dir: Option<&Path>) -> Result<IntentSet> {
    Ok(match dir {
        Some(d) => IntentSet::load_dir(d)?,
        None => IntentSet::builtin()?,
    })
}

pub fn intents(cmd: &IntentsCommand) -> Result<()> {
    match cmd {
        IntentsCommand::Check { dir } => {
            let set = match load(dir.as_deref()) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("{e:#}");
                    bail!("the intent files have problems (above)");
                }
            };
            let m = Matcher::new(set, MatchParams::default());
            let set = m.intents();
            let templates: usize = set.intents.iter().map(|i| i.templates.len()).sum();
            println!(
                "ok: {} intents, {} templates, {} lists, {} rules → {} matcher states",
                set.intents.len(),
                templates,
                set.lists.len(),
                set.rules.len(),
                m.state_count()
            );
            for i in &set.intents {
                let slots: Vec<String> = i.slots.iter().map(|s| format!("{}{}", s.name, if s.sensitive { "*" } else { "" })).collect();
                println!(
                    "  {:<16} {:<12} {:>3} templates {:>2} examples  slots: {}{}",
                    i.name,
                    i.domain,
                    i.templates.len(),
                    i.examples.len(),
                    if slots.is_empty() { "-".into() } else { slots.join(", ") },
                    if i.confirm { "  [confirm]" } else { "" }
                );
            }
            Ok(())
        }
        IntentsCommand::Sample { dir, per_template, seed, intent, json } => {
            let set = load(dir.as_deref())?;
            if let Some(name) = intent {
                anyhow::ensure!(set.intent(name).is_some(), "no intent '{name}' in these files");
            }
            for s in hush_nlu::sample(&set, *per_template, *seed) {
                if intent.as_ref().is_some_and(|n| *n != s.intent) {
                    continue;
                }
                if *json {
                    let slots: serde_json::Map<String, serde_json::Value> =
                        s.slots.iter().map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or_default())).collect();
                    // Where each said slot is (characters, end exclusive): a
                    // hush-format label for `hush bench matrix --format hush`.
                    let spans: Vec<serde_json::Value> =
                        s.spans.iter().map(|(name, start, end)| serde_json::json!({"name": name, "start": start, "end": end})).collect();
                    println!("{}", serde_json::json!({"text": s.text, "intent": s.intent, "slots": slots, "spans": spans}));
                } else {
                    println!("{:<16} {}", s.intent, s.text);
                }
            }
            Ok(())
        }
        IntentsCommand::Import { rhino, hassil, out } => {
            let yaml = match (rhino, hassil) {
                (Some(f), _) => hush_nlu::import::rhino_file(f)?,
                (None, Some(p)) => hush_nlu::import::hassil_path(p)?,
                (None, None) => bail!("give --rhino FILE or --hassil PATH"),
            };
            // What we write must load.
            IntentSet::from_sources(&[("imported.yaml", &yaml)]).context("the converted intents do not load (a bug: please report it)")?;
            match out {
                Some(path) => {
                    std::fs::write(path, &yaml).with_context(|| format!("writing {}", path.display()))?;
                    eprintln!("wrote {}", path.display());
                }
                None => print!("{yaml}"),
            }
            Ok(())
        }
    }
}

pub fn bench(a: &NluBenchArgs) -> Result<()> {
    if !a.modes.is_empty() {
        return bench_readers(a);
    }
    if let Some(model) = &a.learned {
        let format = match a.format.as_str() {
            "slurp" => hush_learn::Format::Slurp,
            "snips" => hush_learn::Format::Snips,
            _ => hush_learn::Format::Hush,
        };
        return crate::learn::bench(model, &a.data, format, a.val_split.map(|share| (share, a.seed)), a.show_misses, a.json.as_deref());
    }
    anyhow::ensure!(a.format != "snips", "SNIPS intents are not built-in domains: score a trained model with --learned DIR");
    let m = a.intents.matcher()?;
    let text = std::fs::read_to_string(&a.data).with_context(|| format!("reading {}", a.data.display()))?;
    let data = read_labeled(&text, a.format == "slurp", SLURP_TO_BUILTIN).map_err(|e| anyhow::anyhow!("{}: {e}", a.data.display()))?;
    anyhow::ensure!(!data.is_empty(), "{}: no sentences", a.data.display());
    let r = evaluate(&m, &data);
    println!("{}: {} sentences ({} in domain, {} out of domain, {} other)", a.data.display(), r.sentences, r.in_domain, r.out_of_domain, r.other);
    println!("  accepted {} ({} correct) at threshold {:.2}", r.accepted, r.correct, m.params().threshold);
    println!("  precision           {:>6.2} %  (in-domain sentences: {:.2} %)", r.precision * 100.0, r.in_domain_precision * 100.0);
    println!("  recall (accuracy)   {:>6.2} %", r.recall * 100.0);
    println!("  out-of-domain rejected {:>6.2} %", r.out_of_domain_rejected * 100.0);
    if r.other > 0 {
        println!("  other rejected      {:>6.2} %  (uncovered intents of covered topics)", r.other_rejected * 100.0);
    }
    println!("  latency p50 {:.1} µs, p95 {:.1} µs per sentence", r.latency_us_p50, r.latency_us_p95);
    println!("  calibration error (ECE) {:.3} over all sentences, {:.3} over those with a candidate parse", r.calibration_error, r.calibration_error_parsed);
    println!("  {:>9} {:>6} {:>10} {:>9}", "confidence", "count", "mean conf", "accuracy");
    for b in r.calibration.iter().filter(|b| b.count > 0) {
        println!("  {:>4.1}-{:<4.1} {:>6} {:>10.2} {:>9.2}", b.from, b.to, b.count, b.mean_confidence, b.accuracy);
    }
    println!("  per intent (tp/fp/fn):");
    for (name, s) in &r.per_intent {
        println!("    {:<16} {:>4} {:>4} {:>4}", name, s.true_positives, s.false_positives, s.false_negatives);
    }
    for miss in r.misses.iter().take(a.show_misses) {
        println!(
            "  miss: \"{}\" gold {} got {} ({:.2})",
            miss.text,
            miss.gold.as_deref().unwrap_or("-"),
            miss.predicted.as_deref().unwrap_or("-"),
            miss.confidence
        );
    }
    if let Some(path) = &a.json {
        std::fs::write(path, serde_json::to_string_pretty(&r)?).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// `hush bench nlu --modes ...`: each reader on a paraphrase set.
fn bench_readers(a: &NluBenchArgs) -> Result<()> {
    use hush_eval::frames::{ratio, read_sentences, score, FrameReport};
    let text = std::fs::read_to_string(&a.data).with_context(|| format!("reading {}", a.data.display()))?;
    let data = read_sentences(&text).map_err(|e| anyhow::anyhow!("{}: {e}", a.data.display()))?;
    anyhow::ensure!(!data.is_empty(), "{}: no sentences", a.data.display());
    let templates = a.intents.templates()?;
    let needs_model = a.modes.iter().any(|m| *m != NluMode::Templates);
    let threshold = a.learned_threshold.unwrap_or(if a.learned.is_some() { LEARNED_THRESHOLD } else { hush::parts::BUILTIN_THRESHOLD });
    let model = match &a.learned {
        Some(dir) if needs_model => Some(hush::parts::load_learned(dir).with_context(|| format!("loading the learned model {}", dir.display()))?.into()),
        None if needs_model && a.intents.builtin() => hush::parts::builtin_learned()?,
        _ => None,
    };
    let fused = model
        .map(|m| a.intents.templates().map(|u| if a.learned.is_some() { u.with_model(m, threshold) } else { u.with_builtin_model(m, threshold) }))
        .transpose()?;
    anyhow::ensure!(
        !needs_model || fused.is_some(),
        "the learned and fused modes need a learned model: --learned DIR (from `hush train`), or the built-in domains' (needs `hush models import minilm`)"
    );
    let m = templates.matcher();
    let mut reports: Vec<(NluMode, FrameReport)> = Vec::new();
    for &mode in &a.modes {
        let u = fused.as_ref();
        let r = score(m, &data, |text| {
            let reading = match mode {
                NluMode::Templates => templates.read(text),
                NluMode::Learned => u.and_then(|u| u.read_learned(text)),
                NluMode::Fused => u.and_then(|u| u.read(text)),
            };
            reading.map(|r| r.intent)
        });
        reports.push((mode, r));
    }
    let pct = |a: usize, b: usize| ratio(a, b) * 100.0;
    let first = &reports[0].1;
    println!(
        "{}: {} sentences ({} in domain, {} with labelled slots; {} out of domain)",
        a.data.display(),
        data.len(),
        first.in_domain.sentences,
        first.in_domain.slots_labelled,
        first.out_of_domain
    );
    println!("  {:<10} {:>8} {:>8} {:>14} {:>10} {:>10}", "reader", "intent", "slots", "false accepts", "p50 ms", "p95 ms");
    for (mode, r) in &reports {
        println!(
            "  {:<10} {:>7.2}% {:>7.2}% {:>6} ({:>5.2}%) {:>10.3} {:>10.3}",
            format!("{mode:?}").to_lowercase(),
            r.intent_accuracy() * 100.0,
            r.slot_exactness() * 100.0,
            r.false_accepts,
            r.false_accept_rate() * 100.0,
            r.latency_us.0 / 1e3,
            r.latency_us.1 / 1e3
        );
    }
    let header: Vec<String> = reports.iter().map(|(m, _)| format!("{:>22}", format!("{m:?}").to_lowercase())).collect();
    println!("  by intent (intent % / slots % / read wrongly as it):\n  {:<16} {:>4} {}", "intent", "n", header.join(""));
    for name in first.per_intent.keys() {
        let cells: Vec<String> = reports
            .iter()
            .map(|(_, r)| {
                let t = r.per_intent.get(name).cloned().unwrap_or_default();
                format!("{:>22}", format!("{:.0} / {:.0} / {}", pct(t.intent_right, t.sentences), pct(t.slots_exact, t.slots_labelled), t.wrongly_read_as))
            })
            .collect();
        println!("  {:<16} {:>4} {}", name, first.per_intent[name].sentences, cells.join(""));
    }
    println!("  by part (right %: intent for in-domain, rejected for out-of-domain):");
    for part in first.per_part.keys() {
        let cells: Vec<String> = reports
            .iter()
            .map(|(_, r)| {
                let t = r.per_part.get(part).cloned().unwrap_or_default();
                format!("{:>22}", format!("{:.1}", pct(t.intent_right, t.sentences)))
            })
            .collect();
        println!("  {:<16} {:>4} {}", part, first.per_part[part].sentences, cells.join(""));
    }
    if first.per_language.keys().any(|l| !l.is_empty()) {
        println!("  by language (intent % / slots % / false accepts):");
        for (language, l) in &first.per_language {
            let cells: Vec<String> = reports
                .iter()
                .map(|(_, r)| {
                    let t = r.per_language.get(language).cloned().unwrap_or_default();
                    let cell = format!(
                        "{:.1} / {:.1} / {}",
                        pct(t.in_domain.intent_right, t.in_domain.sentences),
                        pct(t.in_domain.slots_exact, t.in_domain.slots_labelled),
                        t.false_accepts
                    );
                    format!("{cell:>22}")
                })
                .collect();
            let name = if language.is_empty() { "(not said)" } else { language };
            println!("  {:<16} {:>4} {}  (of {} out of domain)", name, l.in_domain.sentences + l.out_of_domain, cells.join(""), l.out_of_domain);
        }
    }
    let mut unreadable = first.unreadable_gold.clone();
    unreadable.sort();
    unreadable.dedup();
    if !unreadable.is_empty() {
        println!("  note: {} labelled slot values do not read as their slot's type (compared as words): {}", unreadable.len(), unreadable.join("; "));
    }
    for (mode, r) in &reports {
        for miss in r.misses.iter().take(a.show_misses) {
            println!(
                "  {:?} miss [{}]: \"{}\" gold {}{} read {} {}",
                mode,
                miss.part,
                miss.text,
                miss.gold.as_deref().unwrap_or("-"),
                if miss.labelled.is_empty() { String::new() } else { format!(" ({})", miss.labelled.join(" ")) },
                miss.read.as_deref().unwrap_or("-"),
                miss.slots.join(" ")
            );
        }
    }
    if let Some(path) = &a.json {
        let v: serde_json::Map<String, serde_json::Value> =
            reports.iter().map(|(m, r)| Ok((format!("{m:?}").to_lowercase(), serde_json::to_value(r)?))).collect::<Result<_>>()?;
        std::fs::write(path, serde_json::to_string_pretty(&v)?).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// Who turns a transcript into an intent.
#[derive(ValueEnum, Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NluMode {
    /// The intent files' templates alone.
    Templates,
    /// The learned model alone, above its calibrated threshold.
    Learned,
    /// The engine's fusion of both (`hush::parts::Understanding`).
    Fused,
}

/// `--learned-threshold`'s values: a calibrated confidence, 0 to 1.
pub(crate) fn confidence(s: &str) -> Result<f32, String> {
    s.parse::<f32>().ok().filter(|t| (0.0..=1.0).contains(t)).ok_or_else(|| "a confidence within 0..1".into())
}
