//! `hush listen`: live voice from the microphone (or a WAV file replayed
//! through the same path), each utterance a turn as soon as it ends; and
//! `hush devices`.

use crate::run::{runtime, EngineArgs, Heard};
use anyhow::{Context, Result};
use clap::Args;
use hush::config::{ListenConfig, VadKind};
use hush::listen::ListenParams;
use hush::listen::{Event, Ignored, LiveTurn, Mode};
use hush::EngineConfig;
use hush_audio::{Capture, Pace, Read, SAMPLE_RATE};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

#[derive(Args)]
pub struct ListenArgs {
    #[command(flatten)]
    engine: EngineArgs,
    /// Input device (see `hush devices`; default: the system's default).
    #[arg(long, conflicts_with = "input")]
    device: Option<String>,
    /// Replay this WAV file (any rate, any channels) instead of a device.
    #[arg(long)]
    input: Option<PathBuf>,
    /// Pace the replay at real-time speed, dropping audio like a sound card
    /// if hush falls behind (default: real time only while hush is busy,
    /// at once otherwise, which gives live timings in less time).
    #[arg(long, requires = "input")]
    realtime: bool,
    /// Commands start with this phrase (the default mode).
    #[arg(long, default_value = "hey hush", conflicts_with_all = ["ptt", "continuous"])]
    wake: String,
    /// Wake-check score needed (higher: fewer false wakes, more misses).
    #[arg(long, default_value_t = hush::listen::WAKE_THRESHOLD, allow_hyphen_values = true)]
    wake_threshold: f32,
    /// The wake-phrase model's probability needed before Whisper checks
    /// the phrase (0: Whisper checks every utterance; default: the model's
    /// own threshold; only for "hey hush", the phrase it knows).
    #[arg(long)]
    wake_gate: Option<f32>,
    /// The wake-phrase model's probability at which the phrase counts as
    /// said without Whisper's check of it (0: Whisper checks all the gate
    /// lets through; default 0.9).
    #[arg(long)]
    wake_sure: Option<f32>,
    /// How much less likely than what Whisper would write itself the
    /// phrase may be in Whisper's check (mean token log-probability, e.g.
    /// 2: fewer false wakes, more misses; 0, the default: the score alone
    /// decides).
    #[arg(long)]
    wake_lead: Option<f32>,
    /// Push-to-talk: press Enter to start talking, Enter again to stop.
    #[arg(long, conflicts_with = "continuous")]
    ptt: bool,
    /// Every utterance is a command (no wake phrase).
    #[arg(long)]
    continuous: bool,
    /// Quiet (ms) after speech that ends an utterance.
    #[arg(long, default_value_t = 300)]
    end_silence_ms: u64,
    /// What tells speech from noise: the Silero VAD model (the default when
    /// `make models` has fetched it) or frame energy.
    #[arg(long, value_parser = crate::run::vad_kind)]
    vad: Option<VadKind>,
    /// Always wait the end silence, whatever the words so far (by default a
    /// pause ends sooner after a whole command, later after the start of
    /// one: the audio here comes in real time).
    #[arg(long)]
    no_end_of_command: bool,
    /// Speech while an action runs does not cancel it.
    #[arg(long)]
    no_barge_in: bool,
    /// Seconds of audio the input buffer holds while hush is busy.
    #[arg(long, default_value_t = 30.0)]
    buffer_s: f64,
}

#[derive(Args)]
pub struct DevicesArgs {
    /// One JSON object per device.
    #[arg(long)]
    json: bool,
}

/// Audio handed to the listener at a time (100 ms).
const CHUNK: usize = SAMPLE_RATE as usize / 10;

impl ListenArgs {
    fn params(&self) -> Result<ListenParams> {
        let mode = if self.continuous {
            Mode::Continuous
        } else if self.ptt {
            Mode::PushToTalk
        } else {
            Mode::WakePhrase
        };
        let listen = ListenConfig {
            mode: Some(mode),
            wake_phrase: Some(self.wake.clone()),
            wake_threshold: Some(self.wake_threshold),
            wake_gate: self.wake_gate,
            wake_sure: self.wake_sure,
            wake_lead: self.wake_lead,
            end_silence_ms: Some(self.end_silence_ms),
            barge_in: Some(!self.no_barge_in),
            vad: self.vad,
            end_of_command: Some(!self.no_end_of_command),
            ..ListenConfig::default()
        };
        let mut params = EngineConfig { listen, ..EngineConfig::default() }.listen_params()?;
        params.keep_audio = self.engine.keeps_audio();
        Ok(params)
    }

