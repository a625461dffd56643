//! `hush understand`: speech to an intent with its slots, without acting.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::{ms, nlu, ModelArgs};

pub(crate) fn understand(files: &[PathBuf], model: &ModelArgs, intents: &nlu::IntentArgs, show: &nlu::ShowArgs) -> Result<()> {
    let understanding = intents.heard_in(model.language.as_deref(), &model.languages).understanding()?;
    let (rec, _, _) = model.load()?;
    let hearing = model.hearing(understanding.matcher());
    let mut failed = 0;
    for file in files {
        let t = Instant::now();
        let audio = match hush_audio::read_wav(file, &Default::default()) {
            Ok((audio, _)) => audio,
            Err(e) => {
                if show.json {
                    let mut v = hush::json::error(&e);
                    v["input"] = serde_json::json!(file);
                    println!("{v}");
                }
                eprintln!("error: {}: {e}", file.display());
                failed += 1;
                continue;
            }
        };
        let audio_time = t.elapsed();
        let heard = hearing.hear(&rec, audio.samples()).with_context(|| format!("transcribing {}", file.display()))?;
        let tr = heard.transcript;
        let heard_in = t.elapsed();
        if show.json {
            let timings = hush::parts::TurnTimings { audio: audio_time, asr: heard_in - audio_time, total: heard_in, ..Default::default() };
            let mut v = nlu::parse_json(&understanding, &tr.text, show, Some(heard.by), timings);
            v["input"] = serde_json::json!(file);
            println!("{v}");
        } else {
            println!("{}: \"{}\"", file.display(), tr.text.trim());
            nlu::print_parses(&understanding, &tr.text, show);
            eprintln!("  heard in {:.1} ms, understood in {:.3} ms", ms(heard_in), (t.elapsed() - heard_in).as_secs_f64() * 1e3);
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {} files could not be read", files.len());
    }
    Ok(())
}
