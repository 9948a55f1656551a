//! Passkeys as the user names them, and how many a user may keep.

/// The most passkeys one user may keep.
pub const MAX_PASSKEYS: usize = 10;
/// The longest name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// A passkey's name: what the user calls it ("Work laptop"), trimmed, 1 to 64 characters,
/// without control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyName(String);

/// Why a typed name can't be a passkey's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasskeyNameError {
    #[error("Give the passkey a name, such as the device it is on.")]
    Empty,
    #[error("A passkey's name is at most 64 characters.")]
    TooLong,
    #[error("A passkey's name can't contain control characters.")]
    ControlCharacter,
}

impl PasskeyName {
    /// Reads a name as typed.
    pub fn parse(typed: &str) -> Result<Self, PasskeyNameError> {
        let name = typed.trim();
        if name.is_empty() {
            return Err(PasskeyNameError::Empty);
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(PasskeyNameError::TooLong);
        }
        if name.chars().any(char::is_control) {
            return Err(PasskeyNameError::ControlCharacter);
        }
        Ok(Self(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed() {
        let name = PasskeyName::parse("  Work laptop ").map(|n| n.as_str().to_string());
        assert_eq!(name, Ok("Work laptop".to_string()));
    }

    #[test]
    fn an_empty_or_blank_name_is_refused() {
        assert_eq!(PasskeyName::parse(""), Err(PasskeyNameError::Empty));
        assert_eq!(PasskeyName::parse(" \t "), Err(PasskeyNameError::Empty));
    }

    #[test]
    fn sixty_four_characters_fit_and_sixty_five_do_not() {
        assert!(PasskeyName::parse(&"é".repeat(64)).is_ok());
        assert_eq!(
            PasskeyName::parse(&"é".repeat(65)),
            Err(PasskeyNameError::TooLong)
        );
    }

    #[test]
    fn control_characters_are_refused() {
        assert_eq!(
            PasskeyName::parse("Work\u{0}laptop"),
            Err(PasskeyNameError::ControlCharacter)
        );
        assert_eq!(
            PasskeyName::parse("Work\nlaptop"),
            Err(PasskeyNameError::ControlCharacter)
        );
    }
}
