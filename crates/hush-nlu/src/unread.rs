//! Payments that name a time or an amount no reader could read: "pay
//! my water bill at the end of the month", "kirim ke ibu pas gajian",
//! "pay the minimum on my credit card".
//!
//! The date and time readers know days, dates and clock times, not every
//! way of saying when; the money reader knows amounts, not "the minimum"
//! or "half". A reading of such a request carries no date or no amount,
//! so a yes would pay now what was asked for later, or a bill's whole due
//! amount where part was asked. [`unread_time`] and [`unread_amount`] say
//! when a payment's sentence names one its reading does not hold, so the
//! engine can ask for it instead.

use crate::{parse_builtin, Builtin, Intent, IntentSet, Language};

/// Words and phrases that say when, beyond what the date and time
/// readers read ("tomorrow", "on friday", "at 5 pm" are read).
fn time_phrases(language: Language) -> &'static [&'static [&'static str]] {
    match language {
        Language::English => &[
            &["later"],
            &["tonight"],
            &["weekend"],
            &["payday"],
            &["pay", "day"],
            &["end", "of", "the", "month"],
            &["end", "of", "month"],
            &["end", "of", "the", "week"],
            &["next", "week"],
            &["next", "month"],
            &["this", "evening"],
            &["this", "afternoon"],
            &["this", "morning"],
            &["in", "the", "morning"],
            &["in", "the", "evening"],
            &["after", "work"],
            &["after", "school"],
            &["first", "thing"],
            &["when"],
            &["whenever"],
            &["as", "soon", "as"],
            &["once", "i", "get"],
        ],
        Language::Indonesian => &[
            &["nanti"],
            &["gajian"],
            &["akhir", "bulan"],
            &["awal", "bulan"],
            &["minggu", "depan"],
            &["bulan", "depan"],
            &["akhir", "pekan"],
            &["malam", "ini"],
            &["sore", "ini"],
            &["pagi", "ini"],
            &["pulang", "kerja"],
        ],
        Language::Mandarin => &[&["月", "底"], &["月", "初"], &["下", "周"], &["下", "个", "月"], &["周", "末"], &["晚", "点"], &["以", "后"]],
    }
}

/// Words that say how much without a number: part of what is due, or
/// what is left.
fn amount_phrases(language: Language) -> &'static [&'static [&'static str]] {
    match language {
        Language::English => {
            &[&["minimum"], &["min"], &["half"], &["part"], &["partial"], &["portion"], &["rest"], &["remainder"], &["some", "of"], &["whatever"]]
        }
        Language::Indonesian => &[&["minimum"], &["minimal"], &["setengah"], &["separuh"], &["sebagian"], &["sisa"], &["sisanya"]],
        Language::Mandarin => &[&["最", "低"], &["一", "半"], &["部", "分"]],
    }
}

/// Words said right before a time ("after payday", "pas gajian"): part
/// of the time, not of the name before them.
fn time_leads(language: Language) -> &'static [&'static str] {
    match language {
        Language::English => &["on", "at", "by", "after", "before", "until", "till", "around"],
        Language::Indonesian => &["pas", "waktu", "saat", "setelah", "sesudah", "sebelum", "habis"],
        Language::Mandarin => &[],
    }
}

/// Where `text`, read as `intent`, names a time the reading does not
/// hold: the word (of [`crate::words`]) it begins at, a word before it
/// that leads into a time included ("after payday"). The intent must be
/// confirmed (it moves money), declare a date, and have neither a date
/// nor a time read. A name read up to the end of the sentence
/// ("send twenty dollars to mum after payday") ends before that word.
pub fn unread_time(intents: &IntentSet, text: &str, intent: &Intent) -> Option<usize> {
    let at = names_unread(intents, text, intent, "date", &["date", "time"], time_phrases, Some(Builtin::Date))?;
    Some(time_begins(intent.language, &crate::words(text), at))
}

/// Where a time said from word `at` of `words` begins: a word before it
/// that leads into a time ("before friday", "pas gajian") is the time's.
pub fn time_begins<S: AsRef<str>>(language: Language, words: &[S], at: usize) -> usize {
    if at > 0 && words.get(at - 1).is_some_and(|w| time_leads(language).contains(&w.as_ref())) {
        at - 1
    } else {
        at
    }
}

