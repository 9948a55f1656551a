//! What the brand API and introspection read: a live token by the hash of its secret,
//! and the batched "last used" times they write.

use crate::domain::authorize::Grant;
use crate::error::AppError;
use sqlx::{FromRow, SqlitePool};

#[derive(FromRow)]
struct GrantRow {
    id: i64,
    sid: String,
    account_sid: String,
    enabled: bool,
    api_access: bool,
    api_version: i64,
    issued_at: i64,
    scopes: Option<String>,
}

/// A live token found by its secret.
#[derive(Debug, Clone)]
pub struct Found {
    /// The token's key.
    pub token_id: i64,
    /// What authorization needs.
    pub grant: Grant,
    /// When its current secret was issued, Unix seconds.
    pub issued_at: i64,
}

/// The live (not deleted) token whose secret hashes to `hash`, in one indexed query.
pub async fn find_by_secret_hash(
    pool: &SqlitePool,
    hash: &[u8],
) -> Result<Option<Found>, AppError> {
    let row = sqlx::query_as::<_, GrantRow>(
        "SELECT t.id, t.sid, a.sid AS account_sid, t.enabled, a.api_access_enabled AS api_access,
                t.api_version, COALESCE(t.secret_issued_at, t.created_at) AS issued_at,
                (SELECT group_concat(scope, ' ') FROM token_scopes s WHERE s.token_id = t.id)
                    AS scopes
         FROM tokens t JOIN accounts a ON a.id = t.account_id
         WHERE t.secret_hash = ? AND t.deleted_at IS NULL",
    )
    .bind(hash)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| Found {
        token_id: row.id,
        issued_at: row.issued_at,
        grant: Grant {
            sid: row.sid,
            account_sid: row.account_sid,
            enabled: row.enabled,
            api_access: row.api_access,
            api_version: u8::try_from(row.api_version).unwrap_or_default(),
            scopes: row
                .scopes
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect(),
        },
    }))
}

/// Records when tokens were last used, all in one transaction; an older time never
/// replaces a newer one.
pub async fn record_last_used(pool: &SqlitePool, uses: &[(i64, i64)]) -> Result<(), AppError> {
    if uses.is_empty() {
        return Ok(());
    }
    let mut tx = super::begin_write(pool).await?;
    for (token_id, at) in uses {
        sqlx::query(
            "UPDATE tokens SET last_used_at = MAX(COALESCE(last_used_at, 0), ?) WHERE id = ?",
        )
        .bind(at)
        .bind(token_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
