//! Scoring the matrix's runs and writing report.json, report.md and the plots.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Instant;

use anyhow::{Context, Result};
use hush_eval::wer::{CerCounter, WerCounter};
use hush_learn::eval::{score_frames, Frame};
use serde::{Deserialize, Serialize};

use super::{Clip, Item, MatrixArgs, NluMode, Readers, RunMeta};
use crate::bench::percentile;

/// The version of report.json's layout; bumped when a field changes meaning.
pub const SCHEMA: &str = "hush-bench-matrix/1";

#[derive(Serialize, Deserialize)]
pub struct Report {
    pub schema: String,
    pub manifest: String,
    pub clips: usize,
    /// Conditions in reading order: "clean", then by falling SNR ("10dB", "5dB").
    pub conditions: Vec<String>,
    pub machine: Machine,
    pub runs: Vec<RunReport>,
    /// Each NLU mode reading the reference texts: understanding with
    /// perfect recognition, the ceiling the runs are below.
    pub reference_nlu: Vec<NluScores>,
}

#[derive(Serialize, Deserialize)]
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub hush: String,
}

#[derive(Serialize, Deserialize)]
pub struct RunReport {
    pub id: String,
    #[serde(flatten)]
    pub(crate) meta: RunMeta,
    pub clips: usize,
    pub audio_seconds: f64,
    /// Recognition time over audio time.
    pub rtf: f64,
    /// Percent, by condition and "all".
    pub wer: BTreeMap<String, f64>,
    pub cer: BTreeMap<String, f64>,
    /// Per-clip stage times: read (decode + resample), mel, encode, decode,
    /// asr (all of recognition); external engines give asr only.
    pub latency_ms: BTreeMap<String, Stats>,
    pub nlu: Vec<NluScores>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Default)]
pub struct Stats {
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub mean: f64,
}

impl Stats {
    fn of(mut v: Vec<f64>) -> Stats {
        v.sort_by(f64::total_cmp);
        let mean = v.iter().sum::<f64>() / v.len().max(1) as f64;
        Stats { p50: percentile(&v, 0.5), p95: percentile(&v, 0.95), p99: percentile(&v, 0.99), mean }
    }
}

#[derive(Serialize, Deserialize)]
pub struct NluScores {
    pub mode: NluMode,
    /// Clips whose intent this mode knows: intent accuracy and slot scores
    /// are over these.
    pub in_scope: usize,
    /// Clips whose intent it does not know: it should reject them.
    pub out_of_scope: usize,
    /// Percent, by condition and "all".
    pub intent_accuracy: BTreeMap<String, f64>,
    /// Slot scores by value (heard text differs from the reference, so
    /// spans cannot be compared); `null` when the mode's slot names are not
    /// the labels' (templates on SLURP labels).
    pub slot_f1: Option<f64>,
    pub slu_f1: Option<f64>,
    /// Percent with the intent and every slot right.
    pub exact_frame: Option<f64>,
    /// The same (command acceptance), by condition; empty when slots are
    /// not scored.
    #[serde(default)]
    pub exact_frame_by_condition: BTreeMap<String, f64>,
    /// Percent of in-scope clips answered with a wrong intent or slot (not
    /// rejected), by condition; worse for a user than a rejection.
    #[serde(default)]
    pub wrong_by_condition: BTreeMap<String, f64>,
    /// Percent of out-of-scope clips accepted, by condition.
    #[serde(default)]
    pub false_accepts_by_condition: BTreeMap<String, f64>,
    /// Percent of all scored clips not understood.
    pub rejected: f64,
    /// Percent of out-of-scope clips accepted as some intent.
    pub false_accepts: Option<f64>,
    pub latency_ms: Stats,
    /// Recognition plus understanding, per clip.
    pub turn_ms: Stats,
}

fn conditions(clips: &[Clip]) -> Vec<String> {
    let mut c: Vec<(Option<String>, bool, i64, String)> =
        clips.iter().map(|c| (c.language.clone(), c.snr_db.is_some(), -(c.snr_db.unwrap_or(0.0) * 100.0) as i64, c.condition())).collect();
    c.sort();
    c.dedup();
    c.into_iter().map(|x| x.3).collect()
}

