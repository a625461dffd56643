//! criterion bench of what the C boundary adds to a turn: the same work
//! through the Rust API and through the C ABI, side by side in one run.
//! Text turns isolate the boundary (handle lookup, string checks, JSON out,
//! the string handed over and freed); spoken turns and 20 ms frames of
//! quiet put it against the work it wraps. Needs `make models`.

use criterion::{criterion_group, criterion_main, Criterion};
use hush::listen::ListenParams;
use hush::Engine;
use hush_ffi::*;
use std::ffi::CString;
use std::ptr::null_mut;

const CLIP: &str = "../../examples/audio/navigate_home.wav";
const CONFIG: &str = r#"{"model": "tiny.en-q8_0"}"#;

/// One turn through the C ABI, read and freed as a C app would.
fn c_turn(session: *mut hush_session, run: impl Fn() -> i32) -> usize {
    assert!(run() >= 1);
    let json = unsafe { hush_session_result_json(session) };
    let n = unsafe { std::ffi::CStr::from_ptr(json) }.to_bytes().len();
    unsafe { hush_string_free(json) };
    n
}

fn boundary(c: &mut Criterion) {
    let engine = Engine::builder().model("tiny.en-q8_0").build().expect("run `make models` first");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_time().build().expect("runtime");
    let rust = engine.session();
    let config = CString::new(CONFIG).unwrap();
    let ffi = unsafe { hush_engine_new(config.as_ptr(), null_mut()) };
    assert!(!ffi.is_null(), "run `make models` first");
    let session = unsafe { hush_session_new(ffi, null_mut()) };
    let (text, wav) = (CString::new("navigate home").unwrap(), CString::new(CLIP).unwrap());

    let mut g = c.benchmark_group("boundary: text turn");
    g.bench_function("rust", |b| b.iter(|| rt.block_on(rust.process_text("navigate home")).expect("a turn")));
    g.bench_function("c abi", |b| b.iter(|| c_turn(session, || unsafe { hush_process_text(session, text.as_ptr()) })));
    g.finish();

    let mut g = c.benchmark_group("boundary: spoken turn");
    g.sample_size(20);
    g.bench_function("rust", |b| b.iter(|| rt.block_on(rust.process_wav(CLIP)).expect("a turn")));
    g.bench_function("c abi", |b| b.iter(|| c_turn(session, || unsafe { hush_process_wav(session, wav.as_ptr()) })));
    g.finish();

    // Quiet frames: the stream's per-frame path without a turn.
    let quiet = vec![0i16; 320];
    let mut stream = {
        let _rt = rt.enter();
        engine.session().stream(ListenParams::default()).unwrap()
    };
    let mut g = c.benchmark_group("boundary: 20 ms frame");
    g.bench_function("rust", |b| b.iter(|| rt.block_on(stream.feed_i16(&quiet, 16_000)).unwrap()));
    g.bench_function("c abi", |b| b.iter(|| assert_eq!(unsafe { hush_session_feed(session, quiet.as_ptr(), quiet.len(), 16_000) }, 0)));
    g.finish();
    unsafe {
        hush_session_free(session);
        hush_engine_free(ffi);
    }
}

criterion_group!(benches, boundary);
criterion_main!(benches);
