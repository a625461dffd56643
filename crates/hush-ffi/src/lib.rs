//! hush's C ABI: the functions of `include/hush.h`, built as a static and a
//! shared library for apps that cannot link a Rust crate (Android and iOS
//! through JNI or Swift, head units in C or C++).
//!
//! A thin skin over the Rust API, in whisper.cpp's and Picovoice's shape:
//! create an engine from a JSON configuration, open a session, feed it
//! audio frames (or a WAV file, or text), read each turn as JSON, free.
//! Apps plug actions in as C callbacks that get the intent as JSON and
//! answer with an outcome as JSON. It does not capture audio: frames come
//! from the app's own audio stack.
//!
//! The boundary is defensive: every pointer is checked for NULL; handles
//! are looked up in a table of live ones before use, so a freed or made-up
//! handle is an error, not a crash (only a freed handle whose address a new
//! handle of the same kind has taken cannot be told apart); no panic
//! crosses it (each call runs under `catch_unwind`); failures are negative
//! codes with a message from hush_last_error().
//!
//! Threads: an engine serves any number of sessions on any threads. A
//! session takes one call at a time; a second call on it while one runs
//! (from another thread, or from inside an action callback it is running)
//! returns `HUSH_ERR_BUSY` instead of waiting.

//!
//! # Safety
//!
//! The functions that take pointers are `unsafe`: each pointer must be NULL
//! or what `include/hush.h` says it is (a NUL-terminated string, `n`
//! readable samples, a handle or string hush gave out). NULL, and handles
//! and strings hush no longer has, are caught; other bad pointers are not.
//!
//! This file is ~600 lines on purpose: cbindgen writes include/hush.h from
//! it in its order, so every exported function and type stays here and the
//! header reads as one API. What is not exported lives beside it
//! (`config`, `callback`).

#![allow(non_camel_case_types)]
// The one safety contract above covers every entry point.
#![allow(clippy::missing_safety_doc)]

mod callback;
mod config;

use callback::{Callback, ReplyJson, ReplyStatus, UserData};
use config::build;
pub use config::check_config;
use hush::listen::{ListenParams, Mode, Playback};
use hush::{Engine, EngineError, Outcome, Status, Stream};
use parking_lot::{Mutex, MutexGuard};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet, VecDeque};
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use zeroize::Zeroize;

/// Success.
pub const HUSH_OK: c_int = 0;
/// A pointer the call needs is NULL.
pub const HUSH_ERR_NULL: c_int = -1;
/// Not a live handle of the kind the call takes (freed already, or never
/// made by hush).
pub const HUSH_ERR_HANDLE: c_int = -2;
/// An argument is out of range: a length, a sample rate, text that is not
/// UTF-8, JSON that does not parse.
pub const HUSH_ERR_ARGUMENT: c_int = -3;
/// The engine's configuration: unknown or mistyped fields, intent files,
/// the ledger, the learned model.
pub const HUSH_ERR_CONFIG: c_int = -4;
/// The speech model: not in the model cache, unreadable, or none loaded
/// and audio was given.
pub const HUSH_ERR_MODEL: c_int = -5;
/// The audio: an unreadable, empty, silent or too long WAV file; samples
/// that are not numbers.
pub const HUSH_ERR_AUDIO: c_int = -6;
/// Recognition of an utterance failed (the session goes on).
pub const HUSH_ERR_RECOGNITION: c_int = -7;
/// An action cannot be registered: an intent no intent file defines, or
/// one that a callback registered before handles.
pub const HUSH_ERR_ACTION: c_int = -8;
/// The session is running another call (on another thread, or the action
/// callback this call came from).
pub const HUSH_ERR_BUSY: c_int = -9;
/// A bug in hush, contained: the handles stay usable. Please report the
/// message.
pub const HUSH_ERR_INTERNAL: c_int = -10;

/// Most audio one feed call takes, in seconds: beyond it the length is
/// more likely a mistake than a recording.
const MAX_FEED_SECONDS: usize = 600;

