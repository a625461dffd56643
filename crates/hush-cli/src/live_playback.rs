//! `hush bench live`'s playback part: the car's own audio (speech played
//! through the loudspeaker) fed to the listener as the echo canceller's
//! reference, alone and with the driver talking over it.

use hush::listen::{Event, ListenParams};
use hush::Engine;
use hush_audio::SAMPLE_RATE;
use hush_eval::mix::{at_level, cabin_echo, Stitch};
use hush_eval::wer::WerCounter;

/// One cabin: the loudspeaker's path to the microphone.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Cabin {
    pub delay_ms: f64,
    /// The echo's level against the driver's (linear gain on a clip at
    /// the driver's level).
    pub gain: f32,
    pub t60_ms: f64,
}

/// One per noise: short and long output latencies, echo quieter and
/// louder than the driver.
pub const CABINS: [Cabin; 3] = [
    Cabin { delay_ms: 60.0, gain: 1.0, t60_ms: 120.0 },
    Cabin { delay_ms: 120.0, gain: 0.7, t60_ms: 200.0 },
    Cabin { delay_ms: 200.0, gain: 1.4, t60_ms: 150.0 },
];

/// Speech for the loudspeaker: `clips` one after another with short gaps
/// (0.3 to 0.9 s), from `first` on, until `seconds` long.
pub fn programme(clips: &[Vec<f32>], first: usize, seconds: f64) -> Vec<f32> {
    let mut out = Vec::new();
    let n = (seconds * SAMPLE_RATE as f64) as usize;
    for i in first.. {
        if out.len() >= n || clips.is_empty() {
            break;
        }
        out.extend_from_slice(&clips[i % clips.len()]);
        out.extend(std::iter::repeat_n(0.0, SAMPLE_RATE as usize * (3 + (i * 7) % 7) / 10));
    }
    out.truncate(n);
    out
}

/// What the microphone hears: the playback's echo plus `noise` (looped) at
/// `snr` dB below the driver's level (`level` dBFS).
pub fn microphone(played: &[f32], cabin: Cabin, noise: &[f32], level: f32, snr: f32) -> Vec<f32> {
    let echo = cabin_echo(played, cabin.delay_ms, cabin.gain, cabin.t60_ms);
    let power = noise.iter().map(|x| (*x as f64).powi(2)).sum::<f64>() / noise.len().max(1) as f64;
    let gain = (10f64.powf((level - snr) as f64 / 10.0) / power.max(1e-20)).sqrt() as f32;
    echo.iter().zip(noise.iter().cycle()).map(|(e, n)| e + gain * n).collect()
}

/// Replays `mic`, feeding `played` as playback 100 ms at a time as a host
/// would (or not at all); every event.
pub async fn listen(engine: &Engine, params: &ListenParams, mic: &[f32], played: Option<&[f32]>) -> anyhow::Result<Vec<Event>> {
    let mut l = engine.session().listen(params.clone())?;
    let playback = l.playback();
    let mut events = Vec::new();
    let step = SAMPLE_RATE as usize / 10;
    for (i, chunk) in mic.chunks(step).enumerate() {
        if let Some(p) = played {
            let from = (i * step).min(p.len());
            playback.feed(&p[from..(from + chunk.len()).min(p.len())], SAMPLE_RATE)?;
        }
        l.feed_recorded(chunk).await;
        events.extend(l.events());
    }
    events.extend(l.settle().await);
    events.extend(l.finish().await);
    Ok(events)
}

/// Playback alone, in one noise.
#[derive(Debug, Default, serde::Serialize)]
pub struct Alone {
    pub noise: String,
    pub cabin: Option<Cabin>,
    pub seconds: f64,
    /// Speech the endpointer started (each would be a barge-in while an
    /// action runs), and turns.
    pub speech_started: usize,
    pub turns: usize,
    /// The same in the noise alone, without the playback.
    pub noise_speech_started: usize,
    pub noise_turns: usize,
}

/// The driver's commands over playback, in one noise.
#[derive(Debug, Default, serde::Serialize)]
pub struct Over {
    pub noise: String,
    pub commands: usize,
    /// Commands with a turn on them.
    pub heard: usize,
    pub wer_percent: f64,
}

/// Speech starts and turns.
fn count(events: &[Event]) -> (usize, usize) {
    (events.iter().filter(|e| matches!(e, Event::SpeechStarted { .. })).count(), events.iter().filter(|e| matches!(e, Event::Turn(_))).count())
}

/// Playback alone (`events`) against the noise alone (`noise`).
pub fn alone(name: &str, events: &[Event], noise: &[Event], seconds: f64, cabin: Cabin) -> Alone {
    let ((speech_started, turns), (noise_speech_started, noise_turns)) = (count(events), count(noise));
    Alone { noise: name.into(), cabin: Some(cabin), seconds, speech_started, turns, noise_speech_started, noise_turns }
}

/// Scores the driver's commands (`texts`, said where `session`'s clips are)
/// against the turns heard.
pub fn over(name: &str, events: &[Event], session: &Stitch, texts: &[&str]) -> Over {
    let at = |d: std::time::Duration| (d.as_secs_f64() * SAMPLE_RATE as f64) as usize;
    let turns: Vec<_> = events.iter().filter_map(|e| if let Event::Turn(t) = e { Some(t) } else { None }).collect();
    let mut wer = WerCounter::default();
    let mut heard = 0;
    for (text, r) in texts.iter().zip(session.clips()) {
        let said: Vec<&str> = turns.iter().filter(|t| at(t.speech.start) < r.end && at(t.speech.end) > r.start).map(|t| t.turn.transcript.as_str()).collect();
        heard += usize::from(!said.is_empty());
        tracing::info!(noise = name, said = text, heard = said.join(" | "), "command over playback");
        wer.add(text, &said.join(" "));
    }
    Over { noise: name.into(), commands: texts.len(), heard, wer_percent: wer.wer() }
}

/// The played clips brought to the driver's level.
pub fn leveled(clips: Vec<Vec<f32>>, level: f32) -> Vec<Vec<f32>> {
    clips.iter().map(|c| at_level(c, level)).collect()
}
