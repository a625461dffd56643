//! Measuring hush: the scores the benchmarks (`hush bench`) and the tests
//! report, and the material they are measured on.
//!
//! - [`wer`]: word error rate with the dev sets' text normalisation;
//! - [`nlu`]: intent accuracy, SLU-F1 and calibration of the matcher on
//!   labelled sentences (SLURP's mapping to hush's built-in types);
//! - [`frames`]: a reader's intents and slot values on labelled
//!   paraphrases, by intent and by how each sentence was written;
//! - [`mix`]: clips stitched into long recordings, noise mixed in at an
//!   SNR, and where speech truly is.
//!
//! It is not linked into the engine (`hush`, `hush-ffi`): an app that
//! embeds hush does not carry its own lab. The learned model's validation
//! score stays in `hush-learn`, whose training uses it.

pub mod frames;
pub mod mix;
pub mod nlu;
pub mod wer;