/// How long freeing an engine waits for action callbacks still running.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// An engine: the speech model, intents, actions, and the threads they run
/// on. Opaque; made by hush_engine_new().
pub struct hush_engine {
    engine: Engine,
    listen: ListenParams,
    runtime: Option<tokio::runtime::Runtime>,
}

/// One conversation on an engine (its pending question, its audio stream).
/// Opaque; made by hush_session_new().
pub struct hush_session {
    /// Dropped before the engine it runs on.
    stream: Mutex<Option<Stream>>,
    /// The stream's playback reference, fed without waiting for the stream
    /// (a feed call may hold it while a turn is handled).
    playback: Mutex<Option<Playback>>,
    session: hush::Session,
    turns: Mutex<VecDeque<String>>,
    engine: Arc<hush_engine>,
}

/// Where an action callback puts its outcome (hush_reply_set()); valid
/// only during the callback.
pub struct hush_reply {
    outcome: Option<Outcome>,
    /// Set when the turn stops waiting (timeout, hush_session_cancel(), barge-in).
    cancel: hush::parts::actions::CancellationToken,
}

/// An action implemented in C, registered with hush_register_action().
///
/// It gets the intent as JSON (`{"intent": "order_ride", "slots": [{"name":
/// "destination", "value": {"text": "airport"}, "raw": "the airport",
/// "sensitive": false}], "confidence": 0.93, "confirmed": false,
/// "idempotency_key": "..."}`; values are typed as in docs/turn.schema.json,
/// e.g. `{"money": {"minor": 4200, "exponent": 2, "currency": "USD"}}`, an
/// integer count of minor units; sensitive values are given in full, for the app to
/// use and not log), answers with hush_reply_set() and returns 0; any other
/// return value means the action failed (the user hears an apology). It is
/// called on a hush thread, possibly for several sessions at once, so
/// `user_data` must be safe to share between threads. hush calls that run
/// a turn return HUSH_ERR_BUSY from inside it.
pub type hush_action_fn = Option<unsafe extern "C" fn(intent_json: *const c_char, reply: *mut hush_reply, user_data: *mut c_void) -> c_int>;

enum Live {
    Engine(Arc<hush_engine>),
    Session(Arc<hush_session>),
}

/// Every handle hush has given out and not taken back, by address.
static LIVE: LazyLock<Mutex<HashMap<usize, Live>>> = LazyLock::new(Default::default);
/// Every string hush has given out and not taken back.
static STRINGS: LazyLock<Mutex<HashSet<usize>>> = LazyLock::new(Default::default);

thread_local! {
    static LAST_ERROR: RefCell<Option<CString>> = const { RefCell::new(None) };
    /// The reply of the callback running on this thread.
    static REPLY: Cell<*mut hush_reply> = const { Cell::new(std::ptr::null_mut()) };
}

struct Error {
    code: c_int,
    message: String,
}

fn fail<T>(code: c_int, message: impl Into<String>) -> Result<T, Error> {
    Err(Error { code, message: message.into() })
}

impl From<EngineError> for Error {
    fn from(e: EngineError) -> Self {
        let code = match &e {
            EngineError::Model(_) | EngineError::NoModel => HUSH_ERR_MODEL,
            EngineError::Audio(hush::parts::AudioError::BadRate(_)) => HUSH_ERR_ARGUMENT,
            EngineError::Audio(_) | EngineError::Samples(_) => HUSH_ERR_AUDIO,
            EngineError::Asr(_) | EngineError::Worker(_) | EngineError::Utterance(_) => HUSH_ERR_RECOGNITION,
            EngineError::Registry(_) | EngineError::UnknownIntent { .. } => HUSH_ERR_ACTION,
            EngineError::NoRuntime => HUSH_ERR_INTERNAL,
            _ => HUSH_ERR_CONFIG,
        };
        Error { code, message: e.to_string() }
    }
}

fn set_error(message: &str) {
    let c = CString::new(message.replace('\0', " ")).unwrap_or_default();
    LAST_ERROR.with(|e| *e.borrow_mut() = Some(c));
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    let what = p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_default();
    format!("internal error in hush (please report it): {what}")
}

