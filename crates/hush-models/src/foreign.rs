//! Whisper models users already have, in the formats other tools use: a
//! Hugging Face folder (`config.json`, `model.safetensors`,
//! `tokenizer.json`, as openai/whisper-* ships), a whisper.cpp `ggml-*.bin`
//! file, or a CTranslate2 folder (as faster-whisper uses). Each becomes
//! hush's own layout (the HF one) in the cache, and is checked before it
//! is kept: every tensor Whisper needs, with the shapes its config implies,
//! and a tokenizer with the model's vocabulary. Writing the HF folder and
//! the ggml file back out is here too, so the round trip can be tested and
//! hush's models can be used by those tools.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use candle_core::quantized::{GgmlDType, QTensor};
use candle_core::{DType, Device, Tensor};
use serde_json::{json, Value};

use crate::{io_err, ModelError};

/// A foreign model's format, told from what the path holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    HuggingFace,
    Ctranslate2,
    Ggml,
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::HuggingFace => "Hugging Face folder",
            Format::Ctranslate2 => "CTranslate2 folder",
            Format::Ggml => "whisper.cpp ggml file",
        })
    }
}

/// whisper.cpp's file magic, "ggml" read as a little-endian u32.
const GGML_MAGIC: u32 = 0x6767_6d6c;

/// Tells the format of `path`, or says what was expected.
pub fn detect(path: &Path) -> Result<Format, ModelError> {
    let bad = |detail: &str| ModelError::Foreign { path: path.to_owned(), detail: detail.to_owned() };
    if path.is_dir() {
        return if path.join("model.safetensors").is_file() {
            Ok(Format::HuggingFace)
        } else if path.join("model.bin").is_file() {
            Ok(Format::Ctranslate2)
        } else {
            Err(bad("a folder with neither model.safetensors (Hugging Face) nor model.bin (CTranslate2)"))
        };
    }
    let mut magic = [0u8; 4];
    let mut f = std::fs::File::open(path).map_err(io_err(path))?;
    std::io::Read::read_exact(&mut f, &mut magic).map_err(|_| bad("too short to be a model"))?;
    if u32::from_le_bytes(magic) == GGML_MAGIC {
        Ok(Format::Ggml)
    } else {
        Err(bad("not a whisper.cpp ggml file (no \"ggml\" magic), nor a model folder"))
    }
}

/// What an import kept.
#[derive(Debug)]
pub struct Imported {
    pub format: Format,
    pub tensors: usize,
    pub parameters: usize,
    pub vocab_size: usize,
}

