//! Who is calling: session cookies, sign-in and the permission check every server
//! function starts with.

use super::db::{sessions, users};
use super::sign_in_guard::HashSlot;
use super::state::{app_state, AppState};
use super::{now, password};
use crate::domain::{AccountSid, EmailAddress, Permission, Role};
use crate::error::AppError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use http::HeaderMap;
use leptos::prelude::use_context;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use std::fmt;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "tokensmith_session";
/// How long a session lasts after sign-in, in seconds.
pub const SESSION_TTL_SECS: i64 = 12 * 60 * 60;

/// The random session id held by the browser; only its hash is stored.
pub struct SessionToken(String);

impl SessionToken {
    /// 256 random bits from the operating system's CSPRNG.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The value the database keys the session by.
    pub fn hash(&self) -> [u8; 32] {
        Sha256::digest(self.0.as_bytes()).into()
    }

    /// The session id in the request's `Cookie` headers, if any.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, value)| *name == SESSION_COOKIE && !value.is_empty() && value.len() <= 64)
            .map(|(_, value)| Self(value.to_string()))
    }

    /// The `Set-Cookie` value that gives the browser this session.
    pub fn cookie(&self, secure: bool) -> String {
        format!(
            "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_TTL_SECS}{}",
            self.0,
            if secure { "; Secure" } else { "" }
        )
    }

    /// The `Set-Cookie` value that removes the session cookie.
    pub fn removal_cookie(secure: bool) -> String {
        format!(
            "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
            if secure { "; Secure" } else { "" }
        )
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(..)")
    }
}

/// The signed-in user of the current request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The user's key.
    pub user_id: i64,
    /// Display name.
    pub name: String,
    /// Sign-in email.
    pub email: String,
    /// Role.
    pub role: Role,
    /// The account's key: always from the session, never from the request.
    pub account_id: i64,
    /// The account's SID.
    pub account_sid: AccountSid,
    /// The account's name.
    pub account_name: String,
}

/// The user whose session cookie is in `headers`, if it is live.
pub async fn user_for_headers(
    pool: &SqlitePool,
    headers: &HeaderMap,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(token) = SessionToken::from_headers(headers) else {
        return Ok(None);
    };
    let Some(row) = sessions::find_user(pool, &token.hash(), now()).await? else {
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
    Ok(Some(CurrentUser {
        user_id: row.user_id,
        name: row.user_name,
        email: row.email,
        role,
        account_id: row.account_id,
        account_sid,
        account_name: row.account_name,
    }))
}

/// The signed-in user of the request a server function or page is answering.
pub async fn current_user() -> Result<(CurrentUser, AppState), AppError> {
    let state = app_state()?;
    let parts = use_context::<http::request::Parts>().ok_or_else(|| {
        tracing::error!("request parts missing from the Leptos context");
        AppError::Internal
    })?;
    let user = user_for_headers(&state.pool, &parts.headers)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok((user, state))
}

/// The signed-in user, if their role grants `permission`; the first line of every
/// server function that reads or changes API settings.
pub async fn require(permission: Permission) -> Result<(CurrentUser, AppState), AppError> {
    let (user, state) = current_user().await?;
    if user.role.allows(permission) {
        Ok((user, state))
    } else {
        Err(AppError::Forbidden)
    }
}

/// Checks an email and password and opens a new session. Every failure is the same
/// `Unauthorized`, whatever was wrong, and takes about the same time.
pub async fn sign_in(
    pool: &SqlitePool,
    email: &str,
    password_text: &str,
    slot: HashSlot,
) -> Result<SessionToken, AppError> {
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
    let matches = password::verify_on_hashers(text, credentials.password_hash, slot).await?;
    if !matches {
        return Err(AppError::Unauthorized);
    }
    let token = SessionToken::generate();
    let now = now();
    sessions::create(
        pool,
        &token.hash(),
        credentials.id,
        now,
        now + SESSION_TTL_SECS,
    )
    .await?;
    Ok(token)
}

/// Ends the session whose cookie is in `headers`, if any.
pub async fn sign_out(pool: &SqlitePool, headers: &HeaderMap) -> Result<(), AppError> {
    if let Some(token) = SessionToken::from_headers(headers) {
        sessions::delete(pool, &token.hash()).await?;
    }
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
        let found = SessionToken::from_headers(&headers).unwrap();
        assert_eq!(found.hash(), token.hash());
    }

    #[test]
    fn ignores_missing_empty_or_oversized_cookies() {
        let mut headers = HeaderMap::new();
        assert!(SessionToken::from_headers(&headers).is_none());
        headers.insert(
            http::header::COOKIE,
            format!("{SESSION_COOKIE}=").parse().unwrap(),
        );
        assert!(SessionToken::from_headers(&headers).is_none());
        let long = "a".repeat(65);
        headers.insert(
            http::header::COOKIE,
            format!("{SESSION_COOKIE}={long}").parse().unwrap(),
        );
        assert!(SessionToken::from_headers(&headers).is_none());
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
}