/// Runs one ABI call: clears the last error, contains panics, turns errors
/// into their code and message.
fn guard(f: impl FnOnce() -> Result<c_int, Error>) -> c_int {
    LAST_ERROR.with(|e| e.borrow_mut().take());
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(n)) => n,
        Ok(Err(e)) => {
            set_error(&e.message);
            e.code
        }
        Err(p) => {
            set_error(&panic_message(p.as_ref()));
            HUSH_ERR_INTERNAL
        }
    }
}

/// [`guard`] for calls that return a pointer (NULL on failure, with the
/// code in `*err` when `err` is not NULL).
fn guard_ptr<T>(err: *mut c_int, f: impl FnOnce() -> Result<*mut T, Error>) -> *mut T {
    let mut out = std::ptr::null_mut();
    let code = guard(|| {
        out = f()?;
        Ok(HUSH_OK)
    });
    if !err.is_null() {
        // SAFETY: the caller passes NULL or a pointer to an int.
        unsafe { *err = code };
    }
    out
}

fn text<'a>(p: *const c_char, what: &str) -> Result<&'a str, Error> {
    if p.is_null() {
        return fail(HUSH_ERR_NULL, format!("{what} is NULL"));
    }
    // SAFETY: the caller passes a NUL-terminated string.
    unsafe { CStr::from_ptr(p) }.to_str().or_else(|_| fail(HUSH_ERR_ARGUMENT, format!("{what} is not UTF-8")))
}

fn give_string(s: String) -> *mut c_char {
    let c = CString::new(s.replace('\0', " ")).unwrap_or_default().into_raw();
    STRINGS.lock().insert(c as usize);
    c
}

fn engine_handle(p: *const hush_engine) -> Result<Arc<hush_engine>, Error> {
    if p.is_null() {
        return fail(HUSH_ERR_NULL, "the engine is NULL");
    }
    match LIVE.lock().get(&(p as usize)) {
        Some(Live::Engine(e)) => Ok(e.clone()),
        Some(Live::Session(_)) => fail(HUSH_ERR_HANDLE, "a session was given where an engine is expected"),
        None => fail(HUSH_ERR_HANDLE, "not a live engine (freed already, or not made by hush_engine_new)"),
    }
}

fn session_handle(p: *const hush_session) -> Result<Arc<hush_session>, Error> {
    if p.is_null() {
        return fail(HUSH_ERR_NULL, "the session is NULL");
    }
    match LIVE.lock().get(&(p as usize)) {
        Some(Live::Session(s)) => Ok(s.clone()),
        Some(Live::Engine(_)) => fail(HUSH_ERR_HANDLE, "an engine was given where a session is expected"),
        None => fail(HUSH_ERR_HANDLE, "not a live session (freed already, or not made by hush_session_new)"),
    }
}

impl hush_engine {
    fn runtime(&self) -> &tokio::runtime::Runtime {
        self.runtime.as_ref().expect("the runtime lives as long as the engine")
    }

    /// Runs async engine work to completion on the calling thread.
    fn block_on<F: std::future::Future>(&self, f: F) -> Result<F::Output, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return fail(HUSH_ERR_BUSY, "hush was called from inside one of its own action callbacks; answer with hush_reply_set and return");
        }
        Ok(self.runtime().block_on(f))
    }
}

impl Drop for hush_engine {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                rt.shutdown_background();
            } else {
                // A hung callback must not hang the app's free call.
                rt.shutdown_timeout(SHUTDOWN_GRACE);
            }
        }
    }
}

impl hush_session {
    /// Queues the turns of one call; the first error is the call's, after
    /// the turns that did end are queued (nothing heard is lost).
    fn keep(&self, results: impl IntoIterator<Item = Result<hush::Turn, EngineError>>) -> Result<c_int, Error> {
        let mut first_error = None;
        let mut turns = self.turns.lock();
        for r in results {
            match r {
                Ok(t) => turns.push_back(hush::json::turn(&t).to_string()),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e.into()),
            None => Ok(turns.len() as c_int),
        }
    }