/// Whether `text`, read as `intent`, names an amount the reading does not
/// hold: the intent must be confirmed and declare an amount, and none was
/// read ("pay the minimum on my credit card" had been asked at the card's
/// whole due amount).
pub fn unread_amount(intents: &IntentSet, text: &str, intent: &Intent) -> bool {
    names_unread(intents, text, intent, "amount", &["amount"], amount_phrases, None).is_some()
}

/// Where, if `intent` (confirmed, declaring `slot`) holds none of `read`,
/// `text` says one of `phrases`, or words that read as `reads` (a day the
/// reading took into another slot: "kirim ke bapak besok pagi" had been
/// read with the recipient "bapak besok pagi"): the first such word.
fn names_unread(
    intents: &IntentSet,
    text: &str,
    intent: &Intent,
    slot: &str,
    read: &[&str],
    phrases: fn(Language) -> &'static [&'static [&'static str]],
    reads: Option<Builtin>,
) -> Option<usize> {
    let spec = intents.intent_in(&intent.name, intent.language).filter(|s| s.confirm && s.slot(slot).is_some())?;
    if intent.slots.iter().any(|s| read.contains(&s.name.as_str())) {
        return None;
    }
    let owned = crate::words(text);
    // Haste at the end says now ("... as soon as possible").
    let words: Vec<&str> = owned[..crate::closing_from(&owned)].iter().map(String::as_str).collect();
    let phrase = phrases(spec.language).iter().filter_map(|p| words.windows(p.len()).position(|w| w == *p)).min();
    let read = reads.and_then(|ty| (0..words.len()).find(|&i| parse_builtin(ty, &words[i..], spec.language).is_some()));
    phrase.into_iter().chain(read).min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MatchParams, Matcher};

    #[test]
    fn a_payment_for_a_time_or_an_amount_not_read_is_found() {
        let set = IntentSet::builtin_for(&[Language::English, Language::Indonesian]).unwrap();
        let m = Matcher::new(set.clone(), MatchParams::default());
        // `text` as a reader that skipped its last words read it.
        let unread = |text: &str, read: &str| {
            let i = m.parse(read).unwrap_or_else(|| panic!("{read:?} not understood"));
            unread_time(&set, text, &i).is_some()
        };
        assert!(unread("pay my water bill at the end of the month", "pay my water bill"));
        assert!(unread("send twenty dollars to mum on payday", "send twenty dollars to mum"));
        assert!(unread("bayar tagihan listrik nanti", "bayar tagihan listrik"));
        assert!(unread("kirim dua ratus ribu ke bapak besok pagi", "kirim dua ratus ribu ke bapak"));
        assert!(unread("send twenty dollars to dad tomorrow morning", "send twenty dollars to dad"));
        // A ride is paid for too: when "later" is, is asked.
        assert!(unread("book a ride to the airport later", "book a ride to the airport later"));
        // Where: the word leading into the time is the time's.
        let at = |text: &str, read: &str| unread_time(&set, text, &m.parse(read).unwrap());
        assert_eq!(at("send twenty dollars to mum after payday", "send twenty dollars to mum"), Some(5));
        assert_eq!(at("kirim dua ratus ribu ke bapak pas gajian", "kirim dua ratus ribu ke bapak"), Some(6));
        // Read, or no time said, or nothing paid.
        for text in ["pay my water bill tomorrow", "pay my water bill", "send twenty dollars to mum at 5 pm", "play some jazz later"] {
            assert!(!unread(text, text), "{text}");
        }
        let part = |text: &str, read: &str| unread_amount(&set, text, &m.parse(read).unwrap());
        assert!(part("pay the minimum on my credit card", "pay my credit card bill"));
        assert!(part("bayar setengah tagihan listrik", "bayar tagihan listrik"));
        assert!(!part("pay twenty dollars of my credit card bill", "pay twenty dollars for my credit card bill"));
        assert!(!part("pay my credit card bill in full", "pay my credit card bill"));
    }
}