pub(crate) fn build(a: &MatrixArgs, clips: &[Clip], runs: &[(String, RunMeta, BTreeMap<String, Item>)], readers: &Readers) -> Result<Report> {
    let conditions = conditions(clips);
    let mut out = Vec::new();
    for (id, meta, items) in runs {
        let items: Vec<(&Clip, &Item)> = clips.iter().filter_map(|c| items.get(&c.key).map(|i| (c, i))).collect();
        anyhow::ensure!(items.len() == clips.len(), "run {id}: {} of {} clips measured", items.len(), clips.len());
        let mut wer: BTreeMap<String, WerCounter> = BTreeMap::new();
        let mut cer: BTreeMap<String, CerCounter> = BTreeMap::new();
        for (c, i) in &items {
            for k in [c.condition(), "all".into()] {
                wer.entry(k.clone()).or_default().add(&c.text, &i.hypothesis);
                cer.entry(k).or_default().add(&c.text, &i.hypothesis);
            }
        }
        let stage = |f: fn(&Item) -> f64| Stats::of(items.iter().map(|(_, i)| f(i)).collect());
        let mut latency = BTreeMap::from([("asr".to_owned(), stage(|i| i.asr))]);
        if meta.engine == "hush" {
            latency.insert("read".into(), stage(|i| i.read));
            latency.insert("mel".into(), stage(|i| i.mel));
            latency.insert("encode".into(), stage(|i| i.encode));
            latency.insert("decode".into(), stage(|i| i.decode));
        }
        let audio_seconds: f64 = items.iter().map(|(_, i)| i.audio_seconds).sum();
        let nlu = readers.modes.iter().filter_map(|&mode| score_nlu(readers, mode, &items)).collect();
        out.push(RunReport {
            id: id.clone(),
            meta: meta.clone(),
            clips: items.len(),
            audio_seconds,
            rtf: items.iter().map(|(_, i)| i.asr).sum::<f64>() / 1e3 / audio_seconds.max(1e-9),
            wer: wer.iter().map(|(k, c)| (k.clone(), c.wer())).collect(),
            cer: cer.iter().map(|(k, c)| (k.clone(), c.cer())).collect(),
            latency_ms: latency,
            nlu,
        });
    }
    let perfect: Vec<Item> = clips.iter().map(|c| Item { key: c.key.clone(), hypothesis: c.text.clone(), ..Item::default() }).collect();
    let perfect: Vec<(&Clip, &Item)> = clips.iter().zip(&perfect).collect();
    Ok(Report {
        reference_nlu: readers.modes.iter().filter_map(|&mode| score_nlu(readers, mode, &perfect)).collect(),
        schema: SCHEMA.into(),
        manifest: a.manifest.display().to_string(),
        clips: clips.len(),
        conditions,
        machine: Machine { cpu: cpu_name(), cores: std::thread::available_parallelism().map_or(1, |n| n.get()), hush: env!("CARGO_PKG_VERSION").into() },
        runs: out,
    })
}

