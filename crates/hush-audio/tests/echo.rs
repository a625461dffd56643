//! The echo canceller on speech played through a simulated cabin: a
//! delay, a gain, early reflections and a decaying tail.

use hush_audio::vad::FRAME;
use hush_audio::{read_wav, AudioLimits, EchoCanceller, EchoParams};
use std::path::Path;

fn clip(name: &str) -> Vec<f32> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    read_wav(root.join(name), &AudioLimits::default()).unwrap().0.samples().to_vec()
}

/// Speech for the loudspeaker: the bundled example commands, one after
/// another, `seconds` long.
fn playback(seconds: usize) -> Vec<f32> {
    let mut out = Vec::new();
    let names = ["book_ride", "pay_bill", "navigate_home", "weather", "grades", "confirm"];
    for name in names.iter().cycle() {
        out.extend(clip(&format!("examples/audio/{name}.wav")));
        out.extend(std::iter::repeat_n(0.0, 1600));
        if out.len() >= seconds * 16_000 {
            break;
        }
    }
    out.truncate(seconds * 16_000);
    out
}

/// The cabin: 90 ms of output latency, reflections, a 150 ms tail.
fn cabin(x: &[f32], gain: f32) -> Vec<f32> {
    hush_eval::mix::cabin_echo(x, 90.0, gain, 150.0)
}

fn energy(x: &[f32]) -> f64 {
    x.iter().map(|v| (*v as f64).powi(2)).sum()
}

/// Runs the canceller over `mic` with `played`; the residual, and which
/// frames it called playback.
fn run(mic: &[f32], played: &[f32]) -> (Vec<f32>, Vec<bool>) {
    let mut aec = EchoCanceller::new(EchoParams::default());
    let (mut out, mut gated) = (Vec::new(), Vec::new());
    for (m, p) in mic.chunks_exact(FRAME).zip(played.chunks_exact(FRAME)) {
        let mut frame: [f32; FRAME] = m.try_into().unwrap();
        gated.push(aec.process(&mut frame, p.try_into().unwrap()));
        out.extend(frame);
    }
    (out, gated)
}

#[test]
fn playback_alone_is_cancelled_and_gated() {
    let played = playback(20);
    let mic = cabin(&played, 0.8);
    let (out, gated) = run(&mic, &played);
    // After two seconds to learn the path, the echo is down by more than
    // 20 dB.
    let skip = 2 * 16_000;
    let erle = 10.0 * (energy(&mic[skip..]) / energy(&out[skip..])).log10();
    assert!(erle > 20.0, "echo return loss enhancement {erle:.1} dB");
    // Nine in ten frames where the echo is loud are called playback (the
    // rest, onsets mostly, are left quiet by the filter anyway).
    let loud: Vec<usize> = (skip / FRAME..mic.len() / FRAME).filter(|&i| energy(&mic[i * FRAME..(i + 1) * FRAME]) > 1e-3).collect();
    let called = loud.iter().filter(|&&i| gated[i]).count();
    assert!(called * 100 >= loud.len() * 90, "{called} of {} loud echo frames gated", loud.len());
}

#[test]
fn the_user_talking_over_playback_comes_through() {
    let played = playback(20);
    let echo = cabin(&played, 0.8);
    let user = clip("tests/fixtures/replies/yes_please.wav");
    let mut mic = echo.clone();
    let at = 12 * 16_000;
    for (m, u) in mic[at..].iter_mut().zip(&user) {
        *m += u;
    }
    let (out, gated) = run(&mic, &played);
    let span = at..at + user.len();
    // The residual over the user's words is the user, not the echo: what is
    // left of the echo is 15 dB below the voice.
    let left: Vec<f32> = out[span.clone()].iter().zip(&user).map(|(o, u)| o - u).collect();
    let snr = 10.0 * (energy(&user) / energy(&left)).log10();
    assert!(snr > 15.0, "voice to echo left {snr:.1} dB");
    // And the gate lets through the frames where the voice is at least
    // as loud as the echo.
    let frame = |x: &[f32], i: usize| energy(&x[i * FRAME..(i + 1) * FRAME]);
    let voiced: Vec<usize> = (0..user.len() / FRAME).filter(|&i| frame(&user, i) > 1e-2 && frame(&user, i) >= frame(&echo[at..], i)).collect();
    assert!(voiced.len() > 20);
    let passed = voiced.iter().filter(|&&i| !gated[at / FRAME + i]).count();
    assert!(passed * 100 >= voiced.len() * 95, "{passed} of {} voiced frames passed", voiced.len());
    // The filter was not thrown off: playback after the words is still
    // cancelled.
    let after = at + user.len() + 16_000;
    let erle = 10.0 * (energy(&mic[after..]) / energy(&out[after..])).log10();
    assert!(erle > 20.0, "after the user spoke: {erle:.1} dB");
}

