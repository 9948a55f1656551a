//! **Generate new recovery codes**.

use super::RecoveryCodes;
use crate::error::AppError;
use leptos::prelude::*;

/// Replaces the caller's recovery codes with 10 new ones, shown this once; the old ones
/// stop working. Needs an authenticator app (404) and a recent proof (sudo mode).
#[server(endpoint = "regenerate_recovery_codes")]
pub async fn regenerate_recovery_codes() -> Result<RecoveryCodes, AppError> {
    use crate::domain::second_factor::show_recovery_code;
    use crate::ssr::db::second_factors;
    use crate::ssr::factors::new_recovery_codes;
    use crate::ssr::{auth, now};
    crate::ssr::response::respond(async {
        let (user, state) = super::factor_owner().await?;
        auth::require_recent_proof(&user)?;
        let (codes, hashes) = new_recovery_codes();
        second_factors::replace_recovery_codes(&state.pool, super::owner(&user), &hashes, now())
            .await?;
        tracing::info!(user_id = user.user_id, "recovery codes regenerated");
        Ok(RecoveryCodes {
            codes: codes.iter().map(|code| show_recovery_code(code)).collect(),
        })
    })
    .await
}
