//! `hush train-wake`: the wake-phrase model trained on spoken clips
//! (benches/wake/generate.py) with noise, reverberation, level and timing
//! drawn afresh every epoch, so the model learns the phrase rather than the
//! recordings.

use crate::live_bench::load;
use crate::run::percentile;
use anyhow::{Context, Result};
use candle_core::{DType, Device, Tensor};
use candle_nn::{AdamW, Optimizer, ParamsAdamW, VarBuilder, VarMap};
use clap::Args;
use hush_asr::mel::{MelFrontEnd, HOP};
use hush_asr::wake::{wake_features, WakeMeta, WakeNet, WAKE_FRAMES, WAKE_MELS};
use hush_audio::SAMPLE_RATE;
use hush_eval::mix::{at_level, cabin_echo, road_noise};
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct TrainWakeArgs {
    /// The clips' manifest (benches/wake/generate.py); its train half is used.
    #[arg(long, default_value = "target/bench/wake/manifest.jsonl")]
    data: PathBuf,
    /// The noise recordings: the first half of each is trained on, the
    /// second is `hush bench wake`'s.
    #[arg(long, default_value = "../shared/data/noise")]
    noise_dir: PathBuf,
    /// The phrase the clips say.
    #[arg(long, default_value = "hey hush")]
    phrase: String,
    #[arg(long, default_value_t = 24)]
    epochs: usize,
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Validate on this espeak-ng accent of the train half, kept out of
    /// training, and set the threshold to keep 99 % of its phrases (as
    /// `--threshold` was chosen: on en-gb-x-gbclan). Without it, a tenth of
    /// the train half validates and `--threshold` is written.
    #[arg(long)]
    val_voice: Option<String>,
    /// The probability at which the model lets an utterance through to
    /// Whisper (see docs/BENCHMARKS.md, "The wake phrase").
    #[arg(long, default_value_t = 0.038)]
    threshold: f32,
    /// Where to write model.json and weights.safetensors.
    #[arg(long, default_value = "models/wake")]
    out: PathBuf,
}

/// The recordings (each cut to one half) named in NOISES, plus synthetic
/// road noise.
pub(crate) fn noise_half(dir: &Path, second: bool) -> Result<Vec<Vec<f32>>> {
    let mut out = Vec::new();
    for name in crate::live_bench::NOISES {
        let all = load(&dir.join(format!("{name}.wav")))?;
        // Noise is looped by index modulo its length.
        anyhow::ensure!(all.len() >= 2 * SAMPLE_RATE as usize, "{name}.wav: under 2 s of noise, too short to halve");
        let mid = all.len() / 2;
        out.push(if second { all[mid..].to_vec() } else { all[..mid].to_vec() });
    }
    out.push(road_noise(30.0, if second { 2 } else { 1 }));
    Ok(out)
}

pub(crate) struct Clip {
    pub samples: Vec<f32>,
    pub wake: bool,
    pub family: String,
    pub voice: String,
    pub text: String,
    /// A negative opened by a near-phrase ("hey josh", "hush now").
    pub near: bool,
}

/// The manifest's clips of one split.
pub(crate) fn clips(manifest: &Path, split: &str) -> Result<Vec<Clip>> {
    let dir = manifest.parent().unwrap_or(Path::new("."));
    let text = std::fs::read_to_string(manifest).with_context(|| manifest.display().to_string())?;
    let rows: Vec<serde_json::Value> = text.lines().map(serde_json::from_str).collect::<Result<_, _>>()?;
    rows.par_iter()
        .filter(|r| r["split"] == split)
        .map(|r| {
            let audio = r["audio"].as_str().context("a row without audio")?;
            Ok(Clip {
                samples: load(&dir.join(audio))?,
                wake: r["wake"].as_bool().context("a row without wake")?,
                family: r["family"].as_str().unwrap_or("?").to_owned(),
                voice: r["voice"].as_str().unwrap_or("?").to_owned(),
                text: r["text"].as_str().unwrap_or("").to_owned(),
                near: r["near"].as_bool().unwrap_or(false),
            })
        })
        .collect()
}

