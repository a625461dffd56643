//! CTranslate2 Whisper import: `model.bin` (binary version 6) → Hugging
//! Face–named `model.safetensors` + `config.json`.
//!
//! The CT2 file is: u32 version, string spec name, u32 spec revision, u32
//! variable count, then per variable a name, u8 rank, u32 dims, u8 dtype, u32
//! byte count and the raw data; then u32 alias count and (alias, target)
//! pairs. Strings are a u16 length followed by that many bytes, the last a NUL.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use indicatif::{ProgressBar, ProgressStyle};

use crate::{io_err, ModelError};

/// A variable of a CTranslate2 model, its data borrowed from the file.
#[derive(Debug, Clone)]
pub struct Variable<'a> {
    pub dims: Vec<usize>,
    pub dtype: Ct2DType,
    pub data: &'a [u8],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ct2DType {
    F32,
    I8,
    I16,
    I32,
    F16,
    Bf16,
}

impl Ct2DType {
    fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => Self::F32,
            1 => Self::I8,
            2 => Self::I16,
            3 => Self::I32,
            4 => Self::F16,
            5 => Self::Bf16,
            _ => return None,
        })
    }

    fn size(self) -> usize {
        match self {
            Self::I8 => 1,
            Self::I16 | Self::F16 | Self::Bf16 => 2,
            Self::F32 | Self::I32 => 4,
        }
    }
}

/// A parsed CTranslate2 model file.
#[derive(Debug)]
pub struct Ct2Model<'a> {
    pub spec: String,
    pub revision: u32,
    pub variables: BTreeMap<String, Variable<'a>>,
}

/// Whisper's tensors have at most three dimensions.
const MAX_RANK: usize = 4;

struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.buf.len())
            .ok_or_else(|| format!("truncated: wanted {n} bytes at offset {} of {}", self.pos, self.buf.len()))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().expect("2 bytes")))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    fn string(&mut self) -> Result<String, String> {
        let n = self.u16()? as usize;
        let bytes = self.take(n)?;
        let bytes = bytes.strip_suffix(&[0]).unwrap_or(bytes);
        String::from_utf8(bytes.to_vec()).map_err(|_| "a name is not UTF-8".to_owned())
    }
}

impl<'a> Ct2Model<'a> {
    /// Parses a model file held in memory. Aliases become extra entries
    /// pointing at the same data.
    pub fn parse(buf: &'a [u8]) -> Result<Self, String> {
        let mut c = Cursor { buf, pos: 0 };
        let version = c.u32()?;
        if !(4..=6).contains(&version) {
            return Err(format!("binary version {version} is not supported (4 to 6 are)"));
        }
        let spec = c.string()?;
        let revision = c.u32()?;
        let count = c.u32()?;
        let mut variables = BTreeMap::new();
        for _ in 0..count {
            let name = c.string()?;
            let rank = c.u8()? as usize;
            if rank > MAX_RANK {
                return Err(format!("{name}: rank {rank} (at most {MAX_RANK})"));
            }
            let dims = (0..rank).map(|_| c.u32().map(|d| d as usize)).collect::<Result<Vec<_>, _>>()?;
            let code = c.u8()?;
            let dtype = Ct2DType::from_code(code).ok_or_else(|| format!("{name}: unknown dtype code {code}"))?;
            let bytes = c.u32()? as usize;
            let size = dims.iter().try_fold(dtype.size(), |n, &d| n.checked_mul(d));
            if size != Some(bytes) {
                return Err(format!("{name}: {bytes} bytes do not hold {dims:?} of {dtype:?}"));
            }
            let data = c.take(bytes)?;
            variables.insert(name, Variable { dims, dtype, data });
        }
        let aliases = c.u32()?;
        for _ in 0..aliases {
            let alias = c.string()?;
            let target = c.string()?;
            let v = variables.get(&target).cloned().ok_or_else(|| format!("alias {alias} → missing {target}"))?;
            variables.insert(alias, v);
        }
        if c.pos != buf.len() {
            return Err(format!("{} trailing bytes", buf.len() - c.pos));
        }
        Ok(Self { spec, revision, variables })
    }

