//! Requests said in the negative: "don't call mum", "I don't want to pay
//! the water bill", "jangan bayar tagihan listrik", "cancel my food order".
//!
//! A reader that forgives words (the fuzzy matcher, the learned model) may
//! read such a sentence as the request it negates. [`negates`] says when
//! it does, so the engine can leave it unread. Intents that are themselves
//! a refusal ("don't send the driver" is `cancel_ride`) keep their
//! reading unless the negated word is a cancel word ("don't cancel my
//! ride").

use crate::{Expr, Intent, IntentSet, Language, CANCEL, DENY};

/// Words said before a request that change nothing: "hey hush, please
/// don't ...", "no, don't ...".
fn leads(language: Language) -> &'static [&'static str] {
    match language {
        Language::English => {
            &["hey", "hush", "okay", "ok", "please", "um", "uh", "er", "erm", "oh", "so", "and", "but", "just", "actually", "no", "now", "wait"]
        }
        Language::Indonesian => &["eh", "hei", "hai", "halo", "oke", "ok", "tolong", "ya", "nah", "sudah", "udah", "hush", "please"],
        Language::Mandarin => &["嗯", "啊", "呃", "哦", "请"],
    }
}

/// Words that call a request off.
fn cancels(language: Language) -> &'static [&'static str] {
    match language {
        Language::English => &["cancel", "abort", "stop"],
        Language::Indonesian => &["batal", "batalkan", "batalin", "cancel", "stop", "hentikan", "berhenti"],
        Language::Mandarin => &["取", "停"],
    }
}

/// Where the negated words begin, when `words` open with a negation:
/// "do not ...", "never ..." (not "never mind"), "no need to ...",
/// "I don't want (you) to ...", "can you not ...", "stop calling ...",
/// "cancel ...", "jangan ...", "gak usah ...", "saya tidak mau ...",
/// "别 ...", "不要 ...".
fn negated_from(language: Language, words: &[&str]) -> Option<usize> {
    let leads = leads(language);
    // "no need to" opens with a word the leads would skip.
    let start = words.iter().enumerate().position(|(i, w)| !leads.contains(w) || (*w == "no" && words.get(i + 1) == Some(&"need")))?;
    let w = |i: usize| words.get(start + i).copied().unwrap_or("");
    let any = |i: usize, of: &[&str]| of.contains(&w(i));
    // Past optional "you" and "to" after the negation.
    let past = |mut i: usize| {
        for filler in ["you", "to"] {
            if w(i) == filler {
                i += 1;
            }
        }
        Some(start + i).filter(|&at| at < words.len())
    };
    match language {
        Language::English => {
            let not = |i: usize| {
                if w(i) == "dont" {
                    Some(i + 1)
                } else if w(i) == "do" && w(i + 1) == "not" {
                    Some(i + 2)
                } else {
                    None
                }
            };
            if let Some(i) = not(0) {
                return past(i);
            }
            if w(0) == "never" && w(1) != "mind" {
                return past(1);
            }
            if w(0) == "no" && w(1) == "need" {
                return past(2);
            }
            // "I don't want to", "we do not need you to", "you don't have to".
            if any(0, &["i", "we", "you"]) {
                if let Some(i) = not(1).filter(|&i| any(i, &["want", "need", "wanna", "have"])) {
                    return past(i + 1);
                }
            }
            if any(0, &["can", "could", "would", "will"]) && w(1) == "you" && w(2) == "not" {
                return past(3);
            }
            if w(0) == "stop" && w(1).ends_with("ing") {
                return past(1);
            }
            if any(0, &["cancel", "abort"]) {
                return past(1);
            }
            None
        }
        Language::Indonesian => {
            const NOT: &[&str] = &["tidak", "tak", "nggak", "ngga", "enggak", "engga", "gak", "ga", "ndak"];
            const WANT: &[&str] = &["usah", "perlu", "mau", "jadi", "ingin", "pengen", "pingin"];
            if w(0) == "jangan" {
                return past(1);
            }
            if any(0, NOT) && any(1, WANT) {
                return past(2);
            }
            if any(0, &["saya", "aku", "gue", "gua", "kami", "kita"]) && any(1, NOT) && any(2, WANT) {
                return past(3);
            }
            if any(0, &["batal", "batalkan", "batalin", "hentikan"]) {
                return past(1);
            }
            None
        }
        Language::Mandarin => {
            // One character a word: 别, 不要, 不用, 不想, 取消, 停止.
            if w(0) == "别" {
                return past(1);
            }
            if w(0) == "不" && any(1, &["要", "用", "想"]) {
                return past(2);
            }
            if (w(0) == "取" && w(1) == "消") || (w(0) == "停" && w(1) == "止") {
                return past(2);
            }
            None
        }
    }
}

/// Whether `text`, said in `language`, opens with a negation or a cancel
/// word ("don't book it", "jangan", "cancel that"): said to a question,
/// it calls the request off.
pub fn opens_negated(language: Language, text: &str) -> bool {
    let owned = crate::words(text);
    negated_from(language, &owned.iter().map(String::as_str).collect::<Vec<_>>()).is_some()
}

