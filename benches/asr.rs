//! criterion benches of the recogniser's stages on a real dev clip:
//! mel front end, encoder (trimmed vs full window), one decoder step, and
//! the endpointer per 20 ms frame with each voice-activity detector, and
//! the echo canceller per frame.
//! Needs the models in the cache (`make models models-vad`).

use criterion::{criterion_group, criterion_main, Criterion};
use hush::parts::asr::Trim;
use hush::parts::{AsrParams, Recognizer};

const CLIP: &str = "../shared/data/audio-dev/clean/000_58.wav";

fn recognizer() -> Recognizer {
    let paths = hush::parts::model_paths("tiny.en-q8_0").expect("run `make models` first");
    Recognizer::load(&paths, AsrParams::default()).expect("model loads")
}

fn stages(c: &mut Criterion) {
    let rec = recognizer();
    let (audio, _) = hush::parts::read_wav(CLIP, &Default::default()).expect("dev clip");
    let samples = audio.samples();
    let n_mels = rec.config().num_mel_bins;
    let trimmed = rec.encoder_frames(samples.len(), Some(Trim::default()));
    let mel = |frames| candle_core::Tensor::from_vec(rec.front_end().log_mel(samples, frames), (1, n_mels, frames), &candle_core::Device::Cpu).expect("tensor");

    c.bench_function("mel (2.7 s clip, trimmed)", |b| b.iter(|| rec.front_end().log_mel(samples, trimmed)));
    let mut g = c.benchmark_group("encoder");
    g.sample_size(10);
    for (name, frames) in [("trimmed", trimmed), ("full 30 s", 3000)] {
        let m = mel(frames);
        g.bench_function(name, |b| b.iter(|| rec.install(|| rec.model().encoder.forward(&m).expect("encode"))));
    }
    g.finish();

    // Per frame: the clip endpointed in 20 ms pushes, as a live stream is.
    let mut g = c.benchmark_group("endpointer per 20 ms frame");
    let frames = samples.len() / hush_audio::vad::FRAME;
    g.throughput(criterion::Throughput::Elements(frames as u64));
    let weights = hush_models::Cache::default().resolve_weights("silero-vad").expect("run `make models-vad` first");
    let silero = hush_audio::Detector::silero(hush_audio::SileroModel::load(&weights).expect("silero loads"));
    for detector in [hush_audio::Detector::Energy, silero] {
        let params = hush_audio::VadParams { detector: detector.clone(), ..Default::default() };
        g.bench_function(detector.name(), |b| {
            b.iter(|| {
                let mut e = hush_audio::Endpointer::new(params.clone());
                samples.chunks(hush_audio::vad::FRAME).map(|f| e.push(f).len()).sum::<usize>()
            })
        });
    }
    g.finish();

    // The echo canceller: the clip as playback, its echo as the microphone.
    let mut g = c.benchmark_group("echo canceller per 20 ms frame");
    g.throughput(criterion::Throughput::Elements(frames as u64));
    let echo = hush_eval::mix::cabin_echo(samples, 90.0, 0.8, 150.0);
    g.bench_function("320 ms tail", |b| {
        b.iter(|| {
            let mut aec = hush_audio::EchoCanceller::new(hush_audio::EchoParams::default());
            let mut gated = 0;
            for (m, p) in echo.chunks_exact(hush_audio::vad::FRAME).zip(samples.chunks_exact(hush_audio::vad::FRAME)) {
                let mut frame: [f32; hush_audio::vad::FRAME] = m.try_into().expect("a frame");
                gated += usize::from(aec.process(&mut frame, p.try_into().expect("a frame")));
            }
            gated
        })
    });
    g.finish();

    let audio_states = rec.install(|| rec.model().encoder.forward(&mel(trimmed)).expect("encode"));
    let tok = rec.tokenizer();
    let prompt = [tok.sot, tok.no_timestamps];
    // The decoder started on the clip, its 2-token prompt fed.
    let started = || {
        let dec = &rec.model().decoder;
        let mut state = dec.start(&audio_states).expect("start");
        rec.install(|| dec.step(&mut state, &prompt, 1).expect("prompt"));
        state
    };
    c.bench_function("decoder step (after a 2-token prompt)", |b| {
        b.iter_batched(
            started,
            |mut state| rec.install(|| rec.model().decoder.step(&mut state, &[tok.eot - 1], 1).expect("step")),
            criterion::BatchSize::SmallInput,
        )
    });
    // A beam's hypotheses step together (`step_many`): what a row costs
    // beside the weights read once per step.
    let mut g = c.benchmark_group("decoder step, hypotheses side by side");
    for rows in [1usize, 4, 5] {
        g.bench_function(format!("{rows}"), |b| {
            b.iter_batched(
                || vec![started(); rows],
                |mut states| rec.install(|| rec.model().decoder.step_many(&mut states, &vec![tok.eot - 1; rows]).expect("step")),
                criterion::BatchSize::SmallInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