/// Imports the model at `src` into `out` (a cache model folder). A ggml
/// file holds no tokenizer.json nor the token lists Whisper's decoding
/// needs: they come from `vocabulary` (a folder with `tokenizer.json` and
/// `config.json`, e.g. an installed model of the same vocabulary), checked
/// token by token against the file's own vocabulary.
pub fn import(src: &Path, out: &Path, vocabulary: &[PathBuf]) -> Result<Imported, ModelError> {
    let format = detect(src)?;
    let tmp = out.with_file_name(format!("{}.partial", out.file_name().map_or_else(|| "model".into(), |n| n.to_string_lossy())));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(io_err(&tmp))?;
    let made = match format {
        Format::HuggingFace => import_hf(src, &tmp),
        Format::Ctranslate2 => crate::ct2::import_whisper(src, &tmp, false).map(drop),
        Format::Ggml => import_ggml(src, &tmp, vocabulary),
    };
    let checked = made.and_then(|()| verify(&tmp).map_err(|detail| ModelError::Foreign { path: src.to_owned(), detail }));
    let (tensors, parameters, vocab_size) = match checked {
        Ok(v) => v,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    let _ = std::fs::remove_dir_all(out);
    std::fs::rename(&tmp, out).map_err(io_err(out))?;
    for f in ["model.safetensors", "config.json", "tokenizer.json"] {
        crate::integrity::record(&out.join(f))?;
    }
    Ok(Imported { format, tensors, parameters, vocab_size })
}

fn copy(from: &Path, to: &Path) -> Result<(), ModelError> {
    std::fs::copy(from, to).map(drop).map_err(io_err(from))
}

fn read_json(path: &Path) -> Result<Value, ModelError> {
    let text = std::fs::read_to_string(path).map_err(io_err(path))?;
    serde_json::from_str(&text).map_err(|e| ModelError::Foreign { path: path.to_owned(), detail: format!("not JSON: {e}") })
}

/// A Hugging Face folder is hush's own layout; newer ones keep the token
/// lists in `generation_config.json`, which the config takes in.
fn import_hf(src: &Path, out: &Path) -> Result<(), ModelError> {
    let mut config = read_json(&src.join("config.json"))?;
    if let Ok(generation) = read_json(&src.join("generation_config.json")) {
        for key in ["suppress_tokens", "begin_suppress_tokens"] {
            if config.get(key).is_none_or(Value::is_null) {
                if let Some(v) = generation.get(key) {
                    config[key] = v.clone();
                }
            }
        }
        if config.get("lang_ids").is_none() {
            if let Some(langs) = generation.get("lang_to_id").and_then(Value::as_object) {
                let mut ids: Vec<u64> = langs.values().filter_map(Value::as_u64).collect();
                ids.sort_unstable();
                config["lang_ids"] = json!(ids);
            }
        }
    }
    let config_path = out.join("config.json");
    std::fs::write(&config_path, serde_json::to_string_pretty(&config).expect("json")).map_err(io_err(&config_path))?;
    copy(&src.join("model.safetensors"), &out.join("model.safetensors"))?;
    copy(&src.join("tokenizer.json"), &out.join("tokenizer.json"))
}

/// Writes `model` (a hush model folder) as a Hugging Face folder: the same
/// three files, and the token lists also in `generation_config.json`.
pub fn write_hf(model: &Path, out: &Path) -> Result<(), ModelError> {
    std::fs::create_dir_all(out).map_err(io_err(out))?;
    for f in ["config.json", "model.safetensors", "tokenizer.json"] {
        copy(&model.join(f), &out.join(f))?;
    }
    let config = read_json(&model.join("config.json"))?;
    let generation = json!({
        "suppress_tokens": config["suppress_tokens"],
        "begin_suppress_tokens": config["begin_suppress_tokens"],
        "decoder_start_token_id": config["decoder_start_token_id"],
        "eos_token_id": config["eos_token_id"],
    });
    let path = out.join("generation_config.json");
    std::fs::write(&path, serde_json::to_string_pretty(&generation).expect("json")).map_err(io_err(&path))
}

/// The tensors Whisper needs with their shapes, from the config's sizes.
fn expected_shapes(c: &Value) -> Result<Vec<(String, Vec<usize>)>, String> {
    let get = |k: &str| c.get(k).and_then(Value::as_u64).map(|v| v as usize).ok_or_else(|| format!("config.json has no {k}"));
    let (d, mels, vocab) = (get("d_model")?, get("num_mel_bins")?, get("vocab_size")?);
    let (src, tgt) = (get("max_source_positions")?, get("max_target_positions")?);
    let (enc_ffn, dec_ffn) = (get("encoder_ffn_dim")?, get("decoder_ffn_dim")?);
    let mut out = vec![
        ("model.encoder.conv1.weight".to_owned(), vec![d, mels, 3]),
        ("model.encoder.conv1.bias".to_owned(), vec![d]),
        ("model.encoder.conv2.weight".to_owned(), vec![d, d, 3]),
        ("model.encoder.conv2.bias".to_owned(), vec![d]),
        ("model.encoder.embed_positions.weight".to_owned(), vec![src, d]),
        ("model.encoder.layer_norm.weight".to_owned(), vec![d]),
        ("model.encoder.layer_norm.bias".to_owned(), vec![d]),
        ("model.decoder.embed_tokens.weight".to_owned(), vec![vocab, d]),
        ("model.decoder.embed_positions.weight".to_owned(), vec![tgt, d]),
        ("model.decoder.layer_norm.weight".to_owned(), vec![d]),
        ("model.decoder.layer_norm.bias".to_owned(), vec![d]),
    ];
    let attention = |out: &mut Vec<(String, Vec<usize>)>, p: &str| {
        for m in ["q_proj", "k_proj", "v_proj", "out_proj"] {
            out.push((format!("{p}.{m}.weight"), vec![d, d]));
        }
        for m in ["q_proj", "v_proj", "out_proj"] {
            out.push((format!("{p}.{m}.bias"), vec![d]));
        }
        out.push((format!("{p}_layer_norm.weight"), vec![d]));
        out.push((format!("{p}_layer_norm.bias"), vec![d]));
    };
    for (side, layers, ffn) in [("encoder", get("encoder_layers")?, enc_ffn), ("decoder", get("decoder_layers")?, dec_ffn)] {
        for i in 0..layers {
            let l = format!("model.{side}.layers.{i}");
            attention(&mut out, &format!("{l}.self_attn"));
            if side == "decoder" {
                attention(&mut out, &format!("{l}.encoder_attn"));
            }
            out.push((format!("{l}.fc1.weight"), vec![ffn, d]));
            out.push((format!("{l}.fc1.bias"), vec![ffn]));
            out.push((format!("{l}.fc2.weight"), vec![d, ffn]));
            out.push((format!("{l}.fc2.bias"), vec![d]));
            out.push((format!("{l}.final_layer_norm.weight"), vec![d]));
            out.push((format!("{l}.final_layer_norm.bias"), vec![d]));
        }
    }
    Ok(out)
}

/// Checks a model folder: a Whisper config, every tensor it implies with
/// its shape (the tied output projection may be there too; nothing else
/// may), a tokenizer whose vocabulary fits the embedding. Returns
/// (tensors, parameters, vocabulary size).
pub fn verify(dir: &Path) -> Result<(usize, usize, usize), String> {
    let config: Value = std::fs::read_to_string(dir.join("config.json"))
        .map_err(|e| format!("config.json: {e}"))
        .and_then(|t| serde_json::from_str(&t).map_err(|e| format!("config.json: {e}")))?;
    if config.get("model_type").and_then(Value::as_str) != Some("whisper") {
        return Err(format!("config.json's model_type is {}, not whisper", config.get("model_type").unwrap_or(&Value::Null)));
    }
    let weights = dir.join("model.safetensors");
    let tensors = candle_core::safetensors::load(&weights, &Device::Cpu).map_err(|e| format!("model.safetensors: {e}"))?;
    let expected = expected_shapes(&config)?;
    for (name, shape) in &expected {
        match tensors.get(name) {
            None => return Err(format!("model.safetensors has no {name}")),
            Some(t) if t.dims() != shape.as_slice() => return Err(format!("{name} is {:?}, the config implies {shape:?}", t.dims())),
            Some(_) => {}
        }
    }
    let known: std::collections::HashSet<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
    if let Some(extra) = tensors.keys().find(|k| !known.contains(k.as_str()) && k.as_str() != "proj_out.weight") {
        return Err(format!("model.safetensors has {extra}, which Whisper does not use (a different model?)"));
    }
    let vocab = config["vocab_size"].as_u64().unwrap_or(0) as usize;
    let tok: Value = std::fs::read_to_string(dir.join("tokenizer.json"))
        .map_err(|e| format!("tokenizer.json: {e}"))
        .and_then(|t| serde_json::from_str(&t).map_err(|e| format!("tokenizer.json: {e}")))?;
    let mut ids: Vec<u64> = tok["model"]["vocab"].as_object().map(|v| v.values().filter_map(Value::as_u64).collect()).unwrap_or_default();
    ids.extend(tok["added_tokens"].as_array().into_iter().flatten().filter_map(|t| t["id"].as_u64()));
    ids.sort_unstable();
    ids.dedup();
    let max = ids.last().copied().unwrap_or(0) as usize;
    if ids.len() < 50_000 || max >= vocab {
        return Err(format!("tokenizer.json has {} tokens up to id {max}; the model's vocabulary is {vocab}", ids.len()));
    }
    Ok((tensors.len(), tensors.values().map(|t| t.elem_count()).sum(), vocab))
}

/// GPT-2's byte ↔ printable-character table, which byte-level BPE
/// vocabularies (tokenizer.json) are written in; whisper.cpp stores the
/// raw bytes.
fn byte_chars() -> [char; 256] {
    let mut table = ['\0'; 256];
    let mut n = 0u32;
    for b in 0..=255u8 {
        let printable = matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
        table[b as usize] = if printable {
            char::from(b)
        } else {
            n += 1;
            char::from_u32(255 + n).expect("valid")
        };
    }
    table
}

/// The byte strings of a tokenizer.json's BPE vocabulary, by id.
fn vocab_bytes(tokenizer: &Value) -> HashMap<u64, Vec<u8>> {
    let table = byte_chars();
    let back: HashMap<char, u8> = table.iter().enumerate().map(|(b, c)| (*c, b as u8)).collect();
    let mut out = HashMap::new();
    for (token, id) in tokenizer["model"]["vocab"].as_object().into_iter().flatten() {
        let (Some(id), Some(bytes)) = (id.as_u64(), token.chars().map(|c| back.get(&c).copied()).collect::<Option<Vec<u8>>>()) else { continue };
        out.insert(id, bytes);
    }
    out
}

/// A cursor over a ggml file that checks every length against what is
/// left before using it.
struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn bytes(&mut self, n: usize, what: &str) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.buf.len()).ok_or_else(|| format!("cut short in {what} (at byte {})", self.at))?;
        let s = &self.buf[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn i32(&mut self, what: &str) -> Result<i32, String> {
        Ok(i32::from_le_bytes(self.bytes(4, what)?.try_into().expect("4 bytes")))
    }
    /// A count or size: not negative, at most `max`.
    fn count(&mut self, what: &str, max: usize) -> Result<usize, String> {
        let v = self.i32(what)?;
        usize::try_from(v).ok().filter(|v| *v <= max).ok_or_else(|| format!("{what} is {v}, outside 0..={max}"))
    }
}

