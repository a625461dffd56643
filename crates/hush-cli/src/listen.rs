//! `hush listen --input FILE.wav`: a recording replayed as a live stream.
//! Each utterance the endpointer cuts out becomes a turn as soon as its
//! end-of-speech silence has passed (continuous mode: every utterance is a
//! command).

use crate::run::{runtime, EngineArgs, Heard};
use anyhow::{Context, Result};
use clap::Args;
use hush_audio::{Endpointer, VadParams, SAMPLE_RATE};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct ListenArgs {
    #[command(flatten)]
    engine: EngineArgs,
    /// Replay this WAV file (any rate, any channels) as the live input.
    #[arg(long)]
    input: PathBuf,
    /// Pace the replay at real-time speed (default: as fast as it goes).
    #[arg(long)]
    realtime: bool,
    /// Quiet (ms) after speech that ends an utterance.
    #[arg(long, default_value_t = 300)]
    end_silence_ms: u64,
}

/// Audio handed to the endpointer at a time, as a sound card would (100 ms).
const CHUNK: usize = SAMPLE_RATE as usize / 10;

pub fn listen(a: &ListenArgs) -> Result<()> {
    let engine = a.engine.build(true)?;
    let rt = runtime()?;
    let limits = hush_audio::DecodeOptions { max_duration: Duration::from_secs(4 * 3600), ..Default::default() };
    let (audio, _) = hush_audio::read_wav(&a.input, &limits).with_context(|| a.input.display().to_string())?;
    let mut vad = Endpointer::new(VadParams { end_silence: Duration::from_millis(a.end_silence_ms), ..VadParams::default() });
    let session = engine.session();
    let started = Instant::now();
    let secs = |s: u64| s as f64 / SAMPLE_RATE as f64;
    let mut n = 0;
    let turn_of = |seg: hush_audio::Segment, n: &mut usize| -> Result<()> {
        *n += 1;
        let turn = rt.block_on(session.process_pcm(&seg.samples, SAMPLE_RATE))?;
        let endpoint = secs(seg.start + seg.samples.len() as u64);
        let label = format!("utterance {n}: speech {:.2}-{:.2} s, endpoint at {endpoint:.2} s", secs(seg.speech_start), secs(seg.speech_end));
        a.engine.report(&label, &turn, Heard::Pcm(&seg.samples), *n)
    };
    for (i, chunk) in audio.samples().chunks(CHUNK).enumerate() {
        if a.realtime {
            let due = Duration::from_secs_f64(((i + 1) * CHUNK) as f64 / SAMPLE_RATE as f64);
            std::thread::sleep(due.saturating_sub(started.elapsed()));
        }
        for seg in vad.push(chunk) {
            turn_of(seg, &mut n)?;
        }
    }
    if let Some(seg) = vad.finish() {
        turn_of(seg, &mut n)?;
    }
    if !a.engine.json() {
        println!("{n} utterances in {:.1} s of audio", audio.duration().as_secs_f64());
    }
    Ok(())
}
