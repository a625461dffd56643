//! Grammars that steer decoding, and what a guided decoding returns.

use crate::Transcript;

/// A grammar that steers decoding ([`Recognizer::decode_guided`](crate::Recognizer::decode_guided)): every
/// hypothesis stays a prefix of some sentence it allows, and ends only
/// where a sentence may end.
pub trait Guide: Sync {
    type State: Clone + Send;
    /// True for [`Unguided`]: decoding then skips the grammar entirely.
    const FREE: bool = false;
    /// Before any text.
    fn start(&self) -> Self::State;
    /// The state after `piece`, a token's text (a leading space starts a
    /// word); `None` when the text can no longer be a sentence.
    fn feed(&self, state: &Self::State, piece: &str) -> Option<Self::State>;
    /// Whether the text so far is a whole sentence.
    fn can_end(&self, state: &Self::State) -> bool;
    /// Text the grammar expects next (whole words with their leading
    /// space, or the rest of the word being said), offered to the decoder
    /// even when the model ranks it low.
    fn expected(&self, state: &Self::State, out: &mut Vec<String>);
    /// Log-probability the grammar takes off a hypothesis for its text so
    /// far (free text inside a wildcard, say): its weight against the
    /// acoustic score.
    fn penalty(&self, state: &Self::State) -> f32;
    /// Whether two hypotheses say the same so far, only written otherwise
    /// ("Make it" and "make it"): a beam keeps the likelier alone, so that
    /// its width holds different sentences, not spellings of one.
    fn same(&self, _: &Self::State, _: &Self::State) -> bool {
        false
    }
}

/// No grammar: Whisper writes what it hears.
pub struct Unguided;

impl Guide for Unguided {
    type State = ();
    const FREE: bool = true;
    fn start(&self) {}
    fn feed(&self, _: &(), _: &str) -> Option<()> {
        Some(())
    }
    fn can_end(&self, _: &()) -> bool {
        true
    }
    fn expected(&self, _: &(), _: &mut Vec<String>) {}
    fn penalty(&self, _: &()) -> f32 {
        0.0
    }
}

/// A guided decoding's result.
#[derive(Debug, Clone)]
pub struct Guided<S> {
    /// The best whole sentence of the grammar (empty when none fitted).
    pub transcript: Transcript,
    /// Where the grammar is after it; `None` when no hypothesis finished
    /// a sentence (or the audio held no speech).
    pub state: Option<S>,
    /// Summed log-probability the grammar cost the sentence: per token,
    /// that of the token Whisper ranked first minus that of the token
    /// taken. 0 means free greedy decoding would have written the same.
    pub regret: f32,
}