/// Tensors outside the layers: hush's (Hugging Face's) name under
/// `model.`, whisper.cpp's (OpenAI's) name.
const FIXED_NAMES: &[(&str, &str)] = &[
    ("encoder.conv1.weight", "encoder.conv1.weight"),
    ("encoder.conv1.bias", "encoder.conv1.bias"),
    ("encoder.conv2.weight", "encoder.conv2.weight"),
    ("encoder.conv2.bias", "encoder.conv2.bias"),
    ("encoder.embed_positions.weight", "encoder.positional_embedding"),
    ("encoder.layer_norm.weight", "encoder.ln_post.weight"),
    ("encoder.layer_norm.bias", "encoder.ln_post.bias"),
    ("decoder.embed_tokens.weight", "decoder.token_embedding.weight"),
    ("decoder.embed_positions.weight", "decoder.positional_embedding"),
    ("decoder.layer_norm.weight", "decoder.ln.weight"),
    ("decoder.layer_norm.bias", "decoder.ln.bias"),
];

/// A layer's modules: hush's name, whisper.cpp's.
const LAYER_MODULES: &[(&str, &str)] = &[
    ("self_attn.q_proj", "attn.query"),
    ("self_attn.k_proj", "attn.key"),
    ("self_attn.v_proj", "attn.value"),
    ("self_attn.out_proj", "attn.out"),
    ("self_attn_layer_norm", "attn_ln"),
    ("encoder_attn.q_proj", "cross_attn.query"),
    ("encoder_attn.k_proj", "cross_attn.key"),
    ("encoder_attn.v_proj", "cross_attn.value"),
    ("encoder_attn.out_proj", "cross_attn.out"),
    ("encoder_attn_layer_norm", "cross_attn_ln"),
    ("fc1", "mlp.0"),
    ("fc2", "mlp.2"),
    ("final_layer_norm", "mlp_ln"),
];

