//! criterion benches of the template matcher with every built-in domain
//! loaded: single commands (in domain, misheard, out of domain) and every
//! SLURP devel sentence in turn; and of the learned model reading one
//! sentence. `hush bench nlu` gives the p50/p95 over the same sentences.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hush::parts::nlu::{IntentSet, MatchParams, Matcher};

const SLURP: &str = "../shared/data/slurp/devel.jsonl";

fn parse(c: &mut Criterion) {
    let m = Matcher::new(IntentSet::builtin().expect("built-in domains load"), MatchParams::default());
    let mut g = c.benchmark_group("parse");
    for (name, text) in [
        ("command", "book me a taxi to the airport at five thirty pm"),
        ("misheard", "pay my electric city bill of forty two dollars"),
        ("whisper-formatted", "Send Rp 50.000 to Budi."),
        ("out of domain", "what is the weather like in paris tomorrow"),
    ] {
        g.bench_function(name, |b| b.iter(|| m.parse(std::hint::black_box(text))));
    }
    let texts: Vec<String> = std::fs::read_to_string(SLURP)
        .expect("SLURP devel beside the checkout")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()?.get("text")?.as_str().map(str::to_string))
        .collect();
    g.throughput(Throughput::Elements(texts.len() as u64));
    g.sample_size(20);
    g.bench_function("slurp devel (per sentence)", |b| {
        b.iter(|| {
            for t in &texts {
                std::hint::black_box(m.parse(t));
            }
        })
    });
    g.finish();
}

fn compile(c: &mut Criterion) {
    let set = IntentSet::builtin().expect("built-in domains load");
    c.bench_function("load and compile built-in domains", |b| b.iter(|| Matcher::new(set.clone(), MatchParams::default())));
}

/// The learned model's cost per sentence: MiniLM-L6 with rank-8 adapters
/// and heads for the built-in domains' labels. Its weights are as
/// initialised (training changes values, not the work), so the bench needs
/// only the encoder (`make models-minilm`), not a training run.
fn learned(c: &mut Criterion) {
    let set = IntentSet::builtin().expect("built-in domains load");
    let examples = hush::parts::learn::data::from_intents(&set, 2, 1);
    let labels = hush::parts::learn::Labels::from_examples(&examples);
    let encoder = hush_models::Cache::default().model_dir("minilm");
    let model = hush::parts::learn::LearnedModel::new(&encoder, labels, 8, 1).expect("run `make models-minilm` first");
    let mut g = c.benchmark_group("learned parse");
    for text in ["book me a taxi to the airport at five thirty pm", "could you brew me two cappuccinos with oat milk please"] {
        g.bench_function(format!("{} words", text.split_whitespace().count()), |b| b.iter(|| model.predict(&[std::hint::black_box(text)]).expect("predict")));
    }
    g.finish();
}

criterion_group!(benches, parse, compile, learned);
criterion_main!(benches);