    fn get(&self, name: &str) -> Result<&Variable<'a>, String> {
        self.variables.get(name).ok_or_else(|| format!("missing variable {name}"))
    }

    fn tensor(&self, name: &str) -> Result<Tensor, String> {
        let v = self.get(name)?;
        let dtype = match v.dtype {
            Ct2DType::F32 => DType::F32,
            Ct2DType::F16 => DType::F16,
            Ct2DType::Bf16 => DType::BF16,
            other => return Err(format!("{name}: {other:?} weights (int8 models) are not supported; use a float16 model")),
        };
        Tensor::from_raw_buffer(v.data, dtype, &v.dims, &Device::Cpu).map_err(|e| format!("{name}: {e}"))
    }

    fn scalar_i64(&self, name: &str) -> Result<i64, String> {
        let v = self.get(name)?;
        let bytes = |n: usize| v.data.get(..n).ok_or_else(|| format!("{name}: an empty scalar"));
        Ok(match v.dtype {
            Ct2DType::I8 => bytes(1)?[0] as i8 as i64,
            Ct2DType::I16 => i16::from_le_bytes([bytes(2)?[0], bytes(2)?[1]]) as i64,
            Ct2DType::I32 => i32::from_le_bytes(bytes(4)?.try_into().map_err(|_| format!("{name}: 4 bytes"))?) as i64,
            other => return Err(format!("{name}: expected an integer scalar, found {other:?}")),
        })
    }

    /// Dimension `i` of variable `name`.
    fn dim(&self, name: &str, i: usize) -> Result<usize, String> {
        let v = self.get(name)?;
        v.dims.get(i).copied().ok_or_else(|| format!("{name}: no dimension {i} in {:?}", v.dims))
    }

    fn count_layers(&self, prefix: &str) -> usize {
        (0..).take_while(|i| self.variables.keys().any(|k| k.starts_with(&format!("{prefix}/layer_{i}/")))).count()
    }
}

/// Parses and converts a model file held in memory, writing nothing: the
/// number of tensors it would give. For the fuzzer (`fuzz/`).
pub fn convert_bytes(bytes: &[u8]) -> Result<usize, String> {
    let model = Ct2Model::parse(bytes)?;
    convert(&model, &serde_json::Value::Null).map(|(t, _)| t.len())
}

/// What an import produced.
#[derive(Debug)]
pub struct ImportReport {
    pub weights: PathBuf,
    /// Every file written, the weights included.
    pub files: Vec<PathBuf>,
    pub tensors: usize,
    pub parameters: usize,
}

/// Converts a CTranslate2 Whisper folder (`model.bin`, `config.json`,
/// `tokenizer.json`) into `out_dir`.
pub fn import_whisper(src_dir: &Path, out_dir: &Path, progress: bool) -> Result<ImportReport, ModelError> {
    let bin = src_dir.join("model.bin");
    let bytes = std::fs::read(&bin).map_err(io_err(&bin))?;
    let bad = |detail: String| ModelError::Ct2 { path: bin.clone(), detail };
    let model = Ct2Model::parse(&bytes).map_err(bad)?;
    if model.spec != "WhisperSpec" {
        return Err(bad(format!("spec {} is not WhisperSpec", model.spec)));
    }
    // CTranslate2's own config only adds token lists; without it they are empty.
    let ct2_config = std::fs::read_to_string(src_dir.join("config.json")).ok().and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
    let (tensors, config) = convert(&model, &ct2_config).map_err(bad)?;

    std::fs::create_dir_all(out_dir).map_err(io_err(out_dir))?;
    let bar = if progress { ProgressBar::new(tensors.len() as u64) } else { ProgressBar::hidden() };
    bar.set_style(ProgressStyle::with_template("{msg:>24} [{bar:30}] {pos}/{len} tensors").expect("static").progress_chars("=> "));
    bar.set_message("write safetensors");
    let parameters = tensors.values().map(|t| t.elem_count()).sum();
    let weights = out_dir.join("model.safetensors");
    let tmp = out_dir.join("model.safetensors.partial");
    candle_core::safetensors::save(&tensors, &tmp)?;
    bar.set_position(tensors.len() as u64);
    std::fs::rename(&tmp, &weights).map_err(io_err(&weights))?;
    let config_path = out_dir.join("config.json");
    std::fs::write(&config_path, serde_json::to_string_pretty(&config).expect("json")).map_err(io_err(&config_path))?;
    let tok_src = src_dir.join("tokenizer.json");
    let tok_dst = out_dir.join("tokenizer.json");
    std::fs::copy(&tok_src, &tok_dst).map_err(io_err(&tok_src))?;
    bar.finish_and_clear();
    Ok(ImportReport { files: vec![weights.clone(), config_path, tok_dst], weights, tensors: tensors.len(), parameters })
}

