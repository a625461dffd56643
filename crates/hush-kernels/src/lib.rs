//! CPU kernels that hush's models (Whisper in `hush-asr`, the MiniLM
//! encoder in `hush-learn`) share where candle's own are slow for the
//! shapes a command engine runs: a q8_0 matrix product for a few rows
//! ([`Q8Matrix`]) and GELU over whole slices ([`gelu`]).
//!
//! It holds no model and no layer: callers keep candle's tensors and call
//! these on the CPU only, falling back to candle's ops elsewhere.

mod gelu;
mod q8;

pub use gelu::{erf, gelu};
pub use q8::Q8Matrix;
