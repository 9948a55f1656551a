//! **Change password**: the signed-in user sets a new password with their current one;
//! their other sessions end.

use crate::domain::PasswordChange;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// What a change did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChanged {
    /// The user's other sessions that were signed out.
    pub other_sessions_ended: u64,
}

/// Checks the form and the current password, stores the new one, ends every other
/// session of the user and audits the change. A wrong current password counts as a failed
/// sign-in of the account (the same limit applies: then 429 with `Retry-After`).
#[server(endpoint = "change_password", input = Json)]
pub async fn change_password(change: PasswordChange) -> Result<PasswordChanged, AppError> {
    use crate::domain::{EmailAddress, PasswordField, PasswordFieldError, PasswordProblem};
    use crate::ssr::db::users;
    use crate::ssr::{auth, now, password};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::current_user().await?;
        let new = change.validate().map_err(AppError::PasswordFields)?;
        let keep = session_token(state.secure_cookies)?;
        let guard = state.sign_in.clone();
        let attempt = guard
            .begin(&user.email, &format!("session-of-user:{}", user.user_id))
            .await
            .map_err(refusal_error)?;
        let slot = match guard.hash_slot().await {
            Ok(slot) => slot,
            Err(refusal) => {
                guard.not_tried(attempt).await;
                return Err(refusal_error(refusal));
            }
        };
        let email = EmailAddress::parse(&user.email).map_err(|_| AppError::Internal)?;
        let stored = users::find_credentials(&state.pool, &email)
            .await?
            .ok_or(AppError::Unauthorized)?;
        let current = change.current.clone();
        let checked = stored.password_hash.clone();
        if !password::verify_on_hashers(current, stored.password_hash, slot).await? {
            return Err(AppError::PasswordFields(vec![PasswordFieldError {
                field: PasswordField::Current,
                problem: PasswordProblem::CurrentIncorrect,
            }]));
        }
        guard.succeeded(attempt).await;
        let slot = guard.hash_slot().await.map_err(refusal_error)?;
        let hash = password::hash_on_hashers(new.expose().to_string(), slot).await?;
        let ended = users::change_own_password(
            &state.pool,
            user.account_id,
            user.user_id,
            &hash,
            &checked,
            &keep.hash(),
            now(),
        )
        .await?;
        tracing::info!(user_id = user.user_id, ended, "password changed");
        Ok(PasswordChanged {
            other_sessions_ended: ended,
        })
    })
    .await
}

/// The caller's session cookie: the session the change keeps.
#[cfg(feature = "ssr")]
pub(crate) fn session_token(
    secure_cookies: bool,
) -> Result<crate::ssr::auth::SessionToken, AppError> {
    use crate::ssr::auth;
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            let secure = auth::is_secure(secure_cookies, &parts.headers);
            auth::SessionToken::from_headers(&parts.headers, secure)
        })
        .ok_or(AppError::Unauthorized)
}

/// The answer to a check the sign-in limits refused: 429 with `Retry-After`.
#[cfg(feature = "ssr")]
pub(crate) fn refusal_error(refusal: crate::ssr::sign_in_guard::Refusal) -> AppError {
    use crate::ssr::sign_in_guard::Refusal;
    match refusal {
        Refusal::Throttled { retry_after, .. } => {
            let secs = retry_after.as_secs().max(1);
            set_retry_after(secs);
            let minutes = secs.div_ceil(60);
            let unit = if minutes == 1 { "minute" } else { "minutes" };
            AppError::TooManyRequests(format!(
                "Too many incorrect passwords. Try again in {minutes} {unit}."
            ))
        }
        Refusal::Busy => {
            set_retry_after(1);
            AppError::TooManyRequests(
                "The server is busy checking passwords. Try again in a moment.".to_string(),
            )
        }
    }
}

/// Tells the client when to try again.
#[cfg(feature = "ssr")]
fn set_retry_after(secs: u64) {
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
    }
}
