//! Safetensors → GGUF with candle's quantiser.
//!
//! Linear and token-embedding weights take the requested type. K-quants
//! (`q4_k`, ...) need rows that are a multiple of 256; where a row is not
//! (Whisper tiny is 384 wide) that tensor falls back to the legacy type of
//! the same width (`q4_k` → `q4_0`), and the report says so. Convolutions
//! are stored f16; biases, norms and positions f32. The encoder's sinusoidal
//! positions are not stored: the model computes them.

use std::path::{Path, PathBuf};

use candle_core::quantized::{gguf_file, GgmlDType, QTensor};
use candle_core::{DType, Device};
use indicatif::{ProgressBar, ProgressStyle};

use crate::{io_err, ModelError};

/// What a quantisation produced.
#[derive(Debug)]
pub struct QuantizeReport {
    pub path: PathBuf,
    pub bytes: u64,
    pub quantized: usize,
    pub kept: usize,
    /// Tensors that took a fallback type, with that type.
    pub fallbacks: Vec<(String, String)>,
}

/// Parses `q8_0`, `q4_k`, ... (the suffixes of model ids).
pub fn parse_type(name: &str) -> Result<GgmlDType, ModelError> {
    Ok(match name {
        "q8_0" => GgmlDType::Q8_0,
        "q5_0" => GgmlDType::Q5_0,
        "q5_1" => GgmlDType::Q5_1,
        "q4_0" => GgmlDType::Q4_0,
        "q4_1" => GgmlDType::Q4_1,
        "q4_k" => GgmlDType::Q4K,
        "q5_k" => GgmlDType::Q5K,
        "q6_k" => GgmlDType::Q6K,
        other => return Err(ModelError::Quantize(format!("unknown type '{other}' (use one of {})", crate::cache::QUANT_SUFFIXES.join(", ")))),
    })
}

fn fallback(t: GgmlDType) -> GgmlDType {
    match t {
        GgmlDType::Q4K => GgmlDType::Q4_0,
        GgmlDType::Q5K => GgmlDType::Q5_0,
        _ => GgmlDType::Q8_0,
    }
}

/// Writes `model-{qtype}.gguf` next to `model.safetensors` in `model_dir`.
pub fn quantize_model(model_dir: &Path, qtype: &str, progress: bool) -> Result<QuantizeReport, ModelError> {
    let dtype = parse_type(qtype)?;
    let src = model_dir.join("model.safetensors");
    if !src.is_file() {
        return Err(ModelError::Quantize(format!("{} is missing: import the model first", src.display())));
    }
    let config_path = model_dir.join("config.json");
    let config = std::fs::read_to_string(&config_path).map_err(io_err(&config_path))?;
    let tensors = candle_core::safetensors::load(&src, &Device::Cpu)?;
    let mut names: Vec<&String> = tensors.keys().collect();
    names.sort();

    let bar = if progress { ProgressBar::new(names.len() as u64) } else { ProgressBar::hidden() };
    bar.set_style(ProgressStyle::with_template("{msg:>24} [{bar:30}] {pos}/{len} tensors").expect("static").progress_chars("=> "));
    bar.set_message(format!("quantise {qtype}"));
    let mut out: Vec<(String, QTensor)> = Vec::new();
    let (mut quantized, mut kept, mut fallbacks) = (0, 0, Vec::new());
    for name in names {
        bar.inc(1);
        if name == "model.encoder.embed_positions.weight" {
            continue;
        }
        let t = tensors[name].to_dtype(DType::F32)?;
        let is_matrix = t.rank() == 2 && name.ends_with(".weight") && !name.contains("embed_positions");
        let target = if is_matrix {
            let cols = t.dims()[1];
            if cols % dtype.block_size() == 0 {
                dtype
            } else if cols % fallback(dtype).block_size() == 0 {
                fallbacks.push((name.clone(), format!("{:?}", fallback(dtype))));
                fallback(dtype)
            } else {
                GgmlDType::F16
            }
        } else if t.rank() == 3 {
            GgmlDType::F16
        } else {
            GgmlDType::F32
        };
        if is_matrix {
            quantized += 1;
        } else {
            kept += 1;
        }
        out.push((name.clone(), QTensor::quantize(&t, target)?));
    }
    bar.finish_and_clear();

    let path = model_dir.join(format!("model-{qtype}.gguf"));
    let tmp = model_dir.join(format!("model-{qtype}.gguf.partial"));
    let arch = gguf_file::Value::String("whisper".into());
    let qname = gguf_file::Value::String(qtype.into());
    let cfg = gguf_file::Value::String(config);
    let metadata = [("general.architecture", &arch), ("hush.quantization", &qname), ("hush.config", &cfg)];
    let refs: Vec<(&str, &QTensor)> = out.iter().map(|(n, t)| (n.as_str(), t)).collect();
    let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp).map_err(io_err(&tmp))?);
    gguf_file::write(&mut file, &metadata, &refs)?;
    drop(file);
    std::fs::rename(&tmp, &path).map_err(io_err(&path))?;
    crate::integrity::record(&path)?;
    let bytes = std::fs::metadata(&path).map_err(io_err(&path))?.len();
    Ok(QuantizeReport { path, bytes, quantized, kept, fallbacks })
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Tensor;
    use std::collections::HashMap;

    #[test]
    fn writes_gguf_with_fallback_for_narrow_rows() {
        let dir = std::env::temp_dir().join(format!("hush-quant-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let dev = Device::Cpu;
        let mut t = HashMap::new();
        t.insert("a.fc1.weight".to_owned(), Tensor::randn(0f32, 1.0, (8, 512), &dev).unwrap());
        t.insert("a.fc2.weight".to_owned(), Tensor::randn(0f32, 1.0, (8, 384), &dev).unwrap());
        t.insert("a.fc1.bias".to_owned(), Tensor::randn(0f32, 1.0, 8, &dev).unwrap());
        t.insert("conv.weight".to_owned(), Tensor::randn(0f32, 1.0, (4, 2, 3), &dev).unwrap());
        t.insert("model.encoder.embed_positions.weight".to_owned(), Tensor::zeros((4, 4), DType::F32, &dev).unwrap());
        candle_core::safetensors::save(&t, dir.join("model.safetensors")).unwrap();
        std::fs::write(dir.join("config.json"), "{}").unwrap();
        let report = quantize_model(&dir, "q4_k", false).unwrap();
        assert_eq!(report.quantized, 2);
        assert_eq!(report.fallbacks, vec![("a.fc2.weight".to_owned(), "Q4_0".to_owned())]);
        let mut f = std::fs::File::open(&report.path).unwrap();
        let content = gguf_file::Content::read(&mut f).unwrap();
        assert_eq!(content.tensor_infos["a.fc1.weight"].ggml_dtype, GgmlDType::Q4K);
        assert_eq!(content.tensor_infos["a.fc2.weight"].ggml_dtype, GgmlDType::Q4_0);
        assert_eq!(content.tensor_infos["conv.weight"].ggml_dtype, GgmlDType::F16);
        assert!(!content.tensor_infos.contains_key("model.encoder.embed_positions.weight"));
        let w = content.tensor(&mut f, "a.fc1.weight", &dev).unwrap().dequantize(&dev).unwrap();
        let err = (w - &t["a.fc1.weight"]).unwrap().abs().unwrap().mean_all().unwrap().to_scalar::<f32>().unwrap();
        assert!(err < 0.1, "mean abs error {err}");
        assert!(matches!(parse_type("q3_x"), Err(ModelError::Quantize(_))));
        assert!(quantize_model(&dir.join("nope"), "q8_0", false).is_err());
    }
}
