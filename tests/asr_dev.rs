//! The real tiny.en model on spoken clips: those committed in the
//! repository (the demo commands and the wake-phrase fixtures, run by
//! `make test`), and the dev set beside the checkout
//! (`../shared/data/audio-dev`; those tests are marked ignored and run by
//! `make test-dev`, which fails without the data). Bounds were measured first (see each test) and leave about 1.5 WER
//! points of slack, so a real regression fails them. Each test says what
//! it measured and how much that moves between machines: on candle's
//! AVX-512 VNNI and AVX2 int8 kernels, at 1, 2 and 4 worker threads
//! (`make bench-spread`, docs/BENCHMARKS.md), and at 1 test thread or
//! the default in shuffled orders (`make test-orders`: every figure
//! identical in four runs, 2026-11-30). The thread count moved nothing;
//! the kernel moves q8_0's figures a little, as each test notes.

mod common;

use common::*;
use hush::parts::asr::{Stop, Trim};
use hush::parts::{AsrError, AsrParams, DecodeOptions};
use hush_eval::wer::WerCounter;

/// The WER bounds on the whole dev set; trimming against the full window on
/// every third clean clip, since the full-window run is the slow part (about
/// 1.3 s a clip on 2 cores: the whole set took 5 min of CI's time).
#[test]
#[ignore = "needs ../shared/data: make test-dev"]
fn q8_0_wer_on_dev_clips_trimmed_and_full_window() {
    let rec = load("tiny.en-q8_0", AsrParams::default());
    let clips = dev_clips();
    let clean: Vec<&Clip> = clips.iter().filter(|c| c.snr_db.is_none()).collect();
    let noisy: Vec<&Clip> = clips.iter().filter(|c| c.snr_db == Some(10.0)).collect();
    assert_eq!((clean.len(), noisy.len()), (240, 80));
    let (trimmed, hyps) = score(&rec, &clean, &DecodeOptions::default());
    let (noisy_wer, _) = score(&rec, &noisy, &DecodeOptions::default());
    eprintln!("measured: WER clean {:.2} % over {} words, 10 dB {:.2} %", trimmed.wer(), trimmed.words, noisy_wer.wer());
    // Measured 2026-11-30: clean 19.68 % (AVX-512 VNNI kernel) or 19.80 %
    // (AVX2), 10 dB 26.54 % on both, the same at 1, 2 and 4 threads
    // (faster-whisper int8 on the same clips: 23.04 % and 27.23 %). The
    // bounds leave 1.5 points over the worse kernel.
    assert!(trimmed.wer() <= 21.3, "clean WER {:.2} %", trimmed.wer());
    assert!(noisy_wer.wer() <= 28.0, "10 dB WER {:.2} %", noisy_wer.wer());

    // The trimmed texts of that third come from the pass above.
    let third: Vec<&Clip> = clean.iter().copied().step_by(3).collect();
    let mut trimmed = WerCounter::default();
    for (c, h) in clean.iter().zip(&hyps).step_by(3) {
        trimmed.add(&c.text, h);
    }
    let (full, _) = score(&rec, &third, &DecodeOptions { trim: None, ..Default::default() });
    eprintln!("measured: every third clean clip, trimmed {:.2} % vs full window {:.2} %", trimmed.wer(), full.wer());
    // Measured 2026-12-02 (AVX-512 VNNI): 20.38 % both (80 clips, 127 s
    // for the whole test, 324 s with every clip). On the whole clean
    // set (2026-11-30): trimmed 19.68 %, full window 20.36 % (VNNI); 19.80 %
    // and 20.30 % (AVX2). Trimming must not cost a point.
    assert!(trimmed.wer() <= full.wer() + 1.0, "trimmed {:.2} vs full {:.2}", trimmed.wer(), full.wer());
}