    /// The session for one call (its stream, which any call may replace);
    /// busy while another call has it.
    fn claim(&self) -> Result<MutexGuard<'_, Option<Stream>>, Error> {
        match self.stream.try_lock() {
            Some(g) => Ok(g),
            None => fail(HUSH_ERR_BUSY, "the session is running another call"),
        }
    }

    /// The session's stream, opened on first use.
    fn open_stream(&self) -> Result<MutexGuard<'_, Option<Stream>>, Error> {
        let mut slot = self.claim()?;
        if slot.is_none() {
            let _in_runtime = self.engine.runtime().enter();
            let stream = self.session.stream(self.engine.listen.clone())?;
            *self.playback.lock() = Some(stream.playback());
            *slot = Some(stream);
        }
        Ok(slot)
    }

    fn feed(&self, pcm: Pcm, rate: u32) -> Result<c_int, Error> {
        let mut slot = self.open_stream()?;
        let stream = slot.as_mut().expect("opened");
        let first = match pcm {
            Pcm::I16(p) => self.engine.block_on(stream.feed_i16(p, rate))?,
            Pcm::F32(p) => self.engine.block_on(stream.feed(p, rate))?,
        };
        // The frame's turn, then any others it ended.
        let mut all: Vec<_> = first.transpose().into_iter().collect();
        all.extend(std::iter::from_fn(|| stream.ready()));
        self.keep(all)
    }

    fn feed_playback(&self, pcm: Pcm, rate: u32) -> Result<c_int, Error> {
        let known = self.playback.lock().clone();
        let playback = match known {
            Some(p) => p,
            None => self.open_stream()?.as_ref().expect("opened").playback(),
        };
        match pcm {
            Pcm::I16(p) => {
                let samples: Vec<f32> = p.iter().map(|&s| f32::from(s) / 32768.0).collect();
                playback.feed(&samples, rate)?;
            }
            Pcm::F32(p) => playback.feed(p, rate)?,
        }
        Ok(HUSH_OK)
    }
}

enum Pcm<'a> {
    I16(&'a [i16]),
    F32(&'a [f32]),
}

/// The frame a feed call was given, and its rate, checked before the
/// samples are touched.
fn frame<'a, T>(pcm: *const T, n: usize, rate: c_int) -> Result<(&'a [T], u32), Error> {
    let Some(rate) = u32::try_from(rate).ok().filter(|r| *r > 0) else {
        return fail(HUSH_ERR_ARGUMENT, format!("the sample rate must be positive, not {rate}"));
    };
    if n / MAX_FEED_SECONDS > rate as usize {
        return fail(HUSH_ERR_ARGUMENT, format!("{n} samples at {rate} Hz is over {MAX_FEED_SECONDS} s in one call; feed audio as it arrives"));
    }
    match (pcm.is_null(), n) {
        (_, 0) => Ok((&[], rate)),
        (true, _) => fail(HUSH_ERR_NULL, format!("pcm is NULL with n = {n}")),
        (false, _) if !pcm.is_aligned() => fail(HUSH_ERR_ARGUMENT, format!("pcm is not aligned to its sample type ({} bytes)", std::mem::align_of::<T>())),
        // SAFETY: the caller passes `n` readable samples at `pcm`.
        (false, _) => Ok((unsafe { std::slice::from_raw_parts(pcm, n) }, rate)),
    }
}

/// Creates an engine from a JSON configuration (`"{}"`: text only, the
/// built-in intents; `{"model": "tiny.en-q8_0"}`: speech too; the fields
/// are hush's EngineConfig, listed in README.md). Loading the model takes
/// a moment. Returns NULL on failure, with the code in `*err`
/// (`err` may be NULL) and the reason in hush_last_error().
#[no_mangle]
pub unsafe extern "C" fn hush_engine_new(config_json: *const c_char, err: *mut c_int) -> *mut hush_engine {
    guard_ptr(err, || {
        let engine = Arc::new(build(text(config_json, "config_json")?)?);
        let p = Arc::as_ptr(&engine) as *mut hush_engine;
        LIVE.lock().insert(p as usize, Live::Engine(engine));
        Ok(p)
    })
}

