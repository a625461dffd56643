//! Reading a built-in slot type in the language of the file that uses
//! it: English (`values.rs`), Bahasa Indonesia (`indonesian.rs`) or
//! Mandarin (`chinese.rs`).

use crate::language::Language;
use crate::values::{Builtin, ValueMatch};

/// Reads `ty`, said in `language`, from the start of `words`; the longest
/// reading, if any. Wildcards are handled by the matcher (any span is a
/// reading).
pub fn parse_builtin(ty: Builtin, words: &[&str], language: Language) -> Option<ValueMatch> {
    match language {
        Language::English => crate::values::ENGLISH.read(ty, words),
        Language::Indonesian => crate::indonesian::READERS.read(ty, words),
        Language::Mandarin => crate::chinese::READERS.read(ty, words),
    }
}

/// Phrases that parse as `ty` in `language`, for generating sentences.
pub(crate) fn samples(ty: Builtin, language: Language) -> &'static [&'static str] {
    match language {
        Language::English => ty.english_samples(),
        Language::Indonesian => crate::indonesian::samples(ty),
        Language::Mandarin => crate::chinese::samples(ty),
    }
}