    fn open(&self) -> Result<(hush_audio::Source, Capture)> {
        let capacity = Duration::from_secs_f64(self.buffer_s.clamp(1.0, 600.0));
        Ok(match &self.input {
            Some(path) => {
                let limits = hush_audio::AudioLimits { max_duration: Duration::from_secs(4 * 3600), silence_floor_dbfs: None };
                let pace = if self.realtime { Pace::RealTime } else { Pace::Fast };
                hush_audio::replay(path, pace, capacity, &limits).with_context(|| path.display().to_string())?
            }
            #[cfg(feature = "microphone")]
            None => hush_audio::open_microphone(self.device.as_deref(), capacity)?,
            #[cfg(not(feature = "microphone"))]
            None => anyhow::bail!(NO_MICROPHONE),
        })
    }
}

/// What a build without sound-card capture says when asked for it.
#[cfg(not(feature = "microphone"))]
const NO_MICROPHONE: &str = "this hush was built without the microphone (ALSA's development files were missing): \
     install them (Debian/Ubuntu: `apt install libasound2-dev pkg-config`) and run `make build` again, \
     or replay a recording with --input FILE.wav";

pub fn listen(a: &ListenArgs) -> Result<()> {
    let engine = a.engine.build(true)?;
    let (source, capture) = a.open()?;
    let rt = runtime()?;
    let _inside = rt.enter();
    let params = a.params()?;
    let mut listener = engine.session().listen(params.clone())?;
    if !a.engine.json() {
        let i = &source.info;
        eprintln!("listening to {} ({} Hz, {} ch, {}; {} voice activity)", i.name, i.sample_rate, i.channels, i.format, params.vad.detector.name());
        match params.mode {
            Mode::WakePhrase => eprintln!("say \"{}\" before a command", params.wake.phrase),
            Mode::PushToTalk => eprintln!("press Enter to talk, Enter again when done"),
            Mode::Continuous => {}
        }
    }
    let toggles = (params.mode == Mode::PushToTalk).then(stdin_toggles);
    let mut printer = Printer { args: a, n: 0, turns: 0, ignored: 0 };
    let mut dropped = 0;
    let mut held = false;
    let result = loop {
        match capture.read(CHUNK, Duration::from_millis(50)) {
            Ok(Read::Audio(mut samples)) => {
                if a.input.is_some() && !a.realtime {
                    rt.block_on(listener.feed_recorded(&samples));
                } else {
                    listener.feed(&samples);
                }
                hush_audio::clear(&mut samples);
            }
            Ok(Read::Waiting) => {}
            Ok(Read::Ended) => break Ok(()),
            Err(e) => break Err(anyhow::Error::new(e)),
        }
        if let Some(rx) = &toggles {
            while rx.try_recv().is_ok() {
                held = !held;
                listener.push_to_talk(held);
                if !a.engine.json() {
                    eprintln!("{}", if held { "● talking… (Enter to stop)" } else { "○ sent" });
                }
            }
        }
        if capture.dropped() > dropped {
            let lost = capture.dropped() - dropped;
            dropped = capture.dropped();
            tracing::warn!(lost_ms = lost * 1000 / SAMPLE_RATE as u64, "hush fell behind: audio dropped");
            eprintln!("warning: {} ms of audio dropped (hush fell behind the input)", lost * 1000 / SAMPLE_RATE as u64);
        }
        for e in listener.events() {
            printer.print(&e)?;
        }
    };
    // Whatever happened to the input, the utterances already heard are
    // handled and reported.
    for e in rt.block_on(listener.finish()) {
        printer.print(&e)?;
    }
    drop(source);
    if !a.engine.json() {
        println!(
            "{} utterances: {} turns, {} ignored; {:.1} s of audio heard, {} ms dropped",
            printer.n,
            printer.turns,
            printer.ignored,
            capture.received() as f64 / SAMPLE_RATE as f64,
            capture.dropped() * 1000 / SAMPLE_RATE as u64
        );
    }
    result
}

