//! The confidence model: a parse's evidence to the probability that it
//! is right.

use crate::Evidence;

// Weights of the logistic model that turns evidence into a confidence.
// Fitted on SLURP devel (in-domain sentences right vs everything else) by
// benches/nlu/fit_confidence.py; see intents/README.md.
pub(crate) const W_BIAS: f32 = 0.029;
pub(crate) const W_EDIT: f32 = -3.816;
pub(crate) const W_SKIP: f32 = -3.575;
pub(crate) const W_FREE: f32 = -1.896;
pub(crate) const W_MATCHED: f32 = 2.008;
pub(crate) const W_UNEXPLAINED: f32 = -0.127;

impl Evidence {
    /// The probability that the parse is right, from a logistic model of
    /// the evidence: edits and free text count against, words the template
    /// matched count for.
    pub fn confidence(&self) -> f32 {
        let words = self.words.max(1) as f32;
        let unexplained = (self.words.saturating_sub(self.matched + self.free)) as f32 / words;
        let z = W_BIAS
            + W_EDIT * self.edit_cost
            + W_SKIP * self.skip_cost
            + W_FREE * self.free_cost
            + W_MATCHED * (1.0 + self.matched as f32).ln()
            + W_UNEXPLAINED * unexplained;
        1.0 / (1.0 + (-z).exp())
    }
}

/// The most a path's edits, and its free text, may cost and still reach
/// `conf` confidence in the best case (every other word matched).
pub(crate) fn cost_limits(conf: f32, words: usize) -> (f32, f32) {
    let conf = conf.clamp(1e-3, 1.0 - 1e-3);
    let logit = (conf / (1.0 - conf)).ln();
    let best_case = W_BIAS + W_MATCHED * (1.0 + words as f32).ln() + W_UNEXPLAINED.max(0.0);
    let room = (best_case - logit).max(0.0);
    (room / -W_EDIT.max(W_SKIP) + 1e-4, room / -W_FREE + 1e-4)
}
