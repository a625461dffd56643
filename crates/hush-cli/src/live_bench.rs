//! `hush bench live`: live listening measured on recordings stitched from
//! dev commands with pauses and noise: segmentation against the clean
//! clips' speech, end-of-speech → dispatch latency, wake-phrase misses and
//! false accepts, and the CPU that idle listening costs.

use crate::live_playback as playback;
use crate::run::{percentile, runtime};
use anyhow::{Context, Result};
use clap::Args;
use hush::listen::ListenParams;
use hush::listen::{Event, Mode, WakeParams};
use hush::Engine;
use hush_audio::{read_wav, AudioLimits, SAMPLE_RATE};
use hush_eval::mix::{at_level, score_segments, Stitch};
use hush_eval::wer::WerCounter;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct LiveBenchArgs {
    #[arg(long, default_value = "../shared/data/audio-dev/manifest.jsonl")]
    manifest: PathBuf,
    /// Dev commands per session (clean clips of 2 to 4 s, spread over the
    /// manifest), plus the demo commands of examples/audio.
    #[arg(long, default_value_t = 40)]
    clips: usize,
    /// Noise mixed under the whole session, dB below the speech.
    #[arg(long, default_value_t = 10.0, allow_hyphen_values = true)]
    snr: f32,
    /// The noise recordings (car, street and kitchen: one session each).
    #[arg(long, default_value = "../shared/data/noise")]
    noise_dir: PathBuf,
    /// "hey hush" clips said before each command in wake-phrase mode.
    #[arg(long, default_value = "tests/fixtures/wake")]
    wake_clips: PathBuf,
    /// Seconds of real-time idle listening (car noise) for the CPU figure;
    /// 0 skips it.
    #[arg(long, default_value_t = 20.0)]
    idle_s: f64,
    #[arg(long, default_value = "tiny.en-q8_0")]
    model: String,
    /// The voice-activity detector (`silero`, the listener's default, or
    /// `energy`); named here so a run never depends on what the cache holds.
    #[arg(long, default_value = "silero", value_parser = crate::run::vad_kind)]
    vad: hush::config::VadKind,
    /// Endpoint by the end silence alone, not by the words so far.
    #[arg(long)]
    no_end_of_command: bool,
    /// A pause of this many ms put inside every command, at its quietest
    /// 40 ms in the middle third (a gap between words): a speaker drawing
    /// breath, which the endpointer must not take for the end.
    #[arg(long, default_value_t = 0)]
    inner_pause_ms: u64,
    /// Minutes of speech played through the car's loudspeaker (every
    /// clean dev clip in turn, echoed through a simulated cabin) with the
    /// driver silent, fed as playback; 0 skips the playback part.
    #[arg(long, default_value_t = 30.0)]
    playback_minutes: f64,
    /// Write the results here as JSON.
    #[arg(long)]
    json: Option<PathBuf>,
}

/// Every clip's speech is brought to this level (dBFS), as one driver's
/// would be: the dev clips were normalised to random peaks, which would
/// make the session's SNR a lottery per clip.
const LEVEL: f32 = -20.0;

pub(crate) const NOISES: [&str; 3] = ["car_interior_60mph", "street_traffic_potsdam", "kitchen"];

struct Command {
    samples: Vec<f32>,
    text: String,
}

pub(crate) fn load(path: &Path) -> Result<Vec<f32>> {
    let (audio, _) = read_wav(path, &AudioLimits::default()).with_context(|| path.display().to_string())?;
    Ok(audio.samples().to_vec())
}

/// `samples` with `ms` of silence put in at the quietest 40 ms of the
/// middle third of its speech.
fn with_pause(samples: Vec<f32>, ms: u64) -> Vec<f32> {
    if ms == 0 {
        return samples;
    }
    let speech = hush_eval::mix::speech_frames(&samples);
    let frame = hush_audio::vad::FRAME;
    let first = speech.iter().position(|&s| s).unwrap_or(0) * frame;
    let last = speech.iter().rposition(|&s| s).map_or(samples.len(), |i| ((i + 1) * frame).min(samples.len()));
    let (window, hop) = (SAMPLE_RATE as usize / 25, SAMPLE_RATE as usize / 100);
    let energy = |at: usize| samples[at..at + window].iter().map(|x| x * x).sum::<f32>();
    let (from, to) = (first + (last - first) / 3, first + (last - first) * 2 / 3);
    let at = (from..to.saturating_sub(window).max(from)).step_by(hop).min_by(|a, b| energy(*a).total_cmp(&energy(*b))).unwrap_or(from) + window / 2;
    let mut out = samples[..at].to_vec();
    out.extend(std::iter::repeat_n(0.0, (ms * SAMPLE_RATE as u64 / 1000) as usize));
    out.extend_from_slice(&samples[at..]);
    out
}

