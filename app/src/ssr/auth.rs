//! Who is calling: session cookies, sign-in and the permission check every server
//! function starts with.

use super::db::{pending_sign_ins, second_factors, sessions, users};
use super::pending_cookie::PendingCookie;
pub use super::session_cookie::{
    cookie_name, is_secure, SessionToken, SECURE_SESSION_COOKIE, SESSION_COOKIE, SESSION_TTL_SECS,
};
use super::sign_in_guard::HashSlot;
use super::state::{app_state, AppState};
use super::{now, password};
use crate::domain::second_factor::TwoFactorRule;
use crate::domain::{AccountSid, Actor, EmailAddress, Permission, Role};
use crate::error::AppError;
use crate::ssr::db::Db;
use http::HeaderMap;
use leptos::prelude::use_context;
use std::sync::atomic::{AtomicI64, Ordering};

/// How long a session may go unused before it ends, unless configured otherwise.
pub const DEFAULT_IDLE_SECS: i64 = 30 * 60;

static IDLE_SECS: AtomicI64 = AtomicI64::new(DEFAULT_IDLE_SECS);
/// How long a proof of who the user is (password, code) lets sensitive actions through
/// unless configured otherwise (sudo mode), in seconds.
pub const DEFAULT_SUDO_SECS: i64 = 15 * 60;
static SUDO_SECS: AtomicI64 = AtomicI64::new(DEFAULT_SUDO_SECS);

/// Sets how long a proof lasts for this process (from `TOKENSMITH_SUDO_MINUTES`).
pub fn set_sudo_secs(secs: i64) {
    SUDO_SECS.store(secs.max(1), Ordering::Relaxed);
}

/// Sensitive actions (minting or revealing a secret, the token policy, users, removing a
/// factor) need the session to have proved its user within the sudo window: 403
/// `ConfirmAccess` otherwise, and **Confirm access** proves it again.
pub fn require_recent_proof(user: &Actor) -> Result<(), AppError> {
    if now() - user.proved_at <= SUDO_SECS.load(Ordering::Relaxed) {
        Ok(())
    } else {
        Err(AppError::ConfirmAccess)
    }
}

/// Sets the idle timeout for this process (from `TOKENSMITH_SESSION_IDLE_MINUTES`).
pub fn set_idle_timeout_secs(secs: i64) {
    IDLE_SECS.store(secs.max(1), Ordering::Relaxed);
}

/// How long a session may go unused before it ends, in seconds.
pub fn idle_timeout_secs() -> i64 {
    IDLE_SECS.load(Ordering::Relaxed)
}

/// The user whose session cookie is in `headers`, if it is live (within its absolute
/// lifetime and used within the idle timeout); a dead session is deleted, a live one's use
/// recorded. `secure`: see [`is_secure`].
pub async fn user_for_headers(
    pool: &Db,
    headers: &HeaderMap,
    secure: bool,
) -> Result<Option<Actor>, AppError> {
    let Some(token) = SessionToken::from_headers(headers, secure) else {
        return Ok(None);
    };
    let found = sessions::find_user(pool, &token.hash(), now(), idle_timeout_secs()).await?;
    let Some(row) = found else {
        return Ok(None);
    };
    let role = row.role.parse::<Role>().map_err(|error| {
        tracing::error!(%error, user_id = row.user_id, "stored role is unknown");
        AppError::Internal
    })?;
    let account_sid = AccountSid::parse(&row.account_sid).map_err(|_| {
        tracing::error!(
            account_id = row.account_id,
            "stored account SID is malformed"
        );
        AppError::Internal
    })?;
    Ok(Some(Actor {
        user_id: row.user_id,
        name: row.user_name,
        email: row.email,
        role,
        account_id: row.account_id,
        account_sid,
        account_name: row.account_name,
        api_access_enabled: row.api_access_enabled,
        token_policy: crate::domain::expiration::TokenPolicy {
            max_lifetime_days: row
                .max_token_lifetime_days
                .and_then(|days| u16::try_from(days).ok()),
            allow_never: row.allow_never_expiring,
        },
        must_change_password: row.must_change_password,
        has_second_factor: row.has_second_factor,
        two_factor_rule: TwoFactorRule::from_id(&row.require_two_factor).unwrap_or_default(),
        proved_at: row.proved_at,
        exposure_policy: crate::domain::exposure::ExposurePolicy::from_id(&row.exposure_policy)
            .unwrap_or_default(),
        limits_policy: crate::domain::limits::LimitsPolicy::from_stored(&row.limits_policy),
        token_creation: crate::domain::token_request::TokenCreation::from_id(&row.token_creation)
            .unwrap_or_default(),
    }))
}

