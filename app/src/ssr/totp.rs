//! Authenticator-app codes (RFC 6238, the 30-second, 6-digit, SHA-1 codes every app
//! reads): the shared key, the QR code that carries it, and the check that finds which
//! step a typed code belongs to (the caller accepts each step once).

use crate::domain::second_factor::{RECOVERY_ALPHABET, RECOVERY_CODE_LEN, TOTP_DIGITS};
use std::fmt;
use totp_rs::{Algorithm, Secret, TOTP};

/// Seconds a code lasts.
pub const STEP_SECS: i64 = 30;
/// The issuer the app shows beside the account.
pub const ISSUER: &str = "Tokensmith";
/// Bytes of a shared key: 160 bits, as RFC 4226 recommends.
const KEY_BYTES: usize = 20;

/// An authenticator app's shared key. Its `Debug` never shows it.
#[derive(Clone)]
pub struct SharedKey(Vec<u8>);

impl SharedKey {
    /// 160 bits from the operating system's CSPRNG.
    pub fn generate() -> Self {
        use rand::RngCore;
        let mut bytes = vec![0u8; KEY_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// A stored key (base32, as [`Self::base32`] gives it).
    pub fn from_base32(text: &str) -> Option<Self> {
        let bytes = Secret::Encoded(text.to_string()).to_bytes().ok()?;
        (bytes.len() == KEY_BYTES).then_some(Self(bytes))
    }

    /// The key as apps take it typed in: unpadded base32, upper case.
    pub fn base32(&self) -> String {
        match Secret::Raw(self.0.clone()).to_encoded() {
            Secret::Encoded(text) => text,
            Secret::Raw(_) => unreachable!("to_encoded gives an encoded secret"),
        }
    }

    fn totp(&self) -> TOTP {
        TOTP::new_unchecked(
            Algorithm::SHA1,
            TOTP_DIGITS,
            0,
            STEP_SECS as u64,
            self.0.clone(),
        )
    }

    /// The code for Unix time `at`.
    pub fn code_at(&self, at: i64) -> String {
        self.totp().generate(at.max(0) as u64)
    }

    /// The step (Unix time / 30) whose code is `code`, looking one step either side of
    /// `now` for clocks a little off; compared in constant time.
    pub fn step_of(&self, code: &str, now: i64) -> Option<i64> {
        let totp = self.totp();
        let current = now.max(0) / STEP_SECS;
        let mut found = None;
        for step in [current - 1, current, current + 1] {
            let expected = totp.generate((step.max(0) * STEP_SECS) as u64);
            if constant_time_eq(expected.as_bytes(), code.as_bytes()) && found.is_none() {
                found = Some(step);
            }
        }
        found
    }

    /// The `otpauth://` link an app reads from the QR code, labelled with `email`.
    pub fn otpauth_uri(&self, email: &str) -> String {
        format!(
            "otpauth://totp/{issuer}:{label}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={TOTP_DIGITS}&period={STEP_SECS}",
            issuer = ISSUER,
            label = percent_encode(email),
            secret = self.base32(),
        )
    }
}

impl fmt::Debug for SharedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedKey(..)")
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `text` with everything but unreserved characters percent-encoded (RFC 3986).
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// `text` as a QR code drawn in SVG: one path of dark modules with a four-module quiet
/// zone, scaled by the page. Made here, so no third party sees the key.
pub fn qr_svg(text: &str) -> Option<String> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = code.size();
    let border = 4;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let full = size + 2 * border;
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {full} {full}\" \
         role=\"img\" aria-label=\"QR code of the set-up key\" shape-rendering=\"crispEdges\">\
         <rect width=\"{full}\" height=\"{full}\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

/// A new recovery code: ten characters of Crockford's base32 (50 bits) from the operating
/// system's CSPRNG.
pub fn new_recovery_code() -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    (0..RECOVERY_CODE_LEN)
        .map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's test key ("12345678901234567890") and its SHA-1 vectors, six digits.
    #[test]
    fn codes_match_the_rfc_vectors() {
        let key = SharedKey(b"12345678901234567890".to_vec());
        assert_eq!(key.code_at(59), "287082");
        assert_eq!(key.code_at(1_111_111_109), "081804");
        assert_eq!(key.code_at(2_000_000_000), "279037");
    }

    #[test]
    fn a_code_is_found_one_step_either_side_and_no_further() {
        let key = SharedKey::generate();
        let now = 1_800_000_000;
        let step = now / STEP_SECS;
        assert_eq!(key.step_of(&key.code_at(now), now), Some(step));
        assert_eq!(key.step_of(&key.code_at(now - 30), now), Some(step - 1));
        assert_eq!(key.step_of(&key.code_at(now + 30), now), Some(step + 1));
        assert_eq!(key.step_of(&key.code_at(now - 90), now), None);
        assert_eq!(key.step_of("12345", now), None);
    }

    #[test]
    fn the_key_round_trips_through_base32_and_never_shows_in_debug() {
        let key = SharedKey::generate();
        let text = key.base32();
        assert_eq!(text.len(), 32);
        let back = SharedKey::from_base32(&text).unwrap();
        assert_eq!(back.0, key.0);
        assert!(SharedKey::from_base32("not base32!").is_none());
        assert!(!format!("{key:?}").contains(&text));
    }

    #[test]
    fn the_link_names_the_issuer_and_encodes_the_email() {
        let key = SharedKey::generate();
        let uri = key.otpauth_uri("ana+ops@example.com");
        assert!(uri.starts_with("otpauth://totp/Tokensmith:ana%2Bops%40example.com?secret="));
        assert!(uri.contains(&key.base32()) && uri.ends_with("&period=30"));
    }

    #[test]
    fn the_qr_code_is_an_svg_of_modules() {
        let svg = qr_svg("otpauth://totp/x").unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(
            svg.contains("M4,4h1v1h-1z"),
            "the finder pattern's corner is dark"
        );
    }

    #[test]
    fn recovery_codes_use_the_alphabet() {
        let code = new_recovery_code();
        assert_eq!(code.len(), RECOVERY_CODE_LEN);
        assert!(code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)));
        assert_ne!(code, new_recovery_code());
    }
}
