//! What the counters count, as closed sets: each value is one label, so no request can put
//! a label of its own into a metric.

/// How the sandbox API decided a call (`decision`, and `reason` for a refusal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SandboxOutcome {
    Allowed,
    Refused(SandboxRefusal),
}

/// Why the sandbox API refused a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SandboxRefusal {
    BadCredentials,
    RateLimited,
    Unavailable,
    UnknownResource,
    BadVersionHeader,
    MethodNotAllowed,
    Expired,
    Disabled,
    AddressNotAllowed,
    ApiAccessOff,
    WrongAccount,
    MissingScope,
    /// Over the token's rate limit.
    RateLimit,
    /// The token's quota is spent.
    QuotaSpent,
}

impl SandboxRefusal {
    /// The `reason` label.
    pub fn label(self) -> &'static str {
        match self {
            Self::BadCredentials => "bad_credentials",
            Self::RateLimited => "rate_limited",
            Self::Unavailable => "unavailable",
            Self::UnknownResource => "unknown_resource",
            Self::BadVersionHeader => "bad_version_header",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Expired => "expired",
            Self::Disabled => "disabled",
            Self::AddressNotAllowed => "address_not_allowed",
            Self::ApiAccessOff => "api_access_off",
            Self::WrongAccount => "wrong_account",
            Self::MissingScope => "missing_scope",
            Self::RateLimit => "rate_limit",
            Self::QuotaSpent => "quota_spent",
        }
    }
}

impl From<crate::brand_api::limit_answers::Limited> for SandboxRefusal {
    fn from(limited: crate::brand_api::limit_answers::Limited) -> Self {
        use crate::brand_api::limit_answers::Limited;
        match limited {
            Limited::Rate { .. } => Self::RateLimit,
            Limited::Quota { .. } => Self::QuotaSpent,
            Limited::Unavailable => Self::Unavailable,
        }
    }
}

impl From<&app::domain::authorize::Denial> for SandboxRefusal {
    fn from(denial: &app::domain::authorize::Denial) -> Self {
        use app::domain::authorize::Denial;
        match denial {
            Denial::UnknownResource => Self::UnknownResource,
            Denial::BadVersionHeader => Self::BadVersionHeader,
            Denial::MethodNotAllowed { .. } => Self::MethodNotAllowed,
            Denial::Expired => Self::Expired,
            Denial::Disabled => Self::Disabled,
            Denial::AddressNotAllowed(_) => Self::AddressNotAllowed,
            Denial::ApiAccessOff => Self::ApiAccessOff,
            Denial::WrongAccount => Self::WrongAccount,
            Denial::MissingScope(_) => Self::MissingScope,
        }
    }
}

/// How introspection answered (`result`, and `reason` for a refusal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntrospectionOutcome {
    Active,
    Inactive,
    Refused(IntrospectionRefusal),
}

/// Why introspection refused to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntrospectionRefusal {
    /// No introspection key is configured.
    Off,
    BadRequest,
    BadKey,
    RateLimited,
    Unavailable,
}

impl IntrospectionRefusal {
    /// The `reason` label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::BadRequest => "bad_request",
            Self::BadKey => "bad_key",
            Self::RateLimited => "rate_limited",
            Self::Unavailable => "unavailable",
        }
    }
}

/// How a sign-in ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInOutcome {
    Success,
    /// The right password of a user with a second factor: their code is asked for.
    SecondFactorAsked,
    /// A wrong, reused or malformed second-factor code.
    SecondFactorFailed,
    /// Signed in with a recovery code.
    RecoveryCode,
    /// Signed in with a passkey (alone, or after the password).
    Passkey,
    /// A passkey's answer that did not verify, or names no passkey of the user.
    PasskeyFailed,
    /// Signed in through the account's identity provider.
    Sso,
    /// A single sign-on refused (by the provider, or here: nobody to sign in, a bad token).
    SsoRefused,
    /// A password refused because the account requires single sign-on.
    SsoRequired,
    /// The break-glass administrator signed in with a password while single sign-on is
    /// required.
    BreakGlass,
    /// **Confirm access** proved the session again (sudo mode).
    Confirmed,
    /// **Confirm access** with a wrong password or code.
    ConfirmFailed,
    /// The right password of a disabled user.
    Disabled,
    Failed,
    /// Too many failures for the account or the address.
    Throttled,
    /// Every password-hashing slot was taken.
    Busy,
    Error,
}

impl SignInOutcome {
    /// The `outcome` label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::SecondFactorAsked => "second_factor_asked",
            Self::SecondFactorFailed => "second_factor_failed",
            Self::RecoveryCode => "recovery_code",
            Self::Passkey => "passkey",
            Self::PasskeyFailed => "passkey_failed",
            Self::Sso => "sso",
            Self::SsoRefused => "sso_refused",
            Self::SsoRequired => "sso_required",
            Self::BreakGlass => "break_glass",
            Self::Confirmed => "confirmed",
            Self::ConfirmFailed => "confirm_failed",
            Self::Disabled => "disabled",
            Self::Failed => "failed",
            Self::Throttled => "throttled",
            Self::Busy => "busy",
            Self::Error => "error",
        }
    }
}

/// How a delivery attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailOutcome {
    Sent,
    Failed,
    /// Too old to send: given up.
    Expired,
}

impl MailOutcome {
    /// The `outcome` label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Expired => "expired",
        }
    }
}

/// Who reported a secret (`reporter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportSource {
    /// `POST /secret-scanning/github`, signed.
    GitHub,
    /// `POST /secret-scanning/report`, anyone.
    Public,
}

impl ReportSource {
    /// The `reporter` label.
    pub fn label(self) -> &'static str {
        match self {
            Self::GitHub => "github",
            Self::Public => "report",
        }
    }
}

/// What a reported secret was (`label`), in GitHub's feedback terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportLabel {
    /// A secret of a token.
    TruePositive,
    /// No token's secret.
    FalsePositive,
    /// Not looked up: the database could not be reached.
    Unchecked,
}

impl ReportLabel {
    /// The `label` label, and GitHub's feedback `label`.
    pub fn label(self) -> &'static str {
        match self {
            Self::TruePositive => "true_positive",
            Self::FalsePositive => "false_positive",
            Self::Unchecked => "unchecked",
        }
    }
}
