//! Percent-encoding for paths and forms, and header values from arbitrary bytes.

use http::header::HeaderValue;
use std::fmt::Write as _;

const PATH_SAFE: &[u8] = b"-._~!$&'()*+,;=:@";

pub fn encode(text: &str) -> String {
    encode_bytes(text.as_bytes())
}

pub fn encode_bytes(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        if b.is_ascii_alphanumeric() || PATH_SAFE.contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `application/x-www-form-urlencoded` value.
pub fn form_encode(text: &str) -> String {
    let mut out = String::new();
    for &b in text.as_bytes() {
        match b {
            b' ' => out.push('+'),
            b if b.is_ascii_alphanumeric() || b"-._~".contains(&b) => out.push(b as char),
            b => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// A header value from arbitrary bytes: the bytes `http` refuses become `?`.
pub fn header_value(bytes: &[u8]) -> HeaderValue {
    let clean: Vec<u8> = bytes
        .iter()
        .map(|&b| {
            if (b < 0x20 && b != b'\t') || b == 0x7f {
                b'?'
            } else {
                b
            }
        })
        .collect();
    HeaderValue::from_bytes(&clean).unwrap_or_else(|_| HeaderValue::from_static("?"))
}
