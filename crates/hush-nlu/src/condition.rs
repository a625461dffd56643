//! Payments asked for on a condition: "pay my electricity bill if it is
//! under fifty dollars", "send twenty dollars to mum unless she already
//! paid", "kirim ke budi kalau dia minta".
//!
//! hush cannot tell whether a condition holds, and a reading of such a
//! request drops it: the first had been asked as "Pay $50.00 for your
//! electricity bill?", the condition's amount taken as the amount to pay.
//! [`conditional`] says when a payment's sentence sets a condition, so
//! the engine can refuse it and say why.

use crate::{Intent, IntentSet, Language};

/// Words that set a condition. "if possible" and "kalau bisa" are doubt,
/// not a condition ([`crate::hedge_from`]), and are not looked for here.
fn markers(language: Language) -> &'static [&'static [&'static str]] {
    match language {
        Language::English => &[&["if"], &["unless"], &["as", "long", "as"], &["provided"], &["providing"], &["in", "case"], &["only", "when"]],
        Language::Indonesian => &[&["kalau"], &["kalo"], &["jika"], &["jikalau"], &["asalkan"], &["asal"], &["kecuali"], &["seandainya"]],
        Language::Mandarin => &[&["如", "果"], &["要", "是"], &["除", "非"], &["只", "要"]],
    }
}

/// Whether `text`, read as `intent`, asks for a payment on a condition:
/// the intent must be confirmed (it moves money), and the sentence, its
/// closing doubt aside, says a condition none of the intent's templates
/// says.
pub fn conditional(intents: &IntentSet, text: &str, intent: &Intent) -> bool {
    let Some(spec) = intents.intent_in(&intent.name, intent.language).filter(|s| s.confirm) else { return false };
    let owned = crate::words(text);
    let said: Vec<&str> = owned[..crate::hedge_from(&owned)].iter().map(String::as_str).collect();
    let words = crate::once::outside_free_text(&said, intent, spec);
    let sets = |words: &[&str]| markers(spec.language).iter().any(|m| words.windows(m.len()).any(|w| w == *m));
    sets(&words) && !spec.templates.iter().any(|t| sets(&crate::words(&t.text.replace('|', " ")).iter().map(String::as_str).collect::<Vec<_>>()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MatchParams, Matcher};

    #[test]
    fn a_payment_on_a_condition_is_found() {
        let set = IntentSet::builtin_for(&[Language::English, Language::Indonesian]).unwrap();
        let m = Matcher::new(set.clone(), MatchParams::default());
        // `text` as a reader that skipped the condition read it.
        let on = |text: &str, read: &str| conditional(&set, text, &m.parse(read).unwrap_or_else(|| panic!("{read:?} not understood")));
        assert!(on("pay my electricity bill if it is under fifty dollars", "pay my electricity bill"));
        assert!(on("send twenty dollars to mum unless she already paid", "send twenty dollars to mum"));
        assert!(on("kirim lima puluh ribu ke budi kalau dia minta", "kirim lima puluh ribu ke budi"));
        // Doubt, no condition, or nothing paid.
        for (text, read) in [
            ("send twenty dollars to mum if possible", "send twenty dollars to mum"),
            ("send twenty dollars to mum", "send twenty dollars to mum"),
            ("call mum if she is free", "call mum"),
        ] {
            assert!(!on(text, read), "{text}");
        }
        assert!(!on("kirim lima puluh ribu ke budi kalau bisa", "kirim lima puluh ribu ke budi"));
    }
}
