//! Actions the app plugs in as C callbacks: the intent goes out as JSON on
//! a blocking thread, the outcome comes back through hush_reply_set().

use crate::{hush_reply, REPLY};
use hush::{async_trait, Action, ActionContext, ActionError, Intent, Outcome};
use serde::Deserialize;
use std::ffi::{c_char, c_int, c_void, CString};
use zeroize::Zeroize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReplyJson {
    pub(crate) say: String,
    #[serde(default)]
    pub(crate) status: ReplyStatus,
    #[serde(default)]
    pub(crate) data: serde_json::Value,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ReplyStatus {
    #[default]
    Done,
    AlreadyDone,
    Rejected,
    Failed,
}

/// The app's pointer, handed back to its callback on hush's threads; the
/// app promises it may be (the contract of hush_action_fn()).
#[derive(Clone, Copy)]
pub(crate) struct UserData(pub(crate) *mut c_void);
// SAFETY: see above; hush never dereferences it.
unsafe impl Send for UserData {}
unsafe impl Sync for UserData {}

impl UserData {
    fn get(self) -> *mut c_void {
        self.0
    }
}

pub(crate) struct Callback {
    pub(crate) intent: String,
    pub(crate) f: unsafe extern "C" fn(*const c_char, *mut hush_reply, *mut c_void) -> c_int,
    pub(crate) user: UserData,
}

#[async_trait]
impl Action for Callback {
    fn intents(&self) -> Vec<&str> {
        vec![&self.intent]
    }

    fn stoppable(&self) -> bool {
        false
    }

    async fn execute(&self, intent: &Intent, ctx: &ActionContext) -> Result<Outcome, ActionError> {
        let json = serde_json::json!({
            "intent": intent.name,
            "slots": intent.slots.iter().map(|s| s.to_json(true)).collect::<Vec<_>>(),
            "confidence": intent.confidence,
            "confirmed": ctx.confirmed,
            "idempotency_key": ctx.idempotency_key,
        });
        let json = CString::new(json.to_string()).map_err(|e| ActionError::Failed(e.into()))?;
        let (f, user) = (self.f, self.user);
        let told = ctx.cancel_token().clone();
        // C code blocks: keep it off the async workers.
        let mut call = tokio::task::spawn_blocking(move || {
            let mut reply = hush_reply { outcome: None, cancel: told };
            let rp: *mut hush_reply = &mut reply;
            REPLY.with(|r| r.set(rp));
            // SAFETY: the app registered `f` for this; the JSON and the
            // reply live through the call.
            let code = unsafe { f(json.as_ptr(), rp, user.get()) };
            REPLY.with(|r| r.set(std::ptr::null_mut()));
            let mut json = json.into_bytes();
            json.zeroize();
            (code, reply.outcome)
        });
        let (code, outcome) = tokio::select! {
            done = &mut call => done.map_err(|e| ActionError::Failed(e.to_string().into()))?,
            // hush cannot stop C code: the callback is told (hush_reply_cancelled),
            // and the turn says it may still finish (`stoppable`).
            _ = ctx.cancel_token().cancelled() => return Err(ActionError::Failed("the callback was still running when hush stopped waiting".into())),
        };
        match (code, outcome) {
            (0, Some(o)) => Ok(o),
            (0, None) => Err(ActionError::Failed(format!("the callback for {} returned without hush_reply_set", intent.name).into())),
            (code, _) => Err(ActionError::Failed(format!("the callback for {} returned {code}", intent.name).into())),
        }
    }
}
