//! Conversations against the reference actions on one ledger: random
//! sequences of requests, answers and noise. Money leaves an account only
//! through a confirmed request that the ledger records as a payment, and
//! by exactly its amount.
#![no_main]
use hush_actions::{ActionContext, Dialogue, DialogueParams, Registry, Step};
use hush_nlu::{IntentSet, MatchParams, Matcher};
use hush_reference::{Ledger, Simulation};
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

const SAID: &[&str] = &[
    "pay my electricity bill",
    "pay my water bill of $18.75",
    "send fifty dollars to mom",
    "top up my canteen card with ten dollars",
    "pay the internet bill",
    "transfer 20 dollars to budi from savings",
    "book me a ride to the airport",
    "what is my balance",
    "yes",
    "no",
    "yes please",
    "not sure",
    "no yes",
    "that is not correct",
    "don't go ahead",
    "go ahead",
    "cancel",
    "wait",
    "okay",
    "sure",
    "confirm",
    "yeah no",
    "the water one",
    "forty two dollars",
    "from my wallet",
    "hmm",
    "no, thirty dollars",
    "make it fifty",
    "actually tomorrow",
    "no send it to dad",
    "",
];

struct World {
    matcher: Matcher,
    registry: Registry,
    ledger: Arc<Ledger>,
    rt: tokio::runtime::Runtime,
}

static WORLD: LazyLock<World> = LazyLock::new(|| {
    let ledger = Arc::new(Ledger::in_memory().expect("ledger"));
    let mut registry = Registry::new(Duration::from_secs(5));
    for a in hush_reference::reference_actions(ledger.clone(), Simulation::default()) {
        registry.register(a).expect("reference actions");
    }
    let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("runtime");
    World { matcher: Matcher::new(IntentSet::builtin().expect("built-in"), MatchParams::default()), registry, ledger, rt }
});

fn money(w: &World) -> (i64, usize, i64) {
    let total = w.ledger.accounts().expect("accounts").iter().map(|a| a.balance_minor).sum();
    let payments = w.ledger.payments().expect("payments");
    (total, payments.len(), payments.iter().map(|p| p.amount_minor).sum())
}

fuzz_target!(|data: &[u8]| {
    let w = &*WORLD;
    let mut d = Dialogue::new(DialogueParams::default());
    let now = Instant::now();
    // Each line is a turn: a known phrase (a byte below 0x80 picks one),
    // or the line itself as text; heard doubtfully when the byte (or the
    // line's first) has 0x40 set, so a "Did you say ...?" can be answered
    // by anything that follows.
    for line in data.split(|&b| b == b'\n').take(16) {
        let text = match line.first() {
            Some(&b) if b < 0x80 && line.len() == 1 => SAID[b as usize % SAID.len()].to_owned(),
            _ => String::from_utf8_lossy(line).into_owned(),
        };
        let doubtful = line.first().is_some_and(|&b| b & 0x40 != 0);
        let parsed = w.matcher.parse(&text);
        let step = d.step(&text, parsed, doubtful, &w.matcher, &w.registry, now);
        let Step::Run { intent, confirmed, key } = step else { continue };
        let before = money(w);
        let _ = w.rt.block_on(w.registry.dispatch(&intent, ActionContext::new(key, confirmed)));
        let after = money(w);
        let spent = before.0 - after.0;
        let recorded = after.2 - before.2;
        assert_eq!(spent, recorded, "{intent:?}: balances fell by {spent}, payments recorded {recorded}");
        if after.1 != before.1 {
            assert!(confirmed, "{intent:?}: paid without a confirmation");
            assert!(matches!(hush_nlu::answer(&text, None, &w.matcher), hush_nlu::Answer::Yes), "paid on {text:?}");
        }
    }
});
