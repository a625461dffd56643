//! Requests corrected as they are said: "send twenty dollars to mum, no
//! wait, to dad", "pay my water bill, sorry, my electricity bill", "send
//! it to mum not dad".
//!
//! Read whole, such a sentence names both values, and a reader keeps one
//! of them or runs them together ("mum no dad"): the dad asked for would
//! not be paid, or "mum not dad" would be. [`correction`] finds where the
//! speaker corrects themselves; the engine reads the sentence as meant,
//! the corrected words replaced by the correction. Which words it replaces
//! needs a reading, so that part is the engine's.

use crate::Language;

/// How a speaker turns back on what they just said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectionKind {
    /// The words after the marker replace some before it ("mum, no, dad").
    Replaces,
    /// The words after the marker are what is not meant ("mum not dad").
    Excludes,
}

/// A correction said inside a request: the marker is `words[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Correction {
    pub start: usize,
    pub end: usize,
    pub kind: CorrectionKind,
}

/// Markers of a correction: "no", "sorry", "i mean"; "eh", "maksudnya";
/// 不对, 我是说. A run of them ("no wait", "sorry i mean") is one.
fn replacing(language: Language) -> &'static [&'static [&'static str]] {
    match language {
        Language::English => &[
            &["no"],
            &["wait"],
            &["sorry"],
            &["oops"],
            &["i", "mean"],
            &["i", "meant"],
            &["make", "that"],
            &["or", "rather"],
            &["scratch", "that"],
            &["correction"],
            &["actually"],
        ],
        Language::Indonesian => &[&["eh"], &["maksudnya"], &["maksud", "saya"], &["maksudku"], &["salah"], &["ralat"], &["sori"], &["maaf"], &["gak", "jadi"]],
        Language::Mandarin => &[&["不", "对"], &["我", "是", "说"], &["说", "错", "了"]],
    }
}

/// Markers after which comes what is not meant.
fn excluding(language: Language) -> &'static [&'static [&'static str]] {
    match language {
        Language::English => &[&["not"], &["and", "not"], &["but", "not"], &["instead", "of"], &["rather", "than"]],
        Language::Indonesian => &[&["bukan"], &["jangan"]],
        Language::Mandarin => &[&["不", "是"]],
    }
}

/// Words that, said after "no", make no correction ("no later than
/// friday"; "no rush" is a [`crate::closing_from`]).
const NO_CORRECTION: &[&str] = &["later", "more", "less", "longer", "need", "matter", "thanks"];

/// The first correction in `words` (normalised, as [`crate::words`]
/// gives them) said in `language`, with two words or more before it and
/// one or more after it: a marker that opens the sentence ("actually,
/// call mum", "no thanks") or ends it ("... wait") corrects nothing.
pub fn correction<S: AsRef<str>>(language: Language, words: &[S]) -> Option<Correction> {
    let words: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
    let at = |list: &[&[&str]], i: usize| list.iter().filter(|m| words[i..].starts_with(m)).map(|m| m.len()).max();
    for start in 2..crate::closing_from(&words) {
        if let Some(len) = at(excluding(language), start) {
            let end = start + len;
            return (end < words.len()).then_some(Correction { start, end, kind: CorrectionKind::Excludes });
        }
        let Some(mut end) = at(replacing(language), start).map(|len| start + len) else { continue };
        if words[start] == "no" && words.get(end).is_some_and(|w| NO_CORRECTION.contains(w)) {
            continue;
        }
        while let Some(len) = (end < words.len()).then(|| at(replacing(language), end)).flatten() {
            end += len;
        }
        return (end < words.len()).then_some(Correction { start, end, kind: CorrectionKind::Replaces });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(language: Language, text: &str) -> Option<(String, String, CorrectionKind)> {
        let w = crate::words(text);
        correction(language, &w).map(|c| (w[..c.start].join(" "), w[c.end..].join(" "), c.kind))
    }

    #[test]
    fn corrections_are_found_where_said() {
        let en = |t| found(Language::English, t);
        let said = |a: &str, b: &str, t| Some((a.to_owned(), b.to_owned(), t));
        assert_eq!(en("send twenty dollars to mum no wait to dad"), said("send twenty dollars to mum", "to dad", CorrectionKind::Replaces));
        assert_eq!(en("send twenty dollars to mum sorry i mean dad"), said("send twenty dollars to mum", "dad", CorrectionKind::Replaces));
        assert_eq!(en("send twenty dollars to mum not dad"), said("send twenty dollars to mum", "dad", CorrectionKind::Excludes));
        assert_eq!(found(Language::Indonesian, "kirim ke budi eh ke andi"), said("kirim ke budi", "ke andi", CorrectionKind::Replaces));
        assert_eq!(found(Language::Indonesian, "kirim ke budi bukan andi"), said("kirim ke budi", "andi", CorrectionKind::Excludes));
        // No correction: a marker first or last, or "no" said as no marker.
        for text in [
            "no thanks",
            "actually call mum",
            "send twenty dollars to mum no rush",
            "send twenty dollars to mum wait",
            "pay it no later than friday",
            "call mum",
        ] {
            assert_eq!(en(text), None, "{text}");
        }
    }
}
