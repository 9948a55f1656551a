//! The public keys GitHub signs its secret-scanning reports with, as the operator
//! configures them (`TOKENSMITH_SECRET_SCANNING_KEYS`: a file in the format GitHub serves at
//! `https://api.github.com/meta/public_keys/secret_scanning`). Nothing is fetched at run
//! time: the file is read once at start.
//!
//! A report carries `Github-Public-Key-Identifier` (which key) and
//! `Github-Public-Key-Signature` (base64 of an ASN.1 DER ECDSA P-256 signature over the
//! SHA-256 of the raw body).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use http::HeaderMap;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{DerSignature, VerifyingKey};
use p256::pkcs8::DecodePublicKey;
use serde::Deserialize;

/// The most keys a file may hold, and the longest identifier.
const MAX_KEYS: usize = 64;
const MAX_IDENTIFIER: usize = 128;
/// The longest signature header (a DER P-256 signature is at most 72 bytes).
const MAX_SIGNATURE: usize = 128;

/// The keys reports may be signed with.
#[derive(Default)]
pub struct ScanningKeys {
    keys: Vec<(String, VerifyingKey)>,
}

/// Why a report's signature is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureProblem {
    #[error("this server has no secret-scanning keys configured")]
    NotConfigured,
    #[error(
        "the Github-Public-Key-Identifier and Github-Public-Key-Signature headers are required"
    )]
    Missing,
    #[error("the key identifier is not one of the configured keys")]
    UnknownKey,
    #[error("the signature is not base64 of a DER ECDSA signature")]
    Malformed,
    #[error("the signature does not match the body")]
    Wrong,
}

#[derive(Deserialize)]
struct KeyFile {
    public_keys: Vec<KeyEntry>,
}

#[derive(Deserialize)]
struct KeyEntry {
    key_identifier: String,
    key: String,
}

impl ScanningKeys {
    /// The keys in `json` (GitHub's `public_keys` document); `name` names the source in
    /// errors.
    pub fn from_json(json: &str, name: &str) -> Result<Self, String> {
        let file: KeyFile = serde_json::from_str(json)
            .map_err(|e| format!("{name} is not GitHub's public_keys JSON: {e}"))?;
        if file.public_keys.is_empty() || file.public_keys.len() > MAX_KEYS {
            return Err(format!("{name} should hold 1 to {MAX_KEYS} public keys"));
        }
        let keys = file
            .public_keys
            .into_iter()
            .map(|entry| {
                let id = entry.key_identifier.trim().to_string();
                if id.is_empty() || id.len() > MAX_IDENTIFIER || !id.is_ascii() {
                    return Err(format!(
                        "{name}: a key_identifier is empty, too long or not ASCII"
                    ));
                }
                let key = VerifyingKey::from_public_key_pem(entry.key.trim()).map_err(|_| {
                    format!("{name}: the key {id} is not a PEM ECDSA P-256 public key")
                })?;
                Ok((id, key))
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Self { keys })
    }

    /// Whether reports can be checked at all.
    pub fn is_configured(&self) -> bool {
        !self.keys.is_empty()
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Checks the signature `headers` carry over `body`.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), SignatureProblem> {
        if !self.is_configured() {
            return Err(SignatureProblem::NotConfigured);
        }
        let id = headers.get("github-public-key-identifier");
        let signature = headers.get("github-public-key-signature");
        let (Some(id), Some(signature)) = (id, signature) else {
            return Err(SignatureProblem::Missing);
        };
        let id = id.as_bytes();
        if id.len() > MAX_IDENTIFIER {
            return Err(SignatureProblem::UnknownKey);
        }
        let key = self
            .keys
            .iter()
            .find(|(known, _)| known.as_bytes() == id)
            .map(|(_, key)| key)
            .ok_or(SignatureProblem::UnknownKey)?;
        let signature = signature.as_bytes();
        if signature.len() > MAX_SIGNATURE {
            return Err(SignatureProblem::Malformed);
        }
        let der = STANDARD
            .decode(signature.trim_ascii())
            .map_err(|_| SignatureProblem::Malformed)?;
        let signature =
            DerSignature::try_from(der.as_slice()).map_err(|_| SignatureProblem::Malformed)?;
        key.verify(body, &signature)
            .map_err(|_| SignatureProblem::Wrong)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use p256::ecdsa::signature::Signer;
    use p256::ecdsa::SigningKey;
    use p256::pkcs8::{EncodePublicKey, LineEnding};

    fn signer() -> (SigningKey, String) {
        let key = SigningKey::from_slice(&[7; 32]).unwrap();
        let pem = key
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap();
        (key, pem)
    }

    fn file(id: &str, pem: &str) -> String {
        serde_json::json!({
            "public_keys": [{ "key_identifier": id, "key": pem, "is_current": true }]
        })
        .to_string()
    }

    fn signed(id: &str, signature: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("Github-Public-Key-Identifier", id.parse().unwrap());
        let signature = STANDARD.encode(signature);
        headers.insert("Github-Public-Key-Signature", signature.parse().unwrap());
        headers
    }

    #[test]
    fn a_signed_body_verifies_and_nothing_else_does() {
        let (key, pem) = signer();
        let keys = ScanningKeys::from_json(&file("k1", &pem), "K").unwrap();
        let body = br#"[{"token":"x","type":"t"}]"#;
        let signature: DerSignature = key.sign(body);
        let headers = signed("k1", signature.as_bytes());
        assert_eq!(keys.verify(&headers, body), Ok(()));
        assert_eq!(keys.verify(&headers, b"[]"), Err(SignatureProblem::Wrong));
        let other = signed("k2", signature.as_bytes());
        assert_eq!(keys.verify(&other, body), Err(SignatureProblem::UnknownKey));
        let junk = signed("k1", b"not der");
        assert_eq!(keys.verify(&junk, body), Err(SignatureProblem::Malformed));
        assert_eq!(
            keys.verify(&HeaderMap::new(), body),
            Err(SignatureProblem::Missing)
        );
    }

    #[test]
    fn bad_key_files_are_refused_by_name() {
        let (_, pem) = signer();
        assert_eq!(
            ScanningKeys::from_json(&file("k1", &pem), "K")
                .unwrap()
                .len(),
            1
        );
        let junk = ScanningKeys::from_json("{", "K").err().unwrap();
        assert!(junk.starts_with("K is not"), "{junk}");
        let empty = ScanningKeys::from_json(r#"{"public_keys":[]}"#, "K")
            .err()
            .unwrap();
        assert!(empty.contains("1 to 64"), "{empty}");
        let bad = ScanningKeys::from_json(&file("k1", "not a key"), "K")
            .err()
            .unwrap();
        assert!(bad.contains("the key k1"), "{bad}");
    }

    #[test]
    fn without_keys_nothing_verifies() {
        let keys = ScanningKeys::default();
        assert_eq!(
            keys.verify(&HeaderMap::new(), b"[]"),
            Err(SignatureProblem::NotConfigured)
        );
    }
}
