//! Templates fused with a learned model (needs the encoder:
//! `make models-minilm`). One small model is trained on
//! `fixtures/coffee-learned.jsonl`, which on purpose labels the template
//! sentence "is my coffee ready" with the wrong intent.

use hush::parts::learn::{data, Format, Labels, LearnedModel, TrainParams};
use hush::parts::{IntentSet, MatchParams, Matcher, ReadBy, Understanding};
use hush::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const INTENTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/intents");

fn cache() -> PathBuf {
    std::env::var_os("HUSH_CACHE").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/hush"))
}

/// The trained model's folder, trained once for all tests.
fn model_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/coffee-learned.jsonl");
        let examples = data::read(file.as_ref(), Format::Hush).unwrap();
        let encoder = cache().join("models/minilm");
        let mut model = LearnedModel::new(&encoder, Labels::from_examples(&examples), 8, 7).unwrap_or_else(|e| panic!("{e}\n(run `make models-minilm`)"));
        let params = TrainParams { epochs: 15, batch_size: 4, encoder_lr: 2e-3, head_lr: 5e-3, patience: 15, seed: 7 };
        model.train(&examples, &[], &params, |_| {}).unwrap();
        let dir = tempfile::tempdir().unwrap();
        model.save(dir.path()).unwrap();
        dir
    })
    .path()
}

fn templates() -> Understanding {
    Understanding::new(Matcher::new(IntentSet::load_dir(INTENTS.as_ref()).unwrap(), MatchParams::default()))
}

fn understanding(threshold: f32) -> Understanding {
    templates().with_model(hush::parts::load_learned(model_dir()).unwrap(), threshold)
}

#[test]
fn an_exact_template_match_wins_over_the_learned_model() {
    let u = understanding(0.0);
    let learned = u.model().unwrap().predict(&["is my coffee ready"]).unwrap();
    assert_eq!(learned[0].intent, "order_coffee", "the fixture taught the model the wrong intent");
    let r = u.read("is my coffee ready").unwrap();
    assert_eq!((r.intent.name.as_str(), r.source), ("brew_status", ReadBy::Template));
}

#[test]
fn the_learned_model_answers_what_no_template_covers_with_parsed_slots() {
    let u = understanding(hush::parts::LEARNED_THRESHOLD);
    let text = "could you brew me two cappuccino";
    assert!(u.matcher().parse(text).is_none(), "no template says this");
    let r = u.read(text).expect("the learned model understands it");
    assert_eq!((r.intent.name.as_str(), r.source), ("order_coffee", ReadBy::Learned));
    assert!(r.intent.confidence >= hush::parts::LEARNED_THRESHOLD);
    // Slot text goes through the same parsers as templates: a number word
    // becomes an integer, a list phrase its canonical value.
    assert_eq!(r.intent.slot("size").map(|s| &s.value), Some(&Value::Integer(2)));
    assert_eq!(r.intent.slot("drink").map(|s| &s.value), Some(&Value::Text("cappuccino".into())));
    assert!(r.intent.missing.is_empty());

    let r = u.read("please brew me one cafe latte").expect("understood");
    assert_eq!(r.source, ReadBy::Learned);
    assert_eq!(r.intent.slot("drink").map(|s| &s.value), Some(&Value::Text("latte".into())), "{:?}", r.intent.slots);
}

#[test]
fn below_the_threshold_nothing_is_understood() {
    let text = "could you brew me two cappuccino";
    assert!(understanding(1.01).read(text).is_none());
    // Templates alone do not understand it either.
    assert!(templates().read(text).is_none());
}

#[tokio::test]
async fn the_engine_asks_to_confirm_what_the_learned_model_understood() {
    let engine =
        hush::Engine::builder().intents(INTENTS).learned_model(model_dir()).fallback_actions(hush_reference::actions_in_memory().unwrap()).build().unwrap();
    let turn = engine.process_text("could you brew me two cappuccino").await.unwrap();
    assert_eq!(turn.intent.as_deref(), Some("order_coffee"));
    assert_eq!(turn.source, Some(ReadBy::Learned));
    assert!(turn.prompt.is_some(), "order_coffee needs a confirmation: {turn:?}");
    let turn = engine.process_text("is my coffee ready").await.unwrap();
    assert_eq!((turn.intent.as_deref(), turn.source), (Some("brew_status"), Some(ReadBy::Template)));
}

#[test]
fn a_missing_or_broken_model_is_a_clear_error() {
    let e = hush::Engine::builder().learned_model_with_threshold(model_dir(), f32::NAN).build().err().unwrap();
    assert!(e.to_string().contains("within 0..1"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let e = hush::Engine::builder().learned_model(dir.path()).build().err().unwrap();
    assert!(e.to_string().contains("model.json"), "{e}");
    std::fs::write(dir.path().join("model.json"), "{not json").unwrap();
    let e = hush::Engine::builder().learned_model(dir.path()).build().err().unwrap();
    assert!(e.to_string().contains("model.json"), "{e}");
}
