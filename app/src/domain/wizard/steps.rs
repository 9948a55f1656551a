//! The wizard's steps, their fields and what can be wrong with them, beside each field.

use crate::domain::api_version::UnknownApiVersion;
use crate::domain::developer_emails::DeveloperEmailError;
use crate::domain::expiration::ExpirationError;
use crate::domain::ip_allowlist::AllowlistError;
use crate::domain::limits::LimitError;
use crate::domain::scopes::ScopeError;
use crate::domain::text::TextError;
use crate::domain::token_request::{ReasonError, Widening};
use serde::{Deserialize, Serialize};

/// A step of the wizard.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub enum Step {
    /// Name, description, API version.
    #[default]
    Setup,
    /// Primary contact and developer emails.
    Contacts,
    Scopes,
    /// Summary and **Create**.
    Review,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 4] = [Step::Setup, Step::Contacts, Step::Scopes, Step::Review];

    /// The step's heading.
    pub fn title(self) -> &'static str {
        match self {
            Step::Setup => "Setup",
            Step::Contacts => "Contact Information",
            Step::Scopes => "API Scopes",
            Step::Review => "Review and Create",
        }
    }

    /// 1 to 4.
    pub fn number(self) -> usize {
        self as usize + 1
    }

    /// The step after this one.
    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self as usize + 1).copied()
    }

    /// The step before this one.
    pub fn previous(self) -> Option<Step> {
        (self as usize).checked_sub(1).map(|i| Step::ALL[i])
    }

    /// The fields this step asks for, in the order they appear.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Step::Setup => &[
                Field::TokenName,
                Field::Description,
                Field::ApiVersion,
                Field::Expiration,
                Field::AllowedIps,
                Field::RateLimit,
                Field::Quota,
            ],
            Step::Contacts => &[Field::PrimaryContact, Field::DeveloperEmails],
            Step::Scopes => &[Field::Scopes],
            Step::Review => &[],
        }
    }
}

/// A field of the wizard that can be in error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    /// **Token Name**.
    TokenName,
    /// **Description**.
    Description,
    /// **API Version**.
    ApiVersion,
    /// **Expiration**.
    Expiration,
    /// **Allowed IP addresses**.
    AllowedIps,
    /// **Rate limit**.
    RateLimit,
    /// **Quota**.
    Quota,
    /// **Budget** (on the token page only).
    Budget,
    /// **Primary Contact**.
    PrimaryContact,
    /// **Developer email** list.
    DeveloperEmails,
    /// The scope checkboxes.
    Scopes,
    /// A request's (or a denial's) **Reason**.
    Reason,
}

impl Field {
    /// The step that asks for this field.
    pub fn step(self) -> Step {
        match self {
            Field::TokenName
            | Field::Description
            | Field::ApiVersion
            | Field::Expiration
            | Field::AllowedIps
            | Field::RateLimit
            | Field::Quota
            | Field::Budget => Step::Setup,
            Field::PrimaryContact | Field::DeveloperEmails => Step::Contacts,
            Field::Scopes => Step::Scopes,
            Field::Reason => Step::Review,
        }
    }

    /// The id of the control that shows it, for focus and `aria-describedby`.
    pub fn control_id(self) -> &'static str {
        match self {
            Field::TokenName => "token-name",
            Field::Description => "token-description",
            Field::ApiVersion => "token-api-version",
            Field::Expiration => "token-expiration",
            Field::AllowedIps => "token-allowed-ips",
            Field::RateLimit => "token-rate-limit",
            Field::Quota => "token-quota",
            Field::Budget => "token-budget",
            Field::PrimaryContact => "token-primary-contact",
            Field::DeveloperEmails => "token-developer-email",
            Field::Scopes => "token-scopes",
            Field::Reason => "request-reason",
        }
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// A name or description that breaks a text rule.
    #[error("{0}")]
    Text(TextError),
    /// Not one of the selectable versions.
    #[error("{0}")]
    Version(UnknownApiVersion),
    /// An expiration the account doesn't allow, or no date.
    #[error("{0}")]
    Expiration(ExpirationError),
    /// Entries of **Allowed IP addresses** that can't be read.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "))]
    AllowedIps(Vec<AllowlistError>),
    /// A **Rate limit** or **Quota** that can't be read.
    #[error("{0}")]
    Limit(LimitError),
    /// A budget that isn't one of the account's.
    #[error("Choose one of this account's budgets, or none.")]
    BudgetUnknown,
    /// No primary contact chosen.
    #[error("Choose a primary contact.")]
    ContactRequired,
    /// The chosen contact is not a user of this account.
    #[error("Choose a primary contact from this account's users.")]
    ContactUnknown,
    /// The chosen contact is a disabled user.
    #[error("This user is disabled. Choose another primary contact.")]
    ContactDisabled,
    /// A developer email problem.
    #[error("{0}")]
    DeveloperEmail(DeveloperEmailError),
    /// A scope problem.
    #[error("{0}")]
    Scope(ScopeError),
    /// Another token of the account already has this name.
    #[error("A token with this name already exists. Choose another name.")]
    NameTaken,
    /// A **Reason** that can't be taken.
    #[error("{0}")]
    Reason(ReasonError),
    /// An approval that would grant more than the request asked for.
    #[error("{0}")]
    Wider(Widening),
    /// An "upgrade" to the token's own version or a lower one.
    #[error("Choose a version above {current}: a token's API version can only be raised.")]
    VersionNotRaised {
        /// The token's version now.
        current: u8,
    },
    /// A problem the server found, in its words (as the browser receives every problem).
    #[error("{0}")]
    Said(String),
}

impl crate::domain::said::Said for Problem {
    fn said(message: String) -> Self {
        Problem::Said(message)
    }
}

/// A problem and the field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{problem}")]
pub struct FieldError {
    /// Where.
    pub field: Field,
    /// What.
    #[serde(with = "crate::domain::said")]
    pub problem: Problem,
}
