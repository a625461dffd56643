//! Confirmation cannot be mistaken: the replies that answer "Pay ...?",
//! read by the one rule that decides (`hush_nlu::answer`) and through
//! the dialogue. The same table runs through the engine (with the ledger)
//! in the facade's `tests/confirmation.rs`.

use hush_actions::{Dialogue, DialogueParams, Registry, Step};
use hush_nlu::{answer, Answer};
use hush_nlu::{IntentSet, MatchParams, Matcher};
use proptest::prelude::*;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

#[path = "../../../tests/fixtures/replies.rs"]
mod replies;
use replies::{AFFIRMATIVES, AFFIRMATIVES_ID, NOT_YES, NOT_YES_ID};

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| Matcher::new(IntentSet::builtin().unwrap(), MatchParams::default()))
}

fn read(text: &str) -> Answer {
    answer(text, matcher().parse(text).as_ref(), matcher())
}

fn registry() -> Registry {
    let mut r = Registry::default();
    for a in hush_reference::reference_actions(Arc::new(hush_reference::Ledger::in_memory().unwrap()), hush_reference::Simulation::default()) {
        r.register(a).unwrap();
    }
    r
}

/// What the dialogue does with `reply` to a pending payment.
fn after_asking(reply: &str) -> Step {
    let (m, r) = (matcher(), registry());
    let mut d = Dialogue::new(DialogueParams::default());
    let ask = d.step("pay my water bill", m.parse("pay my water bill"), false, m, &r, Instant::now());
    assert!(matches!(ask, Step::Ask { .. }), "{ask:?}");
    d.step(reply, m.parse(reply), false, m, &r, Instant::now())
}

#[test]
fn the_tables_are_big_enough() {
    assert!(AFFIRMATIVES.len() >= 30, "{}", AFFIRMATIVES.len());
    assert!(NOT_YES.len() >= 60, "{}", NOT_YES.len());
}

#[test]
fn nothing_but_a_plain_yes_confirms() {
    let wrongly: Vec<&str> = NOT_YES.iter().copied().filter(|r| read(r) == Answer::Yes).collect();
    assert!(wrongly.is_empty(), "taken as yes: {wrongly:?}");
    for r in NOT_YES {
        let step = after_asking(r);
        assert!(!matches!(step, Step::Run { confirmed: true, .. }), "{r:?} confirmed: {step:?}");
    }
}

#[test]
fn affirmatives_confirm() {
    let missed: Vec<&str> = AFFIRMATIVES.iter().copied().filter(|r| read(r) != Answer::Yes).collect();
    assert!(missed.is_empty(), "not taken as yes: {missed:?}");
    for r in AFFIRMATIVES {
        assert!(matches!(after_asking(r), Step::Run { confirmed: true, .. }), "{r:?}");
    }
}

/// The same rule said in Indonesian: a plain "iya"/"betul"/"oke" pays;
/// "jangan", "tidak", "bukan", "belum", a hedge or a question never do.
#[test]
fn indonesian_replies_follow_the_same_rule() {
    let wrongly: Vec<&str> = NOT_YES_ID.iter().copied().filter(|r| read(r) == Answer::Yes).collect();
    assert!(wrongly.is_empty(), "taken as yes: {wrongly:?}");
    let missed: Vec<&str> = AFFIRMATIVES_ID.iter().copied().filter(|r| read(r) != Answer::Yes).collect();
    assert!(missed.is_empty(), "not taken as yes: {missed:?}");
    for r in ["tidak", "jangan bayar", "bukan", "belum", "tidak benar", "batalkan", "tidak boleh"] {
        assert_eq!(read(r), Answer::No, "{r}");
    }
    for r in ["iya tidak", "ya jangan", "tunggu", "Iya?", "mungkin"] {
        assert_eq!(read(r), Answer::Unclear, "{r}");
    }
    for r in NOT_YES_ID {
        assert!(!matches!(after_asking(r), Step::Run { confirmed: true, .. }), "{r:?} confirmed");
    }
}

#[test]
fn refusals_cancel_and_hedges_ask_again_then_cancel() {
    for r in ["no", "that is not correct", "don't go ahead", "nope", "do not do it", "cancel"] {
        assert_eq!(read(r), Answer::No, "{r}");
        assert!(matches!(after_asking(r), Step::Reply(ref o) if o.status == hush_actions::Status::Aborted), "{r}");
    }
    for r in ["not sure", "no yes", "yes no", "wait", "hold on", "yes?", "hmm"] {
        assert_eq!(read(r), Answer::Unclear, "{r}");
    }
    // Two unclear answers in a row cancel instead of asking forever.
    let (m, r) = (matcher(), registry());
    let mut d = Dialogue::new(DialogueParams::default());
    d.step("pay my water bill", m.parse("pay my water bill"), false, m, &r, Instant::now());
    let again = d.step("not sure", m.parse("not sure"), false, m, &r, Instant::now());
    assert!(matches!(again, Step::Ask { ref prompt, .. } if prompt.starts_with("Sorry, please say yes or no.")), "{again:?}");
    let gone = d.step("hold on", m.parse("hold on"), false, m, &r, Instant::now());
    assert!(matches!(gone, Step::Reply(ref o) if o.status == hush_actions::Status::Aborted), "{gone:?}");
    assert!(d.pending().is_none());
    let late = d.step("yes", m.parse("yes"), false, m, &r, Instant::now());
    assert!(!matches!(late, Step::Run { .. }), "{late:?}");
}

#[test]
fn a_learned_or_fuzzy_confirm_reading_is_not_enough() {
    // `parsed` says confirm with full confidence; the words do not.
    let fake = |text: &str| {
        let mut i = matcher().parse("yes").unwrap();
        i.confidence = 1.0;
        answer(text, Some(&i), matcher())
    };
    for r in ["that is not correct", "yes sir i guess", "go for broke", "yes my friend", "affirm the negative"] {
        assert_ne!(fake(r), Answer::Yes, "{r}");
    }
}

/// Negations and hedges, as a transcript may write them.
const SPOILERS: &[&str] = &[
    "not", "no", "don't", "do not", "never", "wait", "unsure", "not sure", "hold on", "maybe", "cancel", "stop", "nope", "dont", "hang on", "but", "if",
    "what", "isn't", "no,", "Not", "NO", "tidak", "jangan", "bukan", "belum", "nggak", "gak", "tunggu", "mungkin", "tapi", "Jangan,", "batal",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
    /// Inserting a negation or hedge (English or Indonesian) anywhere into
    /// any affirmative of either language never gives a yes, nor a
    /// confirmed step.
    #[test]
    fn a_negation_anywhere_spoils_any_yes(a in 0..AFFIRMATIVES.len() + AFFIRMATIVES_ID.len(), s in 0..SPOILERS.len(), at in 0usize..8) {
        let yes = AFFIRMATIVES.get(a).unwrap_or_else(|| &AFFIRMATIVES_ID[a - AFFIRMATIVES.len()]);
        let words: Vec<&str> = yes.split_whitespace().collect();
        let at = at.min(words.len());
        let mut spoiled = words[..at].to_vec();
        spoiled.push(SPOILERS[s]);
        spoiled.extend_from_slice(&words[at..]);
        let text = spoiled.join(" ");
        prop_assert_ne!(read(&text), Answer::Yes, "{}", text);
        prop_assert!(!matches!(after_asking(&text), Step::Run { confirmed: true, .. }), "{}", text);
    }
}
