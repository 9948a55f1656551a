//! The edits and actions of the token detail page as plain data, validated by the same
//! rules as the wizard on both sides.

use super::api_version::ApiVersion;
use super::audit::AuditAction;
use super::developer_emails::parse_all;
use super::email::EmailAddress;
use super::expiration::Expiration;
use super::ip_allowlist::IpAllowlist;
use super::limits::{Limits, LimitsForm};
use super::scopes::ScopeSet;
use super::text::{Description, TokenName};
use super::wizard::{Field, FieldError, Problem};
use serde::{Deserialize, Serialize};

/// One change to a token, as the detail page sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenChange {
    /// **Save** in Overview: name and description.
    Overview {
        /// New name as typed.
        name: String,
        /// New description as typed.
        description: String,
    },
    /// **Upgrade version**: only ever to a higher version.
    UpgradeVersion {
        /// The version to move to.
        api_version: u8,
    },
    /// **Save** in Contacts.
    Contacts {
        /// Chosen user id.
        primary_contact: Option<i64>,
        developer_emails: Vec<String>,
    },
    /// **Save** in Scopes.
    Scopes {
        /// Every scope the token should hold.
        scopes: Vec<String>,
    },
    /// **Save** in Allowed IP addresses.
    AllowedIps {
        /// The list as typed (empty: anywhere).
        allowed_ips: String,
    },
    /// **Save** in Limits.
    Limits {
        /// Rate limit and quota as typed (empty: none).
        limits: LimitsForm,
        /// The budget it draws on (`None`: none).
        #[serde(default)]
        budget: Option<i64>,
    },
    /// **Enable** or **Disable**.
    SetEnabled {
        /// The new state.
        enabled: bool,
    },
    /// **Reset**: a new secret; the old one stops working.
    Reset,
    /// **Reset** with **Keep the old secret working for** one of the overlaps.
    ResetKeepingOld {
        /// How long the old secret keeps working.
        keep_old_for: Overlap,
    },
    /// **Revoke old secret now**: ends a Reset's overlap.
    RevokeOldSecret,
    /// **Renew**: a new expiration counted from now, the same secret.
    Renew {
        /// The new expiration (the server bounds it by the account's policy).
        expiration: Expiration,
    },
    /// **Delete**.
    Delete,
}

/// How long a Reset keeps the old secret working beside the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Overlap {
    /// 1 hour.
    OneHour,
    /// 24 hours.
    OneDay,
    /// 7 days.
    SevenDays,
}

impl Overlap {
    /// Every overlap, shortest first.
    pub const ALL: [Overlap; 3] = [Overlap::OneHour, Overlap::OneDay, Overlap::SevenDays];

    /// Its length in seconds.
    pub fn seconds(self) -> i64 {
        match self {
            Overlap::OneHour => 3_600,
            Overlap::OneDay => 86_400,
            Overlap::SevenDays => 7 * 86_400,
        }
    }

    /// As the choice reads.
    pub fn label(self) -> &'static str {
        match self {
            Overlap::OneHour => "1 hour",
            Overlap::OneDay => "24 hours",
            Overlap::SevenDays => "7 days",
        }
    }

    /// The `<select>` value.
    pub fn id(self) -> &'static str {
        match self {
            Overlap::OneHour => "1h",
            Overlap::OneDay => "24h",
            Overlap::SevenDays => "7d",
        }
    }

    /// The choice with this `<select>` value.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.id() == id)
    }
}

/// A change whose fields passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidChange {
    /// Name and description.
    Overview {
        name: TokenName,
        description: Description,
    },
    /// A version to raise to (the server checks it is higher than the token's).
    UpgradeVersion(ApiVersion),
    /// Contacts (the server checks the user belongs to the account).
    Contacts {
        /// User id.
        primary_contact: i64,
        developer_emails: Vec<EmailAddress>,
    },
    /// The new scope set.
    Scopes(ScopeSet),
    /// Where the token may be used from.
    AllowedIps(IpAllowlist),
    /// Its rate limit and quota, and the budget it draws on (the server checks it is the
    /// account's).
    Limits {
        limits: Limits,
        budget: Option<i64>,
    },
    /// Enable or disable.
    SetEnabled(bool),
    /// New secret, the old one kept working for the overlap if there is one.
    Reset {
        /// The overlap.
        keep_old_for: Option<Overlap>,
    },
    /// End a Reset's overlap now.
    RevokeOldSecret,
    /// A new expiration.
    Renew(Expiration),
    Delete,
}

impl ValidChange {
    /// Whether the change mints a secret or widens what a token can do, where or for how
    /// long (scopes, allowed addresses, enabling, renewing, Reset): sudo mode asks for a
    /// recent proof first. Describing, contacts, disabling and deleting never wait for one.
    pub fn needs_recent_proof(&self) -> bool {
        matches!(
            self,
            ValidChange::Scopes(_)
                | ValidChange::AllowedIps(_)
                | ValidChange::Limits { .. }
                | ValidChange::SetEnabled(true)
                | ValidChange::Renew(_)
                | ValidChange::Reset { .. }
        )
    }

