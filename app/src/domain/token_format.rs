//! The shape of token credentials: SID `TS` + 32 base62 characters; secret `tsm_` + 30
//! random base62 characters + a 6-character base62 CRC32 of what precedes it. The
//! checksum lets a malformed or mistyped secret be refused without touching the database.

use std::fmt;

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

super::sid::sid_type!(
    /// A token's public identifier.
    TokenSid,
    TokenSidError,
    "TS",
    "a token SID is TS followed by 32 letters and digits"
);

/// A token's secret (the **Auth Token**). `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSecret(String);

/// A text that is not a well-formed secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a Tokensmith secret")]
pub struct TokenSecretError;

impl TokenSecret {
    /// The fixed prefix.
    pub const PREFIX: &'static str = "tsm_";
    /// Random characters after the prefix.
    pub const RANDOM_LEN: usize = 30;
    /// Checksum characters at the end.
    pub const CHECKSUM_LEN: usize = 6;
    /// The whole secret's length.
    pub const LEN: usize = 4 + Self::RANDOM_LEN + Self::CHECKSUM_LEN;

    /// Completes 30 random base62 characters into a secret.
    pub fn from_random(random: &str) -> Result<Self, TokenSecretError> {
        if random.len() != Self::RANDOM_LEN || !random.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(TokenSecretError);
        }
        let head = format!("{}{random}", Self::PREFIX);
        let checksum = checksum(&head);
        Ok(Self(head + &checksum))
    }

    /// Checks shape and checksum; nothing else (whether it exists is the database's say).
    pub fn parse(input: &str) -> Result<Self, TokenSecretError> {
        if input.len() != Self::LEN || !input.is_ascii() {
            return Err(TokenSecretError);
        }
        let (head, sum) = input.split_at(Self::LEN - Self::CHECKSUM_LEN);
        let random = head.strip_prefix(Self::PREFIX).ok_or(TokenSecretError)?;
        if !random.bytes().all(|b| b.is_ascii_alphanumeric()) || checksum(head) != sum {
            return Err(TokenSecretError);
        }
        Ok(Self(input.to_string()))
    }

    /// The secret, for hashing or for showing once.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The last four characters, kept to help people recognise a token.
    pub fn last4(&self) -> &str {
        &self.0[self.0.len() - 4..]
    }
}

impl fmt::Debug for TokenSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenSecret(…{})", self.last4())
    }
}

/// CRC-32 (IEEE 802.3, the one zip and PNG use).
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// The CRC32 of `text` in six base62 digits, most significant first.
fn checksum(text: &str) -> String {
    let mut value = u64::from(crc32(text.as_bytes()));
    let mut digits = [b'0'; TokenSecret::CHECKSUM_LEN];
    for digit in digits.iter_mut().rev() {
        *digit = BASE62[(value % 62) as usize];
        value /= 62;
    }
    digits.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn secrets_round_trip_and_hide_in_debug() {
        let secret = TokenSecret::from_random(&"aB3".repeat(10)).unwrap();
        assert_eq!(secret.expose().len(), 40);
        assert!(secret.expose().starts_with("tsm_aB3aB3"));
        assert_eq!(TokenSecret::parse(secret.expose()), Ok(secret.clone()));
        assert!(!format!("{secret:?}").contains("aB3aB3"));
        assert_eq!(secret.last4().len(), 4);
    }

    #[test]
    fn any_single_character_change_is_refused() {
        let secret = TokenSecret::from_random("0123456789abcdefghijABCDEFGHIJ").unwrap();
        let text = secret.expose();
        for i in 0..text.len() {
            for replacement in ['0', 'z', 'Z', '_', '-'] {
                let mut chars: Vec<char> = text.chars().collect();
                if chars[i] == replacement {
                    continue;
                }
                chars[i] = replacement;
                let changed: String = chars.into_iter().collect();
                assert!(TokenSecret::parse(&changed).is_err(), "{changed}");
            }
        }
    }

    #[test]
    fn malformed_secrets() {
        for bad in [
            "",
            "tsm_",
            "tsm_short",
            &"x".repeat(40),
            &format!("tsm_{}", "é".repeat(18)),
        ] {
            assert_eq!(TokenSecret::parse(bad), Err(TokenSecretError), "{bad:?}");
        }
        assert!(TokenSecret::from_random("too short").is_err());
    }

    #[test]
    fn sids() {
        assert!(TokenSid::parse(&format!("TS{}", "a1".repeat(16))).is_ok());
        assert!(TokenSid::parse(&format!("AC{}", "a1".repeat(16))).is_err());
        assert!(TokenSid::parse("TS").is_err());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn base62(len: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(BASE62.to_vec()), len)
            .prop_map(|bytes| String::from_utf8(bytes).unwrap())
    }

    /// Any printable ASCII character.
    fn printable() -> impl Strategy<Value = char> {
        (0x20u8..0x7f).prop_map(char::from)
    }

    proptest! {
        #[test]
        fn every_well_formed_secret_is_accepted(random in base62(TokenSecret::RANDOM_LEN)) {
            let secret = TokenSecret::from_random(&random).unwrap();
            prop_assert_eq!(TokenSecret::parse(secret.expose()), Ok(secret));
        }

        #[test]
        fn every_single_character_change_of_a_secret_is_refused(
            random in base62(TokenSecret::RANDOM_LEN),
            position in 0..TokenSecret::LEN,
            replacement in printable(),
        ) {
            let secret = TokenSecret::from_random(&random).unwrap();
            let mut chars: Vec<char> = secret.expose().chars().collect();
            prop_assume!(chars[position] != replacement);
            chars[position] = replacement;
            let changed: String = chars.into_iter().collect();
            prop_assert!(TokenSecret::parse(&changed).is_err(), "{}", changed);
        }

        #[test]
        fn every_well_formed_sid_is_accepted(body in base62(TokenSid::BODY_LEN)) {
            let text = format!("TS{body}");
            prop_assert_eq!(TokenSid::parse(&text).map(|s| s.to_string()), Ok(text));
        }

        #[test]
        fn a_sid_with_a_foreign_character_or_prefix_is_refused(
            body in base62(TokenSid::BODY_LEN),
            position in 0..(2 + TokenSid::BODY_LEN),
            replacement in printable(),
        ) {
            let mut chars: Vec<char> = format!("TS{body}").chars().collect();
            prop_assume!(chars[position] != replacement);
            prop_assume!(position < 2 || !replacement.is_ascii_alphanumeric());
            chars[position] = replacement;
            let changed: String = chars.into_iter().collect();
            prop_assert!(TokenSid::parse(&changed).is_err(), "{}", changed);
        }

        #[test]
        fn the_parsers_never_panic(input in any::<String>()) {
            let _ = TokenSecret::parse(&input);
            let _ = TokenSid::parse(&input);
        }

        #[test]
        fn the_parsers_never_panic_on_near_misses(
            head in prop_oneof![Just("tsm_"), Just("TS"), Just("")],
            tail in "\\PC{0,45}",
        ) {
            let input = format!("{head}{tail}");
            let _ = TokenSecret::parse(&input);
            let _ = TokenSid::parse(&input);
        }
    }
}
