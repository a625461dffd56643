//! A sha256 beside every file hush makes in the cache (`FILE.sha256`:
//! hash, size, modification time), written when the file is made. A file
//! whose size or time changed since is hashed again before use, and
//! refused if its contents changed; `hush models verify` hashes every file
//! whatever its size and time say. Hashing the 41 MB tiny.en GGUF takes
//! about 0.1 s, as long as loading it, so it is not done on every load.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::{io_err, ModelError};
use sha2::{Digest, Sha256};
use std::fs::File;

/// What was recorded of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Record {
    sha256: String,
    size: u64,
    mtime_ns: u128,
}

fn sidecar(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".sha256");
    PathBuf::from(name)
}

fn stat(path: &Path) -> Result<(u64, u128), ModelError> {
    let m = std::fs::metadata(path).map_err(io_err(path))?;
    let mtime = m.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
    Ok((m.len(), mtime))
}

fn read(path: &Path) -> Option<Record> {
    let text = std::fs::read_to_string(sidecar(path)).ok()?;
    let mut f = text.split_whitespace();
    Some(Record { sha256: f.next()?.to_owned(), size: f.next()?.parse().ok()?, mtime_ns: f.next()?.parse().ok()? })
}

fn write(path: &Path, r: &Record) -> Result<(), ModelError> {
    let side = sidecar(path);
    std::fs::write(&side, format!("{} {} {}\n", r.sha256, r.size, r.mtime_ns)).map_err(io_err(&side))
}

/// Hashes a file just made and records it; its sha256.
pub fn record(path: &Path) -> Result<String, ModelError> {
    let sha256 = sha256_file(path)?;
    let (size, mtime_ns) = stat(path)?;
    write(path, &Record { sha256: sha256.clone(), size, mtime_ns })?;
    Ok(sha256)
}

/// The recorded sha256 of `path`, if any.
pub fn recorded(path: &Path) -> Option<String> {
    read(path).map(|r| r.sha256)
}

/// Checks a file against its record: trusted when its size and time are
/// as recorded, hashed again otherwise. `full` hashes it whatever they say.
pub fn check(path: &Path, full: bool) -> Result<(), ModelError> {
    let what = path.display().to_string();
    let Some(r) = read(path) else {
        return Err(ModelError::Unrecorded { path: path.to_owned() });
    };
    let (size, mtime_ns) = stat(path)?;
    if !full && size == r.size && mtime_ns == r.mtime_ns {
        return Ok(());
    }
    let actual = sha256_file(path)?;
    if actual != r.sha256 {
        return Err(ModelError::Checksum { what, expected: r.sha256, actual });
    }
    // The same bytes with a new time (a copy, a touch): remember the time.
    if (size, mtime_ns) != (r.size, r.mtime_ns) {
        write(path, &Record { sha256: actual, size, mtime_ns })?;
    }
    Ok(())
}

/// A file's sha256, in lower-case hex.
pub(crate) fn sha256_file(path: &Path) -> Result<String, ModelError> {
    let mut f = File::open(path).map_err(io_err(path))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut f, &mut hasher).map_err(io_err(path))?;
    Ok(hex(&hasher.finalize()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_file_is_refused_and_a_touched_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("model.gguf");
        std::fs::write(&f, b"weights").unwrap();
        assert!(matches!(check(&f, false), Err(ModelError::Unrecorded { .. })));
        let sha = record(&f).unwrap();
        assert_eq!(recorded(&f).as_deref(), Some(sha.as_str()));
        check(&f, false).unwrap();
        check(&f, true).unwrap();
        // Same size, other bytes, new time: hashed and refused.
        std::thread::sleep(std::time::Duration::from_millis(10));
        std::fs::write(&f, b"WEIGHTS").unwrap();
        assert!(matches!(check(&f, false), Err(ModelError::Checksum { .. })));
        // The original bytes back, at a new time: accepted, time remembered.
        std::fs::write(&f, b"weights").unwrap();
        check(&f, false).unwrap();
        check(&f, false).unwrap();
        // A swap that keeps size and time is found by a full check.
        std::fs::write(&f, b"w3ights").unwrap();
        let (size, mtime_ns) = stat(&f).unwrap();
        write(&f, &Record { sha256: sha, size, mtime_ns }).unwrap();
        check(&f, false).unwrap();
        assert!(matches!(check(&f, true), Err(ModelError::Checksum { .. })));
    }
}