/// One NLU mode over one run's transcripts; `None` when no clip is labelled.
fn score_nlu(r: &Readers, mode: NluMode, items: &[(&Clip, &Item)]) -> Option<NluScores> {
    let labelled: Vec<(&Clip, &Item, &Frame)> = items.iter().filter_map(|(c, i)| c.gold.as_ref().map(|g| (*c, *i, g))).collect();
    if labelled.is_empty() {
        return None;
    }
    let mut pairs: Vec<(Frame, Frame)> = Vec::new();
    let mut by_condition: BTreeMap<String, Vec<(Frame, Frame)>> = BTreeMap::new();
    let (mut rejected, mut out_of_scope, mut false_accepts) = (0usize, 0usize, 0usize);
    // Per condition: (in-scope answered, out-of-scope clips, accepted).
    let mut answered: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let (mut latency, mut turn) = (Vec::new(), Vec::new());
    for (clip, item, gold) in labelled.iter().copied() {
        let t = Instant::now();
        let predicted = r.read(mode, &item.hypothesis, item.language.as_deref());
        let ms = t.elapsed().as_secs_f64() * 1e3;
        latency.push(ms);
        turn.push(item.asr + ms);
        rejected += usize::from(predicted.intent.is_none());
        let gold_intent = gold.intent.as_deref().unwrap_or("");
        let said = usize::from(predicted.intent.is_some());
        for k in [clip.condition(), "all".into()] {
            let a = answered.entry(k).or_default();
            if r.in_scope(mode, gold_intent) {
                a.0 += said;
            } else {
                a.1 += 1;
                a.2 += said;
            }
        }
        if r.in_scope(mode, gold_intent) {
            by_condition.entry(clip.condition()).or_default().push((gold.clone(), predicted.clone()));
            pairs.push((gold.clone(), predicted));
        } else {
            out_of_scope += 1;
            false_accepts += said;
        }
    }
    let same = |g: &str, p: &str| r.same(g, p);
    let all = score_frames(&pairs, same);
    let mut intent_accuracy: BTreeMap<String, f64> = by_condition.iter().map(|(k, v)| (k.clone(), 100.0 * score_frames(v, same).intent_accuracy)).collect();
    intent_accuracy.insert("all".into(), 100.0 * all.intent_accuracy);
    let slots = r.scores_slots(mode) && !pairs.is_empty();
    let mut exact_frame_by_condition: BTreeMap<String, f64> =
        if slots { by_condition.iter().map(|(k, v)| (k.clone(), 100.0 * score_frames(v, same).exact_frame)).collect() } else { BTreeMap::new() };
    if slots {
        exact_frame_by_condition.insert("all".into(), 100.0 * all.exact_frame);
    }
    let pct = |n: usize, d: usize| 100.0 * n as f64 / d.max(1) as f64;
    let in_scope_of = |k: &str| if k == "all" { pairs.len() } else { by_condition.get(k).map_or(0, Vec::len) };
    // Answered but not exact: an exact frame is always an answered one.
    let wrong_by_condition = if slots {
        answered
            .iter()
            .filter(|(k, _)| in_scope_of(k) > 0)
            .map(|(k, a)| (k.clone(), pct(a.0, in_scope_of(k)) - exact_frame_by_condition.get(k).copied().unwrap_or(0.0)))
            .collect()
    } else {
        BTreeMap::new()
    };
    let false_accepts_by_condition = answered.iter().filter(|(_, a)| a.1 > 0).map(|(k, a)| (k.clone(), pct(a.2, a.1))).collect();
    Some(NluScores {
        mode,
        in_scope: pairs.len(),
        out_of_scope,
        intent_accuracy,
        slot_f1: slots.then_some(all.slot_f1),
        slu_f1: slots.then_some(all.slu_f1),
        exact_frame: slots.then_some(100.0 * all.exact_frame),
        exact_frame_by_condition,
        wrong_by_condition,
        false_accepts_by_condition,
        rejected: pct(rejected, labelled.len()),
        false_accepts: (out_of_scope > 0).then(|| pct(false_accepts, out_of_scope)),
        latency_ms: Stats::of(latency),
        turn_ms: Stats::of(turn),
    })
}

fn cpu_name() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split(':').nth(1)).map(|s| s.trim().to_owned()))
        .unwrap_or_else(|| std::env::consts::ARCH.to_owned())
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "-".to_owned(), |v| format!("{v:.digits$}"))
}

