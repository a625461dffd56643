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
        let z = logit(self.edit_cost, self.skip_cost, self.free_cost, (1.0 + self.matched as f32).ln(), unexplained);
        1.0 / (1.0 + (-z).exp())
    }
}

/// The model's log-odds: the costs of edits, skipped words and free text,
/// ln(1 + words matched), and the share of words nothing explains. The
/// search bounds a path with it too ([`BEST_UNEXPLAINED`]).
pub(crate) fn logit(edit: f32, skip: f32, free: f32, ln1p_matched: f32, unexplained: f32) -> f32 {
    W_BIAS + W_EDIT * edit + W_SKIP * skip + W_FREE * free + W_MATCHED * ln1p_matched + W_UNEXPLAINED * unexplained
}

/// The share of unexplained words that scores best (the weight's sign
/// decides), for bounds that must not underestimate.
pub(crate) const BEST_UNEXPLAINED: f32 = if W_UNEXPLAINED > 0.0 { 1.0 } else { 0.0 };

/// The most a path's edits, and its free text, may cost and still reach
/// `conf` confidence in the best case (every other word matched).
pub(crate) fn cost_limits(conf: f32, words: usize) -> (f32, f32) {
    let conf = conf.clamp(1e-3, 1.0 - 1e-3);
    let wanted = (conf / (1.0 - conf)).ln();
    let best_case = logit(0.0, 0.0, 0.0, (1.0 + words as f32).ln(), BEST_UNEXPLAINED);
    let room = (best_case - wanted).max(0.0);
    (room / -W_EDIT.max(W_SKIP) + 1e-4, room / -W_FREE + 1e-4)
}