/// Frees an engine. Its sessions stay usable until they are freed (the
/// engine goes with the last of them).
#[no_mangle]
pub unsafe extern "C" fn hush_engine_free(engine: *mut hush_engine) -> c_int {
    guard(|| {
        engine_handle(engine)?;
        let gone = LIVE.lock().remove(&(engine as usize));
        drop(gone);
        Ok(HUSH_OK)
    })
}

/// Opens a conversation on an engine. Returns NULL on failure, with the
/// code in `*err` (may be NULL).
#[no_mangle]
pub unsafe extern "C" fn hush_session_new(engine: *mut hush_engine, err: *mut c_int) -> *mut hush_session {
    guard_ptr(err, || {
        let engine = engine_handle(engine)?;
        let session = Arc::new(hush_session {
            stream: Mutex::new(None),
            playback: Mutex::new(None),
            session: engine.engine.session(),
            turns: Mutex::new(VecDeque::new()),
            engine,
        });
        let p = Arc::as_ptr(&session) as *mut hush_session;
        LIVE.lock().insert(p as usize, Live::Session(session));
        Ok(p)
    })
}

/// Frees a session, with its unread turns and the audio it was hearing
/// (wiped).
#[no_mangle]
pub unsafe extern "C" fn hush_session_free(session: *mut hush_session) -> c_int {
    guard(|| {
        let s = session_handle(session)?;
        // A call running on it holds it and would finish safely, but
        // freeing a session in use is a race in the app: say so.
        drop(s.claim()?);
        let gone = LIVE.lock().remove(&(session as usize));
        drop((s, gone));
        Ok(HUSH_OK)
    })
}

/// Feeds `n` mono 16-bit samples at `sample_rate` Hz (any rate from 4 kHz
/// to 384 kHz; it may change between calls), as they arrive, in frames of
/// any length. When the frame ends an utterance the call returns after
/// its turn is done (recognised, understood, acted on). Returns the number
/// of turns waiting to be read with hush_session_result_json(), or an
/// error code (turns that ended in the same call are still queued).
#[no_mangle]
pub unsafe extern "C" fn hush_session_feed(session: *mut hush_session, pcm: *const i16, n: usize, sample_rate: c_int) -> c_int {
    guard(|| {
        let s = session_handle(session)?;
        let (pcm, rate) = frame(pcm, n, sample_rate)?;
        s.feed(Pcm::I16(pcm), rate)
    })
}

/// hush_session_feed() for float samples in [-1, 1].
#[no_mangle]
pub unsafe extern "C" fn hush_session_feed_f32(session: *mut hush_session, pcm: *const f32, n: usize, sample_rate: c_int) -> c_int {
    guard(|| {
        let s = session_handle(session)?;
        let (pcm, rate) = frame(pcm, n, sample_rate)?;
        s.feed(Pcm::F32(pcm), rate)
    })
}

/// Feeds `n` mono 16-bit samples of what the device is playing through its
/// loudspeaker (a navigation prompt, the radio, the app speaking), at
/// `sample_rate` Hz, as they are handed to the sound output. hush cancels
/// their echo from what the microphone hears, so that playback starts no
/// turn and no barge-in while the user talking over it is still heard.
/// Never waits for a feed call in progress: call it from the audio output
/// thread. Returns HUSH_OK or an error code.
#[no_mangle]
pub unsafe extern "C" fn hush_session_feed_playback(session: *mut hush_session, pcm: *const i16, n: usize, sample_rate: c_int) -> c_int {
    guard(|| {
        let s = session_handle(session)?;
        let (pcm, rate) = frame(pcm, n, sample_rate)?;
        s.feed_playback(Pcm::I16(pcm), rate)
    })
}

/// hush_session_feed_playback() for float samples in [-1, 1].
#[no_mangle]
pub unsafe extern "C" fn hush_session_feed_playback_f32(session: *mut hush_session, pcm: *const f32, n: usize, sample_rate: c_int) -> c_int {
    guard(|| {
        let s = session_handle(session)?;
        let (pcm, rate) = frame(pcm, n, sample_rate)?;
        s.feed_playback(Pcm::F32(pcm), rate)
    })
}

