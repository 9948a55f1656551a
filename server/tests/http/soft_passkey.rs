//! A software passkey for the router tests: an authenticator with one P-256 key (ES256),
//! "none" attestation, its user verified, answering the options the server gives exactly
//! as a browser's `PublicKeyCredential.toJSON()` does. The server checks its answers with
//! webauthn-rs, as it checks a browser's.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub struct SoftPasskey {
    key: SigningKey,
    pub credential_id: Vec<u8>,
    user_handle: Vec<u8>,
    /// The signature counter of the next answer.
    pub counter: u32,
    origin: String,
}

impl SoftPasskey {
    /// A new authenticator whose answers say they come from `origin`.
    pub fn new(origin: &str) -> Self {
        let key = loop {
            if let Ok(key) = SigningKey::from_slice(&rand::random::<[u8; 32]>()) {
                break key;
            }
        };
        Self {
            key,
            credential_id: rand::random::<[u8; 16]>().to_vec(),
            user_handle: Vec::new(),
            counter: 0,
            origin: origin.to_string(),
        }
    }

    /// Answers `navigator.credentials.create()`'s options (the server's `publicKey`).
    pub fn create(&mut self, options: &Value) -> Value {
        self.user_handle = decode(&options["user"]["id"]);
        let rp_id = options["rp"]["id"].as_str().unwrap();
        let client_data = self.client_data("webauthn.create", options);
        let point = self.key.verifying_key().to_sec1_point(false);
        let point = point.as_bytes();
        let mut cose = vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20];
        cose.extend_from_slice(&point[1..33]);
        cose.extend_from_slice(&[0x22, 0x58, 0x20]);
        cose.extend_from_slice(&point[33..65]);
        let mut auth_data = self.auth_data(rp_id, 0x45);
        auth_data.extend_from_slice(&[0; 16]);
        auth_data.extend_from_slice(&(self.credential_id.len() as u16).to_be_bytes());
        auth_data.extend_from_slice(&self.credential_id);
        auth_data.extend_from_slice(&cose);
        let mut attestation = vec![0xa3];
        attestation.extend(text("fmt"));
        attestation.extend(text("none"));
        attestation.extend(text("attStmt"));
        attestation.push(0xa0);
        attestation.extend(text("authData"));
        attestation.extend(bytes(&auth_data));
        json!({
            "id": encode(&self.credential_id),
            "rawId": encode(&self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": encode(client_data.as_bytes()),
                "attestationObject": encode(&attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        })
    }

    /// Answers `navigator.credentials.get()`'s options, signing with the next counter.
    pub fn get(&mut self, options: &Value) -> Value {
        self.counter += 1;
        let rp_id = options["rpId"].as_str().unwrap();
        let client_data = self.client_data("webauthn.get", options);
        let auth_data = self.auth_data(rp_id, 0x05);
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&Sha256::digest(client_data.as_bytes()));
        let signature: Signature = self.key.sign(&signed);
        json!({
            "id": encode(&self.credential_id),
            "rawId": encode(&self.credential_id),
            "type": "public-key",
            "response": {
                "authenticatorData": encode(&auth_data),
                "clientDataJSON": encode(client_data.as_bytes()),
                "signature": encode(signature.to_der().as_bytes()),
                "userHandle": encode(&self.user_handle),
            },
            "clientExtensionResults": {},
        })
    }

    fn client_data(&self, kind: &str, options: &Value) -> String {
        json!({
            "type": kind,
            "challenge": options["challenge"],
            "origin": self.origin,
            "crossOrigin": false,
        })
        .to_string()
    }

    /// The RP id's hash, `flags` (UP 0x01, UV 0x04, AT 0x40) and the counter.
    fn auth_data(&self, rp_id: &str, flags: u8) -> Vec<u8> {
        let mut data = Sha256::digest(rp_id.as_bytes()).to_vec();
        data.push(flags);
        data.extend_from_slice(&self.counter.to_be_bytes());
        data
    }
}

fn encode(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

fn decode(value: &Value) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(value.as_str().unwrap()).unwrap()
}

/// A CBOR head of major type `major` and length `len` (< 65,536).
fn head(major: u8, len: usize) -> Vec<u8> {
    match len {
        0..=23 => vec![major << 5 | len as u8],
        24..=255 => vec![major << 5 | 24, len as u8],
        _ => {
            let mut head = vec![major << 5 | 25];
            head.extend_from_slice(&(len as u16).to_be_bytes());
            head
        }
    }
}

fn text(value: &str) -> Vec<u8> {
    let mut out = head(3, value.len());
    out.extend_from_slice(value.as_bytes());
    out
}

fn bytes(value: &[u8]) -> Vec<u8> {
    let mut out = head(2, value.len());
    out.extend_from_slice(value);
    out
}
