//! A change an Account Administrator makes to a user: role, **Disable**, **Enable**,
//! **Reset password**.

use super::TemporaryPassword;
use crate::domain::user_admin::UserChange;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Makes `change` to user `user_id` of the caller's account (Account Administrators only),
/// audited. Refused with 422 and the reason when it would leave the account without an
/// active Account Administrator, or change nothing; an administrator can't disable or
/// reset themselves (**Change password** is theirs). **Reset password** answers the
/// temporary password, shown once.
#[server(endpoint = "change_user", input = Json)]
pub async fn change_user(
    user_id: i64,
    change: UserChange,
) -> Result<Option<TemporaryPassword>, AppError> {
    use crate::domain::Permission;
    use crate::ssr::{auth, db::user_admin, now};
    crate::ssr::response::respond(async move {
        let (admin, state) = auth::require(Permission::ManageUsers).await?;
        auth::require_recent_proof(&admin)?;
        if user_id == admin.user_id {
            match change {
                UserChange::Disable => {
                    return Err(AppError::Refused(
                        "You can't disable yourself. Ask another Account Administrator."
                            .to_string(),
                    ))
                }
                UserChange::ResetPassword => {
                    return Err(AppError::Refused(
                        "Use Change password in your user menu to change your own password."
                            .to_string(),
                    ))
                }
                UserChange::SetRole(_) | UserChange::Enable => {}
            }
        }
        let temporary = match change {
            UserChange::ResetPassword => Some(crate::ssr::password::temporary(&state).await?),
            _ => None,
        };
        let user = user_admin::change(
            &state.pool,
            admin.account_id,
            Some(admin.user_id),
            user_id,
            change,
            temporary.as_ref().map(|(_, hash)| hash.as_str()),
            now(),
        )
        .await?;
        tracing::info!(by = admin.user_id, user_id, ?change, "user changed");
        Ok(temporary.map(|(password, _)| TemporaryPassword { user, password }))
    })
    .await
}
