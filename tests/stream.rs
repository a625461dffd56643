//! The streaming API (needs the model: `make models`): frames of the host's
//! own audio, at its own rate, in; a turn out when each utterance ends.

use hush::listen::ListenParams;
use hush::{Engine, EngineError, Status, Stream, Turn};
use hush_eval::mix::{at_level, Stitch};

fn demo(name: &str) -> Vec<f32> {
    let path = format!("{}/examples/audio/{name}.wav", env!("CARGO_MANIFEST_DIR"));
    at_level(hush::parts::read_wav(&path, &Default::default()).unwrap().0.samples(), -20.0)
}

/// The demo conversation with a second of quiet around each utterance, at
/// 48 kHz as 16-bit PCM (what a phone's audio stack delivers).
fn conversation() -> Vec<i16> {
    let mut s = Stitch::new();
    s.pause(0.5);
    for name in ["book_ride", "pay_bill", "confirm", "weather"] {
        s.clip(&demo(name));
        s.pause(1.0);
    }
    let at48 = hush::parts::audio::resample(s.samples(), 16_000, 48_000).unwrap();
    at48.iter().map(|x| (x * 32767.0).round() as i16).collect()
}

fn engine() -> Engine {
    Engine::builder()
        .model("tiny.en-q8_0")
        .fallback_actions(hush_reference::actions_in_memory().unwrap())
        .build()
        .unwrap_or_else(|e| panic!("{e}\n(run `make models`)"))
}

fn stream(engine: &Engine) -> Stream {
    engine.session().stream(ListenParams::default()).unwrap()
}

/// The demo conversation carried out: a ride, a payment asked about and
/// confirmed by the next utterance, a question hush cannot answer.
fn assert_the_demo(turns: &[Turn]) {
    let summary: Vec<String> = turns.iter().map(|t| format!("{:?}: {}", t.intent, t.reply())).collect();
    assert_eq!(turns.len(), 4, "{summary:#?}");
    assert_eq!(turns[0].intent.as_deref(), Some("order_ride"), "{summary:#?}");
    assert_eq!(turns[1].prompt.as_deref(), Some("Pay $42.00 for your electricity bill?"), "{summary:#?}");
    let paid = turns[2].outcome.as_ref().expect("paid");
    assert!(paid.status == Status::Done && paid.say.starts_with("Paid $42.00"), "{summary:#?}");
    assert_eq!(turns[3].outcome.as_ref().unwrap().status, Status::NotUnderstood, "{summary:#?}");
}

/// 10 ms frames: each turn comes back from the frame that ends its
/// utterance (the endpoint silence after the speech), none at the end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_millisecond_frames_give_each_turn_as_its_utterance_ends() {
    let engine = engine();
    let mut s = stream(&engine);
    let pcm = conversation();
    let mut turns = Vec::new();
    let mut when = Vec::new();
    for (i, frame) in pcm.chunks(480).enumerate() {
        if let Some(turn) = s.feed_i16(frame, 48_000).await.unwrap() {
            turns.push(turn);
            when.push(i);
        }
        assert!(s.ready().is_none(), "one turn per 10 ms frame at most");
    }
    assert!(s.finish().await.is_empty(), "every turn came back while feeding");
    assert_the_demo(&turns);
    // Each turn arrived within the second of quiet after its clip.
    assert!(when.windows(2).all(|w| w[1] - w[0] >= 100), "{when:?}");
}

/// A whole recording in one call loses nothing: the first turn is
/// returned, the rest wait in `ready`, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_long_frame_ends_every_utterance_in_it() {
    let engine = engine();
    let mut s = stream(&engine);
    let mut turns = vec![s.feed_i16(&conversation(), 48_000).await.unwrap().expect("the first turn")];
    while let Some(t) = s.ready() {
        turns.push(t.unwrap());
    }
    assert_the_demo(&turns);
}

/// The rate may change between frames (a Bluetooth headset connects), bad
/// frames are refused without losing the stream, and the last utterance
/// is ended by `finish` when the audio stops right after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_changes_and_bad_frames_lose_nothing() {
    let engine = engine();
    let mut s = stream(&engine);
    let pcm: Vec<f32> = conversation().iter().map(|&x| f32::from(x) / 32768.0).collect();
    // The first two utterances at 48 kHz, the rest at 16 kHz; the final
    // second of quiet is not fed.
    let cut = pcm.len() * 5 / 9;
    let rest = hush::parts::audio::resample(&pcm[cut..], 48_000, 16_000).unwrap();
    let rest = &rest[..rest.len() - 16_000];
    let mut turns = Vec::new();
    for (i, frame) in pcm[..cut].chunks(960).enumerate() {
        turns.extend(s.feed(frame, 48_000).await.unwrap());
        if i == 10 {
            assert!(matches!(s.feed(&[0.0, f32::NAN], 48_000).await, Err(EngineError::Samples(_))));
            assert!(matches!(s.feed(&[0.0; 100], 1).await, Err(EngineError::Audio(hush::parts::AudioError::BadRate(1)))));
            assert!(s.feed(&[], 48_000).await.unwrap().is_none());
        }
    }
    assert_eq!(turns.len(), 2, "{turns:#?}");
    for frame in rest.chunks(320) {
        turns.extend(s.feed(frame, 16_000).await.unwrap());
    }
    assert_eq!(turns.len(), 3, "the last utterance is still going on: {turns:#?}");
    turns.extend(s.finish().await.into_iter().map(Result::unwrap));
    assert_the_demo(&turns);
}

#[tokio::test]
async fn a_text_only_engine_cannot_stream() {
    let engine = Engine::builder().build().unwrap();
    assert!(matches!(engine.session().stream(ListenParams::default()), Err(EngineError::NoModel)));
}
