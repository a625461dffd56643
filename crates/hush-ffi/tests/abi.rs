//! The C ABI called as C calls it (through the raw functions): misuse gets
//! error codes and messages, never a crash; callbacks act; four sessions
//! on four threads hear what they hear one after another. The model tests
//! need `make models`.

use hush_ffi::*;
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ptr::{null, null_mut};

#[path = "../../../tests/support/schema.rs"]
mod schema;

fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

fn last_error() -> String {
    unsafe { CStr::from_ptr(hush_last_error()) }.to_str().unwrap().to_owned()
}

/// A code and the message that came with it.
fn check(code: c_int, expected: c_int, says: &str) {
    let message = last_error();
    assert_eq!(code, expected, "{message}");
    assert!(message.contains(says), "{message:?} should say {says:?}");
}

fn engine(config: &str) -> *mut hush_engine {
    let mut err = 1;
    let e = unsafe { hush_engine_new(c(config).as_ptr(), &mut err) };
    assert!(!e.is_null() && err == HUSH_OK, "{config}: {}", last_error());
    e
}

fn model_engine() -> *mut hush_engine {
    engine(r#"{"model": "tiny.en-q8_0"}"#)
}

fn session(e: *mut hush_engine) -> *mut hush_session {
    let s = unsafe { hush_session_new(e, null_mut()) };
    assert!(!s.is_null(), "{}", last_error());
    s
}

/// Every turn waiting, as JSON values.
fn turns(s: *mut hush_session) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    loop {
        let p = unsafe { hush_session_result_json(s) };
        if p.is_null() {
            assert_eq!(last_error(), "");
            return out;
        }
        let turn = serde_json::from_str(unsafe { CStr::from_ptr(p) }.to_str().unwrap()).unwrap();
        unsafe { hush_string_free(p) };
        // Every turn of every test here is a schema-1 turn line.
        schema::assert_schema(&turn);
        out.push(turn);
    }
}

fn said(s: *mut hush_session, text: &str) -> serde_json::Value {
    let n = unsafe { hush_process_text(s, c(text).as_ptr()) };
    assert_eq!(n, 1, "{}", last_error());
    turns(s).remove(0)
}

/// Answers with the intent's destination or biller, as an app's service
/// would.
unsafe extern "C" fn service(intent: *const c_char, reply: *mut hush_reply, _: *mut c_void) -> c_int {
    let intent: serde_json::Value = serde_json::from_str(unsafe { CStr::from_ptr(intent) }.to_str().unwrap()).unwrap();
    let slot = |name: &str| intent["slots"].as_array().unwrap().iter().find(|s| s["name"] == name).map(|s| s["value"].to_string());
    let say = match intent["intent"].as_str().unwrap() {
        "order_ride" => format!("Driver on the way to {}.", slot("destination").unwrap_or_default()),
        name => format!("Did {name}: {} ({}).", slot("biller").unwrap_or_default(), slot("amount").unwrap_or_default()),
    };
    let json = serde_json::json!({"say": say, "data": {"confirmed": intent["confirmed"]}}).to_string();
    unsafe { hush_reply_set(reply, c(&json).as_ptr()) }
}

