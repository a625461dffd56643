//! The word lists and costs the matcher and the grammar share: fillers,
//! words that begin, end or sit inside no name, and what each edit costs.

use crate::Language;

/// Words said in passing (hesitations, politeness, function words, particles)
/// in `language`: cheap to add to a sentence or to leave out of a template.
pub(crate) fn fillers(language: Language) -> &'static [&'static str] {
    match language {
        Language::English => &[
            "um", "uh", "erm", "hmm", "ah", "oh", "the", "a", "an", "please", "just", "like", "so", "okay", "ok", "hey", "now", "then", "me", "my", "some",
            "can", "you", "could", "would", "i", "of", "and", "is", "it", "that", "there", "well", "actually", "kindly",
        ],
        // Hesitations, the particles colloquial speech scatters ("dong",
        // "sih", "nih"), politeness ("tolong", "coba"), I/me and you, this
        // and that, the loanwords "oke" and "please".
        Language::Indonesian => &[
            "eh", "ehm", "em", "hmm", "anu", "nah", "ya", "yah", "sih", "dong", "deh", "nih", "tuh", "kok", "kan", "lah", "loh", "lho", "tolong", "coba",
            "aku", "saya", "gue", "gua", "kamu", "ini", "itu", "yang", "dan", "juga", "aja", "saja", "dulu", "oke", "ok", "okay", "please",
        ],
        // Hesitations and sentence-final particles, one character each (a
        // character is a word to the matcher).
        Language::Mandarin => &["嗯", "啊", "呃", "哦", "吧", "呢"],
    }
}

/// The English plural of a phrase naming one thing: "a gas station" ->
/// "gas stations", "pharmacy" -> "pharmacies". `None` where the last word
/// is not plainly a singular noun (it ends in "s", holds no letters only,
/// is under three letters) or where the noun may not be last ("a place to
/// eat"): an irregular or unsure plural is left to the list's author.
pub(crate) fn plural(words: &[String]) -> Option<Vec<String>> {
    const INSIDE: &[&str] = &["to", "of", "for", "in", "on", "at", "with", "by", "from", "and", "or"];
    let rest = match words.first().map(String::as_str) {
        Some("a" | "an") => &words[1..],
        _ => words,
    };
    let (last, head) = rest.split_last()?;
    if head.iter().any(|w| INSIDE.contains(&w.as_str())) || last.len() < 3 || !last.bytes().all(|b| b.is_ascii_lowercase()) || last.ends_with('s') {
        return None;
    }
    let vowel = |b: u8| b"aeiou".contains(&b);
    let bytes = last.as_bytes();
    let plural = if last.ends_with('y') && !vowel(bytes[bytes.len() - 2]) {
        format!("{}ies", &last[..last.len() - 1])
    } else if ["ch", "sh", "x", "z"].iter().any(|e| last.ends_with(e)) {
        format!("{last}es")
    } else {
        format!("{last}s")
    };
    Some(head.iter().cloned().chain([plural]).collect())
}

/// Whether `word` is one of `language`'s fillers: said in passing, so a
/// list phrase made only of them ("me") names nothing on its own.
pub fn is_filler(language: Language, word: &str) -> bool {
    fillers(language).contains(&word)
}

/// Words that begin no name, place or title ("me", "about", "to"...):
/// they belong to the sentence around the slot.
pub(crate) const NOT_FIRST: &[&str] = &[
    "me", "my", "us", "our", "you", "your", "him", "her", "his", "them", "their", "it", "its", "i", "we", "to", "of", "for", "from", "at", "in", "on", "about",
    "with", "and", "or", "is", "are", "was", "please", "what", "when", "where", "how", "who", "which", "that", "some", "any", "do", "does", "can", "could",
    "would", "will", "should", "not", "so", "if", "by", "off", "out", "again", "using", "via",
    // Bahasa Indonesia: to, from, for, which, please, by (vehicle), using,
    // what, just now.
    "ke", "dari", "untuk", "buat", "yang", "tolong", "dong", "naik", "pakai", "pake", "lewat", "apa", "tadi",
];

/// Words found in no name, place or dish.
const NOT_INSIDE: &[&str] = &["for", "to", "from", "at", "please", "using", "via", "ke", "naik", "pakai", "pake", "lewat", "tolong", "terdekat"];

