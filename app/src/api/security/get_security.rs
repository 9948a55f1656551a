//! The **Security** page's data.

use super::SecurityOverview;
use crate::error::AppError;
use leptos::prelude::*;

/// The caller's authenticator app, recovery codes left and the account's rule.
#[server(endpoint = "security")]
pub async fn get_security() -> Result<SecurityOverview, AppError> {
    use super::AppFactor;
    use crate::ssr::db::second_factors;
    use crate::ssr::display_time;
    crate::ssr::response::respond(async {
        let (user, state) = super::factor_owner().await?;
        let app = second_factors::totp(&state.pool, user.user_id)
            .await?
            .and_then(|app| {
                Some(AppFactor {
                    added: display_time(app.confirmed_at?),
                    last_used: app.last_used_at.map(display_time),
                })
            });
        let left = second_factors::recovery_codes_left(&state.pool, user.user_id).await?;
        let passkeys = crate::ssr::db::passkeys::list(&state.pool, user.user_id)
            .await?
            .into_iter()
            .map(|row| super::PasskeySummary {
                id: row.id,
                name: row.name,
                added: display_time(row.created_at),
                last_used: row.last_used_at.map(display_time),
            })
            .collect();
        Ok(SecurityOverview {
            app,
            recovery_codes_left: left,
            rule: user.two_factor_rule,
            must_add_factor: user.must_add_second_factor(),
            passkeys,
            passkeys_at: state.passkeys.as_ref().map(|p| p.origin().to_string()),
        })
    })
    .await
}
