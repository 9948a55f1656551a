//! One token as its detail page shows it.

use super::engine::{query, Conn};
use crate::domain::TokenSid;
use crate::error::AppError;
use sqlx::FromRow;

/// A live token of an account.
#[derive(Debug, Clone, FromRow)]
pub struct TokenRow {
    /// Key.
    pub id: i64,
    pub sid: String,
    pub name: String,
    pub description: String,
    pub api_version: i64,
    /// Enabled or disabled.
    pub enabled: bool,
    /// Optimistic-concurrency version: raised by every change.
    pub version: i64,
    /// Primary contact's user id.
    pub primary_contact_id: i64,
    /// Primary contact's name.
    pub contact_name: String,
    /// Primary contact's email.
    pub contact_email: String,
    /// Creator's name.
    pub created_by: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
    /// Unix seconds, if ever used.
    pub last_used_at: Option<i64>,
    /// The secret's last four characters.
    pub secret_last4: String,
    /// When it expires, Unix seconds; `None`: never.
    pub expires_at: Option<i64>,
    /// Allowed IP addresses as stored (space-separated; empty: anywhere).
    pub allowed_ips: String,
    /// When a Reset's old secret stops (past or `None`: no old secret works).
    pub old_secret_until: Option<i64>,
    /// When its current secret was revoked, by its holder or on an exposure report
    /// (`None`: never).
    pub secret_revoked_at: Option<i64>,
    /// When a secret of it was reported exposed (until a Reset).
    pub exposed_at: Option<i64>,
    /// Where, as the report said.
    pub exposed_url: Option<String>,
    /// Who reported it (`github:<source>` or `report`).
    pub exposed_by: Option<String>,
    /// Rate limit: requests (`None`: no rate limit).
    pub rate_requests: Option<i64>,
    /// Rate limit: `second`, `minute` or `hour`.
    pub rate_per: Option<String>,
    /// Quota: calls (`None`: no quota).
    pub quota_calls: Option<i64>,
    /// Quota: `none`, `daily` or `monthly`.
    pub quota_refill: Option<String>,
    /// When the window of a quota never refilled starts.
    pub quota_since: Option<i64>,
    /// The budget it draws on.
    pub budget_id: Option<i64>,
    /// That budget's name.
    pub budget_name: Option<String>,
}

impl TokenRow {
    /// Its rate limit and quota.
    pub fn limits(&self) -> crate::domain::limits::Limits {
        crate::domain::limits::Limits::from_stored(
            self.rate_requests,
            self.rate_per.as_deref(),
            self.quota_calls,
            self.quota_refill.as_deref(),
        )
    }
}

/// The live token with this SID in this account; another account's token is `None`,
/// exactly like an unknown one.
pub async fn find<'e>(
    db: impl Into<Conn<'e>>,
    account_id: i64,
    sid: &TokenSid,
) -> Result<Option<TokenRow>, AppError> {
    Ok(query(
        "SELECT t.id, t.sid, t.name, t.description, t.api_version, t.enabled, t.version,
                t.primary_contact_id, c.name AS contact_name, c.email AS contact_email,
                CASE WHEN u.disabled_at IS NULL THEN u.name ELSE u.name || ' (disabled)' END
                    AS created_by,
                t.created_at, t.updated_at, t.last_used_at, t.secret_last4,
                t.expires_at, t.allowed_ips,
                CASE WHEN t.old_secret_hash IS NULL THEN NULL ELSE t.old_secret_until END
                    AS old_secret_until,
                t.secret_revoked_at, t.exposed_at, t.exposed_url, t.exposed_by,
                t.rate_requests, t.rate_per, t.quota_calls, t.quota_refill, t.quota_since,
                t.budget_id, bud.name AS budget_name
         FROM tokens t
         JOIN users c ON c.id = t.primary_contact_id
         JOIN users u ON u.id = t.created_by
         LEFT JOIN budgets bud ON bud.id = t.budget_id
         WHERE t.sid = $1 AND t.account_id = $2 AND t.deleted_at IS NULL",
    )
    .bind(sid.as_str())
    .bind(account_id)
    .fetch_optional::<TokenRow>(db)
    .await?)
}

/// A token's scope ids, sorted.
pub async fn scopes<'e>(db: impl Into<Conn<'e>>, token_id: i64) -> Result<Vec<String>, AppError> {
    Ok(
        query("SELECT scope FROM token_scopes WHERE token_id = $1 ORDER BY scope")
            .bind(token_id)
            .scalars(db)
            .await?,
    )
}

/// A token's developer emails, in the order they were added.
pub async fn developer_emails<'e>(
    db: impl Into<Conn<'e>>,
    token_id: i64,
) -> Result<Vec<String>, AppError> {
    Ok(
        query("SELECT email FROM token_developer_emails WHERE token_id = $1 ORDER BY position")
            .bind(token_id)
            .scalars(db)
            .await?,
    )
}
