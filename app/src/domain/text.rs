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

single_line_name!(
    /// An access token's name, 3–64 characters on one line; unique in its account,
    /// whatever the case (the database enforces that).
    TokenName,
    3,
    64
);

/// What a token is for: optional, at most 500 characters, line breaks allowed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Description(String);

impl Description {
    /// The most characters allowed after trimming.
    pub const MAX: usize = 500;

    /// Trims and validates `input`; empty is allowed.
    pub fn parse(input: &str) -> Result<Self, TextError> {
        let trimmed = input.trim();
        if trimmed.chars().count() > Self::MAX {
            return Err(TextError::TooLong { max: Self::MAX });
        }
        let forbidden = |c: char| c.is_control() && c != '\n' && c != '\t' && c != '\r';
        if trimmed.chars().any(forbidden) {
            return Err(TextError::ControlCharacter);
        }
        Ok(Self(trimmed.to_string()))
    }

    /// The description as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Description {
    type Error = TextError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Description> for String {
    fn from(value: Description) -> Self {
        value.0
    }
}

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

#[cfg(test)]
mod token_text_tests {
    use super::*;

    #[test]
    fn token_names() {
        let table = [
            ("ab", Err(TextError::TooShort { min: 3 })),
            ("  ab  ", Err(TextError::TooShort { min: 3 })),
            ("abc", Ok("abc")),
            ("  Reporting sync  ", Ok("Reporting sync")),
            ("line\nbreak", Err(TextError::ControlCharacter)),
        ];
        for (input, expected) in table {
            assert_eq!(
                TokenName::parse(input).map(String::from),
                expected.map(str::to_string),
                "{input:?}"
            );
        }
        assert!(TokenName::parse(&"n".repeat(64)).is_ok());
        assert_eq!(
            TokenName::parse(&"n".repeat(65)),
            Err(TextError::TooLong { max: 64 })
        );
    }

    #[test]
    fn descriptions() {
        assert_eq!(Description::parse("").map(String::from), Ok(String::new()));
        assert!(Description::parse("two\nlines").is_ok());
        assert!(Description::parse(&"d".repeat(500)).is_ok());
        assert_eq!(
            Description::parse(&"d".repeat(501)),
            Err(TextError::TooLong { max: 500 })
        );
        assert_eq!(
            Description::parse("bell\u{7}"),
            Err(TextError::ControlCharacter)
        );
    }
}