/// q8_0 keeps accuracy: the same words as the f32 model on nearly every
/// clip, and no worse WER. Exact equality everywhere does not hold for
/// tiny.en: rounding the weights alone (also with f32 activations) flips
/// near-ties on 7 to 9 of these 80 clips (by kernel), most of them
/// robotic espeak voices.
#[test]
#[ignore = "needs ../shared/data: make test-dev"]
fn quantised_text_matches_f32_text_on_clean_clips() {
    let f32_model = load("tiny.en", AsrParams::default());
    let q8 = load("tiny.en-q8_0", AsrParams::default());
    let clips = dev_clips();
    let clean: Vec<&Clip> = clips.iter().filter(|c| c.snr_db.is_none()).step_by(3).collect();
    let (wer_f32, a) = score(&f32_model, &clean, &DecodeOptions::default());
    let (wer_q8, b) = score(&q8, &clean, &DecodeOptions::default());
    let norm = hush_eval::wer::normalize;
    let differ: Vec<_> = a.iter().zip(&b).filter(|(x, y)| norm(x) != norm(y)).collect();
    eprintln!("measured: {} of {} differ; WER f32 {:.2} q8_0 {:.2}: {differ:?}", differ.len(), a.len(), wer_f32.wer(), wer_q8.wer());
    // What users feel: q8_0 loses at most a point of WER to f32. Which
    // clips differ by a word depends on the int8 kernel candle picks at run
    // time for the quantised matmuls (issue 27, measured on one AVX-512
    // machine, 2026-11-30): its AVX-512 VNNI kernel gives 9 of 80 (WER
    // q8_0 20.38), the AVX2 kernel (forced with MISTRALRS_FORCE_AVX2=1, as
    // CI also runs, on one core) 7 of 80 (WER 20.57); f32 is 20.00 on both,
    // and every text is the same at 1, 2 and 4 threads. So the count of
    // differing texts only guards against a quantiser that changes many of
    // them (a quarter: 20 of 80).
    assert!(wer_q8.wer() <= wer_f32.wer() + 1.0, "q8_0 {:.2} vs f32 {:.2}", wer_q8.wer(), wer_f32.wer());
    assert!(differ.len() * 4 <= a.len(), "{} of {} differ: {differ:#?}", differ.len(), a.len());
}

/// Every committed clip in one recording of about 50 s, a second of
/// silence between them: Whisper's 30 s window is slid over it and each
/// demo command is found in the text.
#[test]
fn long_audio_is_transcribed_window_by_window() {
    let rec = load("tiny.en-q8_0", AsrParams::default());
    let clips = fixture_clips();
    let mut long = Vec::new();
    for c in &clips {
        long.extend(samples(&c.audio));
        long.extend(std::iter::repeat_n(0.0, 16_000));
    }
    assert!(long.len() > 40 * 16_000, "{} s", long.len() / 16_000);
    let t = rec.transcribe(&long).unwrap();
    assert!(t.encoder_frames > 3000, "a second window was encoded ({} frames)", t.encoder_frames);
    let hyp = hush_eval::wer::normalize(&t.text);
    for c in clips.iter().filter(|c| c.text != "Hey hush.") {
        let words = hush_eval::wer::normalize(&c.text);
        let found = words.iter().filter(|w| hyp.contains(w)).count();
        assert!(found * 2 >= words.len(), "words of '{}' missing from: {}", c.text, t.text);
    }
}