/// Whether a (normalised) word may be part of a name, place or dish an
/// open list does not know: not a word of the sentence around it ("to",
/// "please"), nor a currency sign or symbol ("make a transfer of $42 to
/// $" names no one).
pub(crate) fn may_be_inside(w: &str) -> bool {
    !NOT_INSIDE.contains(&w) && w.chars().any(char::is_alphanumeric)
}

/// Words that end no name, place or title.
pub(crate) const NOT_LAST: &[&str] = &[
    "the", "a", "an", "me", "my", "us", "our", "your", "to", "of", "for", "from", "at", "in", "on", "about", "with", "and", "or", "please", "that", "some",
    "any", "by", "again", "now", "using", "via", "like", // Bahasa Indonesia: not (as a question tag), particles, to, at, from,
    // for, by (vehicle), using, with, how (as a question tag), now, nearest,
    // just now, only.
    "gak", "nggak", "ngga", "enggak", "dong", "nih", "sih", "deh", "ya", "ke", "di", "dari", "untuk", "buat", "naik", "pakai", "pake", "lewat", "sama",
    "dengan", "gimana", "sekarang", "terdekat", "tadi", "saja", "aja",
];

/// Courtesy and haste said after a request ("... thanks", "... right
/// now", "... terima kasih"): the sentence's end, no part of the name or
/// place before it ("call mum right now" calls mum, not "mum right").
const CLOSINGS: &[&[&str]] = &[
    &["thanks"],
    &["thank", "you"],
    &["thanks", "a", "lot"],
    &["thank", "you", "very", "much"],
    &["cheers"],
    &["please"],
    &["now"],
    &["right", "now"],
    &["asap"],
    &["as", "soon", "as", "possible"],
    &["right", "away"],
    &["straight", "away"],
    &["immediately"],
    &["no", "rush"],
    &["no", "hurry"],
    &["no", "worries"],
    &["no", "problem"],
    &["quickly"],
    // Bahasa Indonesia: thanks, now, right now, quickly.
    &["makasih"],
    &["terima", "kasih"],
    &["sekarang"],
    &["sekarang", "juga"],
    &["segera"],
];

/// Where the courtesy and haste that end `words` begin ("call mum right
/// now thanks": 2), `words.len()` when none does. At least two words are
/// left before them: in "play thank you" the words are what is asked for.
pub fn closing_from<S: AsRef<str>>(words: &[S]) -> usize {
    ending_from(&[CLOSINGS], words)
}

/// Doubt said after a request ("... maybe", "... i guess", "...
/// mungkin"), and "once" (a payment is made once anyway): on a payment,
/// no part of the name before them ("Send $20.00 to mum maybe?").
/// Elsewhere such words may end a title ("call me maybe"), so only
/// payments cut them.
const HEDGES: &[&[&str]] = &[
    &["once"],
    &["just", "once"],
    &["maybe"],
    &["perhaps"],
    &["i", "guess"],
    &["i", "think"],
    &["i", "suppose"],
    &["if", "possible"],
    &["if", "you", "can"],
    &["or", "something"],
    // Bahasa Indonesia: maybe, it seems, if possible.
    &["mungkin"],
    &["kayaknya"],
    &["kalau", "bisa"],
    &["kalo", "bisa"],
];

/// Where the doubt, courtesy and haste that end `words` begin ("send
/// twenty dollars to mum maybe thanks": 5); `words.len()` when none does.
pub fn hedge_from<S: AsRef<str>>(words: &[S]) -> usize {
    ending_from(&[HEDGES, CLOSINGS], words)
}

/// Where the phrases of `lists` that end `words` begin, at least two
/// words left before them.
fn ending_from<S: AsRef<str>>(lists: &[&[&[&str]]], words: &[S]) -> usize {
    let mut end = words.len();
    let ends_at = |c: &&[&str], end: usize| c.len() + 2 <= end && words[end - c.len()..end].iter().zip(c.iter()).all(|(w, c)| w.as_ref() == *c);
    while let Some(k) = lists.iter().flat_map(|l| l.iter()).filter(|c| ends_at(c, end)).map(|c| c.len()).max() {
        end -= k;
    }
    end
}

