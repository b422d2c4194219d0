//! The scanner's own JavaScript (`static/badge.js`), unit-tested with Node's built-in test
//! runner (`tests/js/`): this test writes vectors with Dialogue's own code (a genuine badge,
//! one character changed, another key, another event) and runs `node --test` on them. Without
//! Node the test skips locally with a note and fails when `CI=true`.

use std::process::Command;

use dialogue::domain::badge_code;
use ed25519_dalek::SigningKey;
use uuid::Uuid;

#[test]
fn badge_codes_are_read_verified_and_decided_in_javascript() {
    if Command::new("node").arg("--version").output().is_err() {
        assert!(
            std::env::var("CI").is_err_and(|_| true)
                || std::env::var("CI").is_ok_and(|v| v != "true"),
            "CI=true and Node is missing: run bash .ci/ensure-node"
        );
        eprintln!("note: skipping the JavaScript unit tests: node is not installed");
        return;
    }
    let key = SigningKey::from_bytes(&[7; 32]);
    let other = SigningKey::from_bytes(&[9; 32]);
    let (event, other_event, registration) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let genuine = badge_code::issue(&key, 1, event, registration);
    // One character of the payload changed to another base32 letter.
    let mut chars: Vec<char> = genuine.chars().collect();
    chars[20] = if chars[20] == 'A' { 'B' } else { 'A' };
    let one_changed: String = chars.into_iter().collect();
    let vectors = serde_json::json!({
        "keys": [{"kid": 1, "public_key": hex::encode(key.verifying_key().to_bytes())}],
        "event_tag": hex::encode(badge_code::event_tag(event)),
        "registration_id": registration.to_string(),
        "genuine": genuine,
        "one_changed": one_changed,
        "other_key": badge_code::issue(&other, 1, event, registration),
        "other_event": badge_code::issue(&key, 1, other_event, registration),
    });
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("badge-vectors-{}.json", std::process::id()));
    std::fs::write(&path, vectors.to_string()).unwrap();
    let output = Command::new("node")
        .arg("--test")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/badge.test.cjs"))
        .env("BADGE_VECTORS", &path)
        .output()
        .expect("run node --test");
    let _ = std::fs::remove_file(&path);
    assert!(
        output.status.success(),
        "node --test failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        report.contains("# pass 8"),
        "every JavaScript test ran:\n{report}"
    );
}
