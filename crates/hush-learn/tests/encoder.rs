//! The MiniLM encoder (needs the model: `make models-minilm`).

use candle_core::Tensor;
use hush_learn::Encoder;

fn encoder() -> Encoder {
    let dir = std::env::var_os("HUSH_CACHE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/hush"))
        .join("models/minilm");
    Encoder::load(&dir, 4).unwrap_or_else(|e| panic!("{e}\n(run `make models-minilm`)"))
}

fn cos(v: &Tensor, a: usize, b: usize) -> f32 {
    (v.get(a).unwrap() * v.get(b).unwrap()).unwrap().sum_all().unwrap().to_scalar::<f32>().unwrap()
}

#[test]
fn similar_requests_embed_close() {
    let e = encoder();
    let v = e.embed(&["book me a taxi to the airport", "order a cab to the terminal", "what is the weather like tomorrow"]).unwrap();
    assert_eq!(v.dims(), [3, 384]);
    let (near, far) = (cos(&v, 0, 1), cos(&v, 0, 2));
    // Measured 2026-11-30: 0.4614 vs 0.0891 (f32).
    assert!(near > far + 0.2, "taxi~cab {near}, taxi~weather {far}");
    // A batch pads without changing what each sentence means.
    let alone = e.embed(&["order a cab to the terminal"]).unwrap();
    let diff = (alone.get(0).unwrap() - v.get(1).unwrap()).unwrap().abs().unwrap().max_all().unwrap().to_scalar::<f32>().unwrap();
    eprintln!("measured: cosine taxi~cab {near:.4}, taxi~weather {far:.4}; padding moved a vector by {diff:e}");
    // Measured 2026-11-30: 0 (bit for bit).
    assert!(diff < 1e-4, "padding changed the vector by {diff}");
}

#[test]
fn every_adapter_gets_a_gradient() {
    let e = encoder();
    let enc = e.encode(&["pay my electricity bill", "navigate home"]).unwrap();
    let (ids, mask) = e.batch(&enc).unwrap();
    let states = e.bert.forward(&ids, &mask, true).unwrap();
    let loss = hush_learn::bert::mean_pool(&states, &mask).unwrap().sqr().unwrap().sum_all().unwrap();
    let grads = loss.backward().unwrap();
    let data = e.adapters.data().lock().unwrap();
    // A and B beside the 6 dense layers of each of the 6 layers.
    assert_eq!(data.len(), 6 * 6 * 2);
    let missing: Vec<&String> = data.iter().filter(|(_, v)| grads.get(v.as_tensor()).is_none()).map(|(k, _)| k).collect();
    assert!(missing.is_empty(), "{missing:?}");
    assert!(data.contains_key("encoder.layer.5.intermediate.dense.lora_a"));
}