/// Whether `text`, read as `intent`, asks for the opposite: it opens with
/// a negation or a cancel word, and the intent does not refuse what it
/// negates, or the negated word cancels ("don't cancel my ride").
pub fn negates(intents: &IntentSet, text: &str, intent: &Intent) -> bool {
    let language = intent.language;
    let owned = crate::words(text);
    let words: Vec<&str> = owned.iter().map(String::as_str).collect();
    let Some(at) = negated_from(language, &words) else { return false };
    !refuses(intents, intent, negated_word(language, &words[at..])) || cancels(language).contains(&words[at])
}

/// The first word negated, fillers aside: "abort um my uber" negates "uber".
fn negated_word<'a>(language: Language, negated: &[&'a str]) -> &'a str {
    negated.iter().find(|w| !crate::is_filler(language, w)).or(negated.first()).copied().unwrap_or_default()
}

/// Whether `intent` is itself a refusal of `negated` (the word a negation
/// is said before): `deny` and `cancel` refuse anything; another intent
/// refuses what one of its templates (in its language) negates where it
/// opens ("(do not|don't) send [me] (a|the) <ride_noun>" refuses "send",
/// not "book": "don't book a ride" cancels no ride booked before).
fn refuses(intents: &IntentSet, intent: &Intent, negated: &str) -> bool {
    let opens_negating = |t: &crate::TemplateSpec| {
        openings(intents, vec![Vec::new()], &t.expr, 0).iter().any(|o| {
            let words: Vec<&str> = o.iter().map(String::as_str).collect();
            negated_from(intent.language, &words).is_some_and(|at| negated_word(intent.language, &words[at..]) == negated)
        })
    };
    intent.name == DENY
        || intent.name == CANCEL
        || intents.intent_in(&intent.name, intent.language).is_some_and(|spec| spec.templates.iter().any(opens_negating))
}

/// Words of a template's opening that decide whether it negates.
const OPENING: usize = 4;
/// Most openings kept per template: alternatives multiply.
const MOST_OPENINGS: usize = 4096;

/// The first [`OPENING`] words of every sentence `e` says after each of
/// `prefixes` (a slot as a placeholder word; rules followed four deep).
fn openings(set: &IntentSet, prefixes: Vec<Vec<String>>, e: &Expr, depth: usize) -> Vec<Vec<String>> {
    let (mut out, open): (Vec<_>, Vec<_>) = prefixes.into_iter().partition(|p| p.len() >= OPENING);
    if open.is_empty() {
        return out;
    }
    match e {
        Expr::Word(w) => out.extend(open.into_iter().map(|mut p| {
            p.extend(crate::words(w));
            p
        })),
        Expr::Slot { name, .. } => out.extend(open.into_iter().map(|mut p| {
            p.push(format!("{{{name}}}"));
            p
        })),
        Expr::Seq(items) => out.extend(items.iter().fold(open, |cur, item| openings(set, cur, item, depth))),
        Expr::Alt(alts) => {
            for a in alts {
                if out.len() >= MOST_OPENINGS {
                    break;
                }
                out.extend(openings(set, open.clone(), a, depth));
            }
        }
        Expr::Opt(x) => {
            out.extend(openings(set, open.clone(), x, depth));
            out.extend(open);
        }
        Expr::Rule(name) => match set.rules.get(name).filter(|_| depth < 4) {
            Some(x) => out.extend(openings(set, open, x, depth + 1)),
            None => out.extend(open),
        },
    }
    out.sort();
    out.dedup();
    out.truncate(MOST_OPENINGS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opens(language: Language, text: &str) -> Option<String> {
        let owned = crate::words(text);
        let words: Vec<&str> = owned.iter().map(String::as_str).collect();
        negated_from(language, &words).map(|at| words[at..].join(" "))
    }

    #[test]
    fn negations_are_found_where_they_open_a_sentence() {
        let en = |t| opens(Language::English, t);
        assert_eq!(en("don't call mum").as_deref(), Some("call mum"));
        assert_eq!(en("Please, do not pay my electricity bill").as_deref(), Some("pay my electricity bill"));
        assert_eq!(en("hey hush no don't send money to john").as_deref(), Some("send money to john"));
        assert_eq!(en("I don't want to pay the water bill").as_deref(), Some("pay the water bill"));
        assert_eq!(en("i dont want you to call him").as_deref(), Some("call him"));
        assert_eq!(en("no need to book a ride").as_deref(), Some("book a ride"));
        assert_eq!(en("never book a taxi").as_deref(), Some("book a taxi"));
        assert_eq!(en("can you not call mum").as_deref(), Some("call mum"));
        assert_eq!(en("stop paying my internet bill").as_deref(), Some("paying my internet bill"));
        assert_eq!(en("cancel my food order").as_deref(), Some("my food order"));
        for plain in ["call mum", "never mind", "stop the ride", "i need a ride", "tell him don't come", "i don't", "don't"] {
            assert_eq!(en(plain), None, "{plain}");
        }
        let id = |t| opens(Language::Indonesian, t);
        assert_eq!(id("jangan bayar tagihan listrik").as_deref(), Some("bayar tagihan listrik"));
        assert_eq!(id("gak usah telepon ibu").as_deref(), Some("telepon ibu"));
        assert_eq!(id("saya tidak mau pesan ojek").as_deref(), Some("pesan ojek"));
        assert_eq!(id("bilangin adik jangan lupa makan"), None);
        let zh = |t| opens(Language::Mandarin, t);
        assert_eq!(zh("不要付电费").as_deref(), Some("付 电 费"));
        assert_eq!(zh("付电费"), None);
    }
}