/// Renames a tensor between the two conventions: `hf_side` says which
/// side of the tables `name` is on. Layers are `model.{side}.layers.{i}`
/// in one and `{side}.blocks.{i}` in the other.
fn rename(name: &str, hf_side: bool) -> Option<String> {
    let from = |pair: &(&'static str, &'static str)| if hf_side { (pair.0, pair.1) } else { (pair.1, pair.0) };
    let (bare, layers_from, layers_to) = if hf_side { (name.strip_prefix("model.")?, ".layers.", ".blocks.") } else { (name, ".blocks.", ".layers.") };
    let prefix = if hf_side { "" } else { "model." };
    if let Some(pair) = FIXED_NAMES.iter().find(|p| from(p).0 == bare) {
        return Some(format!("{prefix}{}", from(pair).1));
    }
    let (side, rest) = bare.split_once(layers_from)?;
    let (layer, rest) = rest.split_once('.')?;
    let (module, param) = rest.rsplit_once('.')?;
    let module = LAYER_MODULES.iter().find(|p| from(p).0 == module).map(|p| from(p).1)?;
    Some(format!("{prefix}{side}{layers_to}{layer}.{module}.{param}"))
}

/// whisper.cpp's (OpenAI's) tensor names → hush's (Hugging Face's).
fn hf_name(ggml: &str) -> Option<String> {
    rename(ggml, false)
}

/// hush's tensor names → whisper.cpp's; the tied output projection has none.
fn ggml_name(hf: &str) -> Option<String> {
    rename(hf, true)
}

/// The hparams of a ggml file, in the order it stores them.
const HPARAMS: [&str; 11] = [
    "n_vocab",
    "n_audio_ctx",
    "n_audio_state",
    "n_audio_head",
    "n_audio_layer",
    "n_text_ctx",
    "n_text_state",
    "n_text_head",
    "n_text_layer",
    "n_mels",
    "ftype",
];