/// The report as Markdown: a recognition table, a stage-latency table and an
/// understanding table, with the same figures as report.json (rounded).
pub fn markdown(r: &Report, baseline: Option<&Report>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# hush bench matrix\n\n{} clips of `{}`; {} ({} cores), hush {}.\n",
        r.clips,
        r.manifest,
        r.machine.cpu,
        r.machine.cores,
        r.hush_version()
    );
    let _ = writeln!(s, "## Recognition\n");
    let mut head = "| run | engine | model | weights | trim | beam | file MB | peak RSS MB | load ms |".to_owned();
    head.push_str(&per_condition(r, |c| format!("WER {c}")));
    head.push_str(" CER all | ASR p50 ms | p95 ms | p99 ms | RTF |");
    let _ = writeln!(s, "{head}\n{}", separator(&head));
    for run in &r.runs {
        let m = &run.meta;
        let _ = write!(
            s,
            "| {} | {} | {} | {} | {} | {} | {:.1} | {:.0} | {:.0} |",
            run.id,
            m.engine,
            m.model,
            if m.weights.is_empty() || m.weights == m.quant { m.quant.clone() } else { format!("{} {}", m.quant, m.weights) },
            m.trim.map_or("-", |t| if t { "on" } else { "off" }),
            m.beam.map_or("-".into(), |b| if m.decode.is_empty() || m.decode == "free" { b.to_string() } else { format!("{b} {}", m.decode) }),
            m.model_file_mb,
            m.peak_rss_mb,
            m.load_ms
        );
        s.push_str(&per_condition(r, |c| opt(run.wer.get(c).copied(), 2)));
        let asr = run.latency_ms.get("asr").copied().unwrap_or_default();
        let _ = writeln!(s, " {} | {:.1} | {:.1} | {:.1} | {:.3} |", opt(run.cer.get("all").copied(), 2), asr.p50, asr.p95, asr.p99, run.rtf);
    }
    let _ = writeln!(s, "\n## Stage latency (p50 / p95 ms per clip)\n");
    let head = "| run | read | mel | encode | decode |";
    let _ = writeln!(s, "{head}\n{}", separator(head));
    for run in r.runs.iter().filter(|run| run.latency_ms.contains_key("encode")) {
        let _ = write!(s, "| {} |", run.id);
        for k in ["read", "mel", "encode", "decode"] {
            let st = run.latency_ms.get(k).copied().unwrap_or_default();
            let _ = write!(s, " {:.1} / {:.1} |", st.p50, st.p95);
        }
        s.push('\n');
    }
    if r.runs.iter().any(|run| !run.nlu.is_empty()) {
        let _ = writeln!(s, "\n## Understanding (intent accuracy % over clips the mode knows; slots by value)\n");
        let mut head = "| run | NLU | in scope |".to_owned();
        head.push_str(&per_condition(r, |c| format!("intent {c}")));
        head.push_str(" SLU-F1 | slot F1 | exact frame % | rejected % | false accepts % | NLU p50 ms | turn p50 ms | turn p95 ms |");
        let _ = writeln!(s, "{head}\n{}", separator(&head));
        let rows = r.runs.iter().flat_map(|run| run.nlu.iter().map(move |n| (run.id.as_str(), n)));
        for (id, n) in rows.chain(r.reference_nlu.iter().map(|n| ("reference text", n))) {
            let _ = write!(s, "| {} | {} | {} |", id, mode_name(n.mode), n.in_scope);
            s.push_str(&per_condition(r, |c| opt(n.intent_accuracy.get(c).copied(), 2)));
            let _ = writeln!(
                s,
                " {} | {} | {} | {:.2} | {} | {:.3} | {:.1} | {:.1} |",
                opt(n.slu_f1, 3),
                opt(n.slot_f1, 3),
                opt(n.exact_frame, 2),
                n.rejected,
                opt(n.false_accepts, 2),
                n.latency_ms.p50,
                n.turn_ms.p50,
                n.turn_ms.p95
            );
        }
    }
    let accepting: Vec<(&str, &NluScores)> = r
        .runs
        .iter()
        .flat_map(|run| run.nlu.iter().map(move |n| (run.id.as_str(), n)))
        .chain(r.reference_nlu.iter().map(|n| ("reference text", n)))
        .filter(|(_, n)| !n.exact_frame_by_condition.is_empty())
        .collect();
    if !accepting.is_empty() {
        let _ = writeln!(s, "\n## Command acceptance (% with the intent and every slot exact)\n");
        let mut head = "| run | NLU |".to_owned();
        head.push_str(&per_condition(r, |c| c.to_owned()));
        let _ = writeln!(s, "{head}\n{}", separator(&head));
        for (id, n) in &accepting {
            let _ = write!(s, "| {} | {} |", id, mode_name(n.mode));
            s.push_str(&per_condition(r, |c| opt(n.exact_frame_by_condition.get(c).copied(), 2)));
            s.push('\n');
        }
        for (title, cells) in [
            (
                "Wrong answers (% of commands answered with a wrong intent or slot)",
                (|n: &NluScores| &n.wrong_by_condition) as fn(&NluScores) -> &BTreeMap<String, f64>,
            ),
            ("False accepts (% of out-of-scope clips answered)", |n| &n.false_accepts_by_condition),
        ] {
            let rows: Vec<_> = accepting.iter().filter(|(_, n)| !cells(n).is_empty()).collect();
            if rows.is_empty() {
                continue;
            }
            let _ = writeln!(s, "\n## {title}\n");
            let _ = writeln!(s, "{head}\n{}", separator(&head));
            for (id, n) in rows {
                let _ = write!(s, "| {} | {} |", id, mode_name(n.mode));
                s.push_str(&per_condition(r, |c| opt(cells(n).get(c).copied(), 2)));
                s.push('\n');
            }
        }
    }
    if let Some(old) = baseline {
        let _ = writeln!(s, "\n## Against the baseline\n");
        s.push_str(&deltas(r, old));
    }
    s
}

