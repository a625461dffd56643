//! Privacy, checked: the engine crates pull in no HTTP or socket client, so
//! what hush hears cannot leave the device through a dependency.

use std::collections::{HashMap, HashSet};
use std::process::Command;

/// Crates that speak HTTP, TLS or raw sockets (or resolve names for them).
const FORBIDDEN: &[&str] = &[
    "reqwest",
    "hyper",
    "hyper-util",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "surf",
    "attohttpc",
    "hf-hub",
    "http-body",
    "h2",
    "h3",
    "native-tls",
    "rustls",
    "openssl",
    "openssl-sys",
    "tokio-native-tls",
    "tokio-rustls",
    "tokio-tungstenite",
    "tungstenite",
    "websocket",
    "mio",
    "socket2",
    "async-std",
    "smol",
    "async-net",
    "quinn",
    "trust-dns-resolver",
    "hickory-resolver",
    "libp2p",
    "zmq",
    "nng",
    "paho-mqtt",
    "rumqttc",
    "lettre",
    "ssh2",
];

/// tokio features that compile its networking in.
const FORBIDDEN_TOKIO: &[&str] = &["net", "full"];

#[test]
fn engine_crates_have_no_network_dependencies() {
    // Only this platform's dependencies: they are what is compiled in, and
    // what a build has downloaded (others, such as Windows-only crates,
    // may not be here offline).
    let rustc = Command::new("rustc").arg("-vV").output().expect("rustc runs");
    let host = String::from_utf8_lossy(&rustc.stdout).lines().find_map(|l| l.strip_prefix("host: ").map(str::to_owned)).expect("rustc -vV names the host");
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline", "--filter-platform", &host])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let nodes: HashMap<&str, &serde_json::Value> = meta["resolve"]["nodes"].as_array().unwrap().iter().map(|n| (n["id"].as_str().unwrap(), n)).collect();
    let name =
        |id: &str| -> String { meta["packages"].as_array().unwrap().iter().find(|p| p["id"] == id).map(|p| p["name"].as_str().unwrap().to_owned()).unwrap() };
    // Every crate of the workspace: the engine, the model tools, the CLI.
    let members: Vec<&str> = meta["workspace_members"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    assert!(members.len() >= 7, "{members:?}");
    for member in members {
        // Everything compiled into it: normal dependencies, transitively.
        let mut seen = HashSet::new();
        let mut todo = vec![member];
        while let Some(id) = todo.pop() {
            if !seen.insert(id) {
                continue;
            }
            for dep in nodes[id]["deps"].as_array().unwrap() {
                let normal = dep["dep_kinds"].as_array().unwrap().iter().any(|k| k["kind"].is_null());
                if normal {
                    todo.push(dep["pkg"].as_str().unwrap());
                }
            }
        }
        let names: Vec<String> = seen.iter().map(|id| name(id)).collect();
        assert!(names.len() > 3, "{member}: suspiciously few dependencies: {names:?}");
        for bad in FORBIDDEN {
            assert!(!names.iter().any(|n| n == bad), "{} depends on {bad}", name(member));
        }
        for id in &seen {
            if name(id) == "tokio" {
                let features: Vec<&str> = nodes[id]["features"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
                for f in FORBIDDEN_TOKIO {
                    assert!(!features.contains(f), "{} builds tokio with `{f}`: {features:?}", name(member));
                }
            }
        }
    }
}

/// Sensitive slots (amounts, message bodies) never reach logs: their
/// `Debug` form, which `tracing` fields use, hides the value and the words.
#[test]
fn sensitive_slot_values_stay_out_of_debug_output() {
    let m = hush::parts::Matcher::new(hush::parts::IntentSet::builtin().expect("built-in domains"), hush::parts::MatchParams::default());
    for text in ["pay my water bill of $4,217.50", "text mom the door code is 4217"] {
        let intent = m.parse(text).expect("understood");
        assert!(intent.slots.iter().any(|s| s.sensitive), "{text}: a sensitive slot is filled");
        let logged = format!("{intent:?}");
        assert!(!logged.contains("4217") && !logged.contains("4,217"), "{text}: {logged}");
        assert!(logged.contains("<redacted>"), "{logged}");
    }
}
