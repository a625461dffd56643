//! Greedy and beam decoding of text, free or inside a grammar.

use crate::model::{top_masked, DecoderState};
use crate::transcript::Decoded;
use crate::{AsrError, DecodeOptions, Guide, Recognizer, Stop, Timings};

/// Tokens Whisper ranks highest that a guided hypothesis tries, besides
/// the ones its grammar expects.
const GUIDE_TOP: usize = 12;

/// How far below Whisper's first choice (in log-probability) a token the
/// grammar expects may be and still be tried.
const GUIDE_WINDOW: f32 = 15.0;

impl Recognizer {
    /// Decodes text from `state` (whose last logits are `logits`) until
    /// end of text, the token cap for `samples` of audio, or a loop:
    /// greedily, or by beam search when `opts.beam` > 1, every hypothesis
    /// kept inside `guide`'s grammar. `first` applies Whisper's
    /// suppression of tokens that cannot begin a transcript.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn decode_text<G: Guide>(
        &self,
        state: DecoderState,
        logits: Vec<f32>,
        samples: usize,
        fed: usize,
        first: bool,
        opts: &DecodeOptions,
        guide: &G,
        timings: &mut Timings,
    ) -> Result<Decoded<G::State>, AsrError> {
        let seconds = samples as f32 / crate::SAMPLE_RATE as f32;
        let cap = (opts.max_tokens).min((seconds * opts.tokens_per_second).ceil() as usize + 8).min(self.model.decoder.max_tokens().saturating_sub(fed + 1));
        if cap == 0 {
            return Ok(Decoded { tokens: Vec::new(), logprob: 0.0, ending: 0.0, stop: Stop::TokenCap, regret: 0.0, guide: G::FREE.then(|| guide.start()) });
        }
        let first_banned = if first { self.first_banned() } else { self.suppress.clone() };
        let width = opts.beam.max(1);
        let mut live = vec![Hypothesis { tokens: Vec::new(), logprob: 0.0, regret: 0.0, guide: guide.start(), state, logits }];
        let mut done: Vec<Ending<G::State>> = Vec::new();
        let mut reserve: Vec<Ending<G::State>> = Vec::new();
        let mut expected = Vec::new();
        loop {
            let banned = if live[0].tokens.is_empty() { &first_banned } else { &self.suppress };
            // (hypothesis, token, its log-probability, the grammar after it)
            let mut candidates: Vec<Candidate<G::State>> = Vec::with_capacity(live.len() * width);
            // Per hypothesis: the log-probability of Whisper's first choice.
            let mut best_lps = vec![0.0f32; live.len()];
            for (h, hyp) in live.iter().enumerate() {
                if G::FREE {
                    candidates.extend(top_masked(&hyp.logits, banned, width).into_iter().map(|(t, lp)| (h, t, lp, hyp.guide.clone())));
                    continue;
                }
                let top = top_masked(&hyp.logits, banned, GUIDE_TOP);
                let Some(&(best, best_lp)) = top.first() else { continue };
                best_lps[h] = best_lp;
                let log_sum = hyp.logits[best as usize] - best_lp;
                let mut ids: Vec<u32> = top.iter().map(|t| t.0).collect();
                expected.clear();
                guide.expected(&hyp.guide, &mut expected);
                for text in &expected {
                    if let Some(id) = self.first_token(text)? {
                        // A token Whisper all but rules out cannot win; the
                        // grammar is not asked about it.
                        let plausible = hyp.logits.get(id as usize).is_some_and(|l| l - log_sum >= best_lp - GUIDE_WINDOW);
                        if plausible && !banned.get(id as usize).copied().unwrap_or(true) && !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                }
                let eot = self.tokenizer.eot;
                if !ids.contains(&eot) && !banned.get(eot as usize).copied().unwrap_or(true) {
                    ids.push(eot);
                }
                let pieces = self.pieces();
                for id in ids {
                    let lp = hyp.logits[id as usize] - log_sum;
                    if id == eot {
                        if guide.can_end(&hyp.guide) {
                            candidates.push((h, id, lp, hyp.guide.clone()));
                        }
                    } else if let Some(next) = pieces.get(id as usize).and_then(|p| guide.feed(&hyp.guide, p)) {
                        candidates.push((h, id, lp, next));
                    }
                }
            }
            // Each candidate's score once: the grammar's penalty is not free
            // to compute, and a sort would ask for it at every comparison.
            let mut scored: Vec<(f32, Candidate<G::State>)> = candidates.into_iter().map(|c| (live[c.0].logprob + c.2 - guide.penalty(&c.3), c)).collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            let mut next: Vec<Next<G::State>> = Vec::with_capacity(width);
            for (score, (h, token, lp, g)) in scored {
                if next.len() == width {
                    // A guided hypothesis that may end here keeps that
                    // ending in reserve, in case every one that goes on
                    // wanders off without finishing a sentence.
                    if !G::FREE && token == self.tokenizer.eot {
                        let hyp = &live[h];
                        let regret = hyp.regret + best_lps[h] - lp;
                        reserve.push(Ending { tokens: hyp.tokens.clone(), logprob: hyp.logprob, ending: lp, score, stop: Stop::EndOfText, regret, guide: g });
                    }
                    continue;
                }
                let hyp = &live[h];
                // What greedy free decoding would have gained here instead.
                let regret = hyp.regret + if G::FREE { 0.0 } else { best_lps[h] - lp };
                if token == self.tokenizer.eot || (G::FREE && self.restarts(&hyp.tokens, token)?) {
                    done.push(Ending { tokens: hyp.tokens.clone(), logprob: hyp.logprob, ending: lp, score, stop: Stop::EndOfText, regret, guide: g });
                    continue;
                }
                let mut tokens = hyp.tokens.clone();
                tokens.push(token);
                let logprob = hyp.logprob + lp;
                let cut = self.loop_cut(&tokens);
                if cut.is_some() || tokens.len() >= cap {
                    // A grammar's sentence must be whole: a cut one is no sentence.
                    if G::FREE || (cut.is_none() && guide.can_end(&g)) {
                        let stop = if let Some(keep) = cut {
                            tokens.truncate(keep);
                            Stop::Repetition
                        } else {
                            Stop::TokenCap
                        };
                        done.push(Ending { tokens, logprob, ending: 0.0, score, stop, regret, guide: g });
                    }
                } else if !next.iter().any(|n| guide.same(&n.4, &g)) {
                    next.push((h, tokens, logprob, regret, g));
                }
            }
            if done.len() >= width || next.is_empty() {
                break;
            }
            // All hypotheses step together: one pass over the weights.
            let mut states: Vec<DecoderState> = next.iter().map(|n| live[n.0].state.clone()).collect();
            let last: Vec<u32> = next.iter().map(|n| n.1[n.1.len() - 1]).collect();
            let logits = self.model.decoder.step_many(&mut states, &last)?.to_vec2::<f32>()?;
            timings.decode_steps += 1;
            timings.decode_rows += last.len();
            live = next
                .into_iter()
                .zip(states)
                .zip(logits)
                .map(|(((_, tokens, logprob, regret, guide), state), logits)| Hypothesis { tokens, logprob, regret, guide, state, logits })
                .collect();
        }
        // Mean log-probability per token, the ending counted as a token.
        let mean = |d: &Ending<G::State>| d.score / (d.tokens.len() + usize::from(d.stop == Stop::EndOfText)).max(1) as f32;
        let best = if done.is_empty() { reserve } else { done }.into_iter().max_by(|a, b| mean(a).total_cmp(&mean(b)));
        Ok(match best {
            Some(e) => Decoded { tokens: e.tokens, logprob: e.logprob, ending: e.ending, stop: e.stop, regret: e.regret, guide: Some(e.guide) },
            None => Decoded { tokens: Vec::new(), logprob: 0.0, ending: 0.0, stop: Stop::TokenCap, regret: 0.0, guide: None },
        })
    }

    /// The tokens Whisper may not write, with those that cannot begin a
    /// transcript.
    pub(crate) fn first_banned(&self) -> Vec<bool> {
        let mut banned = self.suppress.clone();
        for &t in &self.model.config.begin_suppress_tokens {
            if let Some(b) = banned.get_mut(t as usize) {
                *b = true;
            }
        }
        banned
    }

    /// Each token's text, as a guide is fed it.
    fn pieces(&self) -> &[String] {
        self.pieces.get_or_init(|| (0..self.tokenizer.eot).map(|id| self.tokenizer.decode(&[id]).unwrap_or_default()).collect())
    }

    /// The first token of `text`, as Whisper would start writing it.
    fn first_token(&self, text: &str) -> Result<Option<u32>, AsrError> {
        if let Some(&id) = self.first_tokens.lock().get(text) {
            return Ok(id);
        }
        let id = self.tokenizer.encode(text)?.first().copied();
        let mut cache = self.first_tokens.lock();
        if cache.len() > 100_000 {
            cache.clear();
        }
        cache.insert(text.to_owned(), id);
        Ok(id)
    }
}

/// One partial transcript of a beam.
struct Hypothesis<S> {
    tokens: Vec<u32>,
    logprob: f32,
    regret: f32,
    guide: S,
    state: DecoderState,
    logits: Vec<f32>,
}

/// A token a hypothesis may take: (the hypothesis, the token, its
/// log-probability, the grammar after it).
type Candidate<S> = (usize, u32, f32, S);

/// A hypothesis going on: (the one it extends, its tokens, their
/// log-probability, its regret, the grammar after it).
type Next<S> = (usize, Vec<u32>, f32, f32, S);

/// A finished hypothesis: `logprob` of its tokens, `score` counting its
/// ending and the grammar's penalty.
struct Ending<S> {
    tokens: Vec<u32>,
    logprob: f32,
    /// Log-probability of the end of text, when it ended there.
    ending: f32,
    score: f32,
    stop: Stop,
    regret: f32,
    guide: S,
}
