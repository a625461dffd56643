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
            &["when", "i", "get"],
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

/// Whether `text`, read as `intent`, names a time the reading does not
/// hold: the intent must be confirmed (it moves money), declare a date,
/// and have neither a date nor a time read.
pub fn unread_time(intents: &IntentSet, text: &str, intent: &Intent) -> bool {
    names_unread(intents, text, intent, "date", &["date", "time"], time_phrases, Some(Builtin::Date))
}

/// Whether `text`, read as `intent`, names an amount the reading does not
/// hold: the intent must be confirmed and declare an amount, and none was
/// read ("pay the minimum on my credit card" had been asked at the card's
/// whole due amount).
pub fn unread_amount(intents: &IntentSet, text: &str, intent: &Intent) -> bool {
    names_unread(intents, text, intent, "amount", &["amount"], amount_phrases, None)
}

/// Whether `intent` (confirmed, declaring `slot`) holds none of `read`
/// while `text` says one of `phrases`, or words that read as `reads`
/// (a day the reading took into another slot: "kirim ke bapak besok
/// pagi" had been read with the recipient "bapak besok pagi").
fn names_unread(
    intents: &IntentSet,
    text: &str,
    intent: &Intent,
    slot: &str,
    read: &[&str],
    phrases: fn(Language) -> &'static [&'static [&'static str]],
    reads: Option<Builtin>,
) -> bool {
    let Some(spec) = intents.intent_in(&intent.name, intent.language).filter(|s| s.confirm && s.slot(slot).is_some()) else { return false };
    if intent.slots.iter().any(|s| read.contains(&s.name.as_str())) {
        return false;
    }
    let owned = crate::words(text);
    let words: Vec<&str> = owned.iter().map(String::as_str).collect();
    phrases(spec.language).iter().any(|p| words.windows(p.len()).any(|w| w == *p))
        || reads.is_some_and(|ty| (0..words.len()).any(|i| parse_builtin(ty, &words[i..], spec.language).is_some()))
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
            unread_time(&set, text, &i)
        };
        assert!(unread("pay my water bill at the end of the month", "pay my water bill"));
        assert!(unread("send twenty dollars to mum on payday", "send twenty dollars to mum"));
        assert!(unread("bayar tagihan listrik nanti", "bayar tagihan listrik"));
        assert!(unread("kirim dua ratus ribu ke bapak besok pagi", "kirim dua ratus ribu ke bapak"));
        assert!(unread("send twenty dollars to dad tomorrow morning", "send twenty dollars to dad"));
        // Read, or no time said, or nothing paid.
        for text in ["pay my water bill tomorrow", "pay my water bill", "send twenty dollars to mum at 5 pm", "book a ride to the airport later"] {
            assert!(!unread(text, text), "{text}");
        }
        let part = |text: &str, read: &str| unread_amount(&set, text, &m.parse(read).unwrap());
        assert!(part("pay the minimum on my credit card", "pay my credit card bill"));
        assert!(part("bayar setengah tagihan listrik", "bayar tagihan listrik"));
        assert!(!part("pay twenty dollars of my credit card bill", "pay twenty dollars for my credit card bill"));
        assert!(!part("pay my credit card bill in full", "pay my credit card bill"));
    }
}
