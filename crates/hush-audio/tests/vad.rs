//! Endpointing on synthetic audio and on the dev clips mixed with noise.

use hush_audio::vad::FRAME;
use hush_audio::{read_wav, Endpointer, Segment, SileroModel, VadParams};

const RATE: f64 = 16_000.0;

/// Deterministic low-level noise plus tone bursts at the given seconds.
fn synthetic(seconds: f64, bursts: &[(f64, f64)]) -> Vec<f32> {
    let mut state = 12345u32;
    (0..(seconds * RATE) as usize)
        .map(|i| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let noise = ((state >> 8) as f32 / (1 << 24) as f32 - 0.5) * 0.004;
            let t = i as f64 / RATE;
            let tone = if bursts.iter().any(|&(a, b)| t >= a && t < b) { 0.3 * (t * 2.0 * std::f64::consts::PI * 440.0).sin() as f32 } else { 0.0 };
            noise + tone
        })
        .collect()
}

fn run(samples: &[f32], chunk: usize, params: VadParams) -> Vec<Segment> {
    let mut e = Endpointer::new(params);
    let mut out = Vec::new();
    for c in samples.chunks(chunk) {
        out.extend(e.push(c));
    }
    out.extend(e.finish());
    out
}

fn silero() -> VadParams {
    let weights = hush_models::Cache::default().resolve_weights("silero-vad").expect("run `make models-vad` first");
    VadParams::silero(SileroModel::load(&weights).expect("silero loads"))
}

fn secs(samples: u64) -> f64 {
    samples as f64 / RATE
}

#[test]
fn bursts_are_found_with_pre_roll_and_ended_after_the_silence() {
    let audio = synthetic(6.0, &[(1.0, 2.0), (3.5, 4.2)]);
    let segs = run(&audio, 1000, VadParams::default());
    assert_eq!(segs.len(), 2, "{segs:?}");
    for (s, (a, b)) in segs.iter().zip([(1.0, 2.0), (3.5, 4.2)]) {
        assert!((secs(s.speech_start) - a).abs() <= 0.04, "{s:?}");
        assert!((secs(s.speech_end) - b).abs() <= 0.04, "{s:?}");
        assert!(secs(s.start) <= a - 0.25, "pre-roll kept: {s:?}");
        assert!(!s.truncated);
        // Audio until the endpoint decision, 300 ms after the last speech.
        let kept_until = secs(s.start) + s.samples.len() as f64 / RATE;
        assert!((kept_until - (b + 0.3)).abs() <= 0.04, "{s:?} kept until {kept_until}");
    }
}

/// A caller that knows the words so far can lengthen a pause (two bursts
/// 500 ms apart stay one utterance) or shorten it (the first burst ends
/// 100 ms after its speech); speech that resumes goes back to the default.
#[test]
fn a_pause_can_be_ended_sooner_or_later() {
    let audio = synthetic(5.0, &[(1.0, 2.0), (2.5, 3.0)]);
    let mut e = Endpointer::new(VadParams::default());
    let (mut segs, mut asked) = (Vec::new(), false);
    for f in audio.chunks(FRAME) {
        segs.extend(e.push(f));
        if e.quiet() == Some(std::time::Duration::from_millis(100)) && !asked {
            e.end_pause_after(std::time::Duration::from_millis(800));
            asked = true;
        }
    }
    segs.extend(e.finish());
    assert_eq!(segs.len(), 1, "{segs:?}");
    assert!((secs(segs[0].speech_end) - 3.0).abs() <= 0.04, "{segs:?}");

    let mut e = Endpointer::new(VadParams::default());
    let mut segs = Vec::new();
    for f in audio.chunks(FRAME) {
        segs.extend(e.push(f));
        if e.quiet() == Some(std::time::Duration::from_millis(60)) {
            e.end_pause_after(std::time::Duration::from_millis(100));
        }
    }
    assert_eq!(segs.len(), 2, "{segs:?}");
    for (s, end) in segs.iter().zip([2.0, 3.0]) {
        let kept_until = secs(s.start) + s.samples.len() as f64 / RATE;
        assert!((kept_until - (end + 0.1)).abs() <= 0.03, "{s:?} kept until {kept_until}");
    }
}

#[test]
fn chunk_sizes_do_not_change_the_segments() {
    let audio = synthetic(6.0, &[(1.0, 2.0), (3.5, 4.2)]);
    let key = |s: &Vec<Segment>| s.iter().map(|x| (x.start, x.speech_start, x.speech_end, x.samples.clone())).collect::<Vec<_>>();
    let whole = run(&audio, audio.len(), VadParams::default());
    for chunk in [1, 7, FRAME, 4096] {
        assert_eq!(key(&run(&audio, chunk, VadParams::default())), key(&whole), "chunk {chunk}");
    }
}

