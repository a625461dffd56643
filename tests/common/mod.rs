//! Shared by the model tests: the clips committed in the repository, the
//! dev manifest beside the checkout, and the installed models. These tests
//! need the model in the cache (`make models`, which CI runs); they fail,
//! not skip, without it.

use std::path::{Path, PathBuf};

use hush::parts::{AsrParams, Recognizer};
use hush_eval::wer::WerCounter;

pub const DEV: &str = "../shared/data/audio-dev";

pub struct Clip {
    pub audio: PathBuf,
    pub text: String,
    pub snr_db: Option<f64>,
}

pub fn dev_clips() -> Vec<Clip> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(DEV);
    let manifest = dir.join("manifest.jsonl");
    let text = std::fs::read_to_string(&manifest).unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
    text.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("manifest line");
            Clip { audio: dir.join(v["audio"].as_str().expect("audio")), text: v["text"].as_str().expect("text").to_owned(), snr_db: v["snr_db"].as_f64() }
        })
        .collect()
}

/// The clips committed in the repository (no `../shared` needed): the six
/// demo commands (Piper, 22.05 kHz) and the sixteen "hey hush" fixtures
/// (Piper and espeak-ng voices, 16 kHz). Their provenance and licence:
/// examples/audio/README.md and tests/fixtures/wake/README.md.
pub fn fixture_clips() -> Vec<Clip> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let demo = [
        ("book_ride", "Book me a ride to the airport."),
        ("pay_bill", "Pay my electricity bill of forty two dollars."),
        ("navigate_home", "Navigate home."),
        ("grades", "What did I get in maths?"),
        ("confirm", "Yes, go ahead."),
        ("weather", "What's the weather like in Paris tomorrow?"),
    ];
    let demo = demo.iter().map(|(f, t)| Clip { audio: root.join(format!("examples/audio/{f}.wav")), text: (*t).into(), snr_db: None });
    let wake = ["piper", "espeak"].iter().flat_map(|v| (0..8).map(move |i| format!("tests/fixtures/wake/{v}-{i}.wav"))).map(|f| Clip {
        audio: root.join(f),
        text: "Hey hush.".into(),
        snr_db: None,
    });
    demo.chain(wake).collect()
}

pub fn load(id: &str, params: AsrParams) -> Recognizer {
    let paths =
        hush::parts::model_paths(id).unwrap_or_else(|e| panic!("{e}\n(run `make models`, or `hush models import tiny.en` and `hush models quantize tiny.en`)"));
    Recognizer::load(&paths, params).expect("model loads")
}

pub fn samples(path: &Path) -> Vec<f32> {
    let (audio, _) = hush::parts::read_wav(path, &Default::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    audio.samples().to_vec()
}

/// Transcribes clips with `opts`, returns (WER counter, hypotheses).
pub fn score(rec: &Recognizer, clips: &[&Clip], opts: &hush::parts::DecodeOptions) -> (WerCounter, Vec<String>) {
    let mut wer = WerCounter::default();
    let mut hyps = Vec::new();
    for c in clips {
        let t = rec.transcribe_with(&samples(&c.audio), opts).expect("transcribes");
        wer.add(&c.text, &t.text);
        hyps.push(t.text);
    }
    (wer, hyps)
}