#[test]
fn without_playback_the_microphone_is_untouched() {
    let user = clip("tests/fixtures/replies/no.wav");
    let n = user.len() / FRAME * FRAME;
    let (out, gated) = run(&user[..n], &vec![0.0; n]);
    assert_eq!(out, user[..n]);
    assert!(gated.iter().all(|g| !g));
}

/// The gate over a long double-talk session: prompts played at three
/// levels against the driver's (-3, 0, +3 dB), short replies said over
/// them, road noise: after the first 5 s, at most 5 % of the driver's
/// voiced frames are called playback, and at most 1 % of the frames with
/// only a loud echo are not.
#[test]
fn the_gate_tells_the_driver_from_the_echo() {
    let mut st = hush_eval::mix::Stitch::new();
    let names = ["weather", "grades", "book_ride", "pay_bill", "navigate_home", "confirm"];
    for _ in 0..4 {
        for name in names {
            st.pause(0.4);
            st.clip(&hush_eval::mix::at_level(&clip(&format!("examples/audio/{name}.wav")), -20.0));
        }
    }
    let n = st.samples().len() / FRAME * FRAME;
    let played = &st.samples()[..n];
    let noise = hush_eval::mix::road_noise(n as f64 / 16_000.0 + 1.0, 9);
    let mut driver = vec![0.0f32; n];
    let replies = ["yes_please", "not_sure", "dont_go_ahead", "no_yes", "not_correct"];
    let mut at = 5 * 16_000;
    for (i, r) in replies.iter().cycle().take(12).enumerate() {
        let c = hush_eval::mix::at_level(&clip(&format!("tests/fixtures/replies/{r}.wav")), -20.0);
        if at + c.len() >= n {
            break;
        }
        driver[at..at + c.len()].copy_from_slice(&c);
        at += c.len() + 16_000 + (i % 3) * 8_000;
    }
    for gain in [0.7f32, 1.0, 1.4] {
        let echo = cabin(played, gain);
        let mic: Vec<f32> = (0..n).map(|i| echo[i] + driver[i] + 0.03 * noise[i]).collect();
        let (_, gated) = run(&mic, played);
        let frame = |x: &[f32], i: usize| energy(&x[i * FRAME..(i + 1) * FRAME]);
        let after = 5 * 50..n / FRAME;
        let voiced: Vec<usize> = after.clone().filter(|&i| frame(&driver, i) > 1e-2).collect();
        let echo_only: Vec<usize> = after.filter(|&i| frame(&driver, i) < 1e-5 && frame(&echo, i) > 1e-2).collect();
        let (closed, open) = (voiced.iter().filter(|&&i| gated[i]).count(), echo_only.iter().filter(|&&i| !gated[i]).count());
        assert!(voiced.len() > 300 && echo_only.len() > 500, "{} {}", voiced.len(), echo_only.len());
        assert!(closed * 20 <= voiced.len(), "gain {gain}: {closed} of {} voiced frames called playback", voiced.len());
        assert!(open * 100 <= echo_only.len(), "gain {gain}: {open} of {} echo frames let through", echo_only.len());
    }
}