/// The request's signed-in user, looked up once however many resources of one page ask
/// (each is a server function call on the server, and they run side by side). Provided
/// afresh for every request by the router.
#[derive(Debug, Clone, Default)]
pub struct RequestUser(std::sync::Arc<tokio::sync::OnceCell<Option<Actor>>>);

/// The signed-in user of the request a server function or page is answering.
pub async fn current_user() -> Result<(Actor, AppState), AppError> {
    let state = app_state()?;
    let parts = use_context::<http::request::Parts>().ok_or_else(|| {
        tracing::error!("request parts missing from the Leptos context");
        AppError::Internal
    })?;
    let secure = is_secure(state.secure_cookies, &parts.headers);
    let look_up = || user_for_headers(&state.pool, &parts.headers, secure);
    let user = match use_context::<RequestUser>() {
        Some(memo) => memo.0.get_or_try_init(look_up).await?.clone(),
        None => look_up().await?,
    };
    if let (Some(note), Some(user)) = (super::request_note::note_for(&parts), &user) {
        note.user(user.user_id);
    }
    Ok((user.ok_or(AppError::Unauthorized)?, state))
}

/// The signed-in user, if their role grants `permission` and nothing must be done first
/// (a temporary password changed, a second factor the account requires added); the first
/// line of every server function that reads or changes the account's settings.
pub async fn require(permission: Permission) -> Result<(Actor, AppState), AppError> {
    let (user, state) = current_user().await?;
    if user.role.allows(permission) && !user.is_held_back() {
        Ok((user, state))
    } else {
        Err(AppError::Forbidden)
    }
}

/// A session opened by [`sign_in`].
pub struct SignedIn {
    /// The browser's session id.
    pub token: SessionToken,
    /// Who signed in.
    pub user_id: i64,
    /// Whether the user must change a temporary password before anything else.
    pub must_change_password: bool,
}

/// What a right password leads to.
pub enum PasswordAccepted {
    /// A new session (the user has no second factor).
    SignedIn(SignedIn),
    /// The user has a second factor: this cookie's pending sign-in waits for it.
    SecondFactor(PendingCookie),
    /// The user's account requires single sign-on, and they are not its break-glass
    /// administrator: no password opens a session.
    SsoRequired,
}

/// Checks an email and password; opens a new session, or, for a user with a second
/// factor, a pending sign-in that only their code can finish. Every failure is the same
/// `Unauthorized`, whatever was wrong, and takes about the same time; only the right
/// password of a disabled user learns that it is disabled (`Forbidden`).
pub async fn sign_in(
    pool: &Db,
    email: &str,
    password_text: &str,
    slot: HashSlot,
) -> Result<PasswordAccepted, AppError> {
    const MAX_PASSWORD: usize = 1024;
    let credentials = match EmailAddress::parse(email) {
        Ok(email) if password_text.len() <= MAX_PASSWORD => {
            users::find_credentials(pool, &email).await?
        }
        _ => None,
    };
    let Some(credentials) = credentials else {
        let password_text = password_text.chars().take(MAX_PASSWORD).collect::<String>();
        password::verify_against_nothing_on_hashers(password_text, slot).await?;
        return Err(AppError::Unauthorized);
    };
    let text = password_text.to_string();
    let checked = credentials.password_hash.clone();
    let matches = password::verify_on_hashers(text, credentials.password_hash, slot).await?;
    if !matches {
        return Err(AppError::Unauthorized);
    }
    if credentials.disabled_at.is_some() {
        return Err(AppError::Forbidden);
    }
    match super::db::single_sign_on::required_of(pool, credentials.id).await? {
        Some(true) => return Ok(PasswordAccepted::SsoRequired),
        // The break-glass administrator: let through, and recorded every time.
        Some(false) => super::db::sso_logins::record_break_glass(pool, credentials.id).await?,
        None => {}
    }
    let now = now();
    let has_factor = second_factors::totp(pool, credentials.id)
        .await?
        .is_some_and(|app| app.confirmed_at.is_some())
        || super::db::passkeys::has_any(pool, credentials.id).await?;
    if has_factor {
        let pending = PendingCookie::generate();
        pending_sign_ins::start(pool, &pending.hash(), credentials.id, &checked, now).await?;
        return Ok(PasswordAccepted::SecondFactor(pending));
    }
    open_session(
        pool,
        credentials.id,
        &checked,
        credentials.must_change_password,
    )
    .await
    .map(PasswordAccepted::SignedIn)
}