impl Report {
    fn hush_version(&self) -> &str {
        &self.machine.hush
    }
}

/// Table cells, one per condition and then "all".
fn per_condition(r: &Report, cell: impl Fn(&str) -> String) -> String {
    r.conditions.iter().map(String::as_str).chain(["all"]).map(|c| format!(" {} |", cell(c))).collect()
}

fn separator(head: &str) -> String {
    let cols = head.matches('|').count().saturating_sub(1);
    format!("|{}", "---|".repeat(cols))
}

pub fn mode_name(m: NluMode) -> &'static str {
    match m {
        NluMode::Templates => "templates",
        NluMode::Learned => "learned",
        NluMode::Fused => "fused",
    }
}

/// Changes of the runs both reports have: WER and intent accuracy (per
/// NLU mode) in points, recognition p50 as a ratio (timings vary from run
/// to run, accuracy does not).
pub fn deltas(new: &Report, old: &Report) -> String {
    let head = "| run | NLU | WER all | Δ WER | intent all | Δ intent | ASR p50 ms | × baseline |";
    let mut s = format!("{head}\n{}\n", separator(head));
    let mut shared = 0;
    for run in &new.runs {
        let Some(prev) = old.runs.iter().find(|o| o.id == run.id) else { continue };
        shared += 1;
        let wer = |r: &RunReport| r.wer.get("all").copied();
        let p50 = |r: &RunReport| r.latency_ms.get("asr").map_or(f64::NAN, |s| s.p50);
        let delta = |a: Option<f64>, b: Option<f64>| opt(a.zip(b).map(|(a, b)| a - b), 2);
        let modes: Vec<Option<NluMode>> = if run.nlu.is_empty() { vec![None] } else { run.nlu.iter().map(|n| Some(n.mode)).collect() };
        for mode in modes {
            let intent = |r: &RunReport| mode.and_then(|m| r.nlu.iter().find(|n| n.mode == m)).and_then(|n| n.intent_accuracy.get("all").copied());
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {:.1} | {:.2} |",
                run.id,
                mode.map_or("-", mode_name),
                opt(wer(run), 2),
                delta(wer(run), wer(prev)),
                opt(intent(run), 2),
                delta(intent(run), intent(prev)),
                p50(run),
                p50(run) / p50(prev)
            );
        }
    }
    if shared == 0 {
        s.push_str("(no run of this matrix is in the baseline)\n");
    }
    s
}

pub(crate) fn write(a: &MatrixArgs, report: &Report) -> Result<()> {
    let baseline: Option<Report> = match &a.baseline {
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            let old: Report = serde_json::from_str(&text).with_context(|| format!("{}: not a hush bench matrix report", p.display()))?;
            anyhow::ensure!(old.schema == SCHEMA, "{}: schema {} (this hush writes {SCHEMA})", p.display(), old.schema);
            Some(old)
        }
        None => None,
    };
    let json = a.out.join("report.json");
    std::fs::write(&json, serde_json::to_string_pretty(report)?).with_context(|| json.display().to_string())?;
    let md = markdown(report, baseline.as_ref());
    std::fs::write(a.out.join("report.md"), &md)?;
    let plots = super::plot::all(report, &a.out)?;
    print!("{md}");
    eprintln!("wrote {}, report.md and {} in {}", json.display(), plots.join(", "), a.out.display());
    Ok(())
}