/// Words a sentence does not end on: a speaker who stops after one is
/// drawing breath ("book me a ride to the ...", "send it to my").
pub(crate) const DANGLING: &[&str] = &[
    "the", "a", "an", "my", "our", "your", "his", "her", "their", "its", "to", "of", "for", "from", "at", "with", "and", "or", "but", "by", "into", "than",
    "because", "if", "um", "uh", "er",
];

/// Words that join a second request on to a first ("and", "then";
/// "dan", "terus", "lalu"): see `Matcher::joined_request`.
pub(crate) const JOINING: &[&str] = &["and", "then", "dan", "terus", "lalu", "trus"];

/// Words said before an unlisted value ("to grand indonesia").
pub(crate) const UNLISTED_LEAD: &[&str] = &["um", "uh", "oh", "to", "at", "from", "the"];

/// Longest stretch of words matched to a list phrase by sound or spelling:
/// three, so a two-word phrase heard as three ("heat it seat") is found.
pub(crate) const FUZZY_SPAN: usize = 3;

/// Cost of a filler said where the template has none.
pub(crate) const FILLER_COST: f32 = 0.4;

/// Cost of hearing one short function word for another ("to" for "a").
pub(crate) const FUNCTION_SWAP_COST: f32 = 0.5;

/// The short function words ASR swaps for one another.
pub(crate) const SWAPPABLE: &[&str] = &["a", "an", "the", "to", "of", "for", "my", "me", "in", "on", "at", "and", "your", "this"];

/// Cost of hearing a word unlike the one the template has.
pub(crate) const UNRELATED_COST: f32 = 1.2;

/// Lowest confidence an n-best list (n > 1) goes down to.
pub(crate) const N_BEST_FLOOR: f32 = 0.02;

/// Beam of an n-best search.
pub(crate) const N_BEST_BEAM: f32 = 3.0;

/// Cost of a word repeated right after itself.
pub(crate) const STUTTER_COST: f32 = 0.1;

/// Words before a template that cost at most [`LEAD_COST`] each.
pub(crate) const LEAD_WORDS: usize = 2;
pub(crate) const LEAD_COST: f32 = 0.3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn courtesy_and_haste_end_a_sentence() {
        let at = |s: &str| closing_from(&s.split(' ').collect::<Vec<_>>());
        assert_eq!(at("call mum right now"), 2);
        assert_eq!(at("send twenty dollars to mum thank you very much"), 5);
        assert_eq!(at("call mum right now thanks"), 2);
        assert_eq!(at("telepon ibu sekarang juga ya makasih"), 5);
        assert_eq!(at("call mum"), 2);
        // What is asked for: "play thank you", "call now".
        assert_eq!(at("thank you"), 2);
        assert_eq!(at("play thank you"), 3);
        assert_eq!(at("call now"), 2);
        assert_eq!(at("call mum now"), 2);
        // Doubt is no closing, but ends a payment's name with one.
        assert_eq!(at("send twenty dollars to mum maybe"), 6);
        let doubt = |s: &str| hedge_from(&s.split(' ').collect::<Vec<_>>());
        assert_eq!(doubt("send twenty dollars to mum maybe"), 5);
        assert_eq!(doubt("send twenty dollars to mum i guess thanks"), 5);
        assert_eq!(doubt("kirim ke budi kalau bisa"), 3);
        assert_eq!(doubt("pay maybe"), 2);
    }

    #[test]
    fn a_phrase_naming_one_thing_has_a_plural() {
        let p = |s: &str| plural(&s.split(' ').map(str::to_owned).collect::<Vec<_>>()).map(|w| w.join(" "));
        assert_eq!(p("a pharmacy").as_deref(), Some("pharmacies"));
        assert_eq!(p("gas station").as_deref(), Some("gas stations"));
        assert_eq!(p("an atm").as_deref(), Some("atms"));
        assert_eq!(p("coach").as_deref(), Some("coaches"));
        assert_eq!(p("a car wash").as_deref(), Some("car washes"));
        assert_eq!(p("subway").as_deref(), Some("subways"));
        // Already plural, too short, not a word, or the noun not last.
        for s in ["news", "toilets", "ac", "21", "a place to eat", "somewhere to sleep"] {
            assert_eq!(p(s), None, "{s}");
        }
    }
}