#[test]
fn a_click_is_not_speech_and_a_monologue_is_cut() {
    let audio = synthetic(3.0, &[(1.0, 1.03)]);
    assert!(run(&audio, 512, VadParams::default()).is_empty());
    let audio = synthetic(20.0, &[(1.0, 19.0)]);
    let segs = run(&audio, 512, VadParams { max_utterance: std::time::Duration::from_secs(5), ..VadParams::default() });
    assert!(segs[0].truncated, "{segs:?}");
    assert!(secs(segs[0].samples.len() as u64) <= 5.02, "{segs:?}");
}

/// With a minimum speech duration (Silero's default, 250 ms), a 100 ms
/// blip is no utterance and never reported as speech, while a 100 ms word,
/// a 200 ms pause and more speech are one utterance from the first word.
#[test]
fn speech_shorter_than_the_minimum_is_dropped_and_a_short_first_word_kept() {
    let params = VadParams { min_speech: std::time::Duration::from_millis(250), ..VadParams::default() };
    let blip = synthetic(3.0, &[(1.0, 1.1)]);
    assert_eq!(run(&blip, 512, VadParams::default()).len(), 1, "the energy default hears it");
    let mut e = Endpointer::new(params.clone());
    let mut segs = Vec::new();
    for c in blip.chunks(FRAME) {
        segs.extend(e.push(c));
        assert!(!e.in_speech() && e.heard().is_none() && e.quiet().is_none());
    }
    segs.extend(e.finish());
    assert!(segs.is_empty(), "{segs:?}");

    let said = synthetic(4.0, &[(1.0, 1.1), (1.3, 2.0)]);
    let segs = run(&said, 512, params);
    assert_eq!(segs.len(), 1, "{segs:?}");
    assert!((secs(segs[0].speech_start) - 1.0).abs() <= 0.04, "{segs:?}");
    assert!((secs(segs[0].speech_end) - 2.0).abs() <= 0.04, "{segs:?}");
}

/// Spoken replies (the committed fixtures) between stretches of synthetic
/// noise: Silero finds each as one utterance around its speech, whatever
/// the size of the pieces fed; a steady tone, which the energy detector
/// takes for speech, is not speech to it.
#[test]
fn silero_finds_spoken_replies_and_ignores_a_tone() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/replies");
    let mut audio = synthetic(1.0, &[]);
    let mut spans = Vec::new();
    for name in ["yes_please", "not_sure", "no"] {
        let (clip, _) = read_wav(root.join(format!("{name}.wav")), &Default::default()).unwrap();
        let truth = hush_eval::mix::speech_frames(clip.samples());
        let (first, last) = (truth.iter().position(|&t| t).unwrap(), truth.iter().rposition(|&t| t).unwrap());
        spans.push((audio.len() + first * FRAME, audio.len() + (last + 1) * FRAME));
        audio.extend(clip.samples());
        audio.extend(synthetic(1.5, &[]));
    }
    let key = |s: &Vec<Segment>| s.iter().map(|x| (x.start, x.speech_start, x.speech_end)).collect::<Vec<_>>();
    // "yes, please" pauses 300 ms between its words: an end silence of
    // 300 ms cuts it in two, 400 ms keeps it whole.
    let short = run(&audio, 1000, silero());
    assert_eq!(short.len(), 4, "{short:?}");
    let params = VadParams { end_silence: std::time::Duration::from_millis(400), ..silero() };
    let segs = run(&audio, 1000, params.clone());
    assert_eq!(segs.len(), 3, "{segs:?}");
    for (s, (a, b)) in segs.iter().zip(&spans) {
        // The utterance handed on holds all the speech.
        assert!(s.start <= *a as u64 && s.start + s.samples.len() as u64 >= *b as u64, "{s:?} vs speech {a}..{b}");
        assert!(secs(s.speech_start) >= secs(*a as u64) - 0.15 && secs(s.speech_end) <= secs(*b as u64) + 0.3, "{s:?} vs speech {a}..{b}");
    }
    for chunk in [7, FRAME, 4096] {
        assert_eq!(key(&run(&audio, chunk, params.clone())), key(&segs), "chunk {chunk}");
    }
    let tone = synthetic(4.0, &[(1.0, 3.0)]);
    assert_eq!(run(&tone, 1000, VadParams::default()).len(), 1);
    assert!(run(&tone, 1000, silero()).is_empty());
}

