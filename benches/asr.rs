//! criterion benches of the recogniser's stages on a real dev clip:
//! mel front end, encoder (trimmed vs full window), one decoder step.
//! Needs the model in the cache (`make models`).

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

    let audio_states = rec.install(|| rec.model().encoder.forward(&mel(trimmed)).expect("encode"));
    let tok = rec.tokenizer();
    let prompt = [tok.sot, tok.no_timestamps];
    c.bench_function("decoder step (after a 2-token prompt)", |b| {
        b.iter_batched(
            || {
                let dec = &rec.model().decoder;
                let mut state = dec.start(&audio_states).expect("start");
                rec.install(|| dec.step(&mut state, &prompt, 1).expect("prompt"));
                state
            },
            |mut state| rec.install(|| rec.model().decoder.step(&mut state, &[tok.eot - 1], 1).expect("step")),
            criterion::BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, stages);
criterion_main!(benches);
