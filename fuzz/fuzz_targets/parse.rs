//! The matcher on arbitrary text, with the built-in domains in English and
//! Indonesian: an intent with a confidence in [0, 1], or none. And their
//! grammar, which steers the recogniser, fed the same text whole (as free
//! decoding's transcript is checked) and in pieces of a few characters (as
//! a decoder writes): it answers, and no word it takes grows without end.
#![no_main]
use hush_nlu::{Grammar, IntentSet, Language, MatchParams, Matcher};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static M: LazyLock<Matcher> = LazyLock::new(|| {
    let set = IntentSet::builtin_for(&[Language::English, Language::Indonesian]).expect("built-in domains");
    Matcher::new(set, MatchParams::default())
});
static G: LazyLock<Grammar> = LazyLock::new(|| M.grammar());

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for i in M.parse_nbest(&text, 3) {
        assert!((0.0..=1.0).contains(&i.confidence), "{i:?}");
        let _ = (hush_nlu::negates(M.intents(), &text, &i), hush_nlu::more_than_once(M.intents(), &text, &i));
    }
    for language in [Language::English, Language::Indonesian] {
        let _ = M.unlisted_value("order_ride", language, "destination", &text);
    }
    let _ = M.language_of(&text);

    let _ = G.ending(&text);
    if let Some(s) = G.feed(&G.start(), &text) {
        let _ = G.sentence(&s);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut state = G.start();
    let mut expected = Vec::new();
    for piece in chars.chunks(3) {
        let Some(next) = G.feed(&state, &piece.iter().collect::<String>()) else { break };
        let _ = (G.sentence(&next), G.free_words(&next));
        expected.clear();
        G.expected(&next, &mut expected);
        state = next;
    }
});
