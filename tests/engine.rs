//! The engine end to end on text: routing, confirmation, sessions,
//! cancellation, app actions next to the reference ones. Speech input is in
//! `engine_audio.rs`.

use hush::parts::actions::DialogueParams;
use hush::{async_trait, Action, ActionContext, ActionError, Engine, EngineError, Intent, Outcome, Status};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn reference() -> Engine {
    Engine::builder().fallback_actions(hush_reference::actions_in_memory().unwrap()).build().expect("engine builds")
}

fn status(t: &hush::Turn) -> Option<Status> {
    t.outcome.as_ref().map(|o| o.status)
}

/// `text`, asked about before it is done (a ride is paid for), and the
/// turn of the "yes" to it.
async fn said_yes_to(e: &Engine, text: &str) -> hush::Turn {
    let t = e.process_text(text).await.unwrap();
    assert!(t.prompt.is_some() && t.outcome.is_none(), "{text:?}: {t:?}");
    e.process_text("yes").await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ride_payment_and_refusal() {
    let e = reference();
    let t = e.process_text("book me a taxi to the airport").await.unwrap();
    assert_eq!(t.intent.as_deref(), Some("order_ride"));
    assert_eq!(t.prompt.as_deref(), Some("Book a standard ride to airport for about $27.80, pickup in about 7 minutes?"), "{t:?}");
    let t = e.process_text("yes").await.unwrap();
    assert_eq!(status(&t), Some(Status::Done), "{t:?}");
    assert!(t.reply().starts_with("Booked a standard ride to airport"), "{}", t.reply());

    let t = e.process_text("pay my electricity bill of forty two dollars").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Pay $42.00 for your electricity bill?"));
    assert!(t.outcome.is_none());
    assert!(e.default_session().pending().is_some());
    let t = e.process_text("yes").await.unwrap();
    assert_eq!(status(&t), Some(Status::Done));
    assert_eq!(t.intent.as_deref(), Some("pay_bill"));
    assert!(t.timings.dispatch > Duration::ZERO && t.timings.total >= t.timings.dispatch);

    let t = e.process_text("what is the weather like in paris").await.unwrap();
    assert_eq!(status(&t), Some(Status::NotUnderstood));
    assert_eq!(t.intent, None);
    assert!(t.reply().starts_with("Sorry"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn later_rides_are_scheduled_or_planned() {
    let e = reference();
    let t = e.process_text("book a taxi to the airport tomorrow at five thirty pm").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Schedule a standard ride to airport for tomorrow at 5:30 pm, fare about $27.80?"));
    let t = e.process_text("yes").await.unwrap();
    assert_eq!(t.reply(), "Scheduled a standard ride to airport for tomorrow at 5:30 pm: fare about $27.80. A driver will be assigned before pickup.");
    let t = e.process_text("where is my ride").await.unwrap();
    assert_eq!(t.reply(), "Your ride to airport is scheduled for tomorrow at 5:30 pm.");
    e.process_text("cancel my ride").await.unwrap();
    let t = said_yes_to(&e, "get me a taxi to the station in forty minutes").await;
    assert_eq!(status(&t), Some(Status::Done));
    assert!(t.reply().ends_with("pickup in about 40 minutes. I'll tell you when a driver is assigned."), "{}", t.reply());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn turn_json_hides_sensitive_values() {
    let e = reference();
    let t = e.process_text("send $4,217 to budi").await.unwrap();
    let json = serde_json::to_string(&t).unwrap();
    assert!(t.prompt.as_deref().unwrap().contains("$4,217.00"), "the user hears the amount: {t:?}");
    // The transcript and the question are for the user; slots are what
    // apps log.
    let slots_only = json.replace(t.prompt.as_deref().unwrap(), "").replace(&t.transcript, "");
    assert!(!slots_only.contains("4217") && !slots_only.contains("4,217"), "{json}");
    assert!(!format!("{:?}", t.slots).contains("4217"));
}

/// An app's action for its own intent, and one that replaces a reference action.
struct Barista {
    calls: Arc<AtomicUsize>,
}

#[async_trait]
impl Action for Barista {
    fn intents(&self) -> Vec<&str> {
        vec!["order_coffee", "brew_status"]
    }

    fn confirmation(&self, intent: &Intent) -> Option<String> {
        Some(format!("One {}?", intent.slot("drink").map(|s| s.value.to_string()).unwrap_or_default()))
    }

    async fn execute(&self, intent: &Intent, ctx: &ActionContext) -> Result<Outcome, ActionError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        match intent.name.as_str() {
            "brew_status" => {
                // Hangs until cancelled.
                ctx.cancelled().await;
                Err(ActionError::rejected("stopped"))
            }
            _ => {
                assert!(ctx.confirmed, "confirm: true intents run only after yes");
                Ok(Outcome::done("Brewing."))
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_intents_and_actions() {
    let calls = Arc::new(AtomicUsize::new(0));
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/intents");
    let e = Engine::builder().intents(dir).action(Barista { calls: calls.clone() }).build().unwrap();
    assert_eq!(e.handled_intents(), ["brew_status", "order_coffee"]);
    // A missing slot is asked for, then confirmation, with the general
    // domain's yes added to the app's intents.
    let t = e.process_text("order a coffee").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Which coffee?"));
    let t = e.process_text("a flat white").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("One flat white?"));
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    let t = e.process_text("yes").await.unwrap();
    assert_eq!(t.reply(), "Brewing.");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // No reference actions were asked for: rides are understood-but-unhandled
    // only if the intents exist; here they do not.
    let t = e.process_text("book me a taxi to the airport").await.unwrap();
    assert_eq!(status(&t), Some(Status::NotUnderstood));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_a_running_action() {
    let calls = Arc::new(AtomicUsize::new(0));
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/intents");
    let e = Arc::new(Engine::builder().intents(dir).action(Barista { calls: calls.clone() }).action_timeout(Duration::from_secs(60)).build().unwrap());
    let session = e.session();
    let s2 = session.clone();
    let canceller = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        s2.cancel();
    });
    let t0 = Instant::now();
    let t = session.process_text("is my coffee ready").await.unwrap();
    canceller.await.unwrap();
    assert_eq!(status(&t), Some(Status::Cancelled));
    assert!(t0.elapsed() < Duration::from_secs(10));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hung_action_times_out_and_engine_goes_on() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/intents");
    let e = Engine::builder().intents(dir).action(Barista { calls: Arc::default() }).action_timeout(Duration::from_millis(100)).build().unwrap();
    let t = e.process_text("is my coffee ready").await.unwrap();
    assert_eq!(status(&t), Some(Status::TimedOut));
    assert_eq!(e.process_text("get me a latte").await.unwrap().prompt.as_deref(), Some("One latte?"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_do_not_share_questions() {
    let e = reference();
    let (a, b) = (e.session(), e.session());
    assert!(a.process_text("send twenty dollars to mom").await.unwrap().prompt.is_some());
    let t = b.process_text("yes").await.unwrap();
    assert_eq!(status(&t), Some(Status::NotUnderstood), "b has nothing to confirm");
    assert_eq!(status(&a.process_text("yes").await.unwrap()), Some(Status::Done));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_users_confirming_the_same_payment_pay_once() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.sqlite");
    let e = Arc::new(Engine::builder().fallback_actions(hush_reference::actions_at(&ledger).unwrap()).build().unwrap());
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let s = e.session();
            tokio::spawn(async move {
                let ask = s.process_text("pay my water bill of $18.75").await.unwrap();
                assert!(ask.prompt.is_some());
                s.process_text("yes").await.unwrap().outcome.unwrap().status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|s| **s == Status::Done).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| matches!(s, Status::Done | Status::AlreadyDone)));
    let l = hush_reference::Ledger::open(&ledger).unwrap();
    assert_eq!(l.payments().unwrap().len(), 1);
    assert_eq!(l.account("main").unwrap().unwrap().balance_minor, 125000 - 1875);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirmation_expires_and_dry_run_does_nothing() {
    let e = Engine::builder()
        .fallback_actions(hush_reference::actions_in_memory().unwrap())
        .dialogue(DialogueParams { confirm_timeout: Duration::from_millis(50), ..DialogueParams::default() })
        .build()
        .unwrap();
    e.process_text("pay my gas bill").await.unwrap();
    tokio::time::sleep(Duration::from_millis(80)).await;
    assert_eq!(status(&e.process_text("yes").await.unwrap()), Some(Status::Expired));

    let dry = Engine::builder().fallback_actions(hush_reference::actions_in_memory().unwrap()).dry_run(true).build().unwrap();
    dry.process_text("pay my gas bill").await.unwrap();
    assert_eq!(status(&dry.process_text("yes").await.unwrap()), Some(Status::DryRun));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_log_has_intents_and_outcomes_never_values_or_words() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let e = Engine::builder().fallback_actions(hush_reference::actions_in_memory().unwrap()).audit_log(&log).build().unwrap();
    for text in ["send $4,217 to budi", "yes", "what's the weather"] {
        e.process_text(text).await.unwrap();
    }
    let written = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<serde_json::Value> = written.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["intent"], "transfer_money");
    assert_eq!(lines[0]["asked"], true);
    assert_eq!(lines[1]["outcome"], "rejected", "$4,217 is more than the main account holds");
    assert_eq!(lines[2]["outcome"], "not_understood");
    assert!(lines.iter().all(|l| l["time"].as_str().is_some_and(|t| t.starts_with("20"))));
    assert!(!written.contains("4217") && !written.contains("4,217") && !written.contains("weather"), "{written}");
    assert!(written.contains("budi"), "non-sensitive slots are kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_setups_and_inputs_are_errors() {
    let e = reference();
    assert!(matches!(e.process_pcm(&[0.1; 1600], 16_000).await, Err(EngineError::NoModel)));
    assert!(matches!(e.process_wav("nope.wav").await, Err(EngineError::NoModel)));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.yaml"), "intents:\n  x:\n    templates: ['{nope}']\n").unwrap();
    let err = Engine::builder().intents(dir.path()).build().err().expect("bad intents fail");
    assert!(err.to_string().contains("bad.yaml:3"), "{err}");
    assert!(matches!(Engine::builder().model("no-such-model").build(), Err(EngineError::Model(_))));
    assert_eq!(status(&e.process_text("").await.unwrap()), Some(Status::NotUnderstood));
}

/// An action registered after the build routes its intent from the next
/// turn on; a misspelt intent or one already handled is refused, and the
/// engine is left as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn actions_can_be_registered_on_a_built_engine() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/intents");
    let e = Engine::builder().intents(dir).build().unwrap();
    let t = e.process_text("is my coffee ready").await.unwrap();
    assert_eq!(status(&t), Some(Status::Unhandled), "{t:?}");
    let calls = Arc::new(AtomicUsize::new(0));
    e.register(Barista { calls: calls.clone() }).unwrap();
    assert_eq!(e.handled_intents(), ["brew_status", "order_coffee"]);
    let err = e.register(Barista { calls: calls.clone() }).unwrap_err();
    assert!(matches!(err, EngineError::Registry(_)), "{err}");

    /// An action for one intent that says one thing.
    struct Says(&'static str, &'static str);
    #[async_trait]
    impl Action for Says {
        fn intents(&self) -> Vec<&str> {
            vec![self.0]
        }
        async fn execute(&self, _: &Intent, _: &ActionContext) -> Result<Outcome, ActionError> {
            Ok(Outcome::done(self.1))
        }
    }
    let misspelt = || Says("order_cofee", "?");
    let err = e.register(misspelt()).unwrap_err();
    assert!(err.to_string().contains("'order_cofee'") && err.to_string().contains("closest is 'order_coffee'"), "{err}");
    assert!(Engine::builder().intents(dir).action(misspelt()).build().is_err());
    assert_eq!(e.handled_intents(), ["brew_status", "order_coffee"]);
    let t = e.process_text("order a coffee").await.unwrap();
    assert_eq!(t.prompt.as_deref(), Some("Which coffee?"));

    // The app's action takes a reference action's intent over, as it does
    // when given to the builder; the other reference actions stay.
    let rides = || Says("order_ride", "The app's driver is coming.");
    let e = reference();
    e.register(rides()).unwrap();
    assert_eq!(said_yes_to(&e, "book me a taxi to the airport").await.reply(), "The app's driver is coming.");
    assert!(e.handled_intents().iter().any(|i| i == "pay_bill"));
    assert!(matches!(e.register(rides()), Err(EngineError::Registry(_))));
}

/// The one configuration: JSON in (as the C ABI reads it), checked, and
/// the same settings back out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_engine_from_its_configuration() {
    let json = r#"{"decoding": "biased", "beam": 3, "weights": "quantized", "compute": "cpu", "listen": {"mode": "push_to_talk", "end_silence_ms": 400}}"#;
    let c: hush::EngineConfig = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::from_value::<hush::EngineConfig>(serde_json::to_value(&c).unwrap()).unwrap(), c);
    assert_eq!(c.asr_params().decode.beam, 3);
    // Silero by default (its model is in the cache: `make models`), with
    // its minimum speech and the configuration's own end silence.
    let vad = c.listen_params().unwrap().vad;
    assert_eq!((vad.detector.name(), vad.min_speech, vad.end_silence), ("silero", Duration::from_millis(250), Duration::from_millis(400)));
    // The wake-phrase model gates by default; 0 leaves every utterance to Whisper.
    assert!(c.listen_params().unwrap().wake.gate.is_some());
    let whisper_alone: hush::EngineConfig = serde_json::from_str(r#"{"listen": {"wake_gate": 0}}"#).unwrap();
    assert_eq!(whisper_alone.listen_params().unwrap().wake.gate, None);
    assert_eq!(c.listen_params().unwrap().wake.sure, Some(hush::listen::WAKE_SURE));
    let whisper_checks: hush::EngineConfig = serde_json::from_str(r#"{"listen": {"wake_sure": 0}}"#).unwrap();
    assert_eq!(whisper_checks.listen_params().unwrap().wake.sure, None);
    // The score alone decides by default; a lead is asked for in the JSON.
    assert_eq!(c.listen_params().unwrap().wake.lead, None);
    let led: hush::EngineConfig = serde_json::from_str(r#"{"listen": {"wake_lead": 2}}"#).unwrap();
    assert_eq!(led.listen_params().unwrap().wake.lead, Some(2.0));
    let e = c.builder().unwrap().build().unwrap();
    assert_eq!(e.decoding(), hush::Decoding::Biased);
    assert_eq!(e.process_text("navigate home").await.unwrap().intent.as_deref(), Some("navigate_to"));
    // A question waits as long as the configuration says.
    let quick: hush::EngineConfig = serde_json::from_str(r#"{"confirm_timeout_ms": 1000, "dry_run": true}"#).unwrap();
    let e = quick.builder().unwrap().build().unwrap();
    assert!(e.process_text("pay my water bill").await.unwrap().prompt.is_some());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(status(&e.process_text("yes").await.unwrap()), Some(Status::Expired));

    assert!(serde_json::from_str::<hush::EngineConfig>(r#"{"modle": "x"}"#).unwrap_err().to_string().contains("unknown field `modle`"));
    assert!(serde_json::from_str::<hush::EngineConfig>(r#"{"compute": "tpu"}"#).unwrap_err().to_string().contains("not a device"));
    for (json, says) in [
        (r#"{"beam": 0}"#, "beam is 0; it must be 1 to 16"),
        (r#"{"confirm_timeout_ms": 999}"#, "confirm_timeout_ms is 999; it must be 1000 to 600000"),
        (r#"{"listen": {"wake_sure": 2}}"#, "listen.wake_sure is 2; it must be 0 to 1"),
        (r#"{"listen": {"wake_lead": -1}}"#, "listen.wake_lead is -1; it must be 0 or more"),
        (r#"{"trim_margin_frames": 18446744073709551615}"#, "trim_margin_frames is 18446744073709551615; it must be 0 to 3000"),
        (r#"{"model": "a", "model_files": {"config": "c", "tokenizer": "t", "weights": "w"}}"#, "not both"),
        (r#"{"messages": {"klingon": {"okay": "Qapla'"}}}"#, "messages: unknown language 'klingon'; hush speaks en, id, zh"),
        (r#"{"messages": {"en": {"okey": "Fine."}}}"#, "messages.en: unknown message 'okey'; the messages are cancelled, "),
    ] {
        let c: hush::EngineConfig = serde_json::from_str(json).unwrap();
        let err = c.builder().err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains(says), "{json}: {err}");
    }
}
