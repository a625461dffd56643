//! `hush transcribe`: speech to text, nothing more.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::{ms, ModelArgs};

pub(crate) fn transcribe(files: &[PathBuf], model: &ModelArgs, json: bool, limits: &hush_audio::AudioLimits) -> Result<()> {
    let (rec, load, _) = model.load()?;
    let hearing = model.builtin_hearing()?;
    let mut failed = 0;
    for file in files {
        let t = Instant::now();
        let audio = match hush_audio::read_wav(file, limits) {
            Ok((audio, _)) => audio,
            Err(e) => {
                // One bad file does not lose the others' results.
                eprintln!("error: {}: {e}", file.display());
                failed += 1;
                continue;
            }
        };
        let decode_audio = t.elapsed();
        let heard = hearing.hear(&rec, audio.samples()).with_context(|| format!("transcribing {}", file.display()))?;
        let tr = &heard.transcript;
        let total = t.elapsed();
        if json {
            let v = serde_json::json!({
                "file": file,
                "model": model.model,
                "text": tr.text,
                "heard_by": heard.by,
                "intent": heard.intent,
                "grammar_regret": heard.regret,
                "language": tr.language,
                "audio_seconds": audio.duration().as_secs_f64(),
                "encoder_frames": tr.encoder_frames,
                "stop": tr.stop,
                "avg_logprob": tr.avg_logprob,
                "no_speech_prob": tr.no_speech_prob,
                "timings_ms": {
                    "load": ms(load),
                    "decode_audio": ms(decode_audio),
                    "mel": ms(tr.timings.mel),
                    "encode": ms(tr.timings.encode),
                    "decode": ms(tr.timings.decode),
                    "total": ms(total),
                },
            });
            println!("{v}");
        } else {
            println!("{}: {}", file.display(), tr.text);
            eprintln!(
                "  load {:.1} ms | audio {:.1} ms | mel {:.1} ms | encode {:.1} ms | decode {:.1} ms ({} steps) | {:.2} s of audio",
                ms(load),
                ms(decode_audio),
                ms(tr.timings.mel),
                ms(tr.timings.encode),
                ms(tr.timings.decode),
                tr.timings.decode_steps,
                audio.duration().as_secs_f64()
            );
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {} files could not be read", files.len());
    }
    Ok(())
}
