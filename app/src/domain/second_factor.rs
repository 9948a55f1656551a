//! Second factors as the user types them: authenticator-app codes and recovery codes, and
//! the account's **Require two-factor authentication** rule.

use super::{Permission, Role};
use serde::{Deserialize, Serialize};

/// How many recovery codes a user holds after setting up or regenerating them.
pub const RECOVERY_CODES: usize = 10;
/// Characters of a recovery code (shown as two groups of five).
pub const RECOVERY_CODE_LEN: usize = 10;
/// The characters a recovery code is made of: Crockford's base32, lower case (no i, l, o,
/// u, so nothing reads as another character).
pub const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
/// Digits of an authenticator-app code.
pub const TOTP_DIGITS: usize = 6;

/// What the user typed into **Authentication code**.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactorCode {
    /// Six digits from the authenticator app.
    Totp(String),
    /// A recovery code, normalised (lower case, no separators).
    Recovery(String),
}

/// Why a typed code can't be either kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Enter the 6-digit code from your authenticator app, or one of your recovery codes.")]
pub struct CodeFormatError;

impl SecondFactorCode {
    /// Reads a code as typed: spaces and hyphens anywhere are ignored, letters in any case;
    /// six digits are an app code, ten recovery characters a recovery code.
    pub fn parse(typed: &str) -> Result<Self, CodeFormatError> {
        if typed.len() > 64 {
            return Err(CodeFormatError);
        }
        let compact: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if compact.len() == TOTP_DIGITS && compact.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Self::Totp(compact));
        }
        let recovery: String = compact.chars().map(crockford_alias).collect();
        if recovery.len() == RECOVERY_CODE_LEN
            && recovery.bytes().all(|b| RECOVERY_ALPHABET.contains(&b))
        {
            return Ok(Self::Recovery(recovery));
        }
        Err(CodeFormatError)
    }
}

/// Letters a person may type for a digit they misread (Crockford's decoding rules).
fn crockford_alias(c: char) -> char {
    match c {
        'o' => '0',
        'i' | 'l' => '1',
        other => other,
    }
}

/// A recovery code as shown: `abcde-fghij`.
pub fn show_recovery_code(code: &str) -> String {
    if code.len() == RECOVERY_CODE_LEN && code.is_ascii() {
        format!("{}-{}", &code[..5], &code[5..])
    } else {
        code.to_string()
    }
}

/// An authenticator app's shared key as shown for typing: groups of four.
pub fn show_manual_key(base32: &str) -> String {
    base32
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The account's **Require two-factor authentication** rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum TwoFactorRule {
    /// Nobody has to.
    #[default]
    Off,
    /// Every user of the account.
    Everyone,
    /// The roles that create and change tokens or users.
    TokenManagers,
}

impl TwoFactorRule {
    /// Every rule, in the order they are offered.
    pub const ALL: [TwoFactorRule; 3] = [Self::Off, Self::TokenManagers, Self::Everyone];

    /// The stored id.
    pub fn id(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Everyone => "everyone",
            Self::TokenManagers => "token_managers",
        }
    }

    /// A stored id back to the rule.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|rule| rule.id() == id)
    }

    /// As the setting offers it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Off => "Not required",
            Self::Everyone => "Required for everyone",
            Self::TokenManagers => "Required for the roles that manage tokens or users",
        }
    }

    /// Whether a user of `role` must have a second factor under this rule.
    pub fn applies_to(self, role: Role) -> bool {
        match self {
            Self::Off => false,
            Self::Everyone => true,
            Self::TokenManagers => {
                role.allows(Permission::ManageTokens) || role.allows(Permission::ManageUsers)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_digits_are_an_app_code_whatever_the_spacing() {
        for typed in ["123456", " 123 456 ", "123-456"] {
            assert_eq!(
                SecondFactorCode::parse(typed),
                Ok(SecondFactorCode::Totp("123456".into()))
            );
        }
    }

    #[test]
    fn recovery_codes_read_in_any_case_with_or_without_the_hyphen() {
        let expected = Ok(SecondFactorCode::Recovery("ab0c1defgh".into()));
        assert_eq!(SecondFactorCode::parse("AB0C1-DEFGH"), expected);
        assert_eq!(SecondFactorCode::parse("abOcI defgh"), expected);
        assert_eq!(SecondFactorCode::parse("aboclDEFGH"), expected);
    }

    #[test]
    fn anything_else_is_refused_with_one_message() {
        for typed in [
            "",
            "12345",
            "1234567",
            "abcde-fghiu",
            "12345a",
            &"1".repeat(100),
        ] {
            assert_eq!(
                SecondFactorCode::parse(typed),
                Err(CodeFormatError),
                "{typed}"
            );
        }
        assert!(CodeFormatError.to_string().contains("recovery codes"));
    }

    #[test]
    fn codes_and_keys_are_shown_in_groups() {
        assert_eq!(show_recovery_code("abcdefghjk"), "abcde-fghjk");
        assert_eq!(show_manual_key("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }

    #[test]
    fn the_rule_names_who_needs_a_factor() {
        assert!(!TwoFactorRule::Off.applies_to(Role::AccountAdmin));
        assert!(TwoFactorRule::Everyone.applies_to(Role::Finance));
        assert!(TwoFactorRule::TokenManagers.applies_to(Role::AccountAdmin));
        assert!(TwoFactorRule::TokenManagers.applies_to(Role::ImplementationSpecialist));
        assert!(!TwoFactorRule::TokenManagers.applies_to(Role::Analyst));
        for rule in TwoFactorRule::ALL {
            assert_eq!(TwoFactorRule::from_id(rule.id()), Some(rule));
        }
        assert_eq!(TwoFactorRule::from_id("sometimes"), None);
    }
}
