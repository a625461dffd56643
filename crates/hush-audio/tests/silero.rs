//! hush's plain-Rust Silero VAD against the reference model: the package's
//! silero_vad.onnx under onnxruntime (benches/compare/silero_reference.py
//! made tests/fixtures/silero-reference.json). Needs `make models-vad`.

use hush_audio::{read_wav, AudioLimits, Silero, SileroModel};
use std::path::Path;

fn model() -> std::sync::Arc<SileroModel> {
    let path = hush_models::Cache::default().resolve_weights("silero-vad").expect("run `make models-vad` first");
    SileroModel::load(&path).expect("silero-vad loads")
}

#[test]
fn probabilities_match_the_reference_onnx_model_chunk_by_chunk() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let reference: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("crates/hush-audio/tests/fixtures/silero-reference.json")).unwrap()).unwrap();
    let model = model();
    let clips = reference["clips"].as_object().unwrap();
    assert_eq!(clips.len(), 3);
    for (clip, expected) in clips {
        let expected: Vec<f64> = expected.as_array().unwrap().iter().map(|p| p.as_f64().unwrap()).collect();
        let (audio, _) = read_wav(root.join(clip), &AudioLimits::default()).unwrap();
        // Pieces that straddle chunk boundaries: the state and the 64-sample
        // context must carry across pushes.
        let mut vad = Silero::new(model.clone());
        let mut got = Vec::new();
        for piece in audio.samples().chunks(333) {
            got.extend(vad.push(piece));
        }
        assert_eq!(got.len(), expected.len(), "{clip}");
        let worst = got.iter().zip(&expected).map(|(g, e)| (*g as f64 - e).abs()).fold(0.0, f64::max);
        assert!(worst < 2e-3, "{clip}: differs from the reference by up to {worst}");
        assert_eq!(vad.probability() as f64, *got.last().unwrap() as f64);
        // The clips hold speech and silence: both must show.
        assert!(got.iter().any(|&p| p > 0.9) && got.iter().any(|&p| p < 0.05), "{clip}");
    }
}

#[test]
fn weights_of_another_shape_are_refused_by_name() {
    let path = hush_models::Cache::default().resolve_weights("silero-vad").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    // Cut short: not loadable, reported with the path.
    let cut = dir.path().join("cut.safetensors");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let e = SileroModel::load(&cut).unwrap_err().to_string();
    assert!(e.contains("cut.safetensors") && e.contains("not safetensors"), "{e}");
}
