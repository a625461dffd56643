//! The engine on speech (needs the model: `make models`): the demo session
//! from files and from PCM at other rates, and audio that must not crash it.

use hush::{Engine, EngineError, Status};

fn engine() -> Engine {
    Engine::builder()
        .model("tiny.en-q8_0")
        .fallback_actions(hush_reference::actions_in_memory().unwrap())
        .build()
        .unwrap_or_else(|e| panic!("{e}\n(run `make models`)"))
}

fn clip(name: &str) -> String {
    format!("{}/examples/audio/{name}.wav", env!("CARGO_MANIFEST_DIR"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spoken_payment_is_confirmed_by_a_spoken_yes() {
    let e = engine();
    let t = e.process_wav(clip("pay_bill")).await.unwrap();
    assert!(t.transcript.to_lowercase().contains("electricity bill"), "{t:?}");
    assert_eq!(t.prompt.as_deref(), Some("Pay $42.00 for your electricity bill?"));
    assert!(t.timings.asr > t.timings.nlu && t.timings.audio > std::time::Duration::ZERO);
    let t = e.process_wav(clip("confirm")).await.unwrap();
    let o = t.outcome.unwrap();
    assert_eq!(o.status, Status::Done, "{o:?}");
    assert!(o.say.starts_with("Paid $42.00"));
    let t = e.process_wav(clip("weather")).await.unwrap();
    assert_eq!(t.outcome.unwrap().status, Status::NotUnderstood);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pcm_at_any_rate() {
    let e = engine();
    let (audio, _) = hush::parts::read_wav(clip("book_ride"), &Default::default()).unwrap();
    for rate in [8_000, 16_000, 44_100, 48_000] {
        let pcm = hush::parts::audio::resample(audio.samples(), 16_000, rate).unwrap();
        let t = e.session().process_pcm(&pcm, rate).await.unwrap();
        assert_eq!(t.intent.as_deref(), Some("order_ride"), "{rate} Hz: {t:?}");
        assert_eq!(t.slots[0].value, hush::Value::Text("airport".into()), "{rate} Hz");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_audio_is_an_error_or_not_understood_never_a_crash() {
    let e = engine();
    assert!(matches!(e.process_pcm(&[], 16_000).await, Err(EngineError::Audio(_))));
    assert!(matches!(e.process_pcm(&[0.1; 100], 0).await, Err(EngineError::Audio(_))));
    for weird in [vec![f32::NAN; 16_000], vec![f32::INFINITY; 16_000], vec![1e30; 16_000], vec![0.0; 16_000]] {
        match e.process_pcm(&weird, 16_000).await {
            Ok(t) => assert!(t.outcome.is_some() || t.prompt.is_some(), "{t:?}"),
            Err(err) => assert!(!err.to_string().is_empty()),
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.wav");
    std::fs::write(&junk, b"RIFF\x24\x00\x00\x00WAVEfmt ").unwrap();
    assert!(matches!(e.process_wav(&junk).await, Err(EngineError::Audio(_))));
    assert!(matches!(e.process_wav(dir.path().join("missing.wav")).await, Err(EngineError::Audio(_))));
    // Still fine afterwards.
    assert!(e.process_wav(clip("navigate_home")).await.unwrap().intent.is_some());
}

#[test]
fn no_tokio_runtime_is_an_error() {
    let e = Engine::builder().fallback_actions(hush_reference::actions_in_memory().unwrap()).build().unwrap();
    let r = futures_lite_block_on(e.process_text("book me a taxi to the airport"));
    assert!(matches!(r, Err(EngineError::NoRuntime)), "{r:?}");
}

/// Polls a future to completion without any runtime (a stand-in for an
/// app's own executor).
fn futures_lite_block_on<F: std::future::Future>(f: F) -> F::Output {
    use std::task::{Context, Poll, Wake, Waker};
    struct Noop;
    impl Wake for Noop {
        fn wake(self: std::sync::Arc<Self>) {}
    }
    let waker = Waker::from(std::sync::Arc::new(Noop));
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::yield_now();
    }
}
