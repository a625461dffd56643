//! Reading audio that should start with a phrase (a wake phrase): the
//! phrase scored, and what follows it transcribed, in one pass.

use std::time::Instant;

use crate::mel::HOP;
use crate::model::{prob_of, top_masked, DecoderState};
use crate::transcript::Decoded;
use crate::{AsrError, DecodeOptions, Recognizer, Timings, Transcript, Unguided, WINDOW_FRAMES};

/// What [`Recognizer::read_after_phrase`] found.
#[derive(Debug, Clone)]
pub struct PhraseReading {
    /// `[context][phrase][token]` log-probabilities.
    pub scores: Vec<Vec<Vec<f32>>>,
    /// Log-probabilities of the tokens Whisper itself writes first, with
    /// no context, greedily: as many as the first phrase has (when asked
    /// for; empty otherwise). What the phrase is weighed against when the
    /// audio says something like it ("hey josh").
    pub own: Vec<f32>,
    /// What follows the phrase, when it was accepted.
    pub transcript: Option<Transcript>,
}

impl Recognizer {
    /// Reads audio that should start with a phrase (a wake phrase, say)
    /// in one pass: scores the phrase, and only if `accept` agrees,
    /// transcribes what follows it. `accept` sees the scores after each
    /// context, and [`PhraseReading::own`] if `own_too`, and answers
    /// `Some(yes or no)` or `None` (read the next context first; `None`
    /// after the last is a no), so a clear case costs one context.
    ///
    /// The scores are the log-probability of each of the phrase's tokens,
    /// teacher-forced right after the prompt, indexed
    /// `[context][phrase][token]`: each context is text given to Whisper as
    /// said before (its prompt; "" for none), which primes it to hear words
    /// it would otherwise miss. The transcript continues, without a
    /// context, after the phrase that scored best there; it does not
    /// include the phrase. Audio of at most one 30 s window.
    pub fn read_after_phrase(
        &self,
        samples: &[f32],
        phrases: &[&str],
        contexts: &[&str],
        own_too: bool,
        mut accept: impl FnMut(&[Vec<Vec<f32>>], &[f32]) -> Option<bool> + Send,
    ) -> Result<PhraseReading, AsrError> {
        if samples.is_empty() {
            return Err(AsrError::EmptyAudio);
        }
        if phrases.is_empty() || contexts.is_empty() {
            return Err(AsrError::Inference("a phrase reading needs a phrase and a context".into()));
        }
        self.pool.install(|| {
            let opts = DecodeOptions { language: Some("en".into()), ..self.params.decode.clone() };
            let mut timings = Timings::default();
            let window = samples.len().min(WINDOW_FRAMES * HOP);
            let (audio, frames) = self.encode(&samples[..window], opts.trim, &mut timings)?;
            let t = Instant::now();
            let ids: Vec<Vec<u32>> = phrases.iter().map(|p| self.tokenizer.encode(&format!(" {}", p.trim()))).collect::<Result<_, _>>()?;
            let mut scores = Vec::with_capacity(contexts.len());
            // After each phrase, in the first context: where a transcript goes on.
            let mut after: Vec<(DecoderState, Vec<f32>, usize)> = Vec::new();
            let mut accepted = false;
            let mut own = Vec::new();
            for (c, context) in contexts.iter().enumerate() {
                let begun = self.begin(&audio, &opts, context)?;
                if c == 0 && own_too {
                    own = self.own_start(&begun.state, &begun.logits, ids[0].len())?;
                }
                let mut per_phrase = Vec::with_capacity(phrases.len());
                for ids in &ids {
                    let mut state = begun.state.clone();
                    let mut rows = vec![begun.logits.clone()];
                    rows.extend(self.model.decoder.step(&mut state, ids, ids.len())?.to_vec2::<f32>()?);
                    per_phrase.push(rows.iter().zip(ids).map(|(l, &id)| prob_of(l, id).max(1e-30).ln()).collect::<Vec<f32>>());
                    if c == 0 {
                        after.push((state, rows.pop().unwrap_or_default(), begun.prompt_len + ids.len()));
                    }
                }
                scores.push(per_phrase);
                if let Some(yes) = accept(&scores, &own) {
                    accepted = yes;
                    break;
                }
            }
            timings.decode += t.elapsed();
            if !accepted {
                return Ok(PhraseReading { scores, own, transcript: None });
            }
            let mean = |v: &Vec<f32>| v.iter().sum::<f32>() / v.len().max(1) as f32;
            let best = (0..after.len()).max_by(|&a, &b| mean(&scores[0][a]).total_cmp(&mean(&scores[0][b]))).unwrap_or(0);
            let (state, logits, fed) = after.swap_remove(best);
            let t = Instant::now();
            let Decoded { tokens, logprob: logprob_sum, stop, .. } = self.decode_text(state, logits, window, fed, false, &opts, &Unguided, &mut timings)?;
            timings.decode += t.elapsed();
            let text = self.tokenizer.decode(&tokens)?.trim().to_owned();
            let transcript = Transcript {
                text,
                language: Some("en".into()),
                avg_logprob: if tokens.is_empty() { 0.0 } else { logprob_sum / tokens.len() as f32 },
                tokens,
                no_speech_prob: 0.0,
                stop,
                encoder_frames: frames,
                timings,
            };
            Ok(PhraseReading { scores, own, transcript: Some(transcript) })
        })
    }

    /// The log-probabilities of the first `n` tokens Whisper writes from
    /// `state` (whose last logits are `logits`), greedily.
    fn own_start(&self, state: &DecoderState, logits: &[f32], n: usize) -> Result<Vec<f32>, AsrError> {
        let first = self.first_banned();
        let (mut state, mut logits) = (state.clone(), logits.to_vec());
        let mut out = Vec::with_capacity(n);
        for k in 0..n {
            let banned = if k == 0 { &first } else { &self.suppress };
            let Some(&(id, _)) = top_masked(&logits, banned, 1).first() else { break };
            out.push(prob_of(&logits, id).max(1e-30).ln());
            if id == self.tokenizer.eot || k + 1 == n {
                break;
            }
            logits = self.model.decoder.step(&mut state, &[id], 1)?.to_vec2::<f32>()?.pop().unwrap_or_default();
        }
        Ok(out)
    }
}