/// `speech` at `level` dBFS with `noise` under it at `snr` dB, from an
/// offset drawn by `rng`.
pub(crate) fn under_noise(speech: &[f32], level: f32, noise: &[f32], snr: f32, rng: &mut impl Rng) -> Vec<f32> {
    let power = noise.iter().map(|x| (*x as f64).powi(2)).sum::<f64>() / noise.len().max(1) as f64;
    let gain = (10f64.powf((level - snr) as f64 / 10.0) / power.max(1e-20)).sqrt() as f32;
    let at = rng.random_range(0..noise.len().max(1));
    speech.iter().enumerate().map(|(i, s)| s + gain * noise[(at + i) % noise.len()]).collect()
}

/// `samples` played `factor` times as fast (higher and quicker, or lower
/// and slower: another speaker), by linear interpolation.
fn faster(samples: &[f32], factor: f64) -> Vec<f32> {
    let n = (samples.len() as f64 / factor) as usize;
    (0..n)
        .map(|i| {
            let at = i as f64 * factor;
            let (k, frac) = (at as usize, (at.fract()) as f32);
            let a = samples[k.min(samples.len() - 1)];
            let b = samples[(k + 1).min(samples.len() - 1)];
            a + (b - a) * frac
        })
        .collect()
}

/// One training example: what the model would be given for this clip
/// said once, at a random level, distance and moment, in random noise.
fn augment(clip: &Clip, noises: &[Vec<f32>], rng: &mut StdRng) -> Vec<f32> {
    let want = WAKE_FRAMES * HOP;
    let level = rng.random_range(-38.0..-14.0);
    if !clip.wake && rng.random_bool(0.06) {
        // Noise alone (clatter the detector let through).
        let noise = &noises[rng.random_range(0..noises.len())];
        return under_noise(&vec![0.0; want], level, noise, rng.random_range(-10.0..10.0), rng);
    }
    let mut speech = at_level(&clip.samples, level);
    if rng.random_bool(0.5) {
        speech = faster(&speech, rng.random_range(0.88..1.12));
    }
    if rng.random_bool(0.3) {
        speech = cabin_echo(&speech, rng.random_range(0.0..3.0), 1.0, rng.random_range(150.0..700.0));
    }
    let mut x = Vec::with_capacity(want);
    // The endpointer hands over from ~0.1 s before the speech it found; it
    // may find it late, or (for a negative) in the middle of a sentence.
    let lead: f64 = rng.random_range(-0.06..0.3);
    if !clip.wake && rng.random_bool(0.25) {
        let skip = rng.random_range(0..speech.len().max(1));
        speech.drain(..skip.min(speech.len().saturating_sub(HOP * 30)));
    } else if lead < 0.0 {
        speech.drain(..((-lead * SAMPLE_RATE as f64) as usize).min(speech.len()));
    } else {
        x.resize((lead * SAMPLE_RATE as f64) as usize, 0.0);
    }
    x.extend_from_slice(&speech[..speech.len().min(want.saturating_sub(x.len()))]);
    x.resize(want, 0.0);
    if rng.random_bool(0.85) {
        let noise = &noises[rng.random_range(0..noises.len())];
        x = under_noise(&x, level, noise, rng.random_range(-3.0..30.0), rng);
    }
    x.iter_mut().for_each(|s| *s += rng.random_range(-1e-4..1e-4));
    x
}

/// SpecAugment's masks: a band of up to 6 mel bins and a stretch of up to
/// 12 frames set to the features' floor, so the model does not lean on any
/// one band or moment.
fn mask(f: &mut [f32], rng: &mut StdRng) {
    let floor = f.iter().copied().fold(f32::INFINITY, f32::min);
    let (bin, bins) = (rng.random_range(0..WAKE_MELS), rng.random_range(0..=6));
    let (frame, frames) = (rng.random_range(0..WAKE_FRAMES), rng.random_range(0..=12));
    for t in 0..WAKE_FRAMES {
        for m in 0..WAKE_MELS {
            if (bin..bin + bins).contains(&m) || (frame..frame + frames).contains(&t) {
                f[t * WAKE_MELS + m] = floor;
            }
        }
    }
}

