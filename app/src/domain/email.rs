//! Email addresses: the sign-in identity of users and the developer contacts of tokens.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A syntactically valid email address, trimmed and lower-cased so that comparisons
/// are case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

/// Why a text is not an email address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum EmailError {
    /// Nothing was entered.
    #[error("Enter an email address.")]
    Empty,
    /// Longer than the 254 characters an address may have.
    #[error("An email address can't be longer than 254 characters.")]
    TooLong,
    /// Not of the form name@example.com.
    #[error("Enter an email address like name@example.com.")]
    Invalid,
}

const MAX_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;

impl EmailAddress {
    /// Validates and normalises `input`.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.chars().count() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or(EmailError::Invalid)?;
        if !valid_local(local) || !valid_domain(domain) {
            return Err(EmailError::Invalid);
        }
        Ok(Self(trimmed.to_ascii_lowercase()))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn valid_local(local: &str) -> bool {
    const SPECIAL: &str = ".!#$%&'*+/=?^_`{|}~-";
    !local.is_empty()
        && local.len() <= MAX_LOCAL_LEN
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || SPECIAL.contains(c))
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let tld_ok = labels
        .last()
        .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    labels.len() >= 2
        && tld_ok
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = EmailError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_normalises_them() {
        let table = [
            ("admin@acme.test", "admin@acme.test"),
            ("  Admin@Acme.Test ", "admin@acme.test"),
            (
                "first.last+tag@mail.example.co.uk",
                "first.last+tag@mail.example.co.uk",
            ),
            (
                "o'neil@sub-domain.example.org",
                "o'neil@sub-domain.example.org",
            ),
        ];
        for (input, expected) in table {
            assert_eq!(
                EmailAddress::parse(input).map(String::from),
                Ok(expected.to_string())
            );
        }
    }

    #[test]
    fn refuses_each_kind_of_bad_address() {
        let long_local = format!("{}@acme.test", "a".repeat(65));
        let too_long = format!("{}@{}.test", "a".repeat(60), "b".repeat(200));
        let table: [(&str, EmailError); 14] = [
            ("", EmailError::Empty),
            ("   ", EmailError::Empty),
            (&too_long, EmailError::TooLong),
            ("plainaddress", EmailError::Invalid),
            ("@acme.test", EmailError::Invalid),
            ("admin@", EmailError::Invalid),
            ("admin@acme", EmailError::Invalid),
            ("admin@acme.t", EmailError::Invalid),
            ("admin@acme..test", EmailError::Invalid),
            ("admin@-acme.test", EmailError::Invalid),
            (".admin@acme.test", EmailError::Invalid),
            ("ad..min@acme.test", EmailError::Invalid),
            ("ad min@acme.test", EmailError::Invalid),
            (&long_local, EmailError::Invalid),
        ];
        for (input, expected) in table {
            assert_eq!(EmailAddress::parse(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn deserialising_validates() {
        let ok: Result<EmailAddress, _> = serde_json::from_str("\"A@B.io\"");
        assert_eq!(ok.map(String::from).ok(), Some("a@b.io".to_string()));
        let bad: Result<EmailAddress, _> = serde_json::from_str("\"nope\"");
        assert!(bad.is_err());
    }
}
