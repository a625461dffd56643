//! Money moves only on a plain yes, through the whole engine: the reply
//! tables of `tests/fixtures/replies.rs` (English and Indonesian) typed after "pay my water bill",
//! with the ledger checked, and spoken replies (espeak-ng clips in
//! `tests/fixtures/replies/`) heard by the model under every decoding.

use hush::{Decoding, Engine, Status};
use hush_reference::Ledger;

#[path = "fixtures/replies.rs"]
mod replies;
use replies::{AFFIRMATIVES, AFFIRMATIVES_ID, NOT_YES, NOT_YES_ID};

fn status(t: &hush::Turn) -> Option<Status> {
    t.outcome.as_ref().map(|o| o.status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_reply_in_the_table_pays() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let e = Engine::builder().fallback_actions(hush_reference::actions_at(&path).unwrap()).build().unwrap();
    let before = Ledger::open(&path).unwrap().accounts().unwrap();
    for reply in NOT_YES.iter().chain(NOT_YES_ID) {
        let s = e.session();
        assert!(s.process_text("pay my water bill").await.unwrap().prompt.is_some());
        let t = s.process_text(reply).await.unwrap();
        assert_ne!(status(&t), Some(Status::Done), "{reply:?} paid: {t:?}");
        // Whatever it was, a yes now needs the question asked again.
        if s.pending().is_some_and(|p| p.name == "pay_bill") {
            assert!(t.prompt.is_some(), "{reply:?}");
        }
    }
    let l = Ledger::open(&path).unwrap();
    assert!(l.payments().unwrap().is_empty(), "{:?}", l.payments().unwrap());
    assert_eq!(l.accounts().unwrap(), before);
}

/// An amount written or said as no number is is asked for, never read as
/// another: "4,7" is not 47, "1e5" not 100,000, a number too long for the
/// templates, which the learned model tagged in two parts, not the "$0" of
/// its last part, numbers side by side not the last of them ("nineteen
/// ninety nine dollars" is not $99, "one fifty" not $50), nor a number
/// the learned model tagged short ("a million and a half"), a negative
/// amount or zero.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_amount_that_is_no_number_is_asked_for() {
    let e = Engine::builder().fallback_actions(hush_reference::actions_in_memory().unwrap()).build().unwrap();
    for said in [
        "send 4,7 dollars to mum",
        "send 1e5 dollars to mum",
        "send 5,000,000,000,000,000,000,000 dollars to mum",
        "send 000,000 dollars to mum",
        "send nineteen ninety nine dollars to mum",
        "send 10 20 dollars to mum",
        "send fifty five fifty dollars to mum",
        // "one fifty" is 150 or 1.50, never 50; a sign is no amount to send,
        // nor is nothing; "and a half" after a million is not left off.
        "send one fifty to mum",
        "send -20 dollars to mum",
        "send minus twenty dollars to mum",
        "send zero dollars to mum",
        "send a million and a half dollars to mum",
    ] {
        let t = e.session().process_text(said).await.unwrap();
        assert_eq!(t.intent.as_deref(), Some("transfer_money"), "{said}: {t:?}");
        assert!(t.slots.iter().all(|s| s.name != "amount"), "{said}: {t:?}");
        assert_eq!(t.prompt.as_deref(), Some("How much should I send?"), "{said}: {t:?}");
    }
    let t = e.session().process_text("send 1,500,000 dollars to mum").await.unwrap();
    assert!(t.prompt.as_deref().is_some_and(|p| p.replace(',', "").contains("1500000.00")), "{t:?}");
    let t = e.session().process_text("send $.50 to mum").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Send $0.50 to mum?"), "{t:?}");
    // Fractions of a scale: "half a million" had read as a million (the
    // "half" left out), "two and a half thousand" as two.
    for (said, asks) in [
        ("send half a million dollars to mum", "Send $500,000.00 to mum?"),
        ("send a quarter of a million dollars to mum", "Send $250,000.00 to mum?"),
        ("send two and a half thousand dollars to mum", "Send $2,500.00 to mum?"),
    ] {
        let t = e.session().process_text(said).await.unwrap();
        assert_eq!(t.prompt.as_deref(), Some(asks), "{said}: {t:?}");
    }
    // An amount said that is no amount to pay is asked for, even where one
    // is not required: a bill said as "zero dollars" had been asked at
    // its due amount.
    let id = Engine::builder().language(hush::Language::Indonesian).fallback_actions(hush_reference::actions_in_memory().unwrap()).build().unwrap();
    for (engine, said, intent, asks) in [
        (&e, "pay my electricity bill of zero dollars", "pay_bill", "How much?"),
        (&e, "pay minus twenty dollars for my water bill", "pay_bill", "How much?"),
        (&id, "kirim nol rupiah ke budi", "transfer_money", "Berapa yang mau dikirim?"),
        (&id, "bayar tagihan listrik nol rupiah", "pay_bill", "Berapa?"),
    ] {
        let t = engine.session().process_text(said).await.unwrap();
        assert_eq!((t.intent.as_deref(), t.prompt.as_deref()), (Some(intent), Some(asks)), "{said}: {t:?}");
        assert!(t.slots.iter().all(|s| s.name != "amount"), "{said}: {t:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_affirmative_in_the_table_pays() {
    let mut missed = Vec::new();
    for reply in AFFIRMATIVES.iter().chain(AFFIRMATIVES_ID) {
        let e = Engine::builder().fallback_actions(hush_reference::actions_in_memory().unwrap()).build().unwrap();
        assert!(e.process_text("pay my water bill").await.unwrap().prompt.is_some());
        let t = e.process_text(reply).await.unwrap();
        if status(&t) != Some(Status::Done) {
            missed.push((reply, t));
        }
    }
    assert!(missed.is_empty(), "{missed:#?}");
}

fn clip(name: &str) -> String {
    format!("{}/tests/fixtures/replies/{name}.wav", env!("CARGO_MANIFEST_DIR"))
}

/// Spoken refusals never pay, under every decoding: the answer to a
/// confirmation is heard as said, so the templates (which hold "yes") cannot
/// pull a "no" towards them. A spoken "yes, please" pays.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spoken_replies_under_every_decoding() {
    for decoding in [Decoding::Free, Decoding::Constrained, Decoding::Auto] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite");
        let e = Engine::builder()
            .model("tiny.en-q8_0")
            .decoding(decoding)
            .fallback_actions(hush_reference::actions_at(&path).unwrap())
            .build()
            .unwrap_or_else(|e| panic!("{e}\n(run `make models`)"));
        for name in ["no", "not_correct", "dont_go_ahead", "not_sure", "no_yes"] {
            let s = e.session();
            assert!(s.process_text("pay my water bill").await.unwrap().prompt.is_some());
            let t = s.process_wav(clip(name)).await.unwrap();
            assert_ne!(status(&t), Some(Status::Done), "{decoding:?} {name}: {t:?}");
            assert_eq!(t.heard_by, Some(hush::parts::HeardBy::Free), "{decoding:?} {name}");
        }
        assert!(Ledger::open(&path).unwrap().payments().unwrap().is_empty(), "{decoding:?}");
        let s = e.session();
        s.process_text("pay my water bill").await.unwrap();
        let t = s.process_wav(clip("yes_please")).await.unwrap();
        assert_eq!(status(&t), Some(Status::Done), "{decoding:?}: {t:?}");
        assert_eq!(Ledger::open(&path).unwrap().payments().unwrap().len(), 1, "{decoding:?}");
    }
}
