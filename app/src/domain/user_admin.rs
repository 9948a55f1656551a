//! The rules of `/settings/users`: the **Add user** form, the changes an Account
//! Administrator makes to a user, and the rule that an account always keeps an active
//! Account Administrator.

use super::{EmailAddress, EmailError, PersonName, Role, TextError};
use serde::{Deserialize, Serialize};

/// **Add user** as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NewUser {
    /// **Email**.
    pub email: String,
    /// **Name**.
    pub name: String,
    /// **Role**, by id (`analyst`, …); empty until chosen.
    pub role: String,
}

/// A field of **Add user**.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserField {
    /// **Email**.
    Email,
    /// **Name**.
    Name,
    /// **Role**.
    Role,
}

impl UserField {
    /// The id of the field's control on the page.
    pub fn control_id(self) -> &'static str {
        match self {
            UserField::Email => "new-user-email",
            UserField::Name => "new-user-name",
            UserField::Role => "new-user-role",
        }
    }
}

/// What is wrong with a field of **Add user**.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserProblem {
    /// The email can't be read.
    #[error("{0}")]
    Email(EmailError),
    /// The name breaks the text rules.
    #[error("{0}")]
    Name(TextError),
    /// No role, or not one of the four.
    #[error("Choose a role.")]
    RoleRequired,
    /// Another user (of any account) signs in with this email.
    #[error("Another user already signs in with this email.")]
    EmailTaken,
    /// A problem the server found, in its words (as the browser receives every problem).
    #[error("{0}")]
    Said(String),
}

impl crate::domain::said::Said for UserProblem {
    fn said(message: String) -> Self {
        UserProblem::Said(message)
    }
}

/// A problem and its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{problem}")]
pub struct UserFieldError {
    /// Where.
    pub field: UserField,
    /// What.
    #[serde(with = "crate::domain::said")]
    pub problem: UserProblem,
}

/// **Add user** once every field is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNewUser {
    /// Sign-in email.
    pub email: EmailAddress,
    /// Display name.
    pub name: PersonName,
    pub role: Role,
}

impl NewUser {
    /// Every field checked; all the problems at once, in the form's order.
    pub fn validate(&self) -> Result<ValidNewUser, Vec<UserFieldError>> {
        let email = EmailAddress::parse(&self.email);
        let name = PersonName::parse(&self.name);
        let role = self.role.parse::<Role>().ok();
        match (email, name, role) {
            (Ok(email), Ok(name), Some(role)) => Ok(ValidNewUser { email, name, role }),
            (email, name, role) => {
                let mut errors = Vec::new();
                if let Err(problem) = email {
                    errors.push(UserFieldError {
                        field: UserField::Email,
                        problem: UserProblem::Email(problem),
                    });
                }
                if let Err(problem) = name {
                    errors.push(UserFieldError {
                        field: UserField::Name,
                        problem: UserProblem::Name(problem),
                    });
                }
                if role.is_none() {
                    errors.push(UserFieldError {
                        field: UserField::Role,
                        problem: UserProblem::RoleRequired,
                    });
                }
                Err(errors)
            }
        }
    }
}

/// What an Account Administrator does to a user of the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserChange {
    /// Give the user another role.
    SetRole(Role),
    /// **Disable**: every session ends at once and sign-in is refused.
    Disable,
    /// **Enable** a disabled user again.
    Enable,
    /// **Reset password**: a temporary password, shown once; the user's sessions end.
    ResetPassword,
}

/// A user as the rule about the last administrator needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserStanding {
    /// Their role.
    pub role: Role,
    /// Whether they are disabled.
    pub disabled: bool,
}

impl UserStanding {
    /// An Account Administrator who can sign in.
    pub fn is_active_admin(self) -> bool {
        self.role == Role::AccountAdmin && !self.disabled
    }

    /// The user after `change`.
    pub fn after(self, change: UserChange) -> Self {
        match change {
            UserChange::SetRole(role) => Self { role, ..self },
            UserChange::Disable => Self {
                disabled: true,
                ..self
            },
            UserChange::Enable => Self {
                disabled: false,
                ..self
            },
            UserChange::ResetPassword => self,
        }
    }
}