/// The manifest's clean clips (no noise mixed in), and the folder their
/// paths are relative to.
fn clean_rows(a: &LiveBenchArgs) -> Result<(Vec<serde_json::Value>, PathBuf)> {
    let text = std::fs::read_to_string(&a.manifest).with_context(|| a.manifest.display().to_string())?;
    let dir = a.manifest.parent().unwrap_or(Path::new(".")).to_path_buf();
    let rows: Vec<serde_json::Value> = text.lines().map(serde_json::from_str).collect::<Result<Vec<serde_json::Value>, _>>()?;
    Ok((rows.into_iter().filter(|r| r["snr_db"].is_null()).collect(), dir))
}

fn commands(a: &LiveBenchArgs) -> Result<Vec<Command>> {
    let (rows, dir) = clean_rows(a)?;
    let rows: Vec<_> = rows.into_iter().filter(|r| (2.0..=4.0).contains(&r["duration_s"].as_f64().unwrap_or(0.0))).collect();
    anyhow::ensure!(!rows.is_empty(), "{}: no clean clips of 2 to 4 s", a.manifest.display());
    let step = (rows.len() / a.clips.max(1)).max(1);
    let mut out = Vec::new();
    for r in rows.iter().step_by(step).take(a.clips) {
        let audio = r["audio"].as_str().context("manifest row without audio")?;
        let samples = with_pause(at_level(&load(&dir.join(audio))?, LEVEL), a.inner_pause_ms);
        out.push(Command { samples, text: r["text"].as_str().unwrap_or("").to_owned() });
    }
    for (file, said) in [
        ("book_ride", "book me a ride to the airport"),
        ("navigate_home", "navigate home"),
        ("grades", "what did i get in maths"),
        ("weather", "what's the weather like in paris tomorrow"),
    ] {
        let samples = with_pause(at_level(&load(&Path::new("examples/audio").join(format!("{file}.wav")))?, LEVEL), a.inner_pause_ms);
        out.push(Command { samples, text: said.into() });
    }
    Ok(out)
}

/// A deterministic pause length (0.8 to 2.0 s) for the i-th gap.
fn pause(i: usize) -> f64 {
    0.8 + ((i * 7919) % 13) as f64 * 0.1
}

/// The commands (each as `say` makes it) with pauses, under `noise`; the
/// `k`-th session shifts the pauses and the noise.
fn session(commands: &[Command], k: usize, noise: &[f32], snr: f32, say: impl Fn(usize, &Command) -> Vec<f32>) -> Stitch {
    let mut s = Stitch::new();
    s.pause(1.0);
    for (i, c) in commands.iter().enumerate() {
        s.clip(&say(i, c));
        s.pause(pause(i + k));
    }
    s.noise(noise, snr, k * 40_000);
    s
}

fn engine(model: &str) -> Result<Engine> {
    Ok(Engine::builder().model(model).fallback_actions(hush_reference::actions_in_memory()?).build()?)
}

#[derive(Default, serde::Serialize)]
struct Session {
    noise: String,
    seconds: f64,
    utterances: usize,
    /// Utterances in which Whisper heard no words (not turns).
    no_words: usize,
    precision: f64,
    recall: f64,
    whole: usize,
    commands: usize,
    extra: usize,
    wer_percent: f64,
}

#[derive(Default, serde::Serialize)]
struct Latencies {
    count: usize,
    p50_ms: f64,
    p95_ms: f64,
    max_ms: f64,
    asr_p50_ms: f64,
    endpoint_silence_ms: f64,
    /// Turns recognised during their end silence.
    read_ahead: usize,
}

