//! The real tiny.en model on the spoken dev clips (`../shared/data/audio-dev`).
//! Bounds were measured first (see each test) and leave about 1.5 WER
//! points of slack, so a real regression fails them.

mod common;

use common::*;
use hush::asr::{Stop, Trim};
use hush::{AsrError, AsrParams, DecodeOptions};

#[test]
fn q8_0_wer_on_clean_and_10db_dev_clips() {
    let rec = load("tiny.en-q8_0", AsrParams::default());
    let clips = dev_clips();
    let clean: Vec<&Clip> = clips.iter().filter(|c| c.snr_db.is_none()).collect();
    let noisy: Vec<&Clip> = clips.iter().filter(|c| c.snr_db == Some(10.0)).collect();
    assert_eq!((clean.len(), noisy.len()), (240, 80));
    let (wer_clean, _) = score(&rec, &clean, &DecodeOptions::default());
    let (wer_noisy, _) = score(&rec, &noisy, &DecodeOptions::default());
    eprintln!("WER clean {:.2} % over {} words, 10 dB {:.2} %", wer_clean.wer(), wer_clean.words, wer_noisy.wer());
    // Measured on 2026-11-29: clean 19.6 %, 10 dB 26.5 %.
    assert!(wer_clean.wer() <= 21.0, "clean WER {:.2} %", wer_clean.wer());
    assert!(wer_noisy.wer() <= 28.0, "10 dB WER {:.2} %", wer_noisy.wer());
}

#[test]
fn quantised_text_equals_f32_text_on_clean_clips() {
    let f32_model = load("tiny.en", AsrParams::default());
    let q8 = load("tiny.en-q8_0", AsrParams::default());
    let clips = dev_clips();
    let clean: Vec<&Clip> = clips.iter().filter(|c| c.snr_db.is_none()).step_by(3).collect();
    let (_, a) = score(&f32_model, &clean, &DecodeOptions::default());
    let (_, b) = score(&q8, &clean, &DecodeOptions::default());
    let differ: Vec<_> = a.iter().zip(&b).filter(|(x, y)| x != y).collect();
    eprintln!("{} of {} transcripts differ: {differ:?}", differ.len(), a.len());
    assert!(differ.len() <= MAX_Q8_DIFFERENCES, "{} of {} differ: {differ:#?}", differ.len(), a.len());
}

/// q8_0 rounding flips a near-tie in a few clips out of 80 (measured: see
/// the closing note of issue 2); more means the quantised path broke.
const MAX_Q8_DIFFERENCES: usize = 3;

#[test]
fn trimmed_encoder_is_no_worse_than_full_window() {
    let rec = load("tiny.en-q8_0", AsrParams::default());
    let clips = dev_clips();
    let clean: Vec<&Clip> = clips.iter().filter(|c| c.snr_db.is_none()).step_by(4).collect();
    let full_opts = DecodeOptions { trim: None, ..Default::default() };
    let (trimmed, _) = score(&rec, &clean, &DecodeOptions::default());
    let (full, _) = score(&rec, &clean, &full_opts);
    eprintln!("trimmed {:.2} % vs full {:.2} % on {} clips", trimmed.wer(), full.wer(), clean.len());
    assert!(trimmed.wer() <= full.wer() + 1.0, "trimmed {:.2} vs full {:.2}", trimmed.wer(), full.wer());
}

#[test]
fn long_audio_is_transcribed_window_by_window() {
    let rec = load("tiny.en-q8_0", AsrParams::default());
    let clips = dev_clips();
    let clean: Vec<&Clip> = clips.iter().filter(|c| c.snr_db.is_none()).collect();
    // About 40 s: clips separated by a second of silence.
    let mut long = Vec::new();
    let mut used = Vec::new();
    for c in &clean {
        if long.len() > 40 * 16_000 {
            break;
        }
        long.extend(samples(&c.audio));
        long.extend(std::iter::repeat_n(0.0, 16_000));
        used.push(*c);
    }
    let t = rec.transcribe(&long).unwrap();
    assert!(t.encoder_frames > 3000, "a second window was encoded ({} frames)", t.encoder_frames);
    let hyp = hush::asr::eval::normalize(&t.text);
    for c in [used[0], used[used.len() - 1]] {
        let words = hush::asr::eval::normalize(&c.text);
        let found = words.iter().filter(|w| hyp.contains(w)).count();
        assert!(found * 2 >= words.len(), "words of '{}' missing from: {}", c.text, t.text);
    }
}

#[test]
fn empty_silent_and_noise_input() {
    let rec = load("tiny.en-q8_0", AsrParams::default());
    assert!(matches!(rec.transcribe(&[]), Err(AsrError::EmptyAudio)));
    // Two seconds of faint noise: no runaway decoding, little or no text.
    let mut x = 12345u32;
    let noise: Vec<f32> = (0..32_000)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            ((x >> 16) as f32 / 32_768.0 - 1.0) * 0.002
        })
        .collect();
    let t = rec.transcribe(&noise).unwrap();
    assert_ne!(t.stop, Stop::TokenCap, "noise ran to the token cap: {}", t.text);
    assert!(t.tokens.len() <= 10, "noise became {} tokens: {}", t.tokens.len(), t.text);
    // A single sample is valid input too.
    rec.transcribe(&[0.1]).unwrap();
    // The trim floor applies to tiny clips.
    assert_eq!(rec.encoder_frames(1600, Some(Trim::default())), 300);
}
