//! The engine crates pull in no HTTP or networking client: what hush hears
//! cannot leave the device through a dependency.

use std::process::Command;

const ENGINE: &[&str] = &["hush-audio", "hush-asr", "hush"];
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
