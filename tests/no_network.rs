//! What ships holds no networking code: `cargo tree` (offline, from Cargo.lock) must show no
//! HTTP client, TLS stack, socket helper, async runtime or DNS resolver, neither among the
//! normal and build dependencies nor among the dev-dependencies.

use std::process::Command;

/// Crates that mean networking; `NAME-*` crates of the same family count too.
const DENIED: &[&str] = &[
    "reqwest",
    "hyper",
    "ureq",
    "curl",
    "isahc",
    "rustls",
    "native-tls",
    "openssl",
    "socket2",
    "tokio",
    "h2",
    "h3",
    "quinn",
    "async-std",
    "surf",
    "attohttpc",
    "tungstenite",
    "websocket",
    "hickory-resolver",
    "trust-dns-resolver",
    "ssh2",
    "lettre",
];

/// The denied crates in `cargo tree --prefix none` output, each once.
fn denied_in(tree: &str) -> Vec<String> {
    let mut found: Vec<String> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| {
            DENIED
                .iter()
                .any(|d| *name == *d || name.starts_with(&format!("{d}-")))
        })
        .map(str::to_string)
        .collect();
    found.sort();
    found.dedup();
    found
}

/// `cargo tree` of this package over the given edge kinds, from Cargo.lock, offline.
fn tree(edges: &str) -> String {
    let out = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "tree",
            "--locked",
            "--offline",
            "--prefix",
            "none",
            "-e",
            edges,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("scplan v"), "{text}");
    text
}

#[test]
fn the_checker_catches_a_planted_crate() {
    let sample = "scplan v0.1.0 (/work)\nclap v4.6.9\nhyper v1.5.0\ntokio-util v0.7.0 (*)\nh2o v1.0.0\nrustlsx v0.1.0\nserde v1.0.0\n";
    assert_eq!(denied_in(sample), ["hyper", "tokio-util"]);
    assert_eq!(
        denied_in("scplan v0.1.0 (/work)\nserde v1.0.0\n"),
        Vec::<String>::new()
    );
}

#[test]
fn shipped_dependencies_hold_no_networking_crate() {
    assert_eq!(denied_in(&tree("normal,build")), Vec::<String>::new());
}

#[test]
fn dev_dependencies_hold_no_networking_crate() {
    let all = tree("normal,build,dev");
    assert!(
        all.contains("proptest v"),
        "dev-dependencies missing:\n{all}"
    );
    assert_eq!(denied_in(&all), Vec::<String>::new());
}