    /// The kind of change, as the audit trail and the logs name it: never its content.
    pub fn action(&self) -> AuditAction {
        match self {
            ValidChange::Overview { .. } => AuditAction::Edited,
            ValidChange::UpgradeVersion(_) => AuditAction::VersionUpgraded,
            ValidChange::Contacts { .. } => AuditAction::ContactsChanged,
            ValidChange::Scopes(_) => AuditAction::ScopesChanged,
            ValidChange::AllowedIps(_) => AuditAction::AllowedIpsChanged,
            ValidChange::Limits { .. } => AuditAction::LimitsChanged,
            ValidChange::SetEnabled(true) => AuditAction::Enabled,
            ValidChange::SetEnabled(false) => AuditAction::Disabled,
            ValidChange::Reset { .. } => AuditAction::Reset,
            ValidChange::RevokeOldSecret => AuditAction::OldSecretRevoked,
            ValidChange::Renew(_) => AuditAction::Renewed,
            ValidChange::Delete => AuditAction::Deleted,
        }
    }
}

fn field(field: Field, problem: Problem) -> FieldError {
    FieldError { field, problem }
}

impl TokenChange {
    /// Checks the fields by the wizard's rules; every problem, each beside its field.
    pub fn validate(&self) -> Result<ValidChange, Vec<FieldError>> {
        match self {
            TokenChange::Overview { name, description } => {
                let name = TokenName::parse(name);
                let description = Description::parse(description);
                match (name, description) {
                    (Ok(name), Ok(description)) => Ok(ValidChange::Overview { name, description }),
                    (name, description) => Err([
                        name.err()
                            .map(|e| field(Field::TokenName, Problem::Text(e))),
                        description
                            .err()
                            .map(|e| field(Field::Description, Problem::Text(e))),
                    ]
                    .into_iter()
                    .flatten()
                    .collect()),
                }
            }
            TokenChange::UpgradeVersion { api_version } => ApiVersion::new(*api_version)
                .map(ValidChange::UpgradeVersion)
                .map_err(|e| vec![field(Field::ApiVersion, Problem::Version(e))]),
            TokenChange::Contacts {
                primary_contact,
                developer_emails,
            } => {
                let contact = primary_contact.ok_or(Problem::ContactRequired);
                let emails = parse_all(developer_emails).map_err(Problem::DeveloperEmail);
                match (contact, emails) {
                    (Ok(primary_contact), Ok(developer_emails)) => Ok(ValidChange::Contacts {
                        primary_contact,
                        developer_emails,
                    }),
                    (contact, emails) => Err([
                        contact.err().map(|p| field(Field::PrimaryContact, p)),
                        emails.err().map(|p| field(Field::DeveloperEmails, p)),
                    ]
                    .into_iter()
                    .flatten()
                    .collect()),
                }
            }
            TokenChange::Scopes { scopes } => ScopeSet::parse(scopes.iter().map(String::as_str))
                .map(ValidChange::Scopes)
                .map_err(|e| vec![field(Field::Scopes, Problem::Scope(e))]),
            TokenChange::AllowedIps { allowed_ips } => IpAllowlist::parse(allowed_ips)
                .map(ValidChange::AllowedIps)
                .map_err(|e| vec![field(Field::AllowedIps, Problem::AllowedIps(e))]),
            TokenChange::Limits { limits, budget } => {
                let (rate, quota) = (limits.rate(), limits.quota());
                match (rate, quota) {
                    (Ok(rate), Ok(quota)) => Ok(ValidChange::Limits {
                        limits: Limits { rate, quota },
                        budget: *budget,
                    }),
                    (rate, quota) => Err([
                        rate.err()
                            .map(|e| field(Field::RateLimit, Problem::Limit(e))),
                        quota.err().map(|e| field(Field::Quota, Problem::Limit(e))),
                    ]
                    .into_iter()
                    .flatten()
                    .collect()),
                }
            }
            TokenChange::SetEnabled { enabled } => Ok(ValidChange::SetEnabled(*enabled)),
            TokenChange::Reset => Ok(ValidChange::Reset { keep_old_for: None }),
            TokenChange::ResetKeepingOld { keep_old_for } => Ok(ValidChange::Reset {
                keep_old_for: Some(*keep_old_for),
            }),
            TokenChange::RevokeOldSecret => Ok(ValidChange::RevokeOldSecret),
            TokenChange::Renew { expiration } => Ok(ValidChange::Renew(expiration.clone())),
            TokenChange::Delete => Ok(ValidChange::Delete),
        }
    }
}

/// The versions a token on `current` may be upgraded to, lowest first.
pub fn upgrades_from(current: u8) -> Vec<ApiVersion> {
    let mut higher: Vec<ApiVersion> = ApiVersion::ALL
        .into_iter()
        .filter(|v| v.get() > current)
        .collect();
    higher.sort_by_key(|v| v.get());
    higher
}

/// Refuses a "raise" that doesn't raise.
pub fn check_upgrade(current: u8, to: ApiVersion) -> Result<(), FieldError> {
    if to.get() > current {
        Ok(())
    } else {
        Err(field(
            Field::ApiVersion,
            Problem::VersionNotRaised { current },
        ))
    }
}

#[cfg(test)]
mod tests;