fn batch(front: &MelFrontEnd, clips: &[&Clip], noises: &[Vec<f32>], seed: u64, masked: bool) -> Result<(Tensor, Tensor)> {
    let feats: Vec<Vec<f32>> = clips
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(1_000_003) + i as u64);
            let mut f = wake_features(front, &augment(c, noises, &mut rng));
            if masked {
                mask(&mut f, &mut rng);
            }
            f
        })
        .collect();
    let n = clips.len();
    let x = Tensor::from_vec(feats.concat(), (n, WAKE_FRAMES, WAKE_MELS), &Device::Cpu)?;
    let y = Tensor::from_vec(clips.iter().map(|c| if c.wake { 1f32 } else { 0.0 }).collect::<Vec<_>>(), n, &Device::Cpu)?;
    Ok((x, y))
}

fn probabilities(net: &WakeNet, x: &Tensor) -> Result<Vec<f32>> {
    Ok(candle_nn::ops::sigmoid(&net.forward(x)?)?.to_vec1()?)
}

pub fn train_wake(a: &TrainWakeArgs) -> Result<()> {
    let all = clips(&a.data, "train")?;
    anyhow::ensure!(all.iter().any(|c| c.wake) && all.iter().any(|c| !c.wake), "{}: the train half needs clips with and without the phrase", a.data.display());
    let noises = noise_half(&a.noise_dir, false)?;
    let (val, train): (Vec<&Clip>, Vec<&Clip>) = match &a.val_voice {
        Some(voice) => all.iter().partition(|c| c.voice.starts_with(voice.as_str())),
        None => {
            let (v, t): (Vec<_>, Vec<_>) = all.iter().enumerate().partition(|(i, _)| i % 10 == 0);
            (v.into_iter().map(|x| x.1).collect(), t.into_iter().map(|x| x.1).collect())
        }
    };
    anyhow::ensure!(val.iter().any(|c| c.wake), "no validation clip with the phrase");
    let (pos, neg): (Vec<&Clip>, Vec<&Clip>) = train.iter().partition(|c| c.wake);
    println!("train: {} with the phrase, {} without; validation: {}", pos.len(), neg.len(), val.len());
    let front = MelFrontEnd::new(WAKE_MELS);
    let vars = VarMap::new();
    let net = WakeNet::new(VarBuilder::from_varmap(&vars, DType::F32, &Device::Cpu))?;
    let mut opt = AdamW::new(vars.all_vars(), ParamsAdamW { lr: 2e-3, weight_decay: 1e-4, ..Default::default() })?;
    let mut rng = StdRng::seed_from_u64(a.seed);
    let (vx, vy) = batch(&front, &val, &noises, a.seed ^ 0x5eed, false)?;
    let vy: Vec<f32> = vy.to_vec1()?;
    let bar = indicatif::ProgressBar::new(a.epochs as u64).with_message("wake model");
    for epoch in 0..a.epochs {
        // Every positive, and as many negatives drawn afresh.
        let mut items: Vec<&Clip> = pos.clone();
        items.extend(neg.choose_multiple(&mut rng, pos.len().max(neg.len() / 2)).copied());
        items.shuffle(&mut rng);
        let lr = 2e-3 * (0.5 * (1.0 + (std::f64::consts::PI * epoch as f64 / a.epochs as f64).cos())).max(0.05);
        opt.set_learning_rate(lr);
        let mut total = 0.0;
        for chunk in items.chunks(64) {
            let (x, y) = batch(&front, chunk, &noises, rng.random(), true)?;
            let loss = candle_nn::loss::binary_cross_entropy_with_logit(&net.forward(&x)?, &y)?;
            opt.backward_step(&loss)?;
            total += loss.to_scalar::<f32>()? as f64;
        }
        let p = probabilities(&net, &vx)?;
        let right = p.iter().zip(&vy).filter(|(p, y)| (**p >= 0.5) == (**y > 0.5)).count();
        bar.suspend(|| {
            println!(
                "epoch {}: loss {:.4}, validation {:.2} % right at 0.5",
                epoch + 1,
                total / items.len().div_ceil(64) as f64,
                100.0 * right as f64 / vy.len() as f64
            )
        });
        bar.inc(1);
    }
    bar.finish_and_clear();
    let p = probabilities(&net, &vx)?;
    // The threshold: the model is a filter in front of Whisper, which
    // decides, so on an accent it has not heard it keeps 99 % of the
    // phrases (within 0.02 to 0.5).
    let threshold = if a.val_voice.is_some() {
        let mut on: Vec<f32> = p.iter().zip(&vy).filter(|(_, y)| **y > 0.5).map(|(p, _)| *p).collect();
        on.sort_by(f32::total_cmp);
        on.get(on.len() / 100).copied().unwrap_or(0.5).clamp(0.02, 0.5)
    } else {
        a.threshold
    };
    let passed = p.iter().zip(&vy).filter(|(p, y)| **y < 0.5 && **p >= threshold).count();
    let negatives = vy.iter().filter(|y| **y < 0.5).count();
    println!("threshold {threshold:.3}: validation negatives passed {passed}/{negatives}");
    std::fs::create_dir_all(&a.out)?;
    vars.save(a.out.join("weights.safetensors"))?;
    let meta = WakeMeta { phrase: a.phrase.to_lowercase(), threshold };
    std::fs::write(a.out.join("model.json"), serde_json::to_string_pretty(&meta)? + "\n")?;
    println!("wrote {}", a.out.display());
    Ok(())
}