/// Frame-level precision and recall on the noisy dev copies (10 and 5 dB),
/// the clean original telling where speech is (frames within 40 dB of its
/// loudest frame, as the set's README defines active speech), and how many
/// clips come out as exactly one utterance covering all the speech.
#[test]
#[ignore = "needs ../shared/data: make test-dev"]
fn dev_clips_in_noise() {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/audio-dev"));
    let manifest = std::fs::read_to_string(dir.join("manifest.jsonl")).expect("../shared/data/audio-dev");
    for (params, snr) in [(VadParams::default(), 10.0), (VadParams::default(), 5.0), (silero(), 10.0), (silero(), 5.0)] {
        let name = params.detector.name();
        let (mut tp, mut fp, mut fn_, mut clips, mut one) = (0usize, 0usize, 0usize, 0usize, 0usize);
        for line in manifest.lines() {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            if row["snr_db"].as_f64() != Some(snr) {
                continue;
            }
            let (noisy, _) = read_wav(dir.join(row["audio"].as_str().unwrap()), &Default::default()).unwrap();
            let (clean, _) = read_wav(dir.join(row["clean_audio"].as_str().unwrap()), &Default::default()).unwrap();
            let truth = hush_eval::mix::speech_frames(clean.samples());
            let segs = run(noisy.samples(), 1600, params.clone());
            let said = |i: usize| {
                let (a, b) = ((i * FRAME) as u64, ((i + 1) * FRAME) as u64);
                segs.iter().any(|s| a < s.speech_end && b > s.speech_start)
            };
            for (i, &t) in truth.iter().enumerate() {
                match (t, said(i)) {
                    (true, true) => tp += 1,
                    (false, true) => fp += 1,
                    (true, false) => fn_ += 1,
                    _ => {}
                }
            }
            clips += 1;
            let first = truth.iter().position(|&t| t).unwrap_or(0);
            let last = truth.iter().rposition(|&t| t).unwrap_or(0);
            if segs.len() == 1 && segs[0].start <= (first * FRAME) as u64 && segs[0].start as usize + segs[0].samples.len() >= (last + 1) * FRAME {
                one += 1;
            }
        }
        let (p, r) = (tp as f64 / (tp + fp) as f64, tp as f64 / (tp + fn_) as f64);
        eprintln!("{name}, {snr} dB: {clips} clips, frame precision {:.3}, recall {:.3}, one whole utterance {one}/{clips}", p, r);
        assert_eq!(clips, 80);
        // Measured at the defaults: 10 dB 0.912 / 0.969, 79 of 80 whole;
        // 5 dB 0.915 / 0.917, 69 of 80.
        let (min_p, min_r, min_one) = match (name, snr == 10.0) {
            ("energy", true) => (0.9, 0.95, 78),
            ("energy", false) => (0.9, 0.9, 66),
            // Silero at 10 dB: 0.870 / 0.974, 80 of 80 whole; at 5 dB
            // 0.860 / 0.971, 80 of 80. Its lower frame precision is speech
            // held a little past the words' end (thresholds 0.4 to 0.7 move
            // it by under 0.01).
            (_, true) => (0.85, 0.96, 79),
            (_, false) => (0.84, 0.95, 78),
        };
        assert!(p >= min_p && r >= min_r && one >= min_one, "{name}, {snr} dB: precision {p}, recall {r}, whole {one}");
    }
}

/// Utterances "heard" in the noise recordings alone. Steady noise (a car,
/// street traffic) is learnt as the energy detector's floor; a kitchen's
/// clatter is not, and is left for the wake phrase or push-to-talk to
/// reject. Silero hears none of the three as speech (measured: 0 each).
#[test]
#[ignore = "needs ../shared/data: make test-dev"]
fn noise_alone() {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/noise"));
    for (name, most, most_silero) in [("car_interior_60mph", 2, 0), ("street_traffic_potsdam", 0, 0), ("kitchen", 45, 2)] {
        let (audio, _) = read_wav(dir.join(format!("{name}.wav")), &Default::default()).unwrap();
        for (params, most) in [(VadParams::default(), most), (silero(), most_silero)] {
            let segs = run(audio.samples(), 1600, params.clone());
            let flagged: f64 = segs.iter().map(|s| secs(s.speech_end - s.speech_start)).sum::<f64>().abs();
            let vad = params.detector.name();
            eprintln!("{name}, {vad}: {:.0} s, {} segments, {flagged:.1} s flagged", audio.duration().as_secs_f64(), segs.len());
            assert!(segs.len() <= most, "{name}, {vad}: {} segments", segs.len());
        }
    }
}