/// What a whisper.cpp file holds, its tensors under hush's names.
pub struct Ggml {
    pub hparams: HashMap<&'static str, usize>,
    /// The base vocabulary's tokens as bytes, by id.
    pub tokens: Vec<Vec<u8>>,
    pub tensors: HashMap<String, Tensor>,
}

/// Reads a whisper.cpp file (f32/f16 tensors; quantised ones are refused:
/// hush quantises from full precision itself). Every count and size is
/// checked against what is left of `bytes` before it is used.
pub fn parse_ggml(bytes: &[u8]) -> Result<Ggml, String> {
    if bytes.get(..4).map(|m| u32::from_le_bytes(m.try_into().expect("4 bytes"))) != Some(GGML_MAGIC) {
        return Err("no \"ggml\" magic".into());
    }
    let mut r = Reader { buf: bytes, at: 4 };
    let mut h = HashMap::new();
    for name in HPARAMS {
        h.insert(name, r.count(name, 1 << 20)?);
    }
    let (d, vocab) = (h["n_audio_state"], h["n_vocab"]);
    if d == 0 || h["n_text_state"] != d || h["n_audio_head"] == 0 || h["n_text_head"] == 0 || vocab < 50_000 {
        return Err(format!("hparams do not describe a Whisper model: {h:?}"));
    }
    // Mel filters: hush computes its own; only their size is checked.
    let (n_mel, n_fft) = (r.count("mel filter count", 512)?, r.count("mel filter length", 4096)?);
    if n_mel != h["n_mels"] {
        return Err(format!("{n_mel} mel filters for {} mel bins", h["n_mels"]));
    }
    r.bytes(n_mel * n_fft * 4, "mel filters")?;
    let stored = r.count("vocabulary size", vocab)?;
    let mut tokens = Vec::with_capacity(stored.min(bytes.len() / 4));
    for i in 0..stored {
        let n = r.count("token length", 1024)?;
        tokens.push(r.bytes(n, &format!("token {i}"))?.to_vec());
    }
    let mut tensors = HashMap::new();
    while r.at < bytes.len() {
        let n_dims = r.count("tensor dimensions", 4)?;
        let name_len = r.count("tensor name length", 256)?;
        let ty = r.i32("tensor type")?;
        let mut dims = Vec::with_capacity(n_dims);
        for _ in 0..n_dims {
            dims.push(r.count("tensor dimension", 1 << 24)?);
        }
        dims.reverse();
        let name = String::from_utf8_lossy(r.bytes(name_len, "tensor name")?).into_owned();
        let (dtype, width) = match ty {
            0 => (DType::F32, 4),
            1 => (DType::F16, 2),
            other => {
                return Err(format!(
                    "{name} is stored as ggml type {other} (quantised): import an f16 or f32 ggml file; hush quantises itself (`hush models quantize`)"
                ))
            }
        };
        let count = dims.iter().try_fold(1usize, |a, &b| a.checked_mul(b)).ok_or_else(|| format!("{name}: {dims:?} overflows"))?;
        let data = r.bytes(count.checked_mul(width).ok_or_else(|| format!("{name}: too large"))?, &name)?;
        let Some(hf) = hf_name(&name) else { return Err(format!("{name} is not a Whisper tensor")) };
        if tensors.contains_key(&hf) {
            return Err(format!("{name} is there twice"));
        }
        // whisper.cpp keeps the conv biases as (n, 1) columns.
        let shape: Vec<usize> = if hf.ends_with("conv1.bias") || hf.ends_with("conv2.bias") { vec![count] } else { dims };
        let t = Tensor::from_raw_buffer(data, dtype, &shape, &Device::Cpu).map_err(|e| format!("{name}: {e}"))?;
        tensors.insert(hf, t);
    }
    Ok(Ggml { hparams: h, tokens, tensors })
}

