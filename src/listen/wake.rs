//! The wake phrase: scored at the start of an utterance, and taken off
//! what was heard.

use crate::EngineError;
use hush_asr::WakeModel;
use std::sync::OnceLock;

/// The built-in "hey hush" model (`models/wake`, trained by `make
/// wake-model` on synthetic voices; see docs/BENCHMARKS.md), loaded once.
pub fn builtin_wake_model() -> Result<&'static WakeModel, EngineError> {
    static MODEL: OnceLock<Result<WakeModel, String>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            WakeModel::from_bytes(include_bytes!("../../models/wake/model.json"), include_bytes!("../../models/wake/weights.safetensors"))
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| EngineError::Wake(e.clone()))
}

/// The model that checks `params.phrase` before Whisper does, if any.
pub(crate) fn gate(params: &super::WakeParams) -> Option<Gate> {
    let at = params.gate?;
    let model = builtin_wake_model().ok()?;
    let words = |s: &str| s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>();
    (words(&params.phrase) == words(&model.meta().phrase)).then_some(Gate { model, at, sure: params.sure.unwrap_or(f32::INFINITY) })
}

/// The wake-phrase model in front of Whisper's check.
#[derive(Clone, Copy)]
pub(crate) struct Gate {
    model: &'static WakeModel,
    /// Below this probability Whisper never hears the utterance.
    at: f32,
    /// At or above this the phrase is taken as said.
    sure: f32,
}

/// What Whisper's check of the phrase needs: its score and its lead (see
/// [`read_wake_phrase`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Needs {
    pub(crate) score: f32,
    pub(crate) lead: f32,
}

impl Needs {
    /// What `params` ask of Whisper alone.
    pub(crate) fn of(params: &super::WakeParams) -> Needs {
        Needs { score: params.threshold, lead: params.lead.map_or(f32::NEG_INFINITY, |m| -m) }
    }
}

impl Gate {
    /// What Whisper's check needs after the model heard `samples` (nothing,
    /// when the model is sure), or `None` when the model rules the phrase
    /// out.
    pub(crate) fn whisper_needs(&self, samples: &[f32], whisper: Needs) -> Result<Option<Needs>, hush_asr::AsrError> {
        let p = self.model.probability(samples)?;
        Ok(needs(p, self.at, self.sure, whisper))
    }
}

fn needs(p: f32, at: f32, sure: f32, whisper: Needs) -> Option<Needs> {
    (p >= at).then_some(if p >= sure { Needs { score: f32::NEG_INFINITY, lead: f32::NEG_INFINITY } } else { whisper })
}

/// The wake check, and what follows the phrase when it passes: Whisper
/// scores the phrase at the start of `samples` (see [`wake_score`]) and, at
/// or above `threshold` with a [`wake_lead`] at or above `lead`, transcribes
/// the rest in the same pass. Returns the score, the lead (weighed only
/// when `lead` is above minus infinity) and the rest.
/// (The listener first asks the wake-phrase model, [`super::WakeParams::gate`].)
pub fn read_wake_phrase(
    rec: &hush_asr::Recognizer,
    samples: &[f32],
    phrase: &str,
    threshold: f32,
    lead: f32,
) -> Result<(f32, Option<f32>, Option<hush_asr::Transcript>), EngineError> {
    let words: Vec<&str> = phrase.split_whitespace().collect();
    let plain = hush_nlu::capitalise(&words.join(" "));
    let comma = match words.split_first() {
        Some((first, rest)) if !rest.is_empty() => hush_nlu::capitalise(&format!("{first}, {}", rest.join(" "))),
        _ => plain.clone(),
    };
    let primed = format!("{plain}.");
    let weigh = lead > f32::NEG_INFINITY;
    let (mut score, mut led) = (f32::NEG_INFINITY, None);
    let reading = rec.read_after_phrase(samples, &[&plain, &comma], &["", &primed], weigh, |scores, own| {
        score = wake_score(scores);
        led = weigh.then(|| wake_lead(scores, own));
        let ahead = led.is_none_or(|l| l >= lead);
        // Each context adds a log-probability (at most 0): below the
        // threshold after the plain reading is below it for good.
        (score < threshold || !ahead || scores.len() == 2).then_some(score >= threshold && ahead)
    })?;
    Ok((score, led, reading.transcript))
}

/// How much likelier Whisper finds the phrase (its best spelling, heard
/// plainly) than what it would write itself in as many tokens: mean token
/// log-probabilities, 0 when it writes the phrase. Near 0 when the audio
/// says the phrase or something Whisper cannot make out; well below when
/// it clearly says something else ("hey josh").
pub fn wake_lead(scores: &[Vec<Vec<f32>>], own: &[f32]) -> f32 {
    let mean = |t: &[f32]| t.iter().sum::<f32>() / t.len().max(1) as f32;
    let phrase = scores.first().map_or(f32::NEG_INFINITY, |p| p.iter().filter(|t| !t.is_empty()).map(|t| mean(t)).fold(f32::NEG_INFINITY, f32::max));
    phrase - mean(own).max(phrase)
}