/// The committed clips, clean and in synthetic cabin noise at 10 dB, on
/// q8_0 and f32: the portable check that the model and its quantisation
/// hear commands (the dev-set tests below measure it on 240 clips).
#[test]
fn q8_0_and_f32_on_the_committed_clips() {
    let f32_model = load("tiny.en", AsrParams::default());
    let q8 = load("tiny.en-q8_0", AsrParams::default());
    let clips = fixture_clips();
    let all: Vec<&Clip> = clips.iter().collect();
    let (wer_f32, a) = score(&f32_model, &all, &DecodeOptions::default());
    let (wer_q8, b) = score(&q8, &all, &DecodeOptions::default());
    let norm = hush_eval::wer::normalize;
    let differ = a.iter().zip(&b).filter(|(x, y)| norm(x) != norm(y)).count();
    let mut noisy = hush_eval::wer::WerCounter::default();
    let noise = hush_eval::mix::road_noise(10.0, 5);
    for c in &all {
        let mut mix = hush_eval::mix::Stitch::new();
        mix.clip(&samples(&c.audio));
        mix.noise(&noise, 10.0, 0);
        noisy.add(&c.text, &q8.transcribe(mix.samples()).unwrap().text);
    }
    eprintln!(
        "measured: {} clips, {} words: WER f32 {:.2} %, q8_0 {:.2} % ({differ} texts differ), q8_0 at 10 dB {:.2} %",
        all.len(),
        wer_q8.words,
        wer_f32.wer(),
        wer_q8.wer(),
        noisy.wer()
    );
    // Measured 2026-11-30 (AVX-512 VNNI kernel, 65 words, so a word is
    // 1.5 points): f32 26.15 %, q8_0 24.62 % with 1 of 22 texts differing,
    // q8_0 at 10 dB 38.46 % (most errors are "hush" in the espeak voices).
    // 2026-12-02, on a host that also has AVX-VNNI, the AVX2 kernel on one
    // core: q8_0 29.23 % (three words more), f32 26.15 %. Each bound leaves
    // one word beyond the worst measured.
    assert!(wer_q8.wer() <= 30.8, "q8_0 WER {:.2} %", wer_q8.wer());
    assert!(wer_q8.wer() <= wer_f32.wer() + 4.7, "q8_0 {:.2} vs f32 {:.2}", wer_q8.wer(), wer_f32.wer());
    assert!(noisy.wer() <= 41.6, "q8_0 at 10 dB {:.2} %", noisy.wer());
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

/// Resampling is transparent to recognition: 16 kHz clips taken to 44.1 and
/// 22.05 kHz and back through hush-audio transcribe as the originals do.
#[test]
#[ignore = "needs ../shared/data: make test-dev"]
fn resampled_audio_transcribes_like_the_16k_original() {
    let rec = load("tiny.en-q8_0", AsrParams::default());
    let clips = dev_clips();
    let clean: Vec<&Clip> = clips.iter().filter(|c| c.snr_db.is_none() && c.audio.to_string_lossy().contains("clean/")).take(30).collect();
    let mut original = hush_eval::wer::WerCounter::default();
    let mut round_trip = hush_eval::wer::WerCounter::default();
    for c in &clean {
        let x = samples(&c.audio);
        original.add(&c.text, &rec.transcribe(&x).unwrap().text);
        for rate in [44_100, 22_050] {
            let up = hush::parts::audio::resample(&x, 16_000, rate).unwrap();
            let back = hush::parts::Audio::from_pcm(&up, rate).unwrap();
            round_trip.add(&c.text, &rec.transcribe(back.samples()).unwrap().text);
        }
    }
    eprintln!("measured: WER 16 kHz {:.2} %, via 44.1/22.05 kHz {:.2} %", original.wer(), round_trip.wer());
    // Measured 2026-11-30: 22.05 % and 21.28 % (AVX-512 VNNI), 21.03 % and
    // 21.79 % (AVX2); 2026-12-02 on a host that also has AVX-VNNI: 20.51 %
    // and 21.79 %. Resampling noise flips a few words of the 60 round trips
    // either way (0.8-1.3 points); a broken resampler costs tens of points,
    // so two points either side is the bound.
    assert!((round_trip.wer() - original.wer()).abs() <= 2.0, "{:.2} vs {:.2}", round_trip.wer(), original.wer());
}

/// The self-attention cache is exact: feeding tokens one at a time gives the
/// logits of running the whole prefix at once (with the causal mask).
#[test]
fn kv_cache_matches_full_prefix() {
    let rec = load("tiny.en", AsrParams::default());
    let clips = fixture_clips();
    let x = samples(&clips[0].audio);
    let frames = rec.encoder_frames(x.len(), Some(Trim::default()));
    let mel = candle_core::Tensor::from_vec(rec.front_end().log_mel(&x, frames), (1, 80, frames), &candle_core::Device::Cpu).unwrap();
    let (audio, tokens) = rec.install(|| {
        let audio = rec.model().encoder.forward(&mel).unwrap();
        let t = rec.transcribe(&x).unwrap();
        (audio, t.tokens)
    });
    let tok = rec.tokenizer();
    let mut seq = vec![tok.sot, tok.no_timestamps];
    seq.extend(&tokens);
    let dec = &rec.model().decoder;
    let (whole, stepwise) = rec.install(|| {
        let mut s = dec.start(&audio).unwrap();
        let whole = dec.step(&mut s, &seq, 1).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
        let mut s = dec.start(&audio).unwrap();
        let mut last = None;
        for t in &seq {
            last = Some(dec.step(&mut s, &[*t], 1).unwrap());
        }
        (whole, last.unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap())
    });
    let max = whole.iter().zip(&stepwise).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
    eprintln!("measured: cached and full-prefix logits differ by at most {max:e}");
    // Measured 2026-11-30: 1.4e-5 on the first demo clip, 1.3e-5 on the
    // first dev clip (f32 weights: no int8 kernel involved).
    // 1e-3 is far below a logit gap that changes a token, far above
    // float reordering.
    assert!(max < 1e-3, "cached and full-prefix logits differ by {max}");
    let argmax = |v: &[f32]| v.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
    assert_eq!(argmax(&whole), argmax(&stepwise));
}

/// The multilingual base model (a checkpoint split over two packages)
/// imports, detects English and transcribes with a multilingual prompt.
#[test]
fn multilingual_base_detects_english_and_transcribes() {
    let rec = load("base", AsrParams::default());
    assert!(rec.config().is_multilingual());
    let clips = fixture_clips();
    let piper: Vec<&Clip> = clips.iter().take(6).collect();
    let mut wer = hush_eval::wer::WerCounter::default();
    for c in &piper {
        let t = rec.transcribe(&samples(&c.audio)).unwrap();
        assert_eq!(t.language.as_deref(), Some("en"), "{}: {}", c.text, t.text);
        wer.add(&c.text, &t.text);
    }
    eprintln!("measured: base WER on {} clips: {:.2} %", piper.len(), wer.wer());
    // Measured 2026-11-30: 12.12 % on the six demo clips (f32 weights;
    // 18.87 % on the first six dev clips). The
    // bound only catches a broken import (a wrong split, a lost layer reads
    // as near 100 %).
    assert!(wer.wer() < 35.0, "base WER {:.2} %", wer.wer());
}
