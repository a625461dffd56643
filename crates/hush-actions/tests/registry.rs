//! The registry's cage: every way an action can end becomes an outcome.

use hush_actions::{async_trait, Action, ActionContext, ActionError, Outcome, Registry, RegistryError, Status};
use hush_nlu::{Evidence, Intent};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn intent(name: &str) -> Intent {
    Intent {
        name: name.into(),
        slots: vec![],
        confidence: 1.0,
        cost: 0.0,
        missing: vec![],
        template: String::new(),
        evidence: Evidence { words: 1, matched: 1, free: 0, edit_cost: 0.0, skip_cost: 0.0, free_cost: 0.0 },
        language: Default::default(),
    }
}

/// Behaves according to the intent's name.
struct Wild {
    stopped_cleanly: Arc<AtomicBool>,
}

#[async_trait]
impl Action for Wild {
    fn intents(&self) -> Vec<&str> {
        vec!["ok", "reject", "fail", "panic", "hang", "cooperate"]
    }

    async fn execute(&self, intent: &Intent, ctx: &ActionContext) -> Result<Outcome, ActionError> {
        match intent.name.as_str() {
            "ok" => Ok(Outcome::done("fine")),
            "reject" => Err(ActionError::rejected("Your card is frozen.")),
            "fail" => Err(ActionError::Failed("disk on fire".into())),
            "panic" => panic!("action bug"),
            "hang" => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                Ok(Outcome::done("never"))
            }
            _ => {
                ctx.cancelled().await;
                self.stopped_cleanly.store(true, Ordering::SeqCst);
                Err(ActionError::rejected("stopped"))
            }
        }
    }
}

fn registry(timeout: Duration) -> (Registry, Arc<AtomicBool>) {
    let flag = Arc::new(AtomicBool::new(false));
    let mut r = Registry::new(timeout);
    r.register(Arc::new(Wild { stopped_cleanly: flag.clone() })).unwrap();
    (r, flag)
}

fn ctx() -> ActionContext {
    ActionContext::new("k".into(), false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_ending_is_an_outcome() {
    let (r, _) = registry(Duration::from_millis(200));
    let cases = [
        ("ok", Status::Done),
        ("reject", Status::Rejected),
        ("fail", Status::Failed),
        ("panic", Status::Panicked),
        ("hang", Status::TimedOut),
        ("unknown_intent", Status::Unhandled),
    ];
    for (name, want) in cases {
        let t = Instant::now();
        let out = r.dispatch(&intent(name), ctx()).await;
        assert_eq!(out.status, want, "{name}: {out:?}");
        assert!(!out.say.is_empty());
        assert!(t.elapsed() < Duration::from_secs(2), "{name} took {:?}", t.elapsed());
    }
    // The rejection is spoken as the action phrased it; the failure's
    // internals are not.
    assert_eq!(r.dispatch(&intent("reject"), ctx()).await.say, "Your card is frozen.");
    assert!(!r.dispatch(&intent("fail"), ctx()).await.say.contains("disk"));
    // The engine still works after a panic.
    assert_eq!(r.dispatch(&intent("ok"), ctx()).await.status, Status::Done);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancellation_stops_a_running_action() {
    let (r, flag) = registry(Duration::from_secs(30));
    let c = ctx();
    let token = c.cancel_token().clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        token.cancel();
    });
    let t = Instant::now();
    let out = r.dispatch(&intent("cooperate"), c).await;
    assert_eq!(out.status, Status::Cancelled);
    assert!(t.elapsed() < Duration::from_secs(5));
    // The action saw the token and could clean up.
    for _ in 0..100 {
        if flag.load(Ordering::SeqCst) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the action never saw the cancellation");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeout_cancels_the_token_too() {
    let (r, flag) = registry(Duration::from_millis(50));
    assert_eq!(r.dispatch(&intent("cooperate"), ctx()).await.status, Status::TimedOut);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(flag.load(Ordering::SeqCst));
}

#[test]
fn one_action_per_intent() {
    let (mut r, flag) = registry(Duration::from_secs(1));
    let again = Arc::new(Wild { stopped_cleanly: flag });
    assert_eq!(r.register(again), Err(RegistryError::Duplicate("ok".into())));
    assert!(r.handles("panic") && !r.handles("pay_bill"));
    assert_eq!(r.intents().len(), 6);
}

/// What the registry says follows the request's language, and an app's
/// table replaces hush's for that language only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endings_are_said_in_the_request_s_language() {
    use hush_actions::{fill, Messages};
    use hush_nlu::Language;
    let (mut r, _) = registry(Duration::from_millis(200));
    let id = |name: &str| Intent { language: Language::Indonesian, ..intent(name) };
    let cases = [
        ("fail", "Maaf, tidak berhasil. Silakan coba lagi nanti."),
        ("panic", "Maaf, ada yang salah saat menjalankannya."),
        ("hang", "Maaf, terlalu lama; sudah saya hentikan."),
        ("pay_bill", "Saya mengerti \"pay bill\", tapi belum ada aplikasi yang menanganinya."),
    ];
    for (name, want) in cases {
        assert_eq!(r.dispatch(&id(name), ctx()).await.say, want, "{name}");
    }
    assert_eq!(r.confirmation(&id("ok"), None), "Lanjutkan Ok?");
    assert_eq!(r.confirmation(&intent("ok"), None), "Ok?");
    assert_eq!(r.confirmation(&intent("ok"), Some("Okay to go?".into())), "Okay to go?", "the intent file's question before hush's");
    let mut own = Messages::indonesian();
    own.failed = "Gagal.".into();
    r.set_messages(Language::Indonesian, own);
    assert_eq!(r.dispatch(&id("fail"), ctx()).await.say, "Gagal.");
    assert_eq!(r.dispatch(&intent("fail"), ctx()).await.say, "Sorry, that didn't work. Please try again later.");
    // Braces a user said are kept as said; an unknown name stays.
    assert_eq!(fill("Send to {payee} {x}", &[("payee", "{amount} & co")]), "Send to {amount} & co {x}");
}