fn latencies(events: &[Event]) -> Latencies {
    let turns: Vec<_> = events.iter().filter_map(|e| if let Event::Turn(t) = e { Some(t) } else { None }).collect();
    let mut d: Vec<f64> = turns.iter().map(|t| crate::ms(t.latency.to_dispatch)).collect();
    let mut asr: Vec<f64> = turns.iter().map(|t| crate::ms(t.turn.timings.asr)).collect();
    let mut sil: Vec<f64> = turns.iter().map(|t| crate::ms(t.latency.endpoint_silence)).collect();
    Latencies {
        count: turns.len(),
        p50_ms: percentile(&mut d, 0.5),
        p95_ms: percentile(&mut d, 0.95),
        max_ms: d.iter().cloned().fold(f64::NAN, f64::max),
        asr_p50_ms: percentile(&mut asr, 0.5),
        endpoint_silence_ms: percentile(&mut sil, 0.5),
        read_ahead: turns.iter().filter(|t| t.latency.read_ahead).count(),
    }
}

pub fn bench_live(a: &LiveBenchArgs) -> Result<()> {
    let commands = commands(a)?;
    let noises: Vec<(&str, Vec<f32>)> = NOISES.iter().map(|n| Ok((*n, load(&a.noise_dir.join(format!("{n}.wav")))?))).collect::<Result<_>>()?;
    let mut wake_clips: Vec<PathBuf> = std::fs::read_dir(&a.wake_clips)
        .with_context(|| a.wake_clips.display().to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "wav"))
        .collect();
    wake_clips.sort();
    let wake: Vec<Vec<f32>> = wake_clips.iter().map(|p| Ok(at_level(&load(p)?, LEVEL))).collect::<Result<_>>()?;
    anyhow::ensure!(!wake.is_empty(), "{}: no wake-phrase clips", a.wake_clips.display());
    let engine = engine(&a.model)?;
    let rt = runtime()?;
    let base = hush::EngineConfig {
        listen: hush::config::ListenConfig { vad: Some(a.vad), end_of_command: Some(!a.no_end_of_command), ..Default::default() },
        ..Default::default()
    }
    .listen_params()?;
    let continuous = ListenParams { mode: Mode::Continuous, ..base.clone() };
    let wake_mode = ListenParams { mode: Mode::WakePhrase, wake: WakeParams::default(), ..base.clone() };
    let listen = |params: &ListenParams, samples: &[f32]| -> Result<Vec<Event>> {
        rt.block_on(async {
            let mut l = engine.session().listen(params.clone())?;
            let mut events = l.replay(samples).await;
            events.extend(l.finish().await);
            Ok::<_, anyhow::Error>(events)
        })
    };
    let bar = indicatif::ProgressBar::new(9).with_message("live sessions");
    let mut sessions = Vec::new();
    let (mut all_continuous, mut all_wake) = (Vec::new(), Vec::new());
    let (mut wake_hits, mut wake_total, mut false_accepts, mut negative_seconds) = (0usize, 0usize, 0usize, 0.0f64);
    // Wake-phrase clip → (heard, said).
    let mut by_clip: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for (k, (name, noise)) in noises.iter().enumerate() {
        // Continuous: every command is one utterance and one turn.
        let s = session(&commands, k, noise, a.snr, |_, c| c.samples.clone());
        let plain = s.samples().to_vec();
        let events = listen(&continuous, s.samples())?;
        let turns: Vec<_> = events.iter().filter_map(|e| if let Event::Turn(t) = e { Some(t) } else { None }).collect();
        let at = |d: Duration| (d.as_secs_f64() * SAMPLE_RATE as f64) as u64;
        // Every utterance the endpointer cut, whether or not words were heard.
        let spans: Vec<hush::listen::Span> = events
            .iter()
            .filter_map(|e| match e {
                Event::Turn(t) => Some(t.speech),
                Event::Ignored { speech, .. } => Some(*speech),
                _ => None,
            })
            .collect();
        let speech: Vec<_> = spans.iter().map(|s| at(s.start)..at(s.end)).collect();
        // The audio an utterance hands on: pre-roll before, end silence after.
        let vad = &base.vad;
        let kept: Vec<_> = spans.iter().map(|s| at(s.start).saturating_sub(at(vad.pre_roll))..at(s.end + vad.end_silence)).collect();
        let score = score_segments(&s, &speech, &kept);
        for &i in &score.not_whole {
            let r = &s.clips()[i];
            let cut: Vec<String> = speech
                .iter()
                .filter(|x| x.start < r.end as u64 && x.end > r.start as u64)
                .map(|x| format!("{:.2}-{:.2}", x.start as f64 / SAMPLE_RATE as f64, x.end as f64 / SAMPLE_RATE as f64))
                .collect();
            tracing::info!(noise = name, clip = i, text = commands[i].text, at = r.start as f64 / SAMPLE_RATE as f64, ?cut, "not cut whole");
        }
        let mut wer = WerCounter::default();
        for (c, range) in commands.iter().zip(s.clips()) {
            let said: Vec<&str> = turns
                .iter()
                .filter(|t| at(t.speech.start) < range.end as u64 && at(t.speech.end) > range.start as u64)
                .map(|t| t.turn.transcript.as_str())
                .collect();
            wer.add(&c.text, &said.join(" "));
        }
        sessions.push(Session {
            noise: name.to_string(),
            seconds: s.samples().len() as f64 / SAMPLE_RATE as f64,
            utterances: spans.len(),
            no_words: spans.len() - turns.len(),
            precision: score.precision,
            recall: score.recall,
            whole: score.whole,
            commands: score.clips,
            extra: score.extra,
            wer_percent: wer.wer(),
        });
        all_continuous.extend(events);
        bar.inc(1);

        // Wake phrase: each command said after "hey hush" in one breath.
        let s = session(&commands, k, noise, a.snr, |i, c| {
            let mut said = wake[(i + k) % wake.len()].clone();
            said.extend(std::iter::repeat_n(0.0, SAMPLE_RATE as usize * 15 / 100));
            said.extend_from_slice(&c.samples);
            said
        });
        let events = listen(&wake_mode, s.samples())?;
        let heard: Vec<_> = events.iter().filter_map(|e| if let Event::Turn(t) = e { Some(t) } else { None }).collect();
        wake_total += commands.len();
        for (i, r) in s.clips().iter().enumerate() {
            let hit = heard.iter().any(|t| at(t.speech.start) < r.end as u64 && at(t.speech.end) > r.start as u64);
            let clip = wake_clips[(i + k) % wake.len()].file_stem().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
            let entry = by_clip.entry(clip).or_insert((0, 0));
            entry.1 += 1;
            if hit {
                wake_hits += 1;
                entry.0 += 1;
            }
        }
        all_wake.extend(events);
        bar.inc(1);

        // Not for hush: the commands without the phrase, and the noise
        // recording alone.
        let mut samples = plain;
        samples.extend(noise.iter().map(|x| x * 0.5));
        negative_seconds += samples.len() as f64 / SAMPLE_RATE as f64;
        for e in listen(&wake_mode, &samples)? {
            match &e {
                Event::Turn(t) => tracing::info!(noise = name, at = t.speech.start.as_secs_f64(), score = t.wake_score, "false accept"),
                Event::Woke { speech, wake_score } => tracing::info!(noise = name, at = speech.start.as_secs_f64(), score = wake_score, "false wake"),
                _ => continue,
            }
            false_accepts += 1;
        }
        bar.inc(1);
    }
    bar.finish_and_clear();

    let playback = if a.playback_minutes > 0.0 { Some(playback_part(a, &engine, &rt, &continuous, &commands, &noises)?) } else { None };
    let idle = if a.idle_s > 0.0 { Some(idle_cpu(&engine, &rt, &a.noise_dir, a.idle_s)?) } else { None };
    let cont = latencies(&all_continuous);
    let wk = latencies(&all_wake);
    let miss = 1.0 - wake_hits as f64 / wake_total.max(1) as f64;
    let fa_per_hour = false_accepts as f64 / negative_seconds * 3600.0;

    println!(
        "live sessions: {} commands each ({} dev clips of 2-4 s + 4 demo{}), noise at {} dB SNR, {} VAD, end of command {}",
        commands.len(),
        commands.len() - 4,
        if a.inner_pause_ms > 0 { format!(", each with a {} ms pause inside", a.inner_pause_ms) } else { String::new() },
        a.snr,
        base.vad.detector.name(),
        if base.end_of_command.is_some() { "on" } else { "off" }
    );
    println!(
        "{:<24} {:>7} {:>10} {:>8} {:>9} {:>7} {:>10} {:>6} {:>6}",
        "noise", "seconds", "utterances", "no words", "precision", "recall", "whole", "extra", "WER"
    );
    for s in &sessions {
        println!(
            "{:<24} {:>7.1} {:>10} {:>8} {:>9.3} {:>7.3} {:>5}/{:<4} {:>6} {:>5.1}%",
            s.noise, s.seconds, s.utterances, s.no_words, s.precision, s.recall, s.whole, s.commands, s.extra, s.wer_percent
        );
    }
    let whole: usize = sessions.iter().map(|s| s.whole).sum();
    let total: usize = sessions.iter().map(|s| s.commands).sum();
    println!("segmented whole: {whole}/{total} = {:.1}%", 100.0 * whole as f64 / total.max(1) as f64);
    for (name, l) in [("continuous", &cont), ("wake phrase", &wk)] {
        println!(
            "end of speech → dispatch, {name}: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms over {} turns, {} read ahead (ASR p50 {:.1} ms; endpoint silence {:.0} ms before that, not included)",
            l.p50_ms, l.p95_ms, l.max_ms, l.count, l.read_ahead, l.asr_p50_ms, l.endpoint_silence_ms
        );
    }
    println!(
        "wake phrase: missed {}/{} = {:.1}%; false accepts {false_accepts} in {:.1} min of commands without it and noise alone = {fa_per_hour:.2} per hour",
        wake_total - wake_hits,
        wake_total,
        100.0 * miss,
        negative_seconds / 60.0
    );
    let missed: Vec<String> = by_clip.iter().filter(|(_, c)| c.0 < c.1).map(|(k, c)| format!("{k} {}/{}", c.1 - c.0, c.1)).collect();
    println!("  misses by wake clip: {}", if missed.is_empty() { "none".into() } else { missed.join(", ") });
    if let Some((alone, over)) = &playback {
        let minutes = alone.iter().map(|p| p.seconds).sum::<f64>() / 60.0;
        let (started, turns) = (alone.iter().map(|p| p.speech_started).sum::<usize>(), alone.iter().map(|p| p.turns).sum::<usize>());
        let (quiet_started, quiet_turns) = (alone.iter().map(|p| p.noise_speech_started).sum::<usize>(), alone.iter().map(|p| p.noise_turns).sum::<usize>());
        println!(
            "playback alone, fed as playback: {minutes:.1} min of speech through the loudspeaker, {started} speech starts (barge-ins), {turns} turns; in the noise alone {quiet_started} and {quiet_turns}"
        );
        for p in alone {
            let c = p.cabin.expect("a cabin");
            println!(
                "  {:<24} {:>5.1} min, echo {:.0} ms late at gain {:.1}, tail {:.0} ms: {} speech starts, {} turns (noise alone: {}, {})",
                p.noise,
                p.seconds / 60.0,
                c.delay_ms,
                c.gain,
                c.t60_ms,
                p.speech_started,
                p.turns,
                p.noise_speech_started,
                p.noise_turns
            );
        }
        for (o, plain) in over.iter().zip(&sessions) {
            println!(
                "  driver over playback, {:<24} heard {}/{}, WER {:.1}% (without playback {:.1}%)",
                o.noise, o.heard, o.commands, o.wer_percent, plain.wer_percent
            );
        }
    }
    if let Some(cpu) = idle {
        println!("idle listening (wake mode, car noise, real time, {:.0} s): {cpu:.2}% of one core", a.idle_s);
    }
    if let Some(path) = &a.json {
        let v = serde_json::json!({
            "snr_db": a.snr, "commands": commands.len(), "model": a.model, "sessions": sessions,
            "segmented_whole": whole, "segmented_total": total,
            "latency": {"continuous": cont, "wake": wk},
            "wake": {"by_clip": by_clip.iter().map(|(k, c)| (k.clone(), serde_json::json!({"heard": c.0, "said": c.1}))).collect::<serde_json::Map<_, _>>(), "missed": wake_total - wake_hits, "total": wake_total, "miss_rate": miss, "false_accepts": false_accepts, "negative_seconds": negative_seconds, "false_accepts_per_hour": fa_per_hour},
            "idle_cpu_percent": idle,
            "playback": playback.as_ref().map(|(alone, over)| serde_json::json!({"alone": alone, "driver_over": over})),
        });
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, serde_json::to_string_pretty(&v)?)?;
    }
    Ok(())
}

