//! Pure types and rules shared by browser and server: no leptos, no sqlx.

mod account_sid;
pub mod activity;
mod actor;
pub mod api_reference;
mod api_version;
pub mod attention;
pub mod audit;
pub mod authorize;
pub mod catalog;
mod developer_emails;
mod email;
pub mod expiration;
pub mod exposure;
pub mod ip_allowlist;
pub mod limits;
pub mod notice;
mod outbox_state;
pub mod paging;
pub mod passkey;
mod password;
mod password_change;
pub mod places;
mod presets;
pub mod request_notice;
pub mod return_path;
mod role;
pub mod said;
mod scopes;
pub mod second_factor;
mod sid;
pub mod single_sign_on;
mod text;
mod token_change;
pub mod token_filter;
mod token_format;
pub mod token_request;
pub mod usage;
pub mod user_admin;
pub mod webhook;
pub mod webhook_address;
pub mod wizard;

pub use account_sid::{AccountSid, AccountSidError};
pub use actor::Actor;
pub use api_version::{ApiVersion, UnknownApiVersion};
pub use developer_emails::{
    check_new as check_developer_email, DeveloperEmailError, DEVELOPER_MESSAGES_PER_HOUR,
    MAX_DEVELOPER_EMAILS,
};
pub use email::{EmailAddress, EmailError};
pub use notice::Notice;
pub use outbox_state::OutboxState;
pub use password::{NewPassword, PasswordError};
pub use password_change::{PasswordChange, PasswordField, PasswordFieldError, PasswordProblem};
pub use presets::Preset;
pub use role::{Permission, Role, UnknownRole};
pub use scopes::{ScopeError, ScopeId, ScopeSet};
pub use text::{AccountName, Description, PersonName, TextError, TokenName};
pub use token_change::{check_upgrade, upgrades_from, Overlap, TokenChange, ValidChange};
pub use token_format::{crc32, TokenSecret, TokenSecretError, TokenSid, TokenSidError};

/// A user as a contact is shown everywhere: "name <email>".
pub fn contact_label(name: &str, email: &str) -> String {
    format!("{name} <{email}>")
}
