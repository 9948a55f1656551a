//! Names typed by people: account names and users' display names.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum TextError {
    /// Shorter than allowed once trimmed (the field is empty when `min` is 1).
    #[error("Enter at least {min} characters.")]
    TooShort {
        /// The fewest characters allowed.
        min: usize,
    },
    /// Longer than allowed once trimmed.
    #[error("Use at most {max} characters.")]
    TooLong {
        /// The most characters allowed.
        max: usize,
    },
    /// Contains a control character such as a newline.
    #[error("Remove line breaks and control characters.")]
    ControlCharacter,
}

fn single_line(input: &str, min: usize, max: usize) -> Result<String, TextError> {
    let trimmed = input.trim();
    let count = trimmed.chars().count();
    if count < min {
        return Err(TextError::TooShort { min });
    }
    if count > max {
        return Err(TextError::TooLong { max });
    }
    if trimmed.chars().any(char::is_control) {
        return Err(TextError::ControlCharacter);
    }
    Ok(trimmed.to_string())
}

macro_rules! single_line_name {
    ($(#[$doc:meta])* $name:ident, $min:expr, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The fewest characters allowed after trimming.
            pub const MIN: usize = $min;
            /// The most characters allowed after trimming.
            pub const MAX: usize = $max;

            /// Trims and validates `input`.
            pub fn parse(input: &str) -> Result<Self, TextError> {
                single_line(input, Self::MIN, Self::MAX).map(Self)
            }

            /// The name as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = TextError;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

single_line_name!(
    /// A brand account's name, 2–100 characters on one line.
    AccountName,
    2,
    100
);

single_line_name!(
    /// A user's display name, 1–100 characters on one line.
    PersonName,
    1,
    100
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names() {
        let table = [
            ("Acme Outdoor", Ok("Acme Outdoor")),
            ("  Acme  ", Ok("Acme")),
            ("A", Err(TextError::TooShort { min: 2 })),
            ("   ", Err(TextError::TooShort { min: 2 })),
            ("Acme\nOutdoor", Err(TextError::ControlCharacter)),
        ];
        for (input, expected) in table {
            assert_eq!(
                AccountName::parse(input).map(String::from),
                expected.map(str::to_string),
                "{input:?}"
            );
        }
        assert_eq!(
            AccountName::parse(&"x".repeat(101)),
            Err(TextError::TooLong { max: 100 })
        );
        assert!(AccountName::parse(&"é".repeat(100)).is_ok());
    }

    #[test]
    fn person_names() {
        assert_eq!(PersonName::parse(""), Err(TextError::TooShort { min: 1 }));
        assert_eq!(
            PersonName::parse(" Jo ").map(String::from),
            Ok("Jo".to_string())
        );
        assert_eq!(
            PersonName::parse("tab\there"),
            Err(TextError::ControlCharacter)
        );
    }
}
