//! Webhook signatures per the Standard Webhooks specification: a signing secret is
//! `whsec_` and the base64 of 24 random bytes; a message is signed with HMAC-SHA256 over
//! `{webhook-id}.{webhook-timestamp}.{body}`, and `webhook-signature` carries `v1,` and the
//! base64 of each signature, space-separated (during a rotation the old secret signs too,
//! so a receiver holding either verifies).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What a signing secret starts with.
pub const PREFIX: &str = "whsec_";
/// Random bytes in a new secret.
const SECRET_BYTES: usize = 24;

/// A signing secret's key.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey(Vec<u8>);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(…)")
    }
}

/// A secret that isn't `whsec_` and base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotASecret;

impl SigningKey {
    /// A new random key and its secret as shown once (`whsec_…`).
    pub fn generate() -> (Self, String) {
        use rand::RngCore;
        let mut bytes = vec![0u8; SECRET_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let shown = format!("{PREFIX}{}", STANDARD.encode(&bytes));
        (Self(bytes), shown)
    }

    /// The key of a secret as shown (`whsec_` and base64).
    pub fn parse(secret: &str) -> Result<Self, NotASecret> {
        let encoded = secret.strip_prefix(PREFIX).ok_or(NotASecret)?;
        let bytes = STANDARD.decode(encoded).map_err(|_| NotASecret)?;
        if bytes.is_empty() || bytes.len() > 64 {
            return Err(NotASecret);
        }
        Ok(Self(bytes))
    }

    /// The raw key, for storing.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// From stored bytes.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        // HMAC takes a key of any length; were it ever refused, the empty signature
        // sent instead fails every receiver's check (nothing goes out as signed).
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.0) {
            Ok(mac) => mac,
            Err(_) => return String::new(),
        };
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

/// The `webhook-signature` value: a signature by each of `keys` (the current one first,
/// then one being rotated out), space-separated.
pub fn signature_header(keys: &[&SigningKey], id: &str, timestamp: i64, body: &[u8]) -> String {
    keys.iter()
        .map(|key| key.sign(id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The specification's libraries' published vector (their `verifyWebhookSignWorks`).
    #[test]
    fn signs_the_published_test_vector() {
        let key = SigningKey::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let signed = key.sign(
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(signed, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn a_rotation_signs_with_both_keys_and_a_new_secret_round_trips() {
        let (key, shown) = SigningKey::generate();
        assert!(shown.starts_with("whsec_"));
        assert_eq!(SigningKey::parse(&shown).unwrap(), key);
        let old = SigningKey::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let header = signature_header(&[&key, &old], "msg_1", 1, b"{}");
        let parts: Vec<&str> = header.split(' ').collect();
        assert_eq!(
            parts,
            [key.sign("msg_1", 1, b"{}"), old.sign("msg_1", 1, b"{}")]
        );
        assert_ne!(parts[0], parts[1]);
        for bad in [
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "whsec_",
            "whsec_!!",
            "whsec_",
        ] {
            assert_eq!(SigningKey::parse(bad), Err(NotASecret), "{bad}");
        }
        assert_eq!(format!("{key:?}"), "SigningKey(…)");
    }
}
