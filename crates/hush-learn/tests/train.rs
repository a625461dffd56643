//! Training on a tiny fixture (needs the model: `make models-minilm`).

use hush_learn::{data, Format, Labels, LearnedModel, TrainParams};
use std::path::PathBuf;

fn minilm() -> PathBuf {
    std::env::var_os("HUSH_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/hush"))
        .join("models/minilm")
}

#[test]
fn a_tiny_fixture_is_learned_and_survives_saving() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tiny.jsonl");
    let examples = data::read(fixture.as_ref(), Format::Snips).unwrap();
    let labels = Labels::from_examples(&examples);
    assert_eq!(labels.intents, ["order_ride", "pay_bill", "weather"]);
    assert_eq!(labels.tags, ["O", "B-biller", "I-biller", "B-destination", "I-destination"]);
    let mut model = LearnedModel::new(&minilm(), labels, 8, 1).unwrap_or_else(|e| panic!("{e}\n(run `make models-minilm`)"));
    let params = TrainParams { epochs: 12, batch_size: 4, encoder_lr: 2e-3, head_lr: 5e-3, patience: 12, seed: 3 };
    let report = model.train(&examples, &[], &params, |_| {}).unwrap();
    assert_eq!(report.epochs_run, 12);
    let (first, last) = (report.losses[0], *report.losses.last().unwrap());
    eprintln!("measured: loss {first:.4} to {last:.4}");
    // Measured 2026-11-30: 2.3990 to 0.0057 (seeded; the same in four runs).
    assert!(last < first * 0.2, "loss fell from {first} to {last}: {:?}", report.losses);

    let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
    let before = model.predict(&texts).unwrap();
    for (e, p) in examples.iter().zip(&before) {
        assert_eq!(p.intent, e.intent, "{}", e.text);
        let want: Vec<(String, String)> = e.spans.iter().map(|s| (s.slot.clone(), e.value(s))).collect();
        let got: Vec<(String, String)> = p.slots.iter().map(|s| (s.slot.clone(), s.text.clone())).collect();
        assert_eq!(got, want, "{}", e.text);
    }

    let dir = tempfile::tempdir().unwrap();
    model.save(dir.path()).unwrap();
    let loaded = LearnedModel::load(dir.path(), |id| minilm().with_file_name(id)).unwrap();
    assert_eq!(loaded.predict(&texts).unwrap(), before, "identical outputs after a round trip");
    // An unseen wording of a trained intent.
    let p = loaded.predict(&["could you order me a taxi to the hotel"]).unwrap();
    assert_eq!(p[0].intent, "order_ride");
}

#[test]
fn missing_model_files_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let e = LearnedModel::load(dir.path(), |_| minilm()).err().unwrap();
    assert!(e.to_string().contains("model.json"), "{e}");
}

#[test]
fn the_same_seed_trains_the_same_model() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tiny.jsonl");
    let examples = data::read(fixture.as_ref(), Format::Snips).unwrap();
    let params = TrainParams { epochs: 2, batch_size: 4, ..TrainParams::default() };
    let run = |seed: u64| {
        let mut m = LearnedModel::new(&minilm(), Labels::from_examples(&examples), 8, seed).unwrap();
        m.train(&examples, &[], &TrainParams { seed, ..params.clone() }, |_| {}).unwrap().losses
    };
    let a = run(5);
    assert_eq!(a, run(5));
    assert_ne!(a, run(6));
}

/// Readers sharing a model on two-thread pools: a layer merging its
/// adapters on first use once held a lock across a matrix product, and a
/// rayon worker waiting inside it stole another first reading, which then
/// waited on that lock forever. Each round is a fresh model read by three
/// threads, started a little apart (the steal needs the second reading to
/// arrive while the first is inside a product); a reading that does not
/// come back fails the test instead of hanging it.
#[test]
fn first_readings_at_once_never_deadlock() {
    use std::sync::{mpsc, Arc};
    use std::time::Duration;
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tiny.jsonl");
    let labels = Labels::from_examples(&data::read(fixture.as_ref(), Format::Snips).unwrap());
    for round in 0..32u64 {
        let model = Arc::new(LearnedModel::new(&minilm(), labels.clone(), 8, round).unwrap());
        let (done, finished) = mpsc::channel();
        for (i, text) in ["book a ride to the airport", "pay the water bill", "what's the weather"].into_iter().enumerate() {
            let (model, done) = (model.clone(), done.clone());
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_micros(i as u64 * round * 400));
                done.send(model.predict(&[text]).map(|p| p.len())).unwrap();
            });
        }
        for _ in 0..3 {
            let read = finished.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| panic!("round {round}: a reading never came back"));
            assert_eq!(read.unwrap(), 1);
        }
    }
}