#[derive(Args)]
pub struct WakeBenchArgs {
    /// The clips' manifest (benches/wake/generate.py).
    #[arg(long, default_value = "target/bench/wake/manifest.jsonl")]
    data: PathBuf,
    /// Which half to read: `held` (never trained or tuned on) or `train`
    /// (the wake model's own clips: a choice made on the checks after
    /// it, such as Whisper's, is made here and then read once on `held`).
    #[arg(long, default_value = "held")]
    split: String,
    /// The noise recordings: the second half of each is used.
    #[arg(long, default_value = "../shared/data/noise")]
    noise_dir: PathBuf,
    /// A wake model written by `hush train-wake` (default: the built-in one).
    #[arg(long)]
    wake_model: Option<PathBuf>,
    /// The Whisper model that checks what the wake model lets through.
    #[arg(long, default_value = "tiny.en-q8_0")]
    model: String,
    /// The voice-activity detector that cuts the sessions (`energy` or `silero`).
    #[arg(long, default_value = "silero", value_parser = crate::run::vad_kind)]
    vad: hush::config::VadKind,
    /// SNRs of the positives (dB below the speech).
    #[arg(long, value_delimiter = ',', default_values_t = [20.0, 10.0, 5.0], allow_hyphen_values = true)]
    snrs: Vec<f32>,
    /// SNR of the negative sessions.
    #[arg(long, default_value_t = 10.0, allow_hyphen_values = true)]
    negative_snr: f32,
    /// Positives per voice family and SNR (the first N of the held half).
    #[arg(long, default_value_t = 150)]
    positives: usize,
    /// Negative clips to stitch (0: all of the held half's, ~3.2 h).
    #[arg(long, default_value_t = 0)]
    negatives: usize,
    /// Also have Whisper check every negative utterance the model rejects,
    /// for Whisper-alone false accepts (slow: every utterance is read).
    #[arg(long)]
    whisper_all: bool,
    /// Write the results here as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
}

/// Each clip's speech at one speaker's level, before noise.
const LEVEL: f32 = -20.0;

/// What the checks said of one utterance.
#[derive(Clone, Copy)]
struct Checked {
    /// The wake model's probability.
    p: f32,
    /// Whether Whisper's check passed, and its [`hush::listen::wake_lead`]
    /// (`None`: not run).
    whisper: Option<(bool, f32)>,
}