/// Why a change to a user is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserChangeRefusal {
    /// It would leave the account without an active Account Administrator.
    #[error("{name} is the last active Account Administrator of this account. Make another user an Account Administrator first.")]
    LastAdmin {
        /// The user's name.
        name: String,
    },
    /// Nothing would change.
    #[error("{0}")]
    NoChange(&'static str),
}

/// Whether `change` may be made to `user` (named `name`) while the account has
/// `active_admins` active Account Administrators (`user` counted among them if they are one).
pub fn check_user_change(
    name: &str,
    user: UserStanding,
    change: UserChange,
    active_admins: u64,
) -> Result<(), UserChangeRefusal> {
    let after = user.after(change);
    match change {
        UserChange::SetRole(role) if role == user.role => {
            return Err(UserChangeRefusal::NoChange(
                "The user already has this role.",
            ))
        }
        UserChange::Disable if user.disabled => {
            return Err(UserChangeRefusal::NoChange("The user is already disabled."))
        }
        UserChange::Enable if !user.disabled => {
            return Err(UserChangeRefusal::NoChange("The user is not disabled."))
        }
        UserChange::ResetPassword if user.disabled => {
            return Err(UserChangeRefusal::NoChange(
                "Enable the user before resetting their password.",
            ))
        }
        _ => {}
    }
    if user.is_active_admin() && !after.is_active_admin() && active_admins <= 1 {
        return Err(UserChangeRefusal::LastAdmin {
            name: name.to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing(role: Role, disabled: bool) -> UserStanding {
        UserStanding { role, disabled }
    }

    #[test]
    fn add_user_reports_every_field_at_once() {
        let errors = NewUser::default().validate().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, [UserField::Email, UserField::Name, UserField::Role]);
        assert_eq!(errors[2].to_string(), "Choose a role.");
        let bad_role = NewUser {
            email: "new@acme.test".into(),
            name: "New Person".into(),
            role: "boss".into(),
        };
        assert_eq!(bad_role.validate().unwrap_err().len(), 1);
    }

    #[test]
    fn add_user_accepts_a_trimmed_form() {
        let valid = NewUser {
            email: "  New@Acme.test ".into(),
            name: " Robin Park ".into(),
            role: "finance".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(valid.name.as_str(), "Robin Park");
        assert_eq!(valid.role, Role::Finance);
    }

    #[test]
    fn the_last_active_admin_stays_one() {
        let admin = standing(Role::AccountAdmin, false);
        for change in [
            UserChange::SetRole(Role::Analyst),
            UserChange::SetRole(Role::ImplementationSpecialist),
            UserChange::Disable,
        ] {
            let refused = check_user_change("Alex", admin, change, 1).unwrap_err();
            assert!(refused.to_string().starts_with("Alex is the last active"));
            assert!(check_user_change("Alex", admin, change, 2).is_ok());
        }
        assert!(check_user_change("Alex", admin, UserChange::ResetPassword, 1).is_ok());
    }

    #[test]
    fn other_users_change_freely() {
        let analyst = standing(Role::Analyst, false);
        let disabled_admin = standing(Role::AccountAdmin, true);
        assert!(check_user_change("A", analyst, UserChange::Disable, 1).is_ok());
        assert!(
            check_user_change("A", analyst, UserChange::SetRole(Role::AccountAdmin), 1).is_ok()
        );
        assert!(
            check_user_change("D", disabled_admin, UserChange::SetRole(Role::Finance), 1).is_ok()
        );
        assert!(check_user_change("D", disabled_admin, UserChange::Enable, 1).is_ok());
    }

    #[test]
    fn changes_that_change_nothing_are_refused() {
        let analyst = standing(Role::Analyst, false);
        let disabled = standing(Role::Analyst, true);
        let no_change = |user, change| {
            matches!(
                check_user_change("A", user, change, 1),
                Err(UserChangeRefusal::NoChange(_))
            )
        };
        assert!(no_change(analyst, UserChange::SetRole(Role::Analyst)));
        assert!(no_change(analyst, UserChange::Enable));
        assert!(no_change(disabled, UserChange::Disable));
        assert!(no_change(disabled, UserChange::ResetPassword));
    }
}
