//! Who acts on the console: a plain value, read from the session by the server.

use super::{AccountSid, Role};

/// Who acts: the signed-in user of the current request, with their account as it was when
/// the request began.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user's key.
    pub user_id: i64,
    /// Display name.
    pub name: String,
    /// Sign-in email.
    pub email: String,
    pub role: Role,
    /// The account's key: always from the session, never from the request.
    pub account_id: i64,
    /// The account's SID.
    pub account_sid: AccountSid,
    /// The account's name.
    pub account_name: String,
    /// Whether the account's API access was on when the request began.
    pub api_access_enabled: bool,
    /// The account's token policy when the request began.
    pub token_policy: super::expiration::TokenPolicy,
    /// Whether the user signed in with a temporary password: until they change it, only
    /// their session and **Change password** are open to them.
    pub must_change_password: bool,
    /// Whether the user has a second factor (a confirmed authenticator app).
    pub has_second_factor: bool,
    /// The account's **Require two-factor authentication** rule when the request began.
    pub two_factor_rule: super::second_factor::TwoFactorRule,
    /// When this session last proved who its user is (sign-in or **Confirm access**).
    pub proved_at: i64,
    /// The account's **When a token is exposed** when the request began.
    pub exposure_policy: super::exposure::ExposurePolicy,
    /// The account's policy for its tokens' limits.
    pub limits_policy: super::limits::LimitsPolicy,
    /// The account's **Token creation** when the request began.
    pub token_creation: super::token_request::TokenCreation,
}

impl Actor {
    /// Whether the account requires a second factor of this user and they have none yet:
    /// until they add one, only their session and **Security** are open to them.
    pub fn must_add_second_factor(&self) -> bool {
        !self.has_second_factor && self.two_factor_rule.applies_to(self.role)
    }

    /// Whether something must be done first (a temporary password changed, a second
    /// factor added) before the role's permissions apply.
    pub fn is_held_back(&self) -> bool {
        self.must_change_password || self.must_add_second_factor()
    }
}