/// Ends the audio stream: the utterance being heard, if any, becomes a
/// turn as it is. The next feed starts a new stream on the same
/// conversation. Returns the number of turns waiting, or an error code.
#[no_mangle]
pub unsafe extern "C" fn hush_session_finish(session: *mut hush_session) -> c_int {
    guard(|| {
        let s = session_handle(session)?;
        let mut slot = s.claim()?;
        let results = match slot.take() {
            Some(stream) => s.engine.block_on(stream.finish())?,
            None => Vec::new(),
        };
        s.keep(results)
    })
}

/// Presses (`pressed` non-zero) or releases the push-to-talk control of a
/// session whose engine listens in `"push_to_talk"` mode: audio fed while
/// it is held is one utterance, handed over on release. Returns the number
/// of turns waiting, or an error code.
#[no_mangle]
pub unsafe extern "C" fn hush_session_push_to_talk(session: *mut hush_session, pressed: c_int) -> c_int {
    guard(|| {
        let s = session_handle(session)?;
        if s.engine.listen.mode != Mode::PushToTalk {
            return fail(HUSH_ERR_ARGUMENT, "push-to-talk needs an engine configured with \"listen\": {\"mode\": \"push_to_talk\"}");
        }
        let mut slot = s.open_stream()?;
        let stream = slot.as_mut().expect("opened");
        let turn = s.engine.block_on(stream.push_to_talk(pressed != 0))?;
        s.keep(turn.transpose())
    })
}

/// Stops the action the session is running, if any (from another thread:
/// the user said "stop", or tapped cancel), and drops a pending question.
/// Does not wait for the session's current call.
#[no_mangle]
pub unsafe extern "C" fn hush_session_cancel(session: *mut hush_session) -> c_int {
    guard(|| {
        session_handle(session)?.session.cancel();
        Ok(HUSH_OK)
    })
}

/// The oldest turn not yet read, as JSON in the turn schema
/// (docs/turn.schema.json: `transcript`, `intent`, `slots` with sensitive
/// values redacted, `prompt`: a question for the user, `awaiting`: what it
/// waits for, `outcome`: `status` and `say`, `timings` in ms); free it with
/// hush_string_free(). NULL when no turn is waiting (then
/// hush_last_error() is empty) or on error.
#[no_mangle]
pub unsafe extern "C" fn hush_session_result_json(session: *mut hush_session) -> *mut c_char {
    guard_ptr(std::ptr::null_mut(), || {
        let s = session_handle(session)?;
        let next = s.turns.lock().pop_front();
        Ok(next.map_or(std::ptr::null_mut(), give_string))
    })
}

/// A turn from a WAV file (any rate, mono or stereo): returns the number
/// of turns waiting (the new one last), or an error code.
#[no_mangle]
pub unsafe extern "C" fn hush_process_wav(session: *mut hush_session, path: *const c_char) -> c_int {
    guard(|| {
        let s = session_handle(session)?;
        let path = text(path, "path")?;
        let _one_call = s.claim()?;
        let turn = s.engine.block_on(s.session.process_wav(path))?;
        s.keep([turn])
    })
}

/// A turn from typed text: returns the number of turns waiting, or an
/// error code.
#[no_mangle]
pub unsafe extern "C" fn hush_process_text(session: *mut hush_session, utterance: *const c_char) -> c_int {
    guard(|| {
        let s = session_handle(session)?;
        let utterance = text(utterance, "utterance")?;
        let _one_call = s.claim()?;
        let turn = s.engine.block_on(s.session.process_text(utterance))?;
        s.keep([turn])
    })
}

/// Registers `callback` as the action for `intent` (a name from the
/// intent files), on every session of the engine, from their next turn; it
/// takes the intent over from the reference actions. An intent the engine
/// does not know, or one a callback was registered for already, is
/// `HUSH_ERR_ACTION`.
#[no_mangle]
pub unsafe extern "C" fn hush_register_action(engine: *mut hush_engine, intent: *const c_char, callback: hush_action_fn, user_data: *mut c_void) -> c_int {
    guard(|| {
        let e = engine_handle(engine)?;
        let intent = text(intent, "intent")?;
        let Some(f) = callback else {
            return fail(HUSH_ERR_NULL, "the callback is NULL");
        };
        e.engine.register(Callback { intent: intent.to_owned(), f, user: UserData(user_data) })?;
        Ok(HUSH_OK)
    })
}

