//! Every form a secret could leak in: as it is, base64 (standard or URL-safe, starting at
//! any of the three byte positions of a larger encoded value), percent-encoded (as a form
//! or as a URL component), hex (`pg_dump` shows bytea so) and Rust's `{:?}` escaping.

use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;

/// One way of writing a secret, named for the scan's report.
pub struct Form {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

/// The forms `secret` is looked for in; for a secret of 8 bytes or more, none is shorter
/// than 8 (a base64 run loses at most 4 characters and gains a third).
pub fn forms(secret: &str) -> Vec<Form> {
    let raw = secret.as_bytes();
    let mut forms = vec![Form {
        name: "as it is",
        bytes: raw.to_vec(),
    }];
    let mut add = |name, bytes: Vec<u8>| {
        if bytes != raw && !forms.iter().any(|f| f.bytes == bytes) {
            forms.push(Form { name, bytes });
        }
    };
    for offset in 0..3 {
        add("base64", base64_run(raw, offset, &STANDARD_NO_PAD));
        add("base64url", base64_run(raw, offset, &URL_SAFE_NO_PAD));
    }
    add("hex", hex(raw, b"0123456789abcdef"));
    add("HEX", hex(raw, b"0123456789ABCDEF"));
    add("form-encoded", percent(raw, b"*-._", true));
    // As JavaScript's encodeURIComponent keeps, and as RFC 3986 keeps; %XX and %xx.
    for kept in [&b"-_.!~*'()"[..], b"-._~"] {
        let encoded = percent(raw, kept, false);
        add("URL-encoded", lowercase_escapes(&encoded));
        add("URL-encoded", encoded);
    }
    let debug = format!("{secret:?}");
    add("escaped", debug.as_bytes()[1..debug.len() - 1].to_vec());
    forms
}

/// The characters of base64 that only `secret`'s bytes decide, when it starts `offset`
/// bytes into a 3-byte group: the first group's characters that mix in earlier bytes, and
/// a last character that mixes in later ones, are left out.
fn base64_run(secret: &[u8], offset: usize, engine: &impl Engine) -> Vec<u8> {
    let mut bytes = vec![0u8; offset];
    bytes.extend_from_slice(secret);
    let encoded = engine.encode(&bytes).into_bytes();
    let skip = [0, 2, 3][offset];
    let end = encoded.len() - usize::from(!bytes.len().is_multiple_of(3));
    encoded[skip..end].to_vec()
}

fn hex(bytes: &[u8], digits: &[u8; 16]) -> Vec<u8> {
    bytes
        .iter()
        .flat_map(|b| [digits[usize::from(b >> 4)], digits[usize::from(b & 15)]])
        .collect()
}

/// Percent-encoding that keeps letters, digits and `kept`; `plus_for_space` as forms do.
fn percent(bytes: &[u8], kept: &[u8], plus_for_space: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 3);
    for &byte in bytes {
        if byte.is_ascii_alphanumeric() || kept.contains(&byte) {
            out.push(byte);
        } else if byte == b' ' && plus_for_space {
            out.push(b'+');
        } else {
            out.extend_from_slice(format!("%{byte:02X}").as_bytes());
        }
    }
    out
}

/// `encoded` with each `%XX` written `%xx`.
fn lowercase_escapes(encoded: &[u8]) -> Vec<u8> {
    let mut out = encoded.to_vec();
    for at in 0..out.len() {
        if out[at] == b'%' {
            for byte in out.iter_mut().skip(at + 1).take(2) {
                byte.make_ascii_lowercase();
            }
        }
    }
    out
}

/// `value` with `+` read as a space and `%XX` as its byte, as a form's fields are read.
pub fn form_decode(value: &str) -> String {
    let bytes = value.replace('+', " ").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn each_form_is_found_inside_a_larger_encoded_value() {
    let secret = "a brand new passphrase";
    let all = forms(secret);
    let found = |haystack: &[u8]| {
        all.iter()
            .filter(|f| haystack.windows(f.bytes.len()).any(|w| w == f.bytes))
            .map(|f| f.name)
            .collect::<Vec<_>>()
    };
    // Basic credentials put the secret after a user name of any length.
    for user in ["", "u", "us", "user", "SID123:"] {
        let header = STANDARD_NO_PAD.encode(format!("{user}:{secret}"));
        assert!(found(header.as_bytes()).contains(&"base64"), "{user}");
        // A secret whose base64 holds `+` or `/` has a URL-safe form of its own.
        let odd = "~~~?>>>?";
        let padded = base64::engine::general_purpose::URL_SAFE.encode(format!("{user}{odd}!"));
        let url_safe = forms(odd).into_iter().filter(|f| f.name == "base64url");
        let found_in = |f: Form| {
            padded
                .as_bytes()
                .windows(f.bytes.len())
                .any(|w| w == f.bytes)
        };
        assert!(url_safe.into_iter().any(found_in), "{user}");
    }
    assert!(found(b"password=a+brand+new+passphrase&x=1").contains(&"form-encoded"));
    assert!(found(b"/reset?p=a%20brand%20new%20passphrase").contains(&"URL-encoded"));
    assert!(found(b"\\x61206272616e64206e65772070617373706872617365").contains(&"hex"));
    assert_eq!(
        found(b"a brand new pass-phrase, a brand-new passphrase"),
        [] as [&str; 0]
    );
    let quoted = forms("say \"hi\" now");
    assert!(quoted.iter().any(|f| f.bytes == br#"say \"hi\" now"#));
    assert_eq!(form_decode("a%40b+c"), "a@b c");
}
