//! Reading an answer to a question the dialogue asked: a reply to a
//! confirmation ([`answer`]: the one rule that decides whether money
//! moves), and a bare value for a missing slot ([`SlotAnswers`]).
//!
//! Parsing only: what to do with the answer is the dialogue's (hush-actions).

use crate::{Intent, Language, Matcher, Slot};
use std::sync::Arc;

/// Intents of the general domain that answer a question.
pub const CONFIRM: &str = "confirm";
pub const DENY: &str = "deny";
pub const CANCEL: &str = "cancel";

/// How a reply to a confirmation question is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// An unambiguous affirmative: the request runs.
    Yes,
    /// A refusal: the request is cancelled.
    No,
    /// Anything else: a hedge, a mixed "no yes", a mishearing. Never yes.
    Unclear,
}

/// Words that make a reply a refusal (or, with an affirmative beside them,
/// unclear). Contractions arrive expanded ("don't" is "do not"); the forms
/// without an apostrophe are listed because transcripts drop it. The
/// Indonesian ones count whatever language the question was asked in: a
/// word that can only mean no never confirms.
#[rustfmt::skip]
const NEGATIONS: &[&str] = &[
    "no", "not", "nope", "nah", "never", "negative", "cancel", "stop", "wrong", "incorrect", "abort", "neither", "nor",
    "dont", "doesnt", "didnt", "isnt", "cant", "wont", "shouldnt", "wouldnt", "nothing", "none",
    // Indonesian: not, don't, not (a noun), not yet, cancel, wrong, and
    // their spoken forms ("nggak", "gak", "ndak", "ogah").
    "tidak", "tak", "nggak", "ngga", "enggak", "engga", "gak", "ga", "ndak", "nda", "kagak", "jangan", "bukan", "belum",
    "batal", "batalkan", "salah", "ogah", "usah",
    // Mandarin, one character a word: not, don't, have not, wrong, stop,
    // and the second characters of 取消 (cancel) and 算了 (forget it).
    "不", "别", "没", "否", "错", "甭", "勿", "莫", "停", "消", "算",
];

/// Words that make a reply unsure: it is asked again.
#[rustfmt::skip]
const HEDGES: &[&str] = &[
    "wait", "hold", "hang", "unsure", "maybe", "perhaps", "probably", "possibly", "think", "guess", "suppose", "dunno",
    "later", "second", "moment", "minute", "but", "if", "unless", "instead", "change", "different", "else", "other",
    "again", "repeat", "what", "why", "which", "how", "who", "huh", "pardon", "sorry", "hmm", "hm", "kind", "sort",
    "only", "except", "first", "before", "check", "really",
    // Indonesian: wait, a moment, maybe, but, if, change, other, again,
    // question words, sorry, try, check, first, later, really?
    "tunggu", "sebentar", "bentar", "mungkin", "kayaknya", "kayanya", "sepertinya", "tapi", "tetapi", "kalau", "kalo",
    "asal", "kecuali", "ganti", "ubah", "lain", "ulang", "ulangi", "apa", "kenapa", "mengapa", "gimana", "bagaimana",
    "berapa", "siapa", "mana", "hah", "maaf", "eh", "coba", "cek", "dulu", "nanti", "masa", "yakin", "beneran",
    // Mandarin: wait (等, 稍), question particles (吗, 呢) and words (什么,
    // 怎么, 为什么, 哪, 谁), maybe (可能, 也许, 大概, 应该), but (但是),
    // if (如果), again, first, think, change, or, still, 吧 (a reluctant "ok").
    "等", "稍", "吗", "呢", "什", "怎", "为", "哪", "谁", "能", "许", "概", "应", "但", "如", "再", "先", "想", "觉",
    "改", "换", "或", "还", "吧", "嗯",
];

/// Words of a plain yes. A reply is yes when every word is in
/// `AFFIRM_CORE` or `AFFIRM_SUPPORT` and at least one is in `AFFIRM_CORE`.
#[rustfmt::skip]
const AFFIRM_CORE: &[&str] = &[
    "yes", "yeah", "yep", "yup", "yea", "ya", "yah", "yess", "sure", "ok", "okay", "okey", "alright", "correct", "right",
    "confirm", "confirmed", "affirmative", "absolutely", "definitely", "certainly", "exactly", "indeed", "proceed",
    "ahead", "fine", "perfect",
    // Indonesian: yes, right, true, okay, sure, go on, agreed, of course.
    "iya", "iyaa", "betul", "benar", "bener", "oke", "sip", "siap", "boleh", "lanjut", "lanjutkan", "setuju", "tentu",
    "pasti", "silakan", "silahkan",
    // Mandarin: is, right, good, fine, confirm (确认), can (可以), go on (继续).
    "是", "对", "好", "行", "确", "可", "继",
];
/// The words that answer yes on their own: with a negation beside them
/// the reply is mixed, not a refusal.
/// ("benar", like "correct", is not one: "tidak benar" is a refusal.)
const YES_WORDS: &[&str] = &["yes", "yeah", "yep", "yup", "yea", "ya", "yah", "yess", "sure", "ok", "okay", "okey", "alright", "iya", "iyaa", "oke"];
const AFFIRM_SUPPORT: &[&str] = &[
    "please", "go", "do", "it", "that", "is", "thats", "thanks", "thank", "you", "sir", "maam", "all", "just", "so", "um", "uh", "er", "erm", "oh", "ah",
    "well", "good", "sounds", "looks", "of", "course", "i", "very", "much", "continue", "hush", "thing",
    // "yes, pay it", "yes I'm sure", "I said yes", "alright then": the
    // request's own verb and the words around a yes; none is yes alone.
    "pay", "send", "am", "said", "then", // Indonesian particles, pronouns, thanks and forms of address.
    "saja", "aja", "dong", "deh", "saya", "aku", "itu", "terima", "kasih", "makasih", "tolong", "bayar", "sekali", "kak", "pak", "bu", "mas", "mbak", "bang",
    // Mandarin: the rest of 的, 可以, 确认, 继续, 谢谢, and pay, transfer.
    "的", "以", "认", "续", "谢", "请", "我", "付", "款", "支", "转", "账", "啊", "呀", "了", "就", "这", "样",
];

