//! Secret-scanning reports: bodies of the world's secrets (live, foreign, mangled, unknown,
//! junk) with URLs of every shape, and GitHub's signature over whatever body is sent.

use crate::cases::{Payload, SecretRef, Target};
use crate::harness::{TestApp, SCANNING_KEY_ID};
use crate::values::secret_ref;
use crate::world::World;
use http::HeaderMap;
use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::{json, Value};

/// A report's secrets, each with a URL or none.
pub fn report() -> BoxedStrategy<Payload> {
    let url = proptest::option::weighted(
        0.7,
        prop_oneof![
            3 => Just("https://github.com/octo/app/blob/0a1b/.env".to_string()),
            1 => Just("javascript:alert(1)".to_string()),
            1 => "\\PC{0,80}",
            1 => (600usize..900).prop_map(|n| format!("https://x.test/{}", "a".repeat(n))),
        ],
    );
    vec((secret_ref(), url), 0..6)
        .prop_map(Payload::Report)
        .boxed()
}

/// The JSON array sent: GitHub's matches for `/secret-scanning/github`, strings and
/// objects mixed for `/secret-scanning/report`.
pub fn body(world: &World, items: &[(SecretRef, Option<String>)], target: &Target) -> Vec<u8> {
    let github = matches!(target, Target::SecretReports { github: true, .. });
    let items: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(i, (secret, url))| {
            let token = world.secret(secret);
            match (github, url) {
                (true, url) => json!({
                    "token": token, "type": "tokensmith_auth_token", "url": url, "source": "content"
                }),
                (false, None) if i % 2 == 0 => json!(token),
                (false, url) => json!({ "token": token, "url": url }),
            }
        })
        .collect();
    Value::Array(items).to_string().into_bytes()
}

/// Signs `body` as GitHub does, with the app's key.
pub fn sign(app: &TestApp, body: &[u8], headers: &mut HeaderMap) {
    use base64::Engine;
    use p256::ecdsa::signature::Signer;
    let signature: p256::ecdsa::DerSignature = app.scanning_key.sign(body);
    let signature = base64::engine::general_purpose::STANDARD.encode(signature.as_bytes());
    headers.insert(
        "github-public-key-identifier",
        SCANNING_KEY_ID.parse().unwrap(),
    );
    headers.insert("github-public-key-signature", signature.parse().unwrap());
}