fn import_ggml(src: &Path, out: &Path, vocabulary: &[PathBuf]) -> Result<(), ModelError> {
    let bytes = std::fs::read(src).map_err(io_err(src))?;
    let bad = |detail: String| ModelError::Foreign { path: src.to_owned(), detail };
    let Ggml { hparams: h, tokens, tensors } = parse_ggml(&bytes).map_err(bad)?;
    let (d, vocab, stored) = (h["n_audio_state"], h["n_vocab"], tokens.len());
    // The tokenizer and token lists, from a model whose vocabulary is this one.
    let mut tried = Vec::new();
    let donor = vocabulary.iter().find(|dir| {
        let Ok(tok) = read_json(&dir.join("tokenizer.json")) else { return false };
        let ours = vocab_bytes(&tok);
        let same = tokens.iter().enumerate().all(|(i, t)| ours.get(&(i as u64)) == Some(t))
            && read_json(&dir.join("config.json")).is_ok_and(|c| c["vocab_size"].as_u64() == Some(vocab as u64));
        tried.push(dir.display().to_string());
        same
    });
    let Some(donor) = donor else {
        return Err(bad(format!(
            "a ggml file holds no tokenizer.json: none with its {stored} tokens and vocabulary {vocab} was found (looked in: {}); import the same-sized model first (`hush models import tiny.en` for .en files, `base` for multilingual ones), or give --vocabulary DIR",
            if tried.is_empty() { "nothing".into() } else { tried.join(", ") }
        )));
    };
    let donor_config = read_json(&donor.join("config.json"))?;
    let ffn = tensors.get("model.encoder.layers.0.fc1.weight").map_or(4 * d, |t| t.dims()[0]);
    let mut config = json!({
        "architectures": ["WhisperForConditionalGeneration"],
        "model_type": "whisper",
        "d_model": d,
        "encoder_layers": h["n_audio_layer"],
        "decoder_layers": h["n_text_layer"],
        "encoder_attention_heads": h["n_audio_head"],
        "decoder_attention_heads": h["n_text_head"],
        "encoder_ffn_dim": ffn,
        "decoder_ffn_dim": ffn,
        "num_mel_bins": h["n_mels"],
        "vocab_size": vocab,
        "max_source_positions": h["n_audio_ctx"],
        "max_target_positions": h["n_text_ctx"],
        "activation_function": "gelu",
        "scale_embedding": false,
        "tie_word_embeddings": true,
        "hush_source": "whisper.cpp ggml",
    });
    for key in ["bos_token_id", "decoder_start_token_id", "eos_token_id", "pad_token_id", "suppress_tokens", "begin_suppress_tokens", "lang_ids", "torch_dtype"]
    {
        if let Some(v) = donor_config.get(key) {
            config[key] = v.clone();
        }
    }
    let weights = out.join("model.safetensors");
    candle_core::safetensors::save(&tensors, &weights)?;
    let config_path = out.join("config.json");
    std::fs::write(&config_path, serde_json::to_string_pretty(&config).expect("json")).map_err(io_err(&config_path))?;
    copy(&donor.join("tokenizer.json"), &out.join("tokenizer.json"))
}

/// How the weight matrices of a ggml file are stored: as the model holds
/// them (f16 or f32), or quantised to q8_0 as whisper.cpp's `quantize`
/// would, so whisper.cpp can run the very weights hush's q8_0 model holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GgmlWeights {
    AsStored,
    Q8_0,
}

