//! The four roles of a brand account's users and what each may do.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A user's role within a brand account; the server decides every permission from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Full control of the account's API settings and tokens.
    AccountAdmin,
    /// Builds integrations: same API rights as an administrator.
    ImplementationSpecialist,
    /// Reads reports; no access to API settings.
    Analyst,
    /// Handles invoices; no access to API settings.
    Finance,
}

/// Something a user may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See the API settings page and the account's credentials.
    ViewApiSettings,
    /// Turn API access on or off and create, edit, reset, disable or delete tokens.
    ManageTokens,
    /// Set the account's token policy (maximum lifetime, never-expiring tokens).
    SetTokenPolicy,
    /// Open `/settings/users`: add users, change their roles, disable them, reset passwords.
    ManageUsers,
    /// Read the account's activity log and export it.
    ViewActivity,
    /// Approve or deny requests for tokens.
    DecideRequests,
    /// Add, rotate, disable and delete webhook endpoints, and see their deliveries.
    ManageWebhooks,
}

impl Role {
    /// Every role, in the order they are shown.
    pub const ALL: [Role; 4] = [
        Role::AccountAdmin,
        Role::ImplementationSpecialist,
        Role::Analyst,
        Role::Finance,
    ];

    /// The stable identifier stored in the database and used on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Role::AccountAdmin => "account_admin",
            Role::ImplementationSpecialist => "implementation_specialist",
            Role::Analyst => "analyst",
            Role::Finance => "finance",
        }
    }

    /// The name people see.
    pub fn label(self) -> &'static str {
        match self {
            Role::AccountAdmin => "Account Administrator",
            Role::ImplementationSpecialist => "Implementation Specialist",
            Role::Analyst => "Analyst",
            Role::Finance => "Finance",
        }
    }

    /// Whether this role grants `permission`.
    pub fn allows(self, permission: Permission) -> bool {
        match permission {
            Permission::ViewApiSettings | Permission::ManageTokens | Permission::ViewActivity => {
                matches!(self, Role::AccountAdmin | Role::ImplementationSpecialist)
            }
            Permission::SetTokenPolicy
            | Permission::ManageUsers
            | Permission::DecideRequests
            | Permission::ManageWebhooks => self == Role::AccountAdmin,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A role id that is not one of [`Role::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role \"{0}\"; expected one of account_admin, implementation_specialist, analyst, finance")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.id() == s.trim())
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.id().parse::<Role>(), Ok(role));
        }
    }

    #[test]
    fn unknown_id_is_refused() {
        assert!("admin".parse::<Role>().is_err());
        assert!("".parse::<Role>().is_err());
        assert!("Account Administrator".parse::<Role>().is_err());
    }

    #[test]
    fn only_admins_and_specialists_reach_the_api_settings() {
        let table = [
            (Role::AccountAdmin, true),
            (Role::ImplementationSpecialist, true),
            (Role::Analyst, false),
            (Role::Finance, false),
        ];
        for (role, allowed) in table {
            assert_eq!(role.allows(Permission::ViewApiSettings), allowed, "{role}");
            assert_eq!(role.allows(Permission::ManageTokens), allowed, "{role}");
            assert_eq!(role.allows(Permission::ViewActivity), allowed, "{role}");
            for admin_only in [Permission::SetTokenPolicy, Permission::ManageUsers] {
                assert_eq!(
                    role.allows(admin_only),
                    role == Role::AccountAdmin,
                    "{role}"
                );
            }
        }
    }

    #[test]
    fn labels_match_the_product() {
        assert_eq!(Role::AccountAdmin.label(), "Account Administrator");
        assert_eq!(
            Role::ImplementationSpecialist.label(),
            "Implementation Specialist"
        );
        assert_eq!(Role::Analyst.label(), "Analyst");
        assert_eq!(Role::Finance.label(), "Finance");
    }
}
