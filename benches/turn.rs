//! criterion bench of a whole turn through the engine: a demo clip read,
//! transcribed (tiny.en q8_0), understood and acted on by the reference
//! actions (in memory). Needs `make models`.

use criterion::{criterion_group, criterion_main, Criterion};
use hush::Engine;

const CLIP: &str = "examples/audio/navigate_home.wav";

fn turn(c: &mut Criterion) {
    let engine =
        Engine::builder().model("tiny.en-q8_0").fallback_actions(hush_reference::actions_in_memory().unwrap()).build().expect("run `make models` first");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_time().build().expect("runtime");
    let session = engine.session();
    let first = rt.block_on(session.process_wav(CLIP)).expect("a turn");
    assert_eq!(first.intent.as_deref(), Some("navigate_to"), "the bench measures a real turn: {first:?}");
    let mut g = c.benchmark_group("turn");
    g.sample_size(10);
    g.bench_function("navigate home (wav → outcome)", |b| b.iter(|| rt.block_on(session.process_wav(CLIP)).expect("a turn")));
    g.finish();
}

criterion_group!(benches, turn);
criterion_main!(benches);
