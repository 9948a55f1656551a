//! **Set up authenticator app**: a new key, shown as a QR code and typed.

use super::AppSetUp;
use crate::error::AppError;
use leptos::prelude::*;

/// Starts (or starts again) setting up an authenticator app: a new key, stored unconfirmed;
/// it counts once a first code confirms it. Needs a recent proof (sudo mode): a stolen
/// session can't put its own app between the user and their sign-in. 409 while an app is
/// set up.
#[server(endpoint = "start_app_set_up")]
pub async fn start_app_set_up() -> Result<AppSetUp, AppError> {
    use crate::domain::second_factor::show_manual_key;
    use crate::ssr::db::second_factors;
    use crate::ssr::totp::{qr_svg, SharedKey};
    use crate::ssr::{auth, now};
    crate::ssr::response::respond(async {
        let (user, state) = super::factor_owner().await?;
        auth::require_recent_proof(&user)?;
        let key = SharedKey::generate();
        let secret = key.base32();
        second_factors::start_totp(&state.pool, user.user_id, &secret, now()).await?;
        let qr_svg = qr_svg(&key.otpauth_uri(&user.email)).ok_or(AppError::Internal)?;
        Ok(AppSetUp {
            qr_svg,
            manual_key: show_manual_key(&secret),
        })
    })
    .await
}