/// How Whisper reads the wake phrase: the mean token log-probability (best
/// of the phrase with and without a comma) heard plainly, plus the same
/// when Whisper is told the phrase was said before. The plain reading keeps
/// sentences that merely start alike ("hey, share me a joke") out; the
/// primed one lets through a phrase the plain reading mishears (synthetic
/// voices in noise). Higher is more likely; [`WAKE_THRESHOLD`](super::WAKE_THRESHOLD) is the
/// default cut.
pub fn wake_score(scores: &[Vec<Vec<f32>>]) -> f32 {
    let best = |per_phrase: &Vec<Vec<f32>>| {
        per_phrase.iter().filter(|t| !t.is_empty()).map(|t| t.iter().sum::<f32>() / t.len() as f32).fold(f32::NEG_INFINITY, f32::max)
    };
    scores.iter().map(best).sum()
}

pub(crate) fn has_words(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

pub(crate) fn letters(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphanumeric()).count()
}

/// The transcript without the wake phrase it starts with, and how far the
/// words taken off were from the phrase (letter edits). Whisper often
/// mishears the phrase ("A-Hush, navigate home"), so the leading words
/// whose letters come closest to the phrase's are dropped.
pub(crate) fn without_phrase(text: &str, phrase: &str) -> (String, usize) {
    let target: String = phrase.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    // Word boundaries in the original text, so what remains keeps its form.
    let mut words: Vec<(usize, String)> = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, ch) in text.char_indices() {
        if ch.is_alphanumeric() || ch == '\'' {
            current.get_or_insert((i, String::new())).1.extend(ch.to_lowercase().filter(|c| *c != '\''));
        } else if let Some(w) = current.take() {
            words.push(w);
        }
    }
    words.extend(current);
    let mut best = (usize::MAX, 0);
    let mut joined = String::new();
    for (k, (_, w)) in words.iter().enumerate().take(4) {
        joined.push_str(w);
        let d = strsim::levenshtein(&joined, &target);
        if d < best.0 {
            best = (d, k + 1);
        }
    }
    let rest = words.get(best.1).map_or("", |(i, _)| &text[*i..]);
    (rest.trim().to_owned(), best.0)
}

/// `text` without the wake phrase said again at its end: primed with the
/// phrase, Whisper sometimes repeats it after the command ("book me a ride
/// to the airport. Hey hush"). Only a whole-word, letter-exact repeat is
/// taken off.
pub(crate) fn without_trailing_phrase<'a>(text: &'a str, phrase: &str) -> &'a str {
    let target: Vec<char> = phrase.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).rev().collect();
    let mut seen: Vec<char> = Vec::new();
    for (i, ch) in text.char_indices().rev() {
        if !ch.is_alphanumeric() {
            continue;
        }
        seen.extend(ch.to_lowercase());
        if seen.len() >= target.len() {
            let whole_word = !text[..i].ends_with(char::is_alphanumeric);
            return if seen == target && whole_word && has_words(&text[..i]) { text[..i].trim_end() } else { text };
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sure_model_needs_no_whisper_score() {
        let whisper = Needs { score: -6.35, lead: -2.0 };
        assert_eq!(needs(0.01, 0.038, 0.9, whisper), None);
        assert_eq!(needs(0.5, 0.038, 0.9, whisper), Some(whisper));
        assert_eq!(needs(0.95, 0.038, 0.9, whisper), Some(Needs { score: f32::NEG_INFINITY, lead: f32::NEG_INFINITY }));
        assert_eq!(needs(0.95, 0.038, f32::INFINITY, whisper), Some(whisper), "sure: None");
    }

    #[test]
    fn a_lead_is_asked_of_whisper_only_when_set() {
        let mut params = crate::listen::WakeParams::default();
        assert_eq!(Needs::of(&params), Needs { score: params.threshold, lead: f32::NEG_INFINITY });
        params.lead = Some(2.0);
        assert_eq!(Needs::of(&params).lead, -2.0);
    }

    #[test]
    fn the_phrase_is_taken_off_however_it_was_heard() {
        let rest = |t: &str| without_phrase(t, "hey hush").0;
        assert_eq!(rest("Hey Hush, navigate home."), "navigate home.");
        assert_eq!(rest("A-Hush, book me a ride."), "book me a ride.");
        assert_eq!(rest("Hey, hush."), "");
        assert_eq!(rest("Hayhush pay my bill"), "pay my bill");
        assert_eq!(rest(""), "");
        assert_eq!(without_phrase("Hey Hush, yes.", "hey hush").1, 0);
        assert!(without_phrase("Yes, go ahead.", "hey hush").1 > 2);
    }

    #[test]
    fn the_phrase_said_again_at_the_end_is_taken_off() {
        let cut = |t: &'static str| without_trailing_phrase(t, "hey hush");
        assert_eq!(cut("book me to ride to the airport. Hey hush"), "book me to ride to the airport.");
        assert_eq!(cut("navigate home, hey, hush!"), "navigate home,");
        assert_eq!(cut("navigate home"), "navigate home");
        assert_eq!(cut("they hush"), "they hush");
        assert_eq!(cut("Hey hush."), "Hey hush.");
        assert_eq!(cut("play hey hush puppy"), "play hey hush puppy");
        assert_eq!(cut(""), "");
    }
}
