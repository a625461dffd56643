//! Running the `hush` binary from the tests.

// Each test binary uses some of these.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs `hush args` in the repository root: (success, stdout, stderr).
pub fn hush(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hush")).args(args).current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).output().expect("hush runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Runs hush in the repository root with a private HOME, so every file it
/// writes lands under `home`, and `stdin` as its input.
pub fn hush_in(home: &Path, args: &[&str], stdin: &str) -> (bool, String, String) {
    let home_dir = PathBuf::from(std::env::var_os("HOME").expect("HOME is set"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_hush"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .env("HOME", home)
        .env_remove("XDG_DATA_HOME")
        .env_remove("HUSH_LEDGER")
        // The models stay where `make models` put them.
        .env("HUSH_CACHE", std::env::var_os("HUSH_CACHE").map(PathBuf::from).unwrap_or_else(|| home_dir.join(".cache/hush")))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hush runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}
