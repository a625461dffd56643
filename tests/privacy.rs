//! The engine crates pull in no HTTP or networking client: what hush hears
//! cannot leave the device through a dependency.

use std::process::Command;

const ENGINE: &[&str] = &["hush-audio", "hush-asr", "hush-nlu", "hush"];
const FORBIDDEN: &[&str] =
    &["reqwest", "hyper", "ureq", "curl", "isahc", "surf", "attohttpc", "hf-hub", "native-tls", "rustls", "openssl", "h2", "tokio-tungstenite"];

#[test]
fn engine_crates_have_no_network_dependencies() {
    for krate in ENGINE {
        let out = Command::new(env!("CARGO"))
            .args(["tree", "--offline", "-p", krate, "-e", "normal", "--prefix", "none", "--format", "{p}"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo tree runs");
        assert!(out.status.success(), "cargo tree -p {krate}: {}", String::from_utf8_lossy(&out.stderr));
        let tree = String::from_utf8_lossy(&out.stdout);
        let names: Vec<&str> = tree.lines().filter_map(|l| l.split_whitespace().next()).collect();
        assert!(names.len() > 3, "{krate}: suspiciously small tree:\n{tree}");
        for bad in FORBIDDEN {
            assert!(!names.contains(bad), "{krate} depends on {bad}:\n{tree}");
        }
    }
}

/// Sensitive slots (amounts, message bodies) never reach logs: their
/// `Debug` form, which `tracing` fields use, hides the value and the words.
#[test]
fn sensitive_slot_values_stay_out_of_debug_output() {
    let m = hush::Matcher::new(hush::IntentSet::builtin().expect("built-in domains"), hush::MatchParams::default());
    for text in ["pay my water bill of $4,217.50", "text mom the door code is 4217"] {
        let intent = m.parse(text).expect("understood");
        assert!(intent.slots.iter().any(|s| s.sensitive), "{text}: a sensitive slot is filled");
        let logged = format!("{intent:?}");
        assert!(!logged.contains("4217") && !logged.contains("4,217"), "{text}: {logged}");
        assert!(logged.contains("<redacted>"), "{logged}");
    }
}