/// Writes `model` (a hush model folder) as a whisper.cpp ggml file, with
/// `mel_filters` (`n_mel` rows of `n_fft` weights) as whisper.cpp expects
/// them (hush-asr's front end holds them). Tensor types follow whisper.cpp's
/// converter, which its loader checks: vectors, conv biases and positions
/// f32; convolutions f16 unless the file is f32; matrices the file's type.
pub fn write_ggml(model: &Path, mel_filters: &[f32], n_fft: usize, weights: GgmlWeights, out: &Path) -> Result<(), ModelError> {
    let config = read_json(&model.join("config.json"))?;
    let tokenizer = read_json(&model.join("tokenizer.json"))?;
    let tensors = candle_core::safetensors::load(model.join("model.safetensors"), &Device::Cpu)?;
    let bad = |detail: String| ModelError::Foreign { path: model.to_owned(), detail };
    let get = |k: &str| config[k].as_u64().map(|v| v as i32).ok_or_else(|| bad(format!("config.json has no {k}")));
    let f32_file = tensors.get("model.decoder.embed_tokens.weight").is_some_and(|t| t.dtype() == DType::F32);
    // ggml's file types: 0 all f32, 1 mostly f16, 7 mostly q8_0.
    let ftype = match (weights, f32_file) {
        (GgmlWeights::Q8_0, _) => 7,
        (GgmlWeights::AsStored, true) => 0,
        (GgmlWeights::AsStored, false) => 1,
    };
    let mut b: Vec<u8> = Vec::new();
    let put = |b: &mut Vec<u8>, v: i32| b.extend(v.to_le_bytes());
    b.extend(GGML_MAGIC.to_le_bytes());
    let (d, heads) = (get("d_model")?, get("encoder_attention_heads")?);
    for v in [
        get("vocab_size")?,
        get("max_source_positions")?,
        d,
        heads,
        get("encoder_layers")?,
        get("max_target_positions")?,
        d,
        get("decoder_attention_heads")?,
        get("decoder_layers")?,
        get("num_mel_bins")?,
        ftype,
    ] {
        put(&mut b, v);
    }
    let n_mel = mel_filters.len() / n_fft.max(1);
    put(&mut b, n_mel as i32);
    put(&mut b, n_fft as i32);
    mel_filters.iter().for_each(|x| b.extend(x.to_le_bytes()));
    // The base vocabulary, as whisper.cpp's converter writes it: the
    // tokens below <|endoftext|>, which it then numbers itself.
    let eot = config["eos_token_id"].as_u64().unwrap_or(50256);
    let vocab = vocab_bytes(&tokenizer);
    put(&mut b, eot as i32);
    for id in 0..eot {
        let t = vocab.get(&id).ok_or_else(|| bad(format!("tokenizer.json has no token {id}")))?;
        put(&mut b, t.len() as i32);
        b.extend(t);
    }
    let mut names: Vec<(&String, String)> = tensors.keys().filter_map(|k| ggml_name(k).map(|g| (k, g))).collect();
    names.sort_by(|a, b| a.1.cmp(&b.1));
    for (hf, ggml) in names {
        let t = &tensors[hf];
        let mut dims: Vec<usize> = t.dims().to_vec();
        let conv_bias = ggml.ends_with("conv1.bias") || ggml.ends_with("conv2.bias");
        if conv_bias {
            dims.push(1);
        }
        // Tensor types: 0 f32, 1 f16, 8 q8_0.
        let (ty, raw): (i32, Vec<u8>) = if ftype == 0 || t.rank() < 2 || conv_bias || ggml.ends_with("positional_embedding") {
            (0, t.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()?.iter().flat_map(|x| x.to_le_bytes()).collect())
        } else if ftype == 7 && t.rank() == 2 {
            (8, QTensor::quantize(&t.to_dtype(DType::F32)?, GgmlDType::Q8_0)?.data()?.into_owned())
        } else {
            (1, t.to_dtype(DType::F16)?.flatten_all()?.to_vec1::<half::f16>()?.iter().flat_map(|x| x.to_le_bytes()).collect())
        };
        put(&mut b, dims.len() as i32);
        put(&mut b, ggml.len() as i32);
        put(&mut b, ty);
        dims.iter().rev().for_each(|&n| put(&mut b, n as i32));
        b.extend(ggml.as_bytes());
        b.extend(raw);
    }
    std::fs::write(out, b).map_err(io_err(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_both_ways() {
        for hf in [
            "model.encoder.conv1.bias",
            "model.encoder.embed_positions.weight",
            "model.encoder.layers.3.self_attn.k_proj.weight",
            "model.decoder.layers.0.encoder_attn.v_proj.bias",
            "model.decoder.layers.1.fc2.weight",
            "model.decoder.layer_norm.bias",
            "model.decoder.layers.2.encoder_attn_layer_norm.weight",
        ] {
            let g = ggml_name(hf).unwrap_or_else(|| panic!("{hf}"));
            assert_eq!(hf_name(&g).as_deref(), Some(hf), "{hf} → {g}");
        }
        assert_eq!(ggml_name("proj_out.weight"), None);
        assert_eq!(hf_name("decoder.blocks.0.unknown.weight"), None);
    }

    #[test]
    fn gpt2_bytes_round_trip() {
        let t = byte_chars();
        assert_eq!(t[b'a' as usize], 'a');
        assert_eq!(t[b' ' as usize], 'Ġ');
        assert_eq!(t[b'\n' as usize], 'Ċ');
        let unique: std::collections::HashSet<char> = t.iter().copied().collect();
        assert_eq!(unique.len(), 256);
    }

    /// Truncated, lying and foreign files are clear errors, never a panic
    /// or an allocation of what a header claims.
    #[test]
    fn bad_ggml_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        let header = |vals: &[i32]| {
            let mut b = GGML_MAGIC.to_le_bytes().to_vec();
            vals.iter().for_each(|v| b.extend(v.to_le_bytes()));
            b
        };
        let out = dir.path().join("out");
        let whisper = [51864, 1500, 384, 6, 4, 448, 384, 6, 4, 80, 1];
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"RIFFjunk".to_vec(), "no \"ggml\" magic"),
            (header(&[51864, 1500]), "cut short"),
            (header(&[-1, 1500, 384, 6, 4, 448, 384, 6, 4, 80, 1]), "n_vocab is -1"),
            (header(&[51864, 1500, 384, 6, 4, 448, 512, 6, 4, 80, 1]), "do not describe a Whisper model"),
            ([header(&whisper), header(&[80, 201])[4..].to_vec()].concat(), "cut short in mel filters"),
            ([header(&whisper), header(&[80, 1 << 30])[4..].to_vec()].concat(), "mel filter length is 1073741824"),
        ];
        for (i, (bytes, says)) in cases.iter().enumerate() {
            let p = write(&format!("{i}.bin"), bytes);
            let e = import(&p, &out, &[]).unwrap_err().to_string();
            assert!(e.contains(says), "case {i}: {e}");
            assert!(!out.exists(), "nothing is kept from a failed import");
        }
        let e = import(dir.path(), &out, &[]).unwrap_err().to_string();
        assert!(e.contains("neither model.safetensors"), "{e}");
    }

    /// A ggml file takes the types whisper.cpp's loader checks: f32
    /// vectors and positions, f16 convolutions, matrices f16 or q8_0 (the
    /// bytes candle's quantiser makes, so whisper.cpp runs hush's values).
    #[test]
    fn ggml_files_take_whisper_cpp_types() {
        let dir = tempfile::tempdir().unwrap();
        let d = 32;
        let config = json!({"vocab_size": 51864, "max_source_positions": 8, "d_model": d, "encoder_attention_heads": 2, "encoder_layers": 1,
            "max_target_positions": 8, "decoder_attention_heads": 2, "decoder_layers": 1, "num_mel_bins": 2, "eos_token_id": 2});
        std::fs::write(dir.path().join("config.json"), config.to_string()).unwrap();
        std::fs::write(dir.path().join("tokenizer.json"), r#"{"model": {"vocab": {"a": 0, "b": 1}}}"#).unwrap();
        let ramp = |shape: &[usize]| {
            let n: usize = shape.iter().product();
            Tensor::arange(0f32, n as f32, &Device::Cpu).unwrap().affine(0.01, -1.0).unwrap().reshape(shape).unwrap().to_dtype(DType::F16).unwrap()
        };
        let tensors: HashMap<String, Tensor> = [
            ("model.decoder.embed_tokens.weight", ramp(&[4, d])),
            ("model.decoder.embed_positions.weight", ramp(&[8, d])),
            ("model.decoder.layers.0.fc1.bias", ramp(&[d])),
            ("model.encoder.conv1.weight", ramp(&[d, 2, 3])),
            ("model.encoder.conv1.bias", ramp(&[d])),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        candle_core::safetensors::save(&tensors, dir.path().join("model.safetensors")).unwrap();
        let filters = vec![0.5f32; 2 * 3];
        let write = |weights, name: &str| {
            let out = dir.path().join(name);
            write_ggml(dir.path(), &filters, 3, weights, &out).unwrap();
            std::fs::read(out).unwrap()
        };
        let ftype = |b: &[u8]| i32::from_le_bytes(b[44..48].try_into().unwrap());

        let f16 = write(GgmlWeights::AsStored, "f16.bin");
        assert_eq!(ftype(&f16), 1);
        let parsed = parse_ggml(&f16).unwrap().tensors;
        let dtype = |k: &str| parsed[k].dtype();
        assert_eq!(dtype("model.decoder.embed_tokens.weight"), DType::F16);
        assert_eq!(dtype("model.encoder.conv1.weight"), DType::F16);
        for k in ["model.decoder.embed_positions.weight", "model.decoder.layers.0.fc1.bias", "model.encoder.conv1.bias"] {
            assert_eq!(dtype(k), DType::F32, "{k}");
        }

        let q8 = write(GgmlWeights::Q8_0, "q8.bin");
        assert_eq!(ftype(&q8), 7);
        let blocks = QTensor::quantize(&tensors["model.decoder.embed_tokens.weight"].to_dtype(DType::F32).unwrap(), GgmlDType::Q8_0).unwrap();
        let blocks = blocks.data().unwrap();
        let name = b"decoder.token_embedding.weight";
        let at = q8.windows(name.len()).position(|w| w == name).expect("the matrix is there");
        assert_eq!(i32::from_le_bytes(q8[at - 12..at - 8].try_into().unwrap()), 8, "stored as ggml type q8_0");
        assert_eq!(&q8[at + name.len()..at + name.len() + blocks.len()], &blocks[..]);
        // Only that matrix changed: 4 rows of 32 f16 became one 34-byte block each.
        assert_eq!(f16.len() - q8.len(), 4 * d * 2 - blocks.len());
        assert!(parse_ggml(&q8).err().is_some_and(|e| e.contains("quantised")));
    }
}
