//! Guards against decoder loops: a sentence started again, a pattern
//! repeated back to back.

use crate::{AsrError, Recognizer};

impl Recognizer {
    /// Whether `next` begins the utterance again after a finished sentence
    /// ("What time is it? What"). On trimmed windows the decoder sometimes
    /// misses end-of-text and starts over; a command is said once, so a new
    /// sentence that opens with the first word's start is taken as the end.
    pub(crate) fn restarts(&self, tokens: &[u32], next: u32) -> Result<bool, AsrError> {
        let Some(&last) = tokens.last() else { return Ok(false) };
        if !self.punctuation.get(last as usize).copied().unwrap_or(false) {
            return Ok(false);
        }
        let ended = self.tokenizer.decode(&[last])?;
        if !ended.trim_end().ends_with(['.', '?', '!']) {
            return Ok(false);
        }
        let next_text = self.tokenizer.decode(&[next])?.trim().to_lowercase();
        let text = self.tokenizer.decode(tokens)?.to_lowercase();
        let first_word = text.split_whitespace().next().unwrap_or("");
        Ok(!next_text.is_empty() && first_word.starts_with(&next_text))
    }

    /// [`loop_cut`] with this recogniser's token tables.
    pub(crate) fn loop_cut(&self, tokens: &[u32]) -> Option<usize> {
        loop_cut(tokens, &self.punctuation, &self.words)
    }
}

/// [`repetition_cut`] over the tokens as they are (catching loops of
/// symbols, "$ $ $ $") and over their words alone (`punctuation` skipped,
/// each token as its `words` id, case ignored: catching "year. What ...
/// year? What ..." and "Okay, okay, Okay, okay"), as a length of `tokens`.
fn loop_cut(tokens: &[u32], punctuation: &[bool], words: &[u32]) -> Option<usize> {
    if let Some(keep) = repetition_cut(tokens) {
        return Some(keep);
    }
    let said: Vec<(usize, u32)> = tokens
        .iter()
        .enumerate()
        .filter(|(_, &t)| !punctuation.get(t as usize).copied().unwrap_or(false))
        .map(|(i, &t)| (i, words.get(t as usize).copied().unwrap_or(t)))
        .collect();
    let ids: Vec<u32> = said.iter().map(|w| w.1).collect();
    repetition_cut(&ids).map(|keep| said[keep].0)
}

/// When the end of `tokens` is one pattern repeated back to back — a
/// decoder loop — the length that keeps only its first occurrence.
///
/// Patterns of one or two tokens must occur four times (people do say
/// "no no no"), of three to five tokens three times; a phrase of six or
/// more tokens said twice back to back is, in a command, a loop.
pub fn repetition_cut(tokens: &[u32]) -> Option<usize> {
    let n = tokens.len();
    for p in 1..=64 {
        let need = match p {
            1 | 2 => 4,
            3..=5 => 3,
            _ => 2,
        };
        if n < p * need {
            continue;
        }
        let tail = &tokens[n - p..];
        if (1..need).all(|r| &tokens[n - (r + 1) * p..n - r * p] == tail) {
            return Some(n - (need - 1) * p);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repetition_guard() {
        assert_eq!(repetition_cut(&[1, 2, 3]), None);
        assert_eq!(repetition_cut(&[9, 7, 7, 7]), None, "three of one token is speech");
        assert_eq!(repetition_cut(&[9, 7, 7, 7, 7]), Some(2));
        assert_eq!(repetition_cut(&[5, 1, 2, 3, 1, 2, 3]), None);
        assert_eq!(repetition_cut(&[5, 1, 2, 3, 1, 2, 3, 1, 2, 3]), Some(4));
        assert_eq!(repetition_cut(&[1, 2, 1, 2, 1, 2, 1, 2]), Some(2));
        assert_eq!(repetition_cut(&[]), None);
        let sentence: Vec<u32> = (10..17).collect();
        let twice: Vec<u32> = sentence.iter().chain(&sentence).copied().collect();
        assert_eq!(repetition_cut(&twice), Some(7));
        assert_eq!(repetition_cut(&twice[..13]), None);
    }

    #[test]
    fn a_loop_that_alternates_case_and_punctuation_is_cut() {
        // 1 is ",", 2 " Okay", 3 " okay" (the same word), 4 " go".
        let punctuation = [false, true, false, false, false];
        let words = [0, 1, 2, 2, 4];
        let okays = [2, 1, 3, 1, 2, 1, 3, 1];
        assert_eq!(loop_cut(&okays, &punctuation, &words), Some(2), "Okay, okay, Okay, okay,");
        assert_eq!(loop_cut(&okays, &punctuation, &[0, 1, 2, 3, 4]), None, "as tokens they alternate");
        assert_eq!(loop_cut(&[2, 1, 3, 1, 4], &punctuation, &words), None, "Okay, okay, go");
    }
}
