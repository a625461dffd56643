//! Requests asked for more than once: "send twenty dollars to mum every
//! month", "pay it twice", "kirim ke ibu setiap bulan".
//!
//! An intent that must be confirmed (it moves money) does one thing once.
//! A reader that forgives words reads such a request as a one-off, and the
//! repetition lands in a name ("Send $20.00 to mum twice?" sent $20 once,
//! to "mum twice"). [`repeats`] says when a reading would drop it, so the
//! engine can leave it unread.

use crate::{Intent, IntentSet, Language};

/// Words that ask for a request again and again, alone.
fn repeat_words(language: Language) -> &'static [&'static str] {
    match language {
        Language::English => {
            &["every", "each", "twice", "thrice", "daily", "weekly", "fortnightly", "monthly", "yearly", "annually", "hourly", "recurring", "regularly"]
        }
        Language::Indonesian => &["setiap", "tiap", "harian", "mingguan", "bulanan", "tahunan", "rutin", "berkala", "berkali"],
        Language::Mandarin => &["每"],
    }
}

/// Whether `words` ask for something more than once: a repeat word, or a
/// count of times ("3 times", "two times a week", "dua kali", "sebulan
/// sekali").
fn asks_again(language: Language, words: &[&str]) -> bool {
    let counted = |i: usize, of: &[&str]| i > 0 && (words[i - 1].bytes().all(|b| b.is_ascii_digit()) || of.contains(&words[i - 1]));
    words.iter().enumerate().any(|(i, w)| {
        repeat_words(language).contains(w)
            || match language {
                Language::English => (*w == "times" && i > 0 && crate::says_a_number(words[i - 1])) || (*w == "per" && i + 1 < words.len()),
                Language::Indonesian => {
                    (*w == "kali" && counted(i, &["dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "beberapa"]))
                        || (*w == "sekali" && counted(i, &["sehari", "seminggu", "sebulan", "setahun"]))
                }
                Language::Mandarin => false,
            }
    })
}

/// Whether `text`, read as `intent`, asks for more than the one time the
/// intent can do: the intent must be confirmed (it moves money), none of
/// its templates says a repetition, and the sentence asks for one.
pub fn repeats(intents: &IntentSet, text: &str, intent: &Intent) -> bool {
    let Some(spec) = intents.intent_in(&intent.name, intent.language).filter(|s| s.confirm) else { return false };
    let owned = crate::words(text);
    let words: Vec<&str> = owned.iter().map(String::as_str).collect();
    asks_again(intent.language, &words)
        && !spec.templates.iter().any(|t| {
            let said = crate::words(&t.text);
            asks_again(intent.language, &said.iter().map(String::as_str).collect::<Vec<_>>())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn again(language: Language, text: &str) -> bool {
        let owned = crate::words(text);
        asks_again(language, &owned.iter().map(String::as_str).collect::<Vec<_>>())
    }

    #[test]
    fn repetitions_are_heard() {
        for t in [
            "send twenty dollars to mum every month",
            "pay it twice",
            "send 5 dollars to dad 3 times",
            "send ten dollars two times",
            "twenty dollars per week",
            "send it monthly",
        ] {
            assert!(again(Language::English, t), "{t}");
        }
        for t in ["send twenty dollars to mum", "pay my bill at five", "what times are the movies", "send it per"] {
            assert!(!again(Language::English, t), "{t}");
        }
        for t in ["kirim ke ibu setiap bulan", "transfer dua kali", "bayar sebulan sekali"] {
            assert!(again(Language::Indonesian, t), "{t}");
        }
        assert!(!again(Language::Indonesian, "kirim lima puluh ribu ke budi sekali saja"));
        assert!(again(Language::Mandarin, "每月给妈妈转账"));
    }
}
