//! One stage of hush, run REPS times after its setup, for instruction
//! counts under callgrind (`benches/counts.py`, `make bench-check`): counts
//! are the same from run to run where wall-clock times here swing by
//! 10-30 %, so a change that makes a stage slower shows as a number, not
//! a hunch. Everything runs on one thread so the count does not depend on
//! how work was shared out.
//!
//!     cargo bench --bench counts -- STAGE REPS
//!
//! Stages: mel, encoder, decoder-step, decode (free, the whole clip),
//! hear-constrained (the built-in grammar's beam, the whole clip),
//! template-parse, learned-parse, text-turn. The decoding stages start
//! from the clip's encoder output, which `states` writes (natively: an
//! encoding under valgrind takes a minute). Needs `make models
//! models-minilm`; reads only the committed demo clips.

use std::hint::black_box;

use hush::parts::asr::model::DecoderState;
use hush::parts::asr::{Encoded, Unguided};
use hush::parts::{AsrParams, DecodeOptions, GrammarParams, Hearing, IntentSet, MatchParams, Matcher, Recognizer};
use hush::{Decoding, Engine};

const CLIP: &str = "examples/audio/book_ride.wav";
const COMMAND: &str = "book me a taxi to the airport at five thirty pm";
const PARAPHRASE: &str = "could you get me a cab over to the airport";

fn recognizer() -> Recognizer {
    let paths = hush::parts::model_paths("tiny.en-q8_0").expect("run `make models` first");
    Recognizer::load(&paths, AsrParams { threads: 1, ..AsrParams::default() }).expect("model loads")
}

fn clip() -> Vec<f32> {
    hush::parts::read_wav(CLIP, &Default::default()).expect("demo clip").0.samples().to_vec()
}

/// Where the `states` stage leaves the clip's encoder output.
const STATES: &str = "target/bench/counts-states.safetensors";

fn encoded() -> Encoded {
    let t = candle_core::safetensors::load(STATES, &candle_core::Device::Cpu).expect("run the `states` stage first");
    let samples = t["samples"].to_vec1::<u32>().expect("count")[0] as usize;
    Encoded::from_states(t["audio"].clone(), samples)
}

/// The clip's log-mel frames in the default trimmed window (3 s: the
/// trim's floor, as the clip is shorter).
fn mel(rec: &Recognizer) -> candle_core::Tensor {
    let samples = clip();
    let frames = rec.encoder_frames(samples.len(), Some(Default::default()));
    let n_mels = rec.config().num_mel_bins;
    candle_core::Tensor::from_vec(rec.front_end().log_mel(&samples, frames), (1, n_mels, frames), &candle_core::Device::Cpu).expect("mel")
}

/// Runs `stage` `reps` times after `setup`, so that reps 0 counts the
/// setup alone and the difference is the stage's.
fn run<S>(reps: usize, setup: impl FnOnce() -> S, stage: impl Fn(&S)) {
    let state = setup();
    for _ in 0..reps {
        stage(&state);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let (Some(stage), Some(reps)) = (args.first(), args.get(1).and_then(|r| r.parse::<usize>().ok())) else {
        eprintln!("usage: cargo bench --bench counts -- STAGE REPS");
        std::process::exit(2);
    };
    match stage.as_str() {
        "mel" => run(
            reps,
            || (recognizer(), clip()),
            |(rec, samples)| {
                let frames = rec.encoder_frames(samples.len(), Some(Default::default()));
                black_box(rec.front_end().log_mel(samples, frames));
            },
        ),
        "encoder" => run(
            reps,
            || {
                let rec = recognizer();
                let mel = mel(&rec);
                (rec, mel)
            },
            |(rec, mel)| {
                black_box(rec.install(|| rec.model().encoder.forward(mel).expect("encode")));
            },
        ),
        // Natively, before the counted runs: the clip's encoder output, so
        // that no counted run pays an encoding (slow under valgrind).
        "states" => {
            let rec = recognizer();
            let samples = clip();
            let enc = rec.encode_window(&samples, &DecodeOptions::default()).expect("encode");
            std::fs::create_dir_all("target/bench").expect("target/bench");
            let tensors = std::collections::HashMap::from([
                ("audio".to_owned(), enc.states().clone()),
                ("samples".to_owned(), candle_core::Tensor::new(&[samples.len() as u32], &candle_core::Device::Cpu).expect("count")),
            ]);
            candle_core::safetensors::save(&tensors, STATES).expect("write the states");
        }
        // Steps after the prompt, each one token further on.
        "decoder-step" => run(
            reps,
            || {
                let (rec, enc) = (recognizer(), encoded());
                let tok = rec.tokenizer();
                let state = rec.install(|| {
                    let dec = &rec.model().decoder;
                    let mut state = dec.start(enc.states()).expect("start");
                    dec.step(&mut state, &[tok.sot, tok.no_timestamps], 1).expect("prompt");
                    state
                });
                (rec, std::sync::Mutex::new(state))
            },
            |(rec, state)| {
                let token = rec.tokenizer().eot - 1;
                let mut guard = state.lock().expect("one thread");
                let state: &mut DecoderState = &mut guard;
                black_box(rec.install(|| rec.model().decoder.step(state, &[token], 1).expect("step")));
            },
        ),
        "decode" => run(
            reps,
            || (recognizer(), encoded()),
            |(rec, enc)| {
                black_box(rec.decode_guided(enc, &DecodeOptions::default(), &Unguided).expect("decode"));
            },
        ),
        "hear-constrained" => run(
            reps,
            || {
                let matcher = Matcher::new(IntentSet::builtin().expect("built-in domains"), MatchParams::default());
                (recognizer(), Hearing::new(Decoding::Constrained, GrammarParams::default(), &matcher), encoded())
            },
            |(rec, hearing, enc)| {
                black_box(hearing.hear_encoded(rec, enc).expect("hear"));
            },
        ),
        "template-parse" => run(
            reps,
            || Matcher::new(IntentSet::builtin().expect("built-in domains"), MatchParams::default()),
            |m| {
                black_box(m.parse(black_box(COMMAND)));
            },
        ),
        "learned-parse" => run(
            reps,
            || {
                let model = hush::parts::builtin_learned().expect("built-in model").expect("run `make models-minilm` first");
                // As the engine does when it attaches the model: the first
                // reading merges the adapters into the weights.
                model.predict(&[COMMAND]).expect("predict");
                model
            },
            |model| {
                black_box(model.predict(&[black_box(PARAPHRASE)]).expect("predict"));
            },
        ),
        "text-turn" => run(
            reps,
            || {
                let engine = Engine::builder()
                    .asr_params(AsrParams { threads: 1, ..AsrParams::default() })
                    .fallback_actions(hush_reference::actions_in_memory().expect("actions"))
                    .build()
                    .expect("run `make models` first");
                let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("runtime");
                (engine, rt)
            },
            |(engine, rt)| {
                let turn = rt.block_on(engine.session().process_text(COMMAND)).expect("a turn");
                assert_eq!(turn.intent.as_deref(), Some("order_ride"), "{turn:?}");
            },
        ),
        other => {
            eprintln!("unknown stage {other}");
            std::process::exit(2);
        }
    }
}