/// The car's own audio: `playback_minutes` of speech (the manifest's clean
/// clips) through each noise's cabin with the driver silent, then the
/// continuous sessions' commands said over more of it.
fn playback_part(
    a: &LiveBenchArgs,
    engine: &Engine,
    rt: &tokio::runtime::Runtime,
    params: &ListenParams,
    commands: &[Command],
    noises: &[(&str, Vec<f32>)],
) -> Result<(Vec<playback::Alone>, Vec<playback::Over>)> {
    let (rows, dir) = clean_rows(a)?;
    let clips = rows.iter().map(|r| load(&dir.join(r["audio"].as_str().context("manifest row without audio")?))).collect::<Result<Vec<_>>>()?;
    let clips = playback::leveled(clips, LEVEL);
    let bar = indicatif::ProgressBar::new(2 * noises.len() as u64).with_message("playback");
    let (mut alone, mut over) = (Vec::new(), Vec::new());
    let seconds = a.playback_minutes * 60.0 / noises.len() as f64;
    for (k, ((name, noise), cabin)) in noises.iter().zip(playback::CABINS).enumerate() {
        let played = playback::programme(&clips, k * 80, seconds);
        let mic = playback::microphone(&played, cabin, noise, LEVEL, a.snr);
        let events = rt.block_on(playback::listen(engine, params, &mic, Some(&played)))?;
        for e in &events {
            if let Event::SpeechStarted { at } = e {
                tracing::info!(noise = name, at = at.as_secs_f64(), "speech started on playback");
            }
        }
        let quiet = playback::microphone(&vec![0.0; played.len()], cabin, noise, LEVEL, a.snr);
        let control = rt.block_on(playback::listen(engine, params, &quiet, None))?;
        alone.push(playback::alone(name, &events, &control, seconds, cabin));
        bar.inc(1);

        // The same commands as the continuous session, over playback.
        let s = session(commands, k, noise, a.snr, |_, c| c.samples.clone());
        let played = playback::programme(&clips, k * 80 + 40, s.samples().len() as f64 / SAMPLE_RATE as f64);
        let echo = hush_eval::mix::cabin_echo(&played, cabin.delay_ms, cabin.gain, cabin.t60_ms);
        let mic: Vec<f32> = s.samples().iter().zip(&echo).map(|(m, e)| m + e).collect();
        let events = rt.block_on(playback::listen(engine, params, &mic, Some(&played)))?;
        let texts: Vec<&str> = commands.iter().map(|c| c.text.as_str()).collect();
        over.push(playback::over(name, &events, &s, &texts));
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok((alone, over))
}

/// CPU time (user + system) of this process.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// Share of one core used while listening in wake-phrase mode to car
/// noise replayed in real time through the whole live path (replay thread,
/// resampler, ring, endpointer, and Whisper for whatever the endpointer
/// takes for speech).
fn idle_cpu(engine: &Engine, rt: &tokio::runtime::Runtime, noise_dir: &Path, seconds: f64) -> Result<f64> {
    let path = noise_dir.join("car_interior_60mph.wav");
    let limits = AudioLimits { silence_floor_dbfs: None, ..AudioLimits::default() };
    let (_source, capture) = hush_audio::replay(&path, hush_audio::Pace::RealTime, Duration::from_secs(10), &limits)?;
    let _inside = rt.enter();
    let mut listener = engine.session().listen(ListenParams { mode: Mode::WakePhrase, ..ListenParams::default() })?;
    let (t, cpu) = (Instant::now(), cpu_time());
    while t.elapsed().as_secs_f64() < seconds {
        match capture.read(SAMPLE_RATE as usize / 10, Duration::from_millis(50))? {
            hush_audio::Read::Audio(mut samples) => {
                listener.feed(&samples);
                hush_audio::clear(&mut samples);
            }
            hush_audio::Read::Waiting => {}
            hush_audio::Read::Ended => break,
        }
        listener.events();
    }
    Ok(100.0 * (cpu_time() - cpu).as_secs_f64() / t.elapsed().as_secs_f64())
}