/// Reads a reply to a confirmation. This is the one place that decides
/// whether money moves: only a plain affirmative is yes — a reply made
/// only of yes-words (above), or a `confirm` template matched word for
/// word — and never when a negation or hedge is said anywhere in it,
/// whatever a fuzzy or learned reading (`parsed`) scored. `parsed` can
/// only make a reply a refusal (a `deny` or `cancel` reading).
pub fn answer(text: &str, parsed: Option<&Intent>, matcher: &Matcher) -> Answer {
    let words = crate::words(text);
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let phrase = |a: &str, b: &str| words.windows(2).any(|p| p[0] == a && p[1] == b);
    let affirmative_word = has(AFFIRM_CORE);
    // "Yes?" asks rather than answers.
    if text.contains(['?', '？']) || has(HEDGES) || phrase("let", "me") {
        return Answer::Unclear;
    }
    let refused = has(NEGATIONS) || parsed.is_some_and(|p| p.name == DENY || p.name == CANCEL);
    if refused {
        // "No yes" says both; "that is not correct" says no.
        return if has(YES_WORDS) { Answer::Unclear } else { Answer::No };
    }
    let plain = affirmative_word && words.iter().all(|w| AFFIRM_CORE.contains(&w.as_str()) || AFFIRM_SUPPORT.contains(&w.as_str()));
    let template = || matcher.parse(text).is_some_and(|i| i.name == CONFIRM && i.cost == 0.0 && i.evidence.free == 0);
    if plain || template() {
        Answer::Yes
    } else {
        Answer::Unclear
    }
}

/// Whether a slot's value holds no negation: "no idea", "not sure yet",
/// "do not book it" said to "Where to?" are no place to go.
fn no_refusal(slot: &Slot) -> bool {
    !crate::words(&slot.raw).iter().any(|w| NEGATIONS.contains(&w.as_str()) || w == "nowhere")
}

/// Reads a bare answer to the question for one slot ("to the airport" for
/// `order_ride`'s destination): the slot's lists and parsers as templates
/// of their own, and the intent's unlisted values.
pub struct SlotAnswers {
    intent: String,
    language: Language,
    slot: String,
    answers: Arc<Matcher>,
}

impl Matcher {
    /// The reader of a bare answer to `intent`'s `slot` in `language`
    /// (the language the question is asked in, whose lists read the
    /// answer), its templates compiled once per matcher and shared. None
    /// when the matcher's intents have no such slot.
    pub fn slot_answers(&self, intent: &str, language: Language, slot: &str) -> Option<SlotAnswers> {
        let key = (intent.to_owned(), language, slot.to_owned());
        let cached = self.answers.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
        let answers = match cached {
            Some(found) => found,
            None => {
                // Compiled outside the lock: another thread may compile the
                // same one meanwhile, and the first kept wins.
                let made = self.intents().answer_set(intent, language, slot).map(|set| Arc::new(Matcher::new(set, self.params())));
                self.answers.lock().unwrap_or_else(|e| e.into_inner()).entry(key).or_insert(made).clone()
            }
        }?;
        Some(SlotAnswers { intent: intent.to_owned(), language, slot: slot.to_owned(), answers })
    }
}

impl SlotAnswers {
    /// The answer templates' reading of `text`, to weigh against a reading
    /// of it as a new request.
    pub fn parse(&self, text: &str) -> Option<Intent> {
        self.answers.parse(text)
    }

    /// The slot a [`SlotAnswers::parse`] reading holds.
    pub fn slot_of(&self, reading: Option<Intent>) -> Option<Slot> {
        reading.and_then(|a| a.slots.into_iter().find(|s| s.name == self.slot)).filter(no_refusal)
    }

    /// A value the slot's lists do not name but its type allows, read from
    /// the whole of `text` by `matcher` (the engine's).
    pub fn unlisted(&self, matcher: &Matcher, text: &str) -> Option<Slot> {
        matcher.unlisted_value(&self.intent, self.language, &self.slot, text).filter(no_refusal)
    }

    /// `text` as the slot's value, listed or not.
    pub fn read(&self, matcher: &Matcher, text: &str) -> Option<Slot> {
        self.slot_of(self.parse(text)).or_else(|| self.unlisted(matcher, text))
    }
}
