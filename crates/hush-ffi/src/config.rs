//! The engine's JSON configuration, read and checked, and the engine built
//! from it.

use crate::{fail, hush_engine, Error, HUSH_ERR_CONFIG, HUSH_ERR_INTERNAL, HUSH_ERR_MODEL};
use hush::{EngineConfig, EngineError};
use std::path::PathBuf;
use std::sync::Arc;

/// The configuration: hush's [`EngineConfig`], plus the reference actions
/// (`reference_actions`, `ledger`), which only this library offers.
struct Config {
    engine: EngineConfig,
    reference_actions: bool,
    ledger: Option<PathBuf>,
}

/// The configuration read and checked, before anything is built from it.
fn config(json: &str) -> Result<Config, Error> {
    let bad = |e: serde_json::Error| Error { code: HUSH_ERR_CONFIG, message: format!("configuration JSON: {e}") };
    let c: serde_json::Value = serde_json::from_str(json).map_err(bad)?;
    let serde_json::Value::Object(mut c) = c else {
        return fail(HUSH_ERR_CONFIG, "configuration JSON: expected an object ({...})");
    };
    let reference_actions = match c.remove("reference_actions") {
        None => false,
        Some(v) => serde_json::from_value(v).map_err(bad)?,
    };
    let ledger = match c.remove("ledger") {
        None => None,
        Some(v) => serde_json::from_value(v).map_err(bad)?,
    };
    let engine: EngineConfig = serde_json::from_value(c.into()).map_err(bad)?;
    engine.check()?;
    Ok(Config { engine, reference_actions, ledger })
}

/// [`hush_engine_new`]'s reading of a configuration, without building the
/// engine: for the fuzzer (`fuzz/`).
#[doc(hidden)]
pub fn check_config(json: &str) -> Result<(), String> {
    config(json).map(drop).map_err(|e| e.message)
}

pub(crate) fn build(json: &str) -> Result<hush_engine, Error> {
    let c = config(json)?;
    let b = c.engine.builder()?.fallback_actions(reference_actions(c.ledger.as_deref(), c.reference_actions)?);
    let listen = c.engine.listen_params()?;
    let engine = b.build().map_err(|e| match e {
        // Loading the model is the only recognition work at build time.
        EngineError::Asr(e) => Error { code: HUSH_ERR_MODEL, message: e.to_string() },
        e => e.into(),
    })?;
    // Actions run on two workers; recognition has threads of its own.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("hush")
        .enable_time()
        .build()
        .or_else(|e| fail(HUSH_ERR_INTERNAL, format!("cannot start hush's threads: {e}")))?;
    Ok(hush_engine { engine, listen, runtime: Some(runtime) })
}

/// The reference actions (`"reference_actions": true`, or `"ledger":
/// FILE`), when this library was built with them (cargo feature
/// `reference`: they bring SQLite, which an app with its own actions does
/// not need).
fn reference_actions(ledger: Option<&std::path::Path>, in_memory: bool) -> Result<Vec<Arc<dyn hush::Action>>, Error> {
    if ledger.is_none() && !in_memory {
        return Ok(Vec::new());
    }
    #[cfg(feature = "reference")]
    {
        let actions = match ledger {
            Some(path) => hush_reference::actions_at(path),
            None => hush_reference::actions_in_memory(),
        };
        actions.or_else(|e| fail(HUSH_ERR_CONFIG, format!("the reference actions' ledger: {e}")))
    }
    #[cfg(not(feature = "reference"))]
    fail(HUSH_ERR_CONFIG, "configuration: this libhush_ffi was built without the reference actions (cargo feature `reference`)")
}
