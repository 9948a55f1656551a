//! Whether the user acting may still act, checked inside the write that acts: a role check
//! made before the transaction could be stale by the time it writes (demoted, disabled,
//! or given a temporary password meanwhile).

use super::engine::{query, Db, Tx};
use crate::domain::{Permission, Role};
use crate::error::AppError;

/// A write transaction for `user_id` of `account_id`, begun only once they are checked
/// (and locked) as [`lock_and_check`] does: the account-level changes start with it.
pub async fn begin_as(
    pool: &Db,
    (account_id, user_id): (i64, i64),
    permission: Permission,
) -> Result<Tx, AppError> {
    let mut tx = pool.begin_write().await?;
    lock_and_check(&mut tx, account_id, user_id, permission).await?;
    Ok(tx)
}

/// Locks the acting user's row (a demotion, Disable or Reset in flight finishes first, and
/// one that follows waits for this write) and checks that they are an active user of
/// `account_id` whose role grants `permission` and who has chosen their own password:
/// `Forbidden` (403) otherwise.
pub async fn lock_and_check(
    tx: &mut Tx,
    account_id: i64,
    user_id: i64,
    permission: Permission,
) -> Result<(), AppError> {
    // A write that changes nothing, for the row lock: the same statement on both engines.
    let standing: Option<(String, Option<i64>, bool)> = query(
        "UPDATE users SET role = role WHERE id = $1 AND account_id = $2
         RETURNING role, disabled_at, must_change_password",
    )
    .bind(user_id)
    .bind(account_id)
    .fetch_optional(&mut *tx)
    .await?;
    match standing {
        Some((role, None, false))
            if role
                .parse::<Role>()
                .is_ok_and(|role| role.allows(permission)) =>
        {
            Ok(())
        }
        _ => Err(AppError::Forbidden),
    }
}
