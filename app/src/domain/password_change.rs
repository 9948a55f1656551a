//! **Change password**: the signed-in user's current password, a new one that meets the
//! policy, typed twice, and different from the current one.

use super::password::{NewPassword, PasswordError};
use serde::{Deserialize, Serialize};

/// The form as typed.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    /// **Current password**.
    pub current: String,
    /// **New password**.
    pub new: String,
    /// **Confirm new password**.
    pub confirm: String,
}

impl std::fmt::Debug for PasswordChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordChange(..)")
    }
}

/// The form's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordField {
    /// **Current password**.
    Current,
    /// **New password**.
    New,
    /// **Confirm new password**.
    Confirm,
}

impl PasswordField {
    /// The id of the input, for labels, focus and `aria-describedby`.
    pub fn control_id(self) -> &'static str {
        match self {
            PasswordField::Current => "current-password",
            PasswordField::New => "new-password",
            PasswordField::Confirm => "confirm-password",
        }
    }
}

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    /// Nothing typed as the current password.
    #[error("Enter your current password.")]
    CurrentMissing,
    /// The current password is not the user's.
    #[error("That is not your current password.")]
    CurrentIncorrect,
    /// The new password breaks the policy.
    #[error("{0}")]
    Policy(PasswordError),
    /// The new password is the current one.
    #[error("Choose a password different from your current one.")]
    Unchanged,
    /// The confirmation differs.
    #[error("The two new passwords are not the same.")]
    Mismatch,
    /// A problem the server found, in its words (as the browser receives every problem).
    #[error("{0}")]
    Said(String),
}

impl crate::domain::said::Said for PasswordProblem {
    fn said(message: String) -> Self {
        PasswordProblem::Said(message)
    }
}

/// A problem beside its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{problem}")]
pub struct PasswordFieldError {
    /// Where.
    pub field: PasswordField,
    /// What.
    #[serde(with = "crate::domain::said")]
    pub problem: PasswordProblem,
}

impl PasswordChange {
    /// The new password, or every problem of the form (the current password is checked
    /// against the stored one by the server, not here).
    pub fn validate(&self) -> Result<NewPassword, Vec<PasswordFieldError>> {
        let mut errors = Vec::new();
        let mut problem = |field, problem| errors.push(PasswordFieldError { field, problem });
        if self.current.is_empty() {
            problem(PasswordField::Current, PasswordProblem::CurrentMissing);
        }
        let new = NewPassword::parse(&self.new);
        match &new {
            Err(error) => problem(PasswordField::New, PasswordProblem::Policy(*error)),
            Ok(_) if self.new == self.current => {
                problem(PasswordField::New, PasswordProblem::Unchanged)
            }
            Ok(_) if self.confirm != self.new => {
                problem(PasswordField::Confirm, PasswordProblem::Mismatch)
            }
            Ok(_) => {}
        }
        match new {
            Ok(new) if errors.is_empty() => Ok(new),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(current: &str, new: &str, confirm: &str) -> PasswordChange {
        PasswordChange {
            current: current.into(),
            new: new.into(),
            confirm: confirm.into(),
        }
    }

    fn fields(result: Result<NewPassword, Vec<PasswordFieldError>>) -> Vec<PasswordField> {
        result.unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_good_change_gives_the_new_password() {
        let new = change("old password 1", "a new password", "a new password").validate();
        assert_eq!(new.unwrap().expose(), "a new password");
    }

    #[test]
    fn each_problem_is_beside_its_field() {
        use PasswordField::*;
        assert_eq!(
            fields(change("", "a new password", "a new password").validate()),
            [Current]
        );
        assert_eq!(fields(change("x", "short", "short").validate()), [New]);
        assert_eq!(
            fields(change("same password", "same password", "same password").validate()),
            [New]
        );
        assert_eq!(
            fields(change("x", "a new password", "a new passw0rd").validate()),
            [Confirm]
        );
        assert_eq!(fields(change("", "", "").validate()), [Current, New]);
        let errors = change("x", "short", "").validate().unwrap_err();
        assert_eq!(errors[0].to_string(), "Use at least 12 characters.");
    }

    #[test]
    fn debug_never_shows_a_password() {
        let shown = format!("{:?}", change("secret one", "secret two", "secret two"));
        assert!(!shown.contains("secret"), "{shown}");
    }
}
