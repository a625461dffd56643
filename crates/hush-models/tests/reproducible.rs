//! A fresh conversion of tiny.en reproduces the cache's files bit for bit
//! (issue 27): the same safetensors, config and tokenizer from the same
//! CTranslate2 source, and the same q8_0 GGUF from them, as recorded
//! beside the cache's files when `make models` made them. So two machines
//! whose caches were made by this code load the same weights. Needs the
//! fetched source (`make models`, which CI runs).

use hush_models::{integrity, Cache, Manifest};

#[test]
fn a_fresh_conversion_is_bit_for_bit_the_cached_one() {
    let cache = Cache::default();
    let manifest = Manifest::builtin();
    let spec = manifest.get("tiny.en").unwrap();
    let src = cache.source_dir("tiny.en");
    let cached = cache.model_dir("tiny.en");
    let fresh = tempfile::tempdir().unwrap();
    hush_models::import(spec, &src, fresh.path(), false).unwrap_or_else(|e| panic!("{e}\n(run `make models`)"));
    hush_models::quantize::quantize_model(fresh.path(), "q8_0", false).unwrap();
    for name in ["model.safetensors", "config.json", "tokenizer.json", "model-q8_0.gguf"] {
        let want = integrity::recorded(&cached.join(name)).unwrap_or_else(|| panic!("{name}: no record in the cache (run `make models`)"));
        let got = integrity::recorded(&fresh.path().join(name)).unwrap();
        assert_eq!(got, want, "{name} converted again differs from the cache's");
    }
    // And the cache's files are what their records say.
    for name in ["model.safetensors", "model-q8_0.gguf"] {
        integrity::check(&cached.join(name), true).unwrap();
    }
}
