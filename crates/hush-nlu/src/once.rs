//! Requests asked for more than once: "send twenty dollars to mum every
//! month", "pay it twice", "kirim ke ibu setiap bulan", for several at
//! once: "send twenty dollars to mum and fifty to dad", "pay my water and
//! my electricity bill", or with the choice left open: "send twenty or
//! thirty dollars to mum", "send it to mum or dad".
//!
//! An intent that must be confirmed (it moves money) does one thing once.
//! A reader that forgives words reads such a request as a one-off: the
//! repetition lands in a name ("Send $20.00 to mum twice?" sent $20 once,
//! to "mum twice"), the second payment is dropped ("Send $20.00 to
//! mum?", and dad is never paid), and a choice is made for the user or
//! lands in a name ("Send $20.00 to mum or dad?"). [`more_than_once`]
//! says when a reading would drop part of the request, so the engine can
//! leave it unread.

use crate::{Builtin, Intent, IntentSet, IntentSpec, Language, SlotSpec, SlotType};
use std::ops::Range;

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

/// Words that join two requests or values in one sentence, or offer a
/// choice between two.
fn joining_words(language: Language) -> &'static [&'static str] {
    match language {
        Language::English => &["and", "plus", "or"],
        Language::Indonesian => &["dan", "serta", "atau"],
        Language::Mandarin => &["和", "或"],
    }
}

/// Whether `words` join two requests or two values of one, or leave the
/// choice between two open ("twenty or thirty dollars", "mum or dad"):
/// a joining word that comes after a value was said or just before one
/// (`values`: where each was said), and is not the "and" inside an amount
/// ("a hundred and fifty", "two and a half", "twenty dollars and fifty
/// cents"). One said before the request ("go ahead and pay the tv bill")
/// joins nothing to it, nor does an "and" inside a value that names
/// several things (`listed`: where such values were said; "order a pizza
/// and a coke"). A choice ("or") is open wherever it is said.
fn asks_several(language: Language, words: &[&str], values: &[usize], listed: &[Range<usize>]) -> bool {
    let numeric = |w: &str| crate::says_a_number(w) || w.bytes().all(|c| c.is_ascii_digit());
    let in_amount = |i: usize| {
        let before = i.checked_sub(1).map(|b| words[b]);
        let after = words.get(i + 1).copied();
        words[i] == "and" && before.is_some_and(|b| numeric(b) || crate::money::currency_word(b).is_some()) && after.is_some_and(|a| numeric(a) || a == "a")
    };
    let joins_a_value = |i: usize| values.iter().any(|&v| v < i || v == i + 1);
    let lists = |i: usize| !matches!(words[i], "or" | "atau" | "或") && listed.iter().any(|r| r.start < i && i + 1 < r.end);
    words.iter().enumerate().any(|(i, w)| joining_words(language).contains(w) && !in_amount(i) && joins_a_value(i) && !lists(i))
}

/// Where in `words` each value of `intent` whose slot `kind` says was
/// said.
fn said_where(words: &[&str], intent: &Intent, spec: &IntentSpec, kind: fn(&SlotSpec) -> bool) -> Vec<Range<usize>> {
    intent
        .slots
        .iter()
        .filter(|slot| spec.slot(&slot.name).is_some_and(kind))
        .filter_map(|slot| {
            let said = crate::words(&slot.raw);
            if said.is_empty() {
                return None;
            }
            let at = words.windows(said.len()).position(|w| w.iter().zip(&said).all(|(a, b)| a == b))?;
            Some(at..at + said.len())
        })
        .collect()
}

/// `words` with those of `intent`'s free text (a wildcard slot's value:
/// a message) blanked: what a message says ("... and call me", "if you
/// can", "every day") asks nothing of hush.
pub(crate) fn outside_free_text<'a>(words: &[&'a str], intent: &Intent, spec: &IntentSpec) -> Vec<&'a str> {
    let free = said_where(words, intent, spec, |s| matches!(s.ty, SlotType::Builtin { ty: Builtin::Wildcard, .. }));
    words.iter().enumerate().map(|(i, w)| if free.iter().any(|r| r.contains(&i)) { "" } else { *w }).collect()
}

/// Where in `words` each of `intent`'s slot values was said (the first
/// place its first word is).
fn values_said(words: &[&str], intent: &Intent) -> Vec<usize> {
    intent
        .slots
        .iter()
        .filter_map(|slot| {
            let said = crate::words(&slot.raw);
            let first = said.first()?;
            words.iter().position(|w| w == first)
        })
        .collect()
}

/// Whether `text`, read as `intent`, asks for more than the one thing
/// the intent does once: the intent must be confirmed (it moves money),
/// and the sentence asks for it again and again, joins a second request
/// or value to it, or offers a choice of two, where none of the intent's
/// templates does.
pub fn more_than_once(intents: &IntentSet, text: &str, intent: &Intent) -> bool {
    let Some(spec) = intents.intent_in(&intent.name, intent.language).filter(|s| s.confirm) else { return false };
    let language = intent.language;
    let owned = crate::words(text);
    let words = outside_free_text(&owned.iter().map(String::as_str).collect::<Vec<_>>(), intent, spec);
    let in_a_template = |asks: &dyn Fn(&[&str]) -> bool| {
        spec.templates.iter().any(|t| {
            let said = crate::words(&t.text);
            asks(&said.iter().map(String::as_str).collect::<Vec<_>>())
        })
    };
    (asks_again(language, &words) && !in_a_template(&|w| asks_again(language, w)))
        || (asks_several(language, &words, &values_said(&words, intent), &said_where(&words, intent, spec, |s| s.several))
            && !in_a_template(&|w| asks_several(language, w, &[0], &[])))
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

    fn several(language: Language, text: &str) -> bool {
        let owned = crate::words(text);
        asks_several(language, &owned.iter().map(String::as_str).collect::<Vec<_>>(), &[0], &[])
    }

    #[test]
    fn a_second_request_or_a_choice_is_heard_and_an_amount_is_not_one() {
        for t in [
            "send twenty dollars to mum and fifty to dad",
            "send mum twenty dollars and dad thirty",
            "pay my water bill and my electricity bill",
            "send twenty dollars to mum and dad",
            "pay the water and electricity bills",
            "send twenty or thirty dollars to mum",
            "send twenty dollars to mum or dad",
            "send twenty dollars to mum plus ten to dad",
        ] {
            assert!(several(Language::English, t), "{t}");
        }
        for t in [
            "send a hundred and fifty dollars to mum",
            "send two and a half thousand to dad",
            "pay twenty dollars and fifty cents for water",
            "send 100 and 50 cents to mum",
            "send twenty dollars to mum",
        ] {
            assert!(!several(Language::English, t), "{t}");
        }
        assert!(several(Language::Indonesian, "kirim lima puluh ribu ke budi dan sari"));
        assert!(!several(Language::Indonesian, "kirim seratus lima puluh ribu ke budi"));
        assert!(several(Language::Indonesian, "kirim lima puluh atau seratus ribu ke budi"));
        assert!(several(Language::Mandarin, "给妈妈和爸爸转账"));
    }
}
