use std::path::Path;

use crate::AsrError;

/// Whisper's BPE tokenizer (`tokenizer.json`) and its special tokens.
pub struct WhisperTokenizer {
    inner: tokenizers::Tokenizer,
    pub eot: u32,
    pub sot: u32,
    /// Marks text said before (Whisper's prompt).
    pub start_of_previous: u32,
    pub transcribe: u32,
    pub translate: u32,
    pub no_timestamps: u32,
    pub no_speech: Option<u32>,
    /// `("en", id)`, ... for multilingual vocabularies (English-only ones
    /// list them too, unused).
    pub languages: Vec<(String, u32)>,
}

impl WhisperTokenizer {
    pub fn from_file(path: &Path) -> Result<Self, AsrError> {
        let inner = tokenizers::Tokenizer::from_file(path).map_err(|e| AsrError::Tokenizer { path: path.to_owned(), detail: e.to_string() })?;
        let id = |t: &str| inner.token_to_id(t).ok_or_else(|| AsrError::Tokenizer { path: path.to_owned(), detail: format!("no {t} token") });
        let mut languages: Vec<(String, u32)> = inner
            .get_added_tokens_decoder()
            .iter()
            .filter_map(|(&id, tok)| {
                let code = tok.content.strip_prefix("<|")?.strip_suffix("|>")?;
                let is_lang = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
                is_lang.then(|| (code.to_owned(), id))
            })
            .collect();
        languages.sort_by_key(|l| l.1);
        Ok(Self {
            eot: id("<|endoftext|>")?,
            sot: id("<|startoftranscript|>")?,
            start_of_previous: id("<|startofprev|>")?,
            transcribe: id("<|transcribe|>")?,
            translate: id("<|translate|>")?,
            no_timestamps: id("<|notimestamps|>")?,
            no_speech: inner.token_to_id("<|nospeech|>").or_else(|| inner.token_to_id("<|nocaptions|>")),
            languages,
            inner,
        })
    }

    pub fn decode(&self, ids: &[u32]) -> Result<String, AsrError> {
        self.inner.decode(ids, true).map_err(|e| AsrError::Inference(format!("detokenise: {e}")))
    }

    /// Text to token ids, without special tokens.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, AsrError> {
        let enc = self.inner.encode(text, false).map_err(|e| AsrError::Inference(format!("tokenise: {e}")))?;
        Ok(enc.get_ids().to_vec())
    }

    pub fn language_id(&self, code: &str) -> Option<u32> {
        self.languages.iter().find(|l| l.0 == code).map(|l| l.1)
    }

    pub fn language_of(&self, id: u32) -> Option<&str> {
        self.languages.iter().find(|l| l.1 == id).map(|l| l.0.as_str())
    }

    /// A token's text as a word, whatever its case or leading space
    /// ("ĠOkay", "okay" → "okay"): what a loop repeats when it alternates
    /// "Okay, okay, Okay".
    pub fn word_key(&self, id: u32) -> Option<String> {
        self.inner.id_to_token(id).map(|t| t.trim_start_matches('Ġ').to_lowercase())
    }

    /// Whether a token's text holds no letters or digits (byte-level BPE
    /// marks a leading space as `Ġ`).
    pub fn is_punctuation(&self, id: u32) -> bool {
        self.inner.id_to_token(id).is_some_and(|t| t.trim_start_matches('Ġ').chars().all(|c| !c.is_alphanumeric()) && !t.starts_with("<|"))
    }
}
