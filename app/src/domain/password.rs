//! The rule for passwords an operator sets for a user.

use std::fmt;

/// A password that meets the policy; never printed by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

/// Why a password was refused.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error,
)]
pub enum PasswordError {
    /// Fewer than [`NewPassword::MIN`] characters.
    #[error("Use at least 12 characters.")]
    TooShort,
    /// More than [`NewPassword::MAX`] characters (hashing huge inputs is a denial of service).
    #[error("Use at most 256 characters.")]
    TooLong,
}

impl NewPassword {
    /// The fewest characters allowed.
    pub const MIN: usize = 12;
    /// The most characters allowed.
    pub const MAX: usize = 256;

    /// Checks `input` against the policy; the password is kept exactly as typed.
    pub fn parse(input: &str) -> Result<Self, PasswordError> {
        let count = input.chars().count();
        if count < Self::MIN {
            Err(PasswordError::TooShort)
        } else if count > Self::MAX {
            Err(PasswordError::TooLong)
        } else {
            Ok(Self(input.to_string()))
        }
    }

    /// The password, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert_eq!(NewPassword::parse("short"), Err(PasswordError::TooShort));
        assert_eq!(
            NewPassword::parse(&"x".repeat(257)),
            Err(PasswordError::TooLong)
        );
        assert!(NewPassword::parse("correct horse battery").is_ok());
    }

    #[test]
    fn debug_hides_the_password() {
        let password = NewPassword::parse("correct horse battery").unwrap();
        assert!(!format!("{password:?}").contains("horse"));
    }
}