/// Utterances the endpointer cuts from `samples`, each from 0.1 s before
/// its speech as the listener hands it to the wake check, with where its
/// speech lies.
fn utterances(vad: &hush_audio::VadParams, samples: &[f32]) -> Vec<(std::ops::Range<u64>, Vec<f32>)> {
    let mut ep = hush_audio::Endpointer::new(vad.clone());
    let mut segs = Vec::new();
    for chunk in samples.chunks(SAMPLE_RATE as usize) {
        segs.extend(ep.push(chunk));
    }
    segs.extend(ep.finish());
    segs.into_iter()
        .map(|mut s| {
            let from = ((s.speech_start - s.start) as usize).saturating_sub(SAMPLE_RATE as usize / 10);
            (s.speech_start..s.speech_end, s.samples.split_off(from.min(s.samples.len())))
        })
        .collect()
}

/// A Poisson count's 95 % interval (Garwood), by the Wilson-Hilferty
/// approximation of the chi-square quantiles.
fn poisson_95(k: usize) -> (f64, f64) {
    let chi2 = |df: f64, z: f64| df * (1.0 - 2.0 / (9.0 * df) + z * (2.0 / (9.0 * df)).sqrt()).powi(3);
    let lower = if k == 0 { 0.0 } else { chi2(2.0 * k as f64, -1.959964) / 2.0 };
    (lower, chi2(2.0 * k as f64 + 2.0, 1.959964) / 2.0)
}

