//! Token usage: counts the sandbox adds up in memory, written in one transaction a minute,
//! and read back for the token page.

use super::engine::{query, Db};
use crate::domain::usage::StoredCount;
use crate::error::AppError;

/// Requests counted since the last write: `(token_id, day, scope, allowed, refused,
/// limited)`.
pub type Count = (i64, i64, String, i64, i64, i64);

/// Where a token's last allowed request came from: `(token_id, address, user agent)`.
pub type LastSeen = (i64, String, Option<String>);

/// Adds `counts` to the stored ones and records the last callers, in one transaction.
pub async fn record(pool: &Db, counts: &[Count], last_seen: &[LastSeen]) -> Result<(), AppError> {
    if counts.is_empty() && last_seen.is_empty() {
        return Ok(());
    }
    let mut tx = pool.begin_write().await?;
    for (token_id, day, scope, allowed, refused, limited) in counts {
        query(
            "INSERT INTO token_usage (token_id, day, scope, allowed, refused, limited)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (token_id, day, scope) DO UPDATE
             SET allowed = token_usage.allowed + excluded.allowed,
                 refused = token_usage.refused + excluded.refused,
                 limited = token_usage.limited + excluded.limited",
        )
        .bind(*token_id)
        .bind(*day)
        .bind(scope.clone())
        .bind(*allowed)
        .bind(*refused)
        .bind(*limited)
        .execute(&mut tx)
        .await?;
    }
    for (token_id, address, user_agent) in last_seen {
        query("UPDATE tokens SET last_used_address = $1, last_user_agent = $2 WHERE id = $3")
            .bind(address.clone())
            .bind(user_agent.clone())
            .bind(*token_id)
            .execute(&mut tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A token's counts from `since_day` on.
pub async fn for_token(
    pool: &Db,
    token_id: i64,
    since_day: i64,
) -> Result<Vec<StoredCount>, AppError> {
    Ok(query(
        "SELECT day, scope, allowed, refused, limited FROM token_usage
         WHERE token_id = $1 AND day >= $2 ORDER BY day",
    )
    .bind(token_id)
    .bind(since_day)
    .fetch_all(pool)
    .await?)
}

/// Where a token's last allowed request came from, if recorded.
pub async fn last_caller(
    pool: &Db,
    token_id: i64,
) -> Result<(Option<String>, Option<String>), AppError> {
    Ok(
        query("SELECT last_used_address, last_user_agent FROM tokens WHERE id = $1")
            .bind(token_id)
            .fetch_optional(pool)
            .await?
            .unwrap_or((None, None)),
    )
}
