//! `hush understand`: speech to an intent with its slots, without acting.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::{ms, nlu, ModelArgs};

pub(crate) fn understand(files: &[PathBuf], model: &ModelArgs, intents: &nlu::IntentArgs, show: &nlu::ShowArgs) -> Result<()> {
    let understanding = intents.understanding()?;
    let (rec, _, _) = model.load()?;
    let hearing = model.hearing(understanding.matcher());
    let mut failed = 0;
    for file in files {
        let t = Instant::now();
        let audio = match hush_audio::read_wav(file, &Default::default()) {
            Ok((audio, _)) => audio,
            Err(e) => {
                eprintln!("error: {}: {e}", file.display());
                failed += 1;
                continue;
            }
        };
        let tr = hearing.hear(&rec, audio.samples()).with_context(|| format!("transcribing {}", file.display()))?.transcript;
        let heard = t.elapsed();
        if show.json {
            let mut v = nlu::parse_json(&understanding, &tr.text, show);
            v["file"] = serde_json::json!(file);
            v["timings_ms"] = serde_json::json!({"transcribe": ms(heard), "total": ms(t.elapsed())});
            println!("{v}");
        } else {
            println!("{}: \"{}\"", file.display(), tr.text.trim());
            nlu::print_parses(&understanding, &tr.text, show);
            eprintln!("  heard in {:.1} ms, understood in {:.3} ms", ms(heard), (t.elapsed() - heard).as_secs_f64() * 1e3);
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {} files could not be read", files.len());
    }
    Ok(())
}
