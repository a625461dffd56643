//! The languages intent files are written in. A file says its language
//! (`language: id`); the built-in slot types then read values the way that
//! language says them ("lima puluh ribu rupiah", "jam lima sore").

use std::fmt;

/// A language hush reads, by its ISO 639-1 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum Language {
    #[default]
    English,
    Indonesian,
    /// Mandarin Chinese, written in characters without spaces: each
    /// character is a word to the matcher (see `chinese.rs`).
    Mandarin,
}

impl Language {
    pub const ALL: [Language; 3] = [Language::English, Language::Indonesian, Language::Mandarin];

    /// The ISO 639-1 code ("en", "id"), as Whisper names languages.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Indonesian => "id",
            Language::Mandarin => "zh",
        }
    }

    /// The language of an ISO 639-1 code; None for one hush does not read.
    pub fn from_code(code: &str) -> Option<Language> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Every code hush reads, for error messages: "en, id, zh".
    pub fn codes() -> String {
        Self::ALL.map(Language::code).join(", ")
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl serde::Serialize for Language {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for l in Language::ALL {
            assert_eq!(Language::from_code(l.code()), Some(l));
        }
        assert_eq!(Language::from_code("xx"), None);
        assert_eq!(Language::default(), Language::English);
    }
}