/// Enter presses, from a thread of their own (stdin blocks).
fn stdin_toggles() -> mpsc::Receiver<()> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lines() {
            if line.is_err() || tx.send(()).is_err() {
                break;
            }
        }
    });
    rx
}

struct Printer<'a> {
    args: &'a ListenArgs,
    n: usize,
    turns: usize,
    ignored: usize,
}

impl Printer<'_> {
    fn print(&mut self, e: &Event) -> Result<()> {
        let json = self.args.engine.json();
        match e {
            Event::SpeechStarted { .. } => return Ok(()),
            Event::Turn(t) => {
                self.n += 1;
                self.turns += 1;
                return self.turn(t);
            }
            Event::Ignored { .. } => {
                self.n += 1;
                self.ignored += 1;
            }
            Event::Woke { .. } | Event::Failed { .. } => self.n += 1,
            Event::BargeIn { .. } => {}
        }
        if json {
            println!("{}", hush::json::event(e));
            return Ok(());
        }
        match e {
            Event::Ignored { speech, wake_score, reason, .. } => println!(
                "· utterance {}: speech {:.2}-{:.2} s, {}",
                self.n,
                speech.start.as_secs_f64(),
                speech.end.as_secs_f64(),
                match reason {
                    Ignored::NoWakePhrase => format!("not for hush (wake score {:.2})", wake_score.unwrap_or(f32::NAN)),
                    Ignored::NoWords => "no words heard".into(),
                }
            ),
            Event::Woke { speech, wake_score } => {
                println!("· utterance {}: \"{}\" at {:.2} s (score {wake_score:.2}), listening…", self.n, self.args.wake, speech.start.as_secs_f64())
            }
            Event::Failed { speech, error } => eprintln!("utterance {} at {:.2} s: {error}", self.n, speech.start.as_secs_f64()),
            Event::BargeIn { at } => println!("· barge-in at {:.2} s: the running action was stopped", at.as_secs_f64()),
            _ => {}
        }
        Ok(())
    }

    fn turn(&self, t: &LiveTurn) -> Result<()> {
        let label = format!(
            "utterance {}: speech {:.2}-{:.2} s, end silence {:.0} ms, end of speech → dispatch {:.1} ms",
            self.n,
            t.speech.start.as_secs_f64(),
            t.speech.end.as_secs_f64(),
            crate::ms(t.latency.endpoint_silence),
            crate::ms(t.latency.to_dispatch)
        );
        let audio = t.audio.as_ref().map_or(Heard::Spoken, |a| Heard::Pcm(a.samples()));
        if self.args.engine.json() {
            let mut v = hush::json::live_turn(t);
            v["input"] = serde_json::json!(label);
            self.args.engine.keep(&label, &t.turn, audio, self.n)?;
            println!("{v}");
            return Ok(());
        }
        self.args.engine.report(&label, &t.turn, audio, self.n)
    }
}

#[cfg(not(feature = "microphone"))]
pub fn devices(_: &DevicesArgs) -> Result<()> {
    anyhow::bail!(NO_MICROPHONE)
}

#[cfg(feature = "microphone")]
pub fn devices(a: &DevicesArgs) -> Result<()> {
    let list = hush_audio::input_devices()?;
    if a.json {
        for d in &list {
            println!(
                "{}",
                serde_json::json!({"name": d.name, "default": d.is_default, "sample_rate": d.sample_rate, "channels": d.channels, "format": d.format})
            );
        }
        return Ok(());
    }
    if list.is_empty() {
        println!("no input devices");
    } else {
        println!("input devices (* the default; `hush listen --device NAME` picks one):");
    }
    for d in &list {
        let config = match (d.sample_rate, d.channels, &d.format) {
            (Some(r), Some(c), Some(f)) => format!("{r} Hz, {c} ch, {f}"),
            _ => "no usable configuration".into(),
        };
        println!("{} {} ({config})", if d.is_default { "*" } else { " " }, d.name);
    }
    Ok(())
}