pub fn bench_wake(a: &WakeBenchArgs) -> Result<()> {
    let trained;
    let model = match &a.wake_model {
        Some(dir) => {
            trained = hush_asr::WakeModel::from_bytes(&std::fs::read(dir.join("model.json"))?, &std::fs::read(dir.join("weights.safetensors"))?)?;
            &trained
        }
        None => hush::listen::builtin_wake_model()?,
    };
    let gate = model.meta().threshold;
    let phrase = model.meta().phrase.clone();
    let config = hush::EngineConfig { listen: hush::config::ListenConfig { vad: Some(a.vad), ..Default::default() }, ..Default::default() };
    let vad = config.listen_params()?.vad;
    let rec = hush_asr::Recognizer::load(&hush::parts::model_paths(&a.model)?, config.asr_params())?;
    let whisper = |samples: &[f32]| -> Result<(bool, f32)> {
        // The lowest finite floor: the lead weighed, never deciding.
        let (_, lead, rest) = hush::listen::read_wake_phrase(&rec, samples, &phrase, hush::listen::WAKE_THRESHOLD, f32::MIN)?;
        Ok((rest.is_some(), lead.unwrap_or(f32::NEG_INFINITY)))
    };
    let noises: Vec<Vec<f32>> = noise_half(&a.noise_dir, true)?.into_iter().take(crate::live_bench::NOISES.len()).collect();
    let held = clips(&a.data, &a.split)?;
    let mut gate_ms = Vec::new();
    let mut check = |samples: &[f32], with_whisper: bool| -> Result<Checked> {
        let t = std::time::Instant::now();
        let p = model.probability(samples)?;
        gate_ms.push(crate::ms(t.elapsed()));
        Ok(Checked { p, whisper: if with_whisper { Some(whisper(samples)?) } else { None } })
    };
    let sweep = [0.05f32, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
    let lowest = sweep[0].min(gate);

    // Positives: each family's clips in sessions under each noise in turn;
    // a clip is heard when an utterance overlapping it passes.
    let mut families: Vec<String> = held.iter().filter(|c| c.wake).map(|c| c.family.clone()).collect();
    families.sort();
    families.dedup();
    let mut misses = Vec::new();
    let bar = indicatif::ProgressBar::new((a.snrs.len() * families.len()) as u64).with_message("wake positives");
    for &snr in &a.snrs {
        for family in &families {
            let said: Vec<&Clip> = held.iter().filter(|c| c.wake && &c.family == family).take(a.positives).collect();
            // Per clip: the checks of the utterances overlapping it.
            let mut per_clip: Vec<Vec<Checked>> = vec![Vec::new(); said.len()];
            for (k, noise) in noises.iter().enumerate() {
                let mine: Vec<usize> = (k..said.len()).step_by(noises.len()).collect();
                let mut s = hush_eval::mix::Stitch::new();
                s.pause(1.0);
                for &i in &mine {
                    s.clip(&at_level(&said[i].samples, LEVEL));
                    s.pause(1.0 + (i % 7) as f64 * 0.15);
                }
                s.noise(noise, snr, k * 40_000);
                for (speech, samples) in utterances(&vad, s.samples()) {
                    let c = check(&samples, true)?;
                    for (j, r) in s.clips().iter().enumerate() {
                        if speech.start < r.end as u64 && speech.end > r.start as u64 {
                            per_clip[mine[j]].push(c);
                        }
                    }
                }
            }
            misses.push((snr, family.clone(), per_clip, said.iter().map(|c| c.voice.clone()).collect::<Vec<_>>()));
            bar.inc(1);
        }
    }
    bar.finish_and_clear();

    // Negatives: every held sentence without the phrase, in sessions of
    // ~10 minutes under each noise in turn.
    let others: Vec<&Clip> = held.iter().filter(|c| !c.wake).take(if a.negatives == 0 { usize::MAX } else { a.negatives }).collect();
    let mut negatives: Vec<(String, bool, Checked)> = Vec::new();
    let mut seconds = 0.0;
    let per_session = 200;
    let bar = indicatif::ProgressBar::new(others.len().div_ceil(per_session) as u64).with_message("wake negatives");
    for (n, chunk) in others.chunks(per_session).enumerate() {
        let mut s = hush_eval::mix::Stitch::new();
        s.pause(1.0);
        for (i, c) in chunk.iter().enumerate() {
            s.clip(&at_level(&c.samples, LEVEL));
            s.pause(0.8 + (i % 13) as f64 * 0.1);
        }
        s.noise(&noises[n % noises.len()], a.negative_snr, n * 40_000);
        seconds += s.samples().len() as f64 / SAMPLE_RATE as f64;
        for (speech, samples) in utterances(&vad, s.samples()) {
            let first = check(&samples, false)?;
            let c = Checked { whisper: if a.whisper_all || first.p >= lowest { Some(whisper(&samples)?) } else { None }, ..first };
            let said = s.clips().iter().position(|r| speech.start < r.end as u64 && speech.end > r.start as u64).map(|j| chunk[j]);
            negatives.push((said.map_or(String::new(), |c| c.text.clone()), said.is_some_and(|c| c.near), c));
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let hours = seconds / 3600.0;

    // Decisions: the model alone at a threshold, the model then Whisper,
    // and Whisper alone.
    let model_alone = |t: f32| move |c: &Checked| c.p >= t;
    let both = |t: f32| move |c: &Checked| c.p >= t && c.whisper.is_some_and(|w| w.0);
    let whisper_alone = |c: &Checked| c.whisper.is_some_and(|w| w.0);
    let mut rows = Vec::new();
    let mut report = |name: String, pass: &dyn Fn(&Checked) -> bool, negatives_known: bool| {
        let mut row = serde_json::json!({"detector": name});
        let mut cells = Vec::new();
        for (snr, family, per_clip, _) in &misses {
            let missed = per_clip.iter().filter(|cs| !cs.iter().any(pass)).count();
            let pct = 100.0 * missed as f64 / per_clip.len().max(1) as f64;
            row[format!("miss_{family}_{snr}db")] = serde_json::json!(pct);
            cells.push(format!("{pct:.1}"));
        }
        let fa = negatives.iter().filter(|(_, _, c)| pass(c)).count();
        let plain = negatives.iter().filter(|(_, near, c)| !near && pass(c)).count();
        let (lo, hi) = poisson_95(fa);
        let fa_cell = if negatives_known {
            row["false_accepts"] = serde_json::json!(fa);
            row["false_accepts_plain"] = serde_json::json!(plain);
            row["false_accepts_per_hour"] = serde_json::json!(fa as f64 / hours);
            format!("{fa} ({:.2}/h, 95 % {:.2}-{:.2}) | {plain}", fa as f64 / hours, lo / hours, hi / hours)
        } else {
            "(not run: --whisper-all) | ".into()
        };
        println!("| {} | {} | {fa_cell} |", row["detector"].as_str().unwrap_or(""), cells.join(" | "));
        rows.push(row);
    };
    let header: Vec<String> = misses.iter().map(|(snr, family, _, _)| format!("{family} {snr} dB")).collect();
    println!(
        "{} half: {} utterances cut from {:.2} h of speech without the phrase ({:?} noise at {} dB), VAD {:?}",
        a.split,
        negatives.len(),
        hours,
        crate::live_bench::NOISES,
        a.negative_snr,
        a.vad
    );
    println!("misses % by voice family and SNR; false accepts over the negatives\n");
    println!("| detector | {} | false accepts | of them without a near-phrase |", header.join(" | "));
    println!("|---|{}---|---|", "---|".repeat(header.len()));
    report("Whisper alone".into(), &whisper_alone, a.whisper_all);
    for t in sweep.iter().copied().chain([gate]) {
        report(format!("model ≥ {t:.3}"), &model_alone(t), true);
    }
    for t in sweep.iter().copied().filter(|t| *t >= lowest).chain([gate]) {
        report(format!("model ≥ {t:.3}, then Whisper"), &both(t), true);
    }
    // The listener's rule: a phrase the model is sure of needs no Whisper
    // score (`WakeParams::sure`).
    let sure_or_both = |t: f32| move |c: &Checked| c.p >= t || both(gate)(c);
    let mut sure = vec![0.5f32, 0.7, 0.9, hush::listen::WAKE_SURE];
    sure.sort_by(f32::total_cmp);
    sure.dedup();
    for t in sure.into_iter().filter(|t| *t > gate) {
        let default = if t == hush::listen::WAKE_SURE { " (the listener's default)" } else { "" };
        report(format!("model ≥ {t:.3}, or ≥ {gate:.3} then Whisper{default}"), &sure_or_both(t), true);
    }
    // Whisper's check with its lead over what Whisper writes itself.
    for lead in [0.5f32, 1.0, 1.5, 2.0, 3.0, 4.0] {
        let led = move |c: &Checked| c.p >= hush::listen::WAKE_SURE || (c.p >= gate && c.whisper.is_some_and(|w| w.0 && w.1 >= -lead));
        report(format!("model ≥ {:.3}, or ≥ {gate:.3} then Whisper with a lead ≥ -{lead}", hush::listen::WAKE_SURE), &led, true);
    }
    // What the listener's rule accepts, by the sentence's first two words.
    let listener = sure_or_both(hush::listen::WAKE_SURE);
    let mut by_opening: std::collections::BTreeMap<String, usize> = Default::default();
    for (text, _, _) in negatives.iter().filter(|(_, _, c)| listener(c)) {
        let words: Vec<String> = text.split_whitespace().take(2).map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()).collect();
        *by_opening.entry(words.join(" ")).or_default() += 1;
    }
    let mut openings: Vec<(String, usize)> = by_opening.into_iter().collect();
    openings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let openings: Vec<String> = openings.iter().map(|(o, n)| format!("\"{o}\" {n}")).collect();
    println!("\nfalse accepts of the listener's rule by opening: {}", openings.join(", "));
    let near = negatives.iter().filter(|(_, near, _)| *near).count();
    println!("{near} of the {} negative utterances are opened by a near-phrase", negatives.len());
    // Misses of the model alone by voice, over every SNR.
    let mut by_voice: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for (_, _, per_clip, voices) in &misses {
        for (cs, v) in per_clip.iter().zip(voices) {
            let e = by_voice.entry(v.as_str()).or_default();
            e.1 += 1;
            e.0 += usize::from(!cs.iter().any(model_alone(gate)));
        }
    }
    let voices: Vec<String> = by_voice.iter().map(|(v, (m, n))| format!("{v} {m}/{n}")).collect();
    println!("misses of the model alone (≥ {gate:.3}) by voice: {}", voices.join(", "));
    let whispered = negatives.iter().filter(|(_, _, c)| c.p >= gate).count();
    println!("Whisper ran on {whispered} of {} negative utterances; wake model p50 {:.3} ms per utterance", negatives.len(), percentile(&mut gate_ms, 0.5));
    if let Some(path) = &a.json {
        std::fs::write(path, serde_json::to_string_pretty(&serde_json::json!({"hours": hours, "utterances": negatives.len(), "rows": rows}))?)?;
    }
    Ok(())
}