/// The outcome of an action callback, as JSON: `{"say": "Booked a ride to
/// the airport.", "status": "done", "data": {...}}`; `status` is one of
/// `done` (the default), `already_done`, `rejected` (the user can act on
/// `say`), `failed`; `data` is optional, for the app. Only from inside the
/// callback that got `reply`, on its thread.
#[no_mangle]
pub unsafe extern "C" fn hush_reply_set(reply: *mut hush_reply, outcome_json: *const c_char) -> c_int {
    guard(|| {
        if reply.is_null() {
            return fail(HUSH_ERR_NULL, "the reply is NULL");
        }
        if REPLY.with(Cell::get) != reply {
            return fail(HUSH_ERR_HANDLE, "not the reply of the action callback running on this thread");
        }
        let r: ReplyJson = serde_json::from_str(text(outcome_json, "outcome_json")?).or_else(|e| fail(HUSH_ERR_ARGUMENT, format!("outcome JSON: {e}")))?;
        let status = match r.status {
            ReplyStatus::Done => Status::Done,
            ReplyStatus::AlreadyDone => Status::AlreadyDone,
            ReplyStatus::Rejected => Status::Rejected,
            ReplyStatus::Failed => Status::Failed,
        };
        // SAFETY: `reply` is the live reply of this thread's callback.
        unsafe { (*reply).outcome = Some(Outcome::new(status, r.say).with_data(r.data)) };
        Ok(HUSH_OK)
    })
}

/// Whether hush has stopped waiting for this callback: the action timed
/// out (`action_timeout_ms`), or the turn was cancelled
/// (hush_session_cancel(), the user talking over it). A callback that does
/// slow work should poll this and give up without side effects; if it
/// goes on, the turn has already told the user it "is still running and
/// may yet finish" (`"data": {"still_running": true}`), and what it does is
/// not reported. 1 if so, 0 if not; a negative error code for a reply that
/// is not this thread's callback's. Only from inside the callback.
#[no_mangle]
pub unsafe extern "C" fn hush_reply_cancelled(reply: *const hush_reply) -> c_int {
    guard(|| {
        if reply.is_null() {
            return fail(HUSH_ERR_NULL, "the reply is NULL");
        }
        if REPLY.with(Cell::get).cast_const() != reply {
            return fail(HUSH_ERR_HANDLE, "not the reply of the action callback running on this thread");
        }
        // SAFETY: `reply` is the live reply of this thread's callback.
        Ok(c_int::from(unsafe { (*reply).cancel.is_cancelled() }))
    })
}

/// Why the last call on this thread failed; empty after a call that did
/// not. Valid until the next hush call on this thread.
#[no_mangle]
pub extern "C" fn hush_last_error() -> *const c_char {
    LAST_ERROR.with(|e| e.borrow().as_ref().map_or(c"".as_ptr(), |c| c.as_ptr()))
}

/// Frees a string hush returned (its bytes are wiped first: turns hold
/// what the user said). NULL is ignored; a pointer hush did not give out,
/// or freed already, is left alone and reported in hush_last_error().
#[no_mangle]
pub unsafe extern "C" fn hush_string_free(s: *mut c_char) {
    guard(|| {
        if s.is_null() {
            return Ok(HUSH_OK);
        }
        if !STRINGS.lock().remove(&(s as usize)) {
            return fail(HUSH_ERR_HANDLE, "not a string from hush, or freed already");
        }
        // SAFETY: `s` came from `CString::into_raw` and is freed once.
        let mut bytes = unsafe { CString::from_raw(s) }.into_bytes();
        bytes.zeroize();
        Ok(HUSH_OK)
    });
}

/// hush's version ("0.1.0"); a static string, not to be freed.
#[no_mangle]
pub extern "C" fn hush_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