/// Opens a session of `user_id`, if they still have the password hash `checked` that
/// sign-in verified.
pub async fn open_session(
    pool: &Db,
    user_id: i64,
    checked: &str,
    must_change_password: bool,
) -> Result<SignedIn, AppError> {
    let token = SessionToken::generate();
    let now = now();
    sessions::prune(pool, now, idle_timeout_secs()).await?;
    sessions::create(
        pool,
        &token.hash(),
        user_id,
        Some(checked),
        now,
        now + SESSION_TTL_SECS,
    )
    .await?;
    Ok(SignedIn {
        token,
        user_id,
        must_change_password,
    })
}

/// Ends the session whose cookie is in `headers`, if any.
pub async fn sign_out(pool: &Db, headers: &HeaderMap, secure: bool) -> Result<(), AppError> {
    if let Some(token) = SessionToken::from_headers(headers, secure) {
        sessions::delete(pool, &token.hash()).await?;
    }
    Ok(())
}

/// **Sign out everywhere**: ends every session of `user` (this one included) and records it
/// as an audit event of their account.
pub async fn sign_out_everywhere(pool: &Db, user: &Actor) -> Result<(), AppError> {
    let ended = sessions::end_everywhere(pool, user.account_id, user.user_id, now()).await?;
    tracing::info!(
        user_id = user.user_id,
        sessions = ended,
        "signed out everywhere"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_session_cookie_among_others() {
        let token = SessionToken::generate();
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            format!("theme=dark; {SESSION_COOKIE}={}; x=y", token.0)
                .parse()
                .unwrap(),
        );
        let found = SessionToken::from_headers(&headers, false).unwrap();
        assert_eq!(found.hash(), token.hash());
    }

    #[test]
    fn ignores_missing_empty_or_oversized_cookies() {
        let mut headers = HeaderMap::new();
        assert!(SessionToken::from_headers(&headers, false).is_none());
        headers.insert(
            http::header::COOKIE,
            format!("{SESSION_COOKIE}=").parse().unwrap(),
        );
        assert!(SessionToken::from_headers(&headers, false).is_none());
        let long = "a".repeat(65);
        headers.insert(
            http::header::COOKIE,
            format!("{SESSION_COOKIE}={long}").parse().unwrap(),
        );
        assert!(SessionToken::from_headers(&headers, false).is_none());
    }

    #[test]
    fn cookie_flags() {
        let token = SessionToken::generate();
        let plain = token.cookie(false);
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        assert!(token.cookie(true).ends_with("; Secure"));
        assert!(!format!("{token:?}").contains(&token.0));
    }

    #[test]
    fn secure_cookies_use_the_host_prefix_and_only_it_is_read() {
        let token = SessionToken::generate();
        let secure = token.cookie(true);
        assert!(secure.starts_with("__Host-tokensmith_session="));
        assert!(secure.contains("Path=/") && !secure.contains("Domain"));
        assert!(SessionToken::removal_cookie(true).starts_with("__Host-tokensmith_session=;"));
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            format!("{SECURE_SESSION_COOKIE}={}", token.0)
                .parse()
                .unwrap(),
        );
        assert!(SessionToken::from_headers(&headers, true).is_some());
        assert!(SessionToken::from_headers(&headers, false).is_none());
        headers.insert(
            http::header::COOKIE,
            format!("{SESSION_COOKIE}={}", token.0).parse().unwrap(),
        );
        assert!(SessionToken::from_headers(&headers, true).is_none());
    }

    #[test]
    fn https_is_configured_or_forwarded() {
        let mut headers = HeaderMap::new();
        assert!(!is_secure(false, &headers));
        assert!(is_secure(true, &headers));
        headers.insert("x-forwarded-proto", "HTTPS".parse().unwrap());
        assert!(is_secure(false, &headers));
        headers.insert("x-forwarded-proto", "http".parse().unwrap());
        assert!(!is_secure(false, &headers));
    }
}