/// Renames, splits and checks the variables; builds the HF config.
fn convert(model: &Ct2Model, ct2: &serde_json::Value) -> Result<(HashMap<String, Tensor>, serde_json::Value), String> {
    let mut out = HashMap::new();
    let mut put = |name: String, t: Tensor| {
        out.insert(name, t);
    };
    let emb = model.tensor("decoder/embeddings/weight")?;
    let (vocab, d) = emb.dims2().map_err(|e| e.to_string())?;
    let mels = model.dim("encoder/conv1/weight", 1)?;
    let enc_layers = model.count_layers("encoder");
    let dec_layers = model.count_layers("decoder");
    if enc_layers == 0 || dec_layers == 0 {
        return Err("no encoder or decoder layers".into());
    }
    let split = |t: Tensor, parts: usize| -> Result<Vec<Tensor>, String> {
        let n = *t.dims().first().ok_or_else(|| "a fused tensor without dimensions".to_string())?;
        if !n.is_multiple_of(parts) || n / parts != d {
            return Err(format!("fused tensor of {n} rows does not split into {parts} × {d}"));
        }
        (0..parts).map(|i| t.narrow(0, i * d, d).and_then(|t| t.contiguous()).map_err(|e| e.to_string())).collect()
    };
    let ln = |src: &str, dst: &str, put: &mut dyn FnMut(String, Tensor)| -> Result<(), String> {
        put(format!("{dst}.weight"), model.tensor(&format!("{src}/gamma"))?);
        put(format!("{dst}.bias"), model.tensor(&format!("{src}/beta"))?);
        Ok(())
    };
    let linear = |src: &str, dst: &str, put: &mut dyn FnMut(String, Tensor)| -> Result<(), String> {
        put(format!("{dst}.weight"), model.tensor(&format!("{src}/weight"))?);
        put(format!("{dst}.bias"), model.tensor(&format!("{src}/bias"))?);
        Ok(())
    };
    // Self-attention: fused q|k|v; the k bias is all zeros in Whisper and
    // the HF/candle k_proj has none, so it is dropped.
    let self_attn = |src: &str, dst: &str, put: &mut dyn FnMut(String, Tensor)| -> Result<(), String> {
        let w = split(model.tensor(&format!("{src}/linear_0/weight"))?, 3)?;
        let b = split(model.tensor(&format!("{src}/linear_0/bias"))?.unsqueeze(1).map_err(|e| e.to_string())?, 3)?;
        let b: Vec<Tensor> = b.into_iter().map(|t| t.squeeze(1).map_err(|e| e.to_string())).collect::<Result<_, _>>()?;
        let mut w = w.into_iter();
        put(format!("{dst}.q_proj.weight"), w.next().expect("3"));
        put(format!("{dst}.k_proj.weight"), w.next().expect("3"));
        put(format!("{dst}.v_proj.weight"), w.next().expect("3"));
        put(format!("{dst}.q_proj.bias"), b[0].clone());
        put(format!("{dst}.v_proj.bias"), b[2].clone());
        linear(&format!("{src}/linear_1"), &format!("{dst}.out_proj"), put)?;
        ln(&format!("{src}/layer_norm"), &format!("{dst}_layer_norm"), put)
    };
    let ffn = |src: &str, dst: &str, put: &mut dyn FnMut(String, Tensor)| -> Result<(), String> {
        linear(&format!("{src}/linear_0"), &format!("{dst}.fc1"), put)?;
        linear(&format!("{src}/linear_1"), &format!("{dst}.fc2"), put)?;
        ln(&format!("{src}/layer_norm"), &format!("{dst}.final_layer_norm"), put)
    };

    linear("encoder/conv1", "model.encoder.conv1", &mut put)?;
    linear("encoder/conv2", "model.encoder.conv2", &mut put)?;
    put("model.encoder.embed_positions.weight".into(), model.tensor("encoder/position_encodings/encodings")?);
    for i in 0..enc_layers {
        let (s, t) = (format!("encoder/layer_{i}"), format!("model.encoder.layers.{i}"));
        self_attn(&format!("{s}/self_attention"), &format!("{t}.self_attn"), &mut put)?;
        ffn(&format!("{s}/ffn"), &t, &mut put)?;
    }
    ln("encoder/layer_norm", "model.encoder.layer_norm", &mut put)?;

    put("model.decoder.embed_tokens.weight".into(), emb);
    put("model.decoder.embed_positions.weight".into(), model.tensor("decoder/position_encodings/encodings")?);
    for i in 0..dec_layers {
        let (s, t) = (format!("decoder/layer_{i}"), format!("model.decoder.layers.{i}"));
        self_attn(&format!("{s}/self_attention"), &format!("{t}.self_attn"), &mut put)?;
        // Cross-attention: q alone, then fused k|v (k again without bias).
        let a = format!("{s}/attention");
        linear(&format!("{a}/linear_0"), &format!("{t}.encoder_attn.q_proj"), &mut put)?;
        let kv = split(model.tensor(&format!("{a}/linear_1/weight"))?, 2)?;
        let kv_b = model.tensor(&format!("{a}/linear_1/bias"))?;
        put(format!("{t}.encoder_attn.k_proj.weight"), kv[0].clone());
        put(format!("{t}.encoder_attn.v_proj.weight"), kv[1].clone());
        put(format!("{t}.encoder_attn.v_proj.bias"), kv_b.narrow(0, d, d).and_then(|t| t.contiguous()).map_err(|e| e.to_string())?);
        linear(&format!("{a}/linear_2"), &format!("{t}.encoder_attn.out_proj"), &mut put)?;
        ln(&format!("{a}/layer_norm"), &format!("{t}.encoder_attn_layer_norm"), &mut put)?;
        ffn(&format!("{s}/ffn"), &t, &mut put)?;
    }
    ln("decoder/layer_norm", "model.decoder.layer_norm", &mut put)?;

    let heads = model.scalar_i64("encoder/num_heads")?;
    let dec_heads = model.scalar_i64("decoder/num_heads")?;
    let ffn_dim = model.dim("encoder/layer_0/ffn/linear_0/weight", 0)?;
    let max_source = model.dim("encoder/position_encodings/encodings", 0)?;
    let max_target = model.dim("decoder/position_encodings/encodings", 0)?;
    let config = serde_json::json!({
        "model_type": "whisper",
        "architectures": ["WhisperForConditionalGeneration"],
        "d_model": d,
        "encoder_layers": enc_layers,
        "decoder_layers": dec_layers,
        "encoder_attention_heads": heads,
        "decoder_attention_heads": dec_heads,
        "encoder_ffn_dim": ffn_dim,
        "decoder_ffn_dim": ffn_dim,
        "num_mel_bins": mels,
        "vocab_size": vocab,
        "max_source_positions": max_source,
        "max_target_positions": max_target,
        "activation_function": "gelu",
        "scale_embedding": false,
        "tie_word_embeddings": true,
        "bos_token_id": 50257,
        "decoder_start_token_id": 50257,
        "eos_token_id": 50256,
        "pad_token_id": 50256,
        "suppress_tokens": ct2.get("suppress_ids").cloned().unwrap_or_default(),
        "begin_suppress_tokens": ct2.get("suppress_ids_begin").cloned().unwrap_or(serde_json::json!([220, 50256])),
        "lang_ids": ct2.get("lang_ids").cloned().unwrap_or_default(),
        "torch_dtype": "float16",
        "hush_source": format!("ctranslate2 {} rev {}", model.spec, model.revision),
    });
    Ok((out, config))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a CT2 binary with the given variables (all f16 unless scalar).
    fn ct2_bytes(vars: &[(&str, Vec<usize>, u8, Vec<u8>)], aliases: &[(&str, &str)]) -> Vec<u8> {
        let mut b = Vec::new();
        let s = |b: &mut Vec<u8>, x: &str| {
            b.extend(((x.len() + 1) as u16).to_le_bytes());
            b.extend(x.as_bytes());
            b.push(0);
        };
        b.extend(6u32.to_le_bytes());
        s(&mut b, "WhisperSpec");
        b.extend(3u32.to_le_bytes());
        b.extend((vars.len() as u32).to_le_bytes());
        for (name, dims, code, data) in vars {
            s(&mut b, name);
            b.push(dims.len() as u8);
            for d in dims {
                b.extend((*d as u32).to_le_bytes());
            }
            b.push(*code);
            b.extend((data.len() as u32).to_le_bytes());
            b.extend(data);
        }
        b.extend((aliases.len() as u32).to_le_bytes());
        for (a, t) in aliases {
            s(&mut b, a);
            s(&mut b, t);
        }
        b
    }

    fn f16s(values: &[f32]) -> Vec<u8> {
        values.iter().flat_map(|v| half_bits(*v).to_le_bytes()).collect()
    }

    fn half_bits(v: f32) -> u16 {
        Tensor::new(&[v], &Device::Cpu).unwrap().to_dtype(DType::F16).unwrap().to_vec1::<half::f16>().unwrap()[0].to_bits()
    }

    /// A variable: name, dims, dtype code, bytes.
    type Var = (String, Vec<usize>, u8, Vec<u8>);

    /// A whole (tiny, d=2, 1+1 layers, vocab 3) Whisper in CT2 form.
    fn toy_model() -> Vec<u8> {
        bytes_of(&toy_vars())
    }

    fn bytes_of(vars: &[Var]) -> Vec<u8> {
        let refs: Vec<_> = vars.iter().map(|(n, d, c, b)| (n.as_str(), d.clone(), *c, b.clone())).collect();
        ct2_bytes(&refs, &[("decoder/projection/weight", "decoder/embeddings/weight")])
    }

    fn toy_vars() -> Vec<Var> {
        let d = 2;
        let mut vars: Vec<Var> = Vec::new();
        let mut counter = 0.0f32;
        let mut t = |name: &str, dims: Vec<usize>| {
            let n: usize = dims.iter().product();
            let vals: Vec<f32> = (0..n).map(|i| counter + i as f32).collect();
            counter += 100.0;
            (name.to_owned(), dims, 4u8, f16s(&vals))
        };
        let attn = |p: &str, t: &mut dyn FnMut(&str, Vec<usize>) -> Var| {
            vec![
                t(&format!("{p}/layer_norm/gamma"), vec![d]),
                t(&format!("{p}/layer_norm/beta"), vec![d]),
                t(&format!("{p}/linear_0/weight"), vec![3 * d, d]),
                t(&format!("{p}/linear_0/bias"), vec![3 * d]),
                t(&format!("{p}/linear_1/weight"), vec![d, d]),
                t(&format!("{p}/linear_1/bias"), vec![d]),
            ]
        };
        let ffn = |p: &str, t: &mut dyn FnMut(&str, Vec<usize>) -> Var| {
            vec![
                t(&format!("{p}/layer_norm/gamma"), vec![d]),
                t(&format!("{p}/layer_norm/beta"), vec![d]),
                t(&format!("{p}/linear_0/weight"), vec![4 * d, d]),
                t(&format!("{p}/linear_0/bias"), vec![4 * d]),
                t(&format!("{p}/linear_1/weight"), vec![d, 4 * d]),
                t(&format!("{p}/linear_1/bias"), vec![d]),
            ]
        };
        vars.push(t("decoder/embeddings/weight", vec![3, d]));
        vars.push(t("decoder/position_encodings/encodings", vec![4, d]));
        vars.extend(attn("decoder/layer_0/self_attention", &mut t));
        vars.push(t("decoder/layer_0/attention/layer_norm/gamma", vec![d]));
        vars.push(t("decoder/layer_0/attention/layer_norm/beta", vec![d]));
        vars.push(t("decoder/layer_0/attention/linear_0/weight", vec![d, d]));
        vars.push(t("decoder/layer_0/attention/linear_0/bias", vec![d]));
        vars.push(t("decoder/layer_0/attention/linear_1/weight", vec![2 * d, d]));
        vars.push(t("decoder/layer_0/attention/linear_1/bias", vec![2 * d]));
        vars.push(t("decoder/layer_0/attention/linear_2/weight", vec![d, d]));
        vars.push(t("decoder/layer_0/attention/linear_2/bias", vec![d]));
        vars.extend(ffn("decoder/layer_0/ffn", &mut t));
        vars.push(t("decoder/layer_norm/gamma", vec![d]));
        vars.push(t("decoder/layer_norm/beta", vec![d]));
        vars.push(t("encoder/conv1/weight", vec![d, 5, 3]));
        vars.push(t("encoder/conv1/bias", vec![d]));
        vars.push(t("encoder/conv2/weight", vec![d, d, 3]));
        vars.push(t("encoder/conv2/bias", vec![d]));
        vars.push(t("encoder/position_encodings/encodings", vec![6, d]));
        vars.extend(attn("encoder/layer_0/self_attention", &mut t));
        vars.extend(ffn("encoder/layer_0/ffn", &mut t));
        vars.push(t("encoder/layer_norm/gamma", vec![d]));
        vars.push(t("encoder/layer_norm/beta", vec![d]));
        vars.push(("encoder/num_heads".into(), vec![], 2, 1i16.to_le_bytes().to_vec()));
        vars.push(("decoder/num_heads".into(), vec![], 2, 1i16.to_le_bytes().to_vec()));
        vars
    }

    /// Crafted files of issue 19: each a typed error, no panic.
    #[test]
    fn crafted_files_are_errors_not_panics() {
        let with = |name: &str, dims: Vec<usize>, data: Vec<u8>| {
            let mut vars = toy_vars();
            let v = vars.iter_mut().find(|v| v.0 == name).unwrap();
            (v.1, v.3) = (dims, data);
            bytes_of(&vars)
        };
        let cases = [
            ("conv1 of rank 1", with("encoder/conv1/weight", vec![2], f16s(&[0.0; 2])), "no dimension 1"),
            ("an empty scalar", with("encoder/num_heads", vec![0], vec![]), "empty scalar"),
            ("dimensions that overflow", with("encoder/conv1/bias", vec![u32::MAX as usize; 3], vec![]), "do not hold"),
            ("a position table of rank 0", with("decoder/position_encodings/encodings", vec![], f16s(&[0.0])), "encodings"),
        ];
        for (what, bytes, says) in cases {
            let err = convert_bytes(&bytes).unwrap_err();
            assert!(err.contains(says), "{what}: {err}");
        }
        let mut deep = toy_model();
        // The first variable's rank byte, after version, spec, revision,
        // count and its name.
        let at = 4 + 2 + "WhisperSpec".len() + 1 + 4 + 4 + 2 + "decoder/embeddings/weight".len() + 1;
        deep[at] = 200;
        assert!(Ct2Model::parse(&deep).unwrap_err().contains("rank 200"));
    }

    #[test]
    fn converts_names_splits_and_config() {
        let bytes = toy_model();
        let model = Ct2Model::parse(&bytes).unwrap();
        assert_eq!(model.spec, "WhisperSpec");
        assert!(model.variables.contains_key("decoder/projection/weight"));
        let (t, config) = convert(&model, &serde_json::Value::Null).unwrap();
        let get = |n: &str| t[n].to_dtype(DType::F32).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
        // linear_0 of the decoder self-attention: q rows 0..2, k 2..4, v 4..6.
        let fused = get("model.decoder.layers.0.self_attn.q_proj.weight");
        let k = get("model.decoder.layers.0.self_attn.k_proj.weight");
        let v = get("model.decoder.layers.0.self_attn.v_proj.weight");
        assert_eq!(k[0] - fused[0], 4.0);
        assert_eq!(v[0] - fused[0], 8.0);
        assert!(!t.contains_key("model.decoder.layers.0.self_attn.k_proj.bias"));
        assert_eq!(get("model.decoder.layers.0.self_attn.v_proj.bias").len(), 2);
        // Cross-attention k|v: v bias is the second half.
        let kv_b = get("model.decoder.layers.0.encoder_attn.v_proj.bias");
        assert_eq!(kv_b.len(), 2);
        assert_eq!(kv_b[1] - kv_b[0], 1.0);
        assert_eq!(t["model.encoder.conv1.weight"].dims(), &[2, 5, 3]);
        assert_eq!(config["num_mel_bins"], 5);
        assert_eq!(config["vocab_size"], 3);
        assert_eq!(config["encoder_layers"], 1);
        assert_eq!(config["encoder_attention_heads"], 1);
    }

    #[test]
    fn corrupt_files_are_errors() {
        let bytes = toy_model();
        for cut in [0, 3, 10, 100, bytes.len() / 2, bytes.len() - 1] {
            assert!(Ct2Model::parse(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert!(Ct2Model::parse(&trailing).is_err());
        let mut version = bytes.clone();
        version[0] = 99;
        assert!(Ct2Model::parse(&version).unwrap_err().contains("version"));
    }
}