#[test]
fn bad_configurations_are_errors_with_reasons() {
    let mut err = 0;
    assert!(unsafe { hush_engine_new(null(), &mut err) }.is_null());
    check(err, HUSH_ERR_NULL, "config_json is NULL");
    for (config, code, says) in [
        ("{not json", HUSH_ERR_CONFIG, "configuration JSON"),
        (r#"{"modle": "tiny.en-q8_0"}"#, HUSH_ERR_CONFIG, "unknown field `modle`"),
        (r#"{"decoding": "loud"}"#, HUSH_ERR_CONFIG, "unknown variant `loud`"),
        (r#"{"model": "no-such-model"}"#, HUSH_ERR_MODEL, "no-such-model"),
        (r#"{"intents": ["/no/such/folder"]}"#, HUSH_ERR_CONFIG, "/no/such/folder"),
        (r#"{"beam": 1000000}"#, HUSH_ERR_CONFIG, "beam is 1000000; it must be 1 to 16"),
        (r#"{"beam": 0}"#, HUSH_ERR_CONFIG, "beam is 0"),
        (r#"{"threads": 100000}"#, HUSH_ERR_CONFIG, "threads is 100000"),
        (r#"{"learned_threshold": 7.5}"#, HUSH_ERR_CONFIG, "learned_threshold"),
        (r#"{"action_timeout_ms": 0}"#, HUSH_ERR_CONFIG, "action_timeout_ms"),
        (r#"{"confirm_timeout_ms": 5}"#, HUSH_ERR_CONFIG, "confirm_timeout_ms"),
        (r#"{"listen": {"end_silence_ms": 18446744073709551615}}"#, HUSH_ERR_CONFIG, "end_silence_ms"),
        (r#"{"listen": {"max_utterance_ms": 1}}"#, HUSH_ERR_CONFIG, "max_utterance_ms"),
        (r#"{"listen": {"wake_gate": 1.5}}"#, HUSH_ERR_CONFIG, "listen.wake_gate is 1.5; it must be 0 to 1"),
    ] {
        assert!(unsafe { hush_engine_new(c(config).as_ptr(), &mut err) }.is_null(), "{config}");
        check(err, code, says);
    }
    // `err` may be NULL.
    assert!(unsafe { hush_engine_new(c("[]").as_ptr(), null_mut()) }.is_null());
    assert_eq!(unsafe { CStr::from_ptr(hush_version()) }.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
}

/// The reference actions are in the library only when it is built with
/// them (`--features reference`, as `make test` does once); without, asking
/// for them is a configuration error, not a silent engine with no actions.
#[test]
fn reference_actions_only_when_built_in() {
    for config in [r#"{"reference_actions": true}"#, r#"{"ledger": "/dev/null/ledger.sqlite"}"#] {
        let mut err = 0;
        let e = unsafe { hush_engine_new(c(config).as_ptr(), &mut err) };
        if cfg!(feature = "reference") && config.contains("reference_actions") {
            assert!(!e.is_null(), "{}", last_error());
            let s = session(e);
            said(s, "pay my water bill");
            assert_eq!(said(s, "yes")["outcome"]["status"], "done");
            unsafe { assert_eq!(hush_session_free(s), HUSH_OK) };
            unsafe { assert_eq!(hush_engine_free(e), HUSH_OK) };
        } else if cfg!(feature = "reference") {
            // The ledger cannot be made inside /dev/null.
            assert!(e.is_null());
            check(err, HUSH_ERR_CONFIG, "ledger");
        } else {
            assert!(e.is_null());
            check(err, HUSH_ERR_CONFIG, "without the reference actions");
        }
    }
}

#[test]
fn null_freed_and_mistaken_handles_are_errors() {
    let e = engine("{}");
    let s = session(e);
    let text = c("book a taxi to the airport");
    unsafe {
        check(hush_process_text(null_mut(), text.as_ptr()), HUSH_ERR_NULL, "session is NULL");
        check(hush_process_text(s, null()), HUSH_ERR_NULL, "utterance is NULL");
        check(hush_process_text(e.cast(), text.as_ptr()), HUSH_ERR_HANDLE, "an engine was given");
        assert!(hush_session_new(s.cast(), null_mut()).is_null());
        check(HUSH_ERR_HANDLE, HUSH_ERR_HANDLE, "a session was given");
        let made_up = 0x1234 as *mut hush_session;
        check(hush_session_feed(made_up, null(), 0, 16_000), HUSH_ERR_HANDLE, "not a live session");
        check(hush_process_text(s, c"caf\xe9".as_ptr()), HUSH_ERR_ARGUMENT, "not UTF-8");
        // A text-only engine takes no audio.
        check(hush_session_feed(s, [0i16; 160].as_ptr(), 160, 16_000), HUSH_ERR_MODEL, "without a speech model");
        check(hush_process_wav(s, c("x.wav").as_ptr()), HUSH_ERR_MODEL, "without a speech model");

        // The engine goes with its last session: freed, it takes no new
        // sessions, but its session goes on.
        assert_eq!(hush_engine_free(e), HUSH_OK);
        check(hush_engine_free(e), HUSH_ERR_HANDLE, "not a live engine");
        assert!(hush_session_new(e, null_mut()).is_null());
        assert_eq!(said(s, "book a taxi to the airport")["intent"], "order_ride");
        assert_eq!(hush_session_free(s), HUSH_OK);
        check(hush_session_free(s), HUSH_ERR_HANDLE, "not a live session");
        check(hush_process_text(s, text.as_ptr()), HUSH_ERR_HANDLE, "not a live session");
        assert!(hush_session_result_json(s).is_null());
        check(HUSH_ERR_HANDLE, HUSH_ERR_HANDLE, "not a live session");

        // Strings: NULL is fine, a second free or a stranger is reported.
        hush_string_free(null_mut());
        assert_eq!(last_error(), "");
        let mut mine = *b"mine\0";
        hush_string_free(mine.as_mut_ptr().cast());
        check(HUSH_ERR_HANDLE, HUSH_ERR_HANDLE, "not a string from hush");
        check(hush_engine_free(null_mut()), HUSH_ERR_NULL, "engine is NULL");
    }
}

#[test]
fn callbacks_act_and_their_mistakes_are_contained() {
    let e = engine("{}");
    let s = session(e);
    unsafe {
        assert_eq!(hush_register_action(e, c("order_ride").as_ptr(), Some(service), null_mut()), HUSH_OK);
        assert_eq!(hush_register_action(e, c("pay_bill").as_ptr(), Some(service), null_mut()), HUSH_OK);
        check(hush_register_action(e, c("order_ride").as_ptr(), Some(service), null_mut()), HUSH_ERR_ACTION, "already has an action");
        check(hush_register_action(e, c("order_rides").as_ptr(), Some(service), null_mut()), HUSH_ERR_ACTION, "closest is 'order_ride'");
        check(hush_register_action(e, c("navigate_to").as_ptr(), None, null_mut()), HUSH_ERR_NULL, "callback is NULL");
        check(hush_register_action(e, null(), Some(service), null_mut()), HUSH_ERR_NULL, "intent is NULL");
        check(hush_reply_set(null_mut(), c("{}").as_ptr()), HUSH_ERR_NULL, "reply is NULL");
        check(hush_reply_set(0x10 as *mut hush_reply, c(r#"{"say": "hi"}"#).as_ptr()), HUSH_ERR_HANDLE, "not the reply");
    }
    // A ride is paid for: asked in the intent file's words (the C action
    // phrases none), booked on the yes.
    let t = said(s, "book me a taxi to the airport");
    assert_eq!(t["prompt"], "Book a ride to airport?", "{t}");
    let t = said(s, "yes");
    assert_eq!(t["outcome"]["say"], "Driver on the way to {\"text\":\"airport\"}.", "{t}");
    assert_eq!(t["outcome"]["status"], "done");
    // Payments ask first; the callback runs once the user says yes.
    let t = said(s, "pay my electricity bill of forty two dollars");
    // (An action in C has hush phrase its question.)
    assert_eq!(t["prompt"], "Pay bill: biller electricity, amount 42.00 USD?", "{t}");
    let t = said(s, "yes");
    // The callback gets the sensitive amount, typed, which the turn hides.
    assert_eq!(t["outcome"]["say"], r#"Did pay_bill: {"text":"electricity"} ({"money":{"currency":"USD","exponent":2,"minor":4200}})."#, "{t}");
    assert_eq!(t["outcome"]["data"]["confirmed"], true, "{t}");

    /// Each way a callback can go wrong.
    unsafe extern "C" fn wrong(intent: *const c_char, reply: *mut hush_reply, user: *mut c_void) -> c_int {
        let session = user as *mut hush_session;
        let name = unsafe { CStr::from_ptr(intent) }.to_str().unwrap();
        let how = if name.contains("check_balance") {
            0
        } else if name.contains("navigate_to") {
            1
        } else {
            2
        };
        unsafe {
            match how {
                // Not JSON: refused, and no reply set.
                0 => {
                    assert_eq!(hush_reply_set(reply, c("Done!").as_ptr()), HUSH_ERR_ARGUMENT);
                    assert!(last_error().contains("outcome JSON"));
                    0
                }
                // Calling hush back on its own session.
                1 => {
                    assert_eq!(hush_process_text(session, c("yes").as_ptr()), HUSH_ERR_BUSY);
                    hush_reply_set(reply, c(r#"{"say": "fine", "status": "rejected"}"#).as_ptr())
                }
                _ => 7,
            }
        }
    }
    let e2 = engine("{}");
    let s2 = session(e2);
    for intent in ["check_balance", "navigate_to", "order_food"] {
        assert_eq!(unsafe { hush_register_action(e2, c(intent).as_ptr(), Some(wrong), s2.cast()) }, HUSH_OK);
    }
    let t = said(s2, "what is my balance");
    assert_eq!((t["intent"].as_str(), t["outcome"]["status"].as_str()), (Some("check_balance"), Some("failed")), "{t}");
    let t = said(s2, "navigate home");
    assert_eq!((t["intent"].as_str(), t["outcome"]["status"].as_str()), (Some("navigate_to"), Some("rejected")), "{t}");
    // An order is charged, so it is asked about first; the callback runs
    // on the yes.
    let t = said(s2, "order a pizza");
    assert_eq!(t["awaiting"], serde_json::json!({"confirm": "order_food"}), "{t}");
    let t = said(s2, "yes");
    assert_eq!(t["outcome"]["status"], "failed", "{t}");
    unsafe {
        for h in [s, s2] {
            assert_eq!(hush_session_free(h), HUSH_OK);
        }
        assert_eq!(hush_engine_free(e), HUSH_OK);
        assert_eq!(hush_engine_free(e2), HUSH_OK);
    }
}

/// The demo conversation (a ride, heard as "book me to ride" and so
/// checked, yes, a bill, yes, weather) with quiet between, at 48 kHz as
/// 16-bit PCM.
fn conversation() -> Vec<i16> {
    let mut s = hush_eval::mix::Stitch::new();
    s.pause(0.5);
    for name in ["book_ride", "confirm", "pay_bill", "confirm", "weather"] {
        let path = format!("{}/../../examples/audio/{name}.wav", env!("CARGO_MANIFEST_DIR"));
        s.clip(&hush_eval::mix::at_level(hush::parts::read_wav(&path, &Default::default()).unwrap().0.samples(), -20.0));
        s.pause(1.0);
    }
    let at48 = hush::parts::audio::resample(s.samples(), 16_000, 48_000).unwrap();
    at48.iter().map(|x| (x * 32767.0).round() as i16).collect()
}

/// A session fed the conversation in 20 ms frames; its turns without
/// their timings.
fn converse(s: *mut hush_session, pcm: &[i16]) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for frame in pcm.chunks(960) {
        let n = unsafe { hush_session_feed(s, frame.as_ptr(), frame.len(), 48_000) };
        assert!(n >= 0, "{}", last_error());
        if n > 0 {
            out.extend(turns(s));
        }
    }
    assert_eq!(unsafe { hush_session_finish(s) }, 0, "every turn came while feeding");
    for t in &mut out {
        t.as_object_mut().unwrap().remove("timings");
    }
    out
}

#[test]
fn frames_with_odd_rates_and_lengths_are_errors_and_the_stream_goes_on() {
    let e = model_engine();
    let s = session(e);
    let pcm = conversation();
    let quiet = [0i16; 480];
    let loud = [f32::NAN; 4];
    unsafe {
        check(hush_session_feed(s, null(), 480, 48_000), HUSH_ERR_NULL, "pcm is NULL");
        check(hush_session_feed(s, quiet.as_ptr(), usize::MAX, 48_000), HUSH_ERR_ARGUMENT, "over 600 s");
        for rate in [0, -48_000] {
            check(hush_session_feed(s, quiet.as_ptr(), 480, rate), HUSH_ERR_ARGUMENT, "must be positive");
        }
        for rate in [1, 3_999, 1_000_000] {
            check(hush_session_feed(s, quiet.as_ptr(), 480, rate), HUSH_ERR_ARGUMENT, "invalid sample rate");
        }
        check(hush_session_feed_f32(s, loud.as_ptr(), 4, 16_000), HUSH_ERR_AUDIO, "not a number");
        let bytes = [0u8; 64];
        let odd = bytes.as_ptr().add(1 + (bytes.as_ptr() as usize % 2));
        check(hush_session_feed(s, odd.cast(), 8, 16_000), HUSH_ERR_ARGUMENT, "not aligned");
        let odd = bytes.as_ptr().add(4 - bytes.as_ptr() as usize % 4 + 2);
        check(hush_session_feed_f32(s, odd.cast(), 8, 16_000), HUSH_ERR_ARGUMENT, "not aligned");
        assert_eq!(hush_session_feed(s, null(), 0, 48_000), 0);
        check(hush_process_wav(s, c("/no/such.wav").as_ptr()), HUSH_ERR_AUDIO, "/no/such.wav");
        assert_eq!(hush_register_action(e, c("order_ride").as_ptr(), Some(service), null_mut()), HUSH_OK);
    }
    let heard = converse(s, &pcm);
    let summary: Vec<String> = heard.iter().map(|t| format!("{} / {}", t["intent"], t["outcome"]["say"])).collect();
    assert_eq!(heard.len(), 5, "{summary:#?}");
    assert_eq!(heard[0]["prompt"], "Book a ride to airport?", "{summary:#?}");
    assert_eq!(heard[0]["awaiting"], serde_json::json!({"confirm": "order_ride"}), "{summary:#?}");
    assert_eq!(heard[1]["outcome"]["say"], "Driver on the way to {\"text\":\"airport\"}.", "{summary:#?}");
    assert_eq!(heard[2]["prompt"], "Pay bill: biller electricity, amount 42.00 USD?", "{summary:#?}");
    // No action for bills here: understood, but unhandled.
    assert_eq!(heard[3]["outcome"]["status"], "unhandled", "{summary:#?}");
    assert_eq!(heard[4]["outcome"]["status"], "not_understood", "{summary:#?}");
    unsafe {
        assert_eq!(hush_session_free(s), HUSH_OK);
        assert_eq!(hush_engine_free(e), HUSH_OK);
    }
}

/// One engine, four sessions on four threads at once, each hearing the
/// conversation: the same turns as four sessions one after another.
#[test]
fn four_sessions_on_four_threads_hear_what_they_hear_alone() {
    let e = model_engine();
    unsafe {
        assert_eq!(hush_register_action(e, c("order_ride").as_ptr(), Some(service), null_mut()), HUSH_OK);
        assert_eq!(hush_register_action(e, c("pay_bill").as_ptr(), Some(service), null_mut()), HUSH_OK);
    }
    let pcm = conversation();
    let alone: Vec<Vec<serde_json::Value>> = (0..4)
        .map(|_| {
            let s = session(e);
            let heard = converse(s, &pcm);
            assert_eq!(unsafe { hush_session_free(s) }, HUSH_OK);
            heard
        })
        .collect();
    assert_eq!(alone[0].len(), 5, "{:#?}", alone[0]);
    assert!(alone[0][3]["outcome"]["say"].as_str().unwrap().starts_with("Did pay_bill"), "{:#?}", alone[0]);

    // Raw pointers are not Send; the addresses are, and the ABI checks them.
    let (engine_at, pcm) = (e as usize, &pcm);
    let together: Vec<Vec<serde_json::Value>> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(move || {
                    let s = session(engine_at as *mut hush_engine);
                    let heard = converse(s, pcm);
                    assert_eq!(unsafe { hush_session_free(s) }, HUSH_OK);
                    heard
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(together, alone);
    assert_eq!(unsafe { hush_engine_free(e) }, HUSH_OK);
}

/// Push-to-talk from C: what is fed while the control is held is one
/// utterance, handed over on release; the call needs an engine in that
/// mode. A pending question can be cancelled from outside.
#[test]
fn push_to_talk_and_cancel() {
    let e = engine(r#"{"model": "tiny.en-q8_0", "listen": {"mode": "push_to_talk"}}"#);
    let s = session(e);
    let path = format!("{}/../../examples/audio/book_ride.wav", env!("CARGO_MANIFEST_DIR"));
    let pcm: Vec<i16> = hush::parts::read_wav(&path, &Default::default()).unwrap().0.samples().iter().map(|x| (x * 32767.0) as i16).collect();
    unsafe {
        assert_eq!(hush_session_push_to_talk(s, 1), 0, "{}", last_error());
        for frame in pcm.chunks(320) {
            assert_eq!(hush_session_feed(s, frame.as_ptr(), frame.len(), 16_000), 0, "nothing ends while it is held");
        }
        assert_eq!(hush_session_push_to_talk(s, 0), 1, "{}", last_error());
    }
    assert_eq!(turns(s)[0]["intent"], "order_ride");

    let t = said(s, "pay my electricity bill of forty two dollars");
    assert!(t["prompt"].is_string(), "{t}");
    assert_eq!(unsafe { hush_session_cancel(s) }, HUSH_OK);
    let t = said(s, "yes");
    assert_ne!(t["intent"], "pay_bill", "the question was dropped: {t}");

    let text_only = engine("{}");
    let other = session(text_only);
    check(unsafe { hush_session_push_to_talk(other, 1) }, HUSH_ERR_ARGUMENT, "push_to_talk");
    check(unsafe { hush_session_cancel(null_mut()) }, HUSH_ERR_NULL, "session is NULL");
    unsafe {
        for h in [s, other] {
            assert_eq!(hush_session_free(h), HUSH_OK);
        }
        assert_eq!(hush_engine_free(e), HUSH_OK);
        assert_eq!(hush_engine_free(text_only), HUSH_OK);
    }
}

/// `"confirmed": true` reaches a C callback only after a plain yes: the
/// replies that must not pay never call it, and an unclear one asks again.
#[test]
fn a_callback_is_confirmed_only_by_a_plain_yes() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    unsafe extern "C" fn pay(intent: *const c_char, reply: *mut hush_reply, _: *mut c_void) -> c_int {
        let intent: serde_json::Value = serde_json::from_str(unsafe { CStr::from_ptr(intent) }.to_str().unwrap()).unwrap();
        assert_eq!(intent["confirmed"], true, "{intent}");
        CALLS.fetch_add(1, Ordering::SeqCst);
        unsafe { hush_reply_set(reply, c(r#"{"say": "Paid."}"#).as_ptr()) }
    }
    let e = engine("{}");
    unsafe { assert_eq!(hush_register_action(e, c("pay_bill").as_ptr(), Some(pay), null_mut()), HUSH_OK) };
    for reply in ["that is not correct", "don't go ahead", "not sure", "no yes", "no"] {
        let s = session(e);
        assert!(said(s, "pay my water bill")["prompt"].is_string());
        let t = said(s, reply);
        assert_ne!(t["outcome"]["status"], "done", "{reply}: {t}");
        unsafe { assert_eq!(hush_session_free(s), HUSH_OK) };
    }
    assert_eq!(CALLS.load(Ordering::SeqCst), 0);
    let s = session(e);
    said(s, "pay my water bill");
    assert_eq!(said(s, "yes please")["outcome"]["say"], "Paid.");
    assert_eq!(CALLS.load(Ordering::SeqCst), 1);
    unsafe {
        assert_eq!(hush_session_free(s), HUSH_OK);
        assert_eq!(hush_engine_free(e), HUSH_OK);
    }
}

/// A callback that outlives the action timeout is told through
/// hush_reply_cancelled(), and the turn says it is still running rather
/// than that it stopped.
#[test]
fn a_timed_out_callback_is_told_and_the_turn_says_so() {
    use std::sync::atomic::{AtomicI32, Ordering};
    static SEEN: AtomicI32 = AtomicI32::new(-100);
    unsafe extern "C" fn slow(_: *const c_char, reply: *mut hush_reply, _: *mut c_void) -> c_int {
        assert_eq!(unsafe { hush_reply_cancelled(reply) }, 0);
        let start = std::time::Instant::now();
        // Polls as a well-behaved callback does, for up to 5 s.
        while unsafe { hush_reply_cancelled(reply) } == 0 && start.elapsed() < std::time::Duration::from_secs(5) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        SEEN.store(unsafe { hush_reply_cancelled(reply) }, Ordering::SeqCst);
        // Past the point of asking: hush no longer waits for this reply.
        std::thread::sleep(std::time::Duration::from_millis(1500));
        1
    }
    let e = engine(r#"{"action_timeout_ms": 200}"#);
    unsafe {
        assert_eq!(hush_register_action(e, c("order_ride").as_ptr(), Some(slow), null_mut()), HUSH_OK);
        check(hush_reply_cancelled(null()), HUSH_ERR_NULL, "NULL");
        let fake = hush_reply_cancelled(std::ptr::NonNull::<hush_reply>::dangling().as_ptr());
        check(fake, HUSH_ERR_HANDLE, "not the reply");
    }
    let s = session(e);
    said(s, "book me a ride to the airport");
    let t = said(s, "yes");
    assert_eq!(t["outcome"]["status"], "timed_out", "{t}");
    assert!(t["outcome"]["say"].as_str().unwrap().contains("still running"), "{t}");
    assert_eq!(t["outcome"]["data"]["still_running"], true, "{t}");
    // The callback notices at its next poll (every 5 ms).
    let start = std::time::Instant::now();
    while SEEN.load(Ordering::SeqCst) != 1 && start.elapsed() < std::time::Duration::from_secs(2) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(SEEN.load(Ordering::SeqCst), 1, "the callback was told");
    unsafe {
        assert_eq!(hush_session_free(s), HUSH_OK);
        assert_eq!(hush_engine_free(e), HUSH_OK);
    }
}

/// The device's own playback (the conversation's commands, played at
/// 48 kHz through a simulated cabin into the microphone, which the app
/// feeds at 16 kHz) is no turn once it is fed as playback; bad playback
/// frames are errors like bad microphone frames.
#[test]
fn playback_fed_as_such_is_not_a_turn() {
    let e = model_engine();
    let played48: Vec<f32> = conversation().iter().map(|&x| f32::from(x) / 32768.0).collect();
    let played16 = hush::parts::audio::resample(&played48, 48_000, 16_000).unwrap();
    let noise = hush_eval::mix::road_noise(played16.len() as f64 / 16_000.0, 3);
    let mic: Vec<f32> = hush_eval::mix::cabin_echo(&played16, 90.0, 1.0, 150.0).iter().zip(&noise).map(|(e, n)| e + 0.02 * n).collect();
    let hear = |feed_playback: bool| {
        let s = session(e);
        let mut heard = Vec::new();
        for (i, frame) in mic.chunks(320).enumerate() {
            if feed_playback {
                let p = &played48[(i * 960).min(played48.len())..((i + 1) * 960).min(played48.len())];
                assert_eq!(unsafe { hush_session_feed_playback_f32(s, p.as_ptr(), p.len(), 48_000) }, HUSH_OK, "{}", last_error());
            }
            if unsafe { hush_session_feed_f32(s, frame.as_ptr(), frame.len(), 16_000) } > 0 {
                heard.extend(turns(s));
            }
        }
        unsafe { hush_session_finish(s) };
        heard.extend(turns(s));
        unsafe { hush_session_free(s) };
        heard
    };
    assert!(hear(false).len() >= 3, "without the playback fed, the echo is taken for the user");
    let heard = hear(true);
    assert!(heard.is_empty(), "{heard:#?}");
    let s = session(e);
    let nan = [f32::NAN; 4];
    unsafe {
        check(hush_session_feed_playback(s, null(), 480, 48_000), HUSH_ERR_NULL, "pcm is NULL");
        check(hush_session_feed_playback(s, [0i16; 4].as_ptr(), 4, 0), HUSH_ERR_ARGUMENT, "must be positive");
        check(hush_session_feed_playback_f32(s, nan.as_ptr(), 4, 16_000), HUSH_ERR_AUDIO, "not a number");
        let minute = vec![0i16; 16_000 * 60];
        check(hush_session_feed_playback(s, minute.as_ptr(), minute.len(), 16_000), HUSH_ERR_AUDIO, "ahead of the microphone");
        hush_session_free(s);
    }
}
