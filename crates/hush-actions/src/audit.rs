//! The audit log: one JSON line per turn saying when, which intent, with
//! which slots (sensitive values redacted) and how it ended. It never holds
//! audio, the transcript or the sentence said back to the user (which may
//! repeat an amount).

use crate::action::Outcome;
use hush_nlu::Intent;
use parking_lot::Mutex;
use serde_json::json;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

pub struct AuditLog {
    path: PathBuf,
    file: Mutex<File>,
}

impl AuditLog {
    /// Appends to `path`, creating it (and its folder) if needed.
    pub fn open(path: &Path) -> std::io::Result<AuditLog> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(AuditLog { path: path.to_owned(), file: Mutex::new(file) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records one turn. `intent` is what was understood (None when
    /// nothing was); `outcome` is None while a question is pending.
    pub fn record(&self, turn: u64, intent: Option<&Intent>, asked: bool, outcome: Option<&Outcome>) -> std::io::Result<()> {
        let line = entry(SystemTime::now(), turn, intent, asked, outcome);
        let mut f = self.file.lock();
        writeln!(f, "{line}")?;
        f.flush()
    }
}

/// The audit entry of one turn.
pub fn entry(at: SystemTime, turn: u64, intent: Option<&Intent>, asked: bool, outcome: Option<&Outcome>) -> serde_json::Value {
    json!({
        "time": humantime::format_rfc3339_millis(at).to_string(),
        "turn": turn,
        "intent": intent.map(|i| i.name.as_str()),
        "confidence": intent.map(|i| (i.confidence as f64 * 1000.0).round() / 1000.0),
        "slots": intent.map(|i| i.slots.iter().map(|s| s.to_json(false)).collect::<Vec<_>>()),
        "asked": asked,
        "outcome": outcome.map(|o| o.status),
    })
}
