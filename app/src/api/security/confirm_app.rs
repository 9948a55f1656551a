//! The set-up's last step: a first code from the app, and the recovery codes.

use super::RecoveryCodes;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Confirms the app being set up with a code it shows; the app then counts as a second
/// factor, the user's other sessions end (whoever else was signed in must now pass it
/// too), and the user gets 10 recovery codes, shown this once. A wrong code: 422 with
/// the reason, nothing changes (it counts as a failed sign-in of the account).
#[server(endpoint = "confirm_app", input = Json)]
pub async fn confirm_app(code: String) -> Result<RecoveryCodes, AppError> {
    use crate::domain::second_factor::{show_recovery_code, SecondFactorCode};
    use crate::ssr::db::second_factors;
    use crate::ssr::factors::{new_recovery_codes, stored_key};
    use crate::ssr::now;
    crate::ssr::response::respond(async move {
        let (user, state) = super::factor_owner().await?;
        let wrong = || {
            AppError::Refused(
                "That code doesn't match. Enter the 6-digit code your app shows now.".into(),
            )
        };
        let Ok(SecondFactorCode::Totp(digits)) = SecondFactorCode::parse(&code) else {
            return Err(wrong());
        };
        let app = second_factors::totp(&state.pool, user.user_id)
            .await?
            .filter(|app| app.confirmed_at.is_none())
            .ok_or_else(|| {
                AppError::Conflict(
                    "There is no set-up in progress. Start again with Set up authenticator app."
                        .into(),
                )
            })?;
        let guard = state.sign_in.clone();
        let attempt = guard
            .begin(&user.email, &format!("session-of-user:{}", user.user_id))
            .await
            .map_err(crate::api::session::refusal_error)?;
        let now = now();
        let Some(step) = stored_key(&app.secret)?.step_of(&digits, now) else {
            return Err(wrong());
        };
        guard.succeeded(attempt).await;
        let (codes, hashes) = new_recovery_codes();
        let owner = super::owner(&user);
        let keep = crate::api::session::session_token(state.secure_cookies)?.hash();
        let set_up = second_factors::SetUp {
            secret: &app.secret,
            step,
            code_hashes: &hashes,
            keep: &keep,
        };
        second_factors::confirm_totp(&state.pool, owner, set_up, now).await?;
        tracing::info!(user_id = user.user_id, "authenticator app added");
        Ok(RecoveryCodes {
            codes: codes.iter().map(|code| show_recovery_code(code)).collect(),
        })
    })
    .await
}
