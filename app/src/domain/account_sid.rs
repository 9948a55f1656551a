//! The public identifier of a brand account: `AC` followed by 32 letters and digits.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An account SID, valid by construction.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountSid(String);

/// A text that is not an account SID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an account SID is AC followed by 32 letters and digits")]
pub struct AccountSidError;

impl AccountSid {
    /// The fixed prefix.
    pub const PREFIX: &'static str = "AC";
    /// Letters and digits after the prefix.
    pub const BODY_LEN: usize = 32;

    /// Checks the shape of `input`.
    pub fn parse(input: &str) -> Result<Self, AccountSidError> {
        let body = input.strip_prefix(Self::PREFIX).ok_or(AccountSidError)?;
        if body.len() == Self::BODY_LEN && body.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(Self(input.to_string()))
        } else {
            Err(AccountSidError)
        }
    }

    /// The SID as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountSid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for AccountSid {
    type Error = AccountSidError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<AccountSid> for String {
    fn from(value: AccountSid) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape() {
        let good = format!("AC{}", "aZ09".repeat(8));
        assert!(AccountSid::parse(&good).is_ok());
        for bad in [
            String::new(),
            "AC".to_string(),
            format!("TS{}", "a".repeat(32)),
            format!("AC{}", "a".repeat(31)),
            format!("AC{}", "a".repeat(33)),
            format!("AC{}-", "a".repeat(31)),
            format!("ac{}", "a".repeat(32)),
        ] {
            assert_eq!(AccountSid::parse(&bad), Err(AccountSidError), "{bad:?}");
        }
    }
}
