//! What the brand API and introspection read: a live token by the hash of its secret,
//! and the batched "last used" times they write.

use super::engine::{query, Db};
use crate::domain::authorize::Grant;
use crate::domain::ip_allowlist::IpAllowlist;
use crate::domain::limits::Limits;
use crate::error::AppError;
use sqlx::FromRow;

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
    expires_at: Option<i64>,
    allowed_ips: String,
    /// Set when `$1` is the old secret of a Reset's overlap: when it stops.
    old_until: Option<i64>,
    old_secret: bool,
    /// When the current secret was revoked (by its holder, or on an exposure report).
    revoked_at: Option<i64>,
    rate_requests: Option<i64>,
    rate_per: Option<String>,
    quota_calls: Option<i64>,
    quota_refill: Option<String>,
    quota_since: Option<i64>,
    budget_id: Option<i64>,
    budget_name: Option<String>,
    budget_rate_requests: Option<i64>,
    budget_rate_per: Option<String>,
    budget_quota_calls: Option<i64>,
    budget_quota_refill: Option<String>,
    budget_quota_since: Option<i64>,
}

/// A live token found by its secret.
#[derive(Debug, Clone)]
pub struct LiveToken {
    /// The token's key.
    pub token_id: i64,
    /// What authorization needs.
    pub grant: Grant,
    /// When its current secret was issued, Unix seconds.
    pub issued_at: i64,
    /// Whether the secret presented is the old one, during a Reset's overlap.
    pub old_secret: bool,
    /// Its rate limit and quota.
    pub limits: Limits,
    /// When the window of a quota never refilled starts.
    pub quota_since: i64,
    /// The budget it draws on, if any.
    pub budget: Option<BudgetGrant>,
}

/// A budget a live token draws on.
#[derive(Debug, Clone)]
pub struct BudgetGrant {
    pub id: i64,
    pub name: String,
    pub limits: Limits,
    /// When the window of a quota never refilled starts.
    pub quota_since: i64,
}

/// Whether a token (deleted ones included) has this SID: one indexed query, asked only
/// after credentials failed, so failures naming made-up SIDs can share one count.
pub async fn sid_exists(pool: &Db, sid: &str) -> Result<bool, AppError> {
    Ok(query("SELECT COUNT(*) FROM tokens WHERE sid = $1")
        .bind(sid)
        .scalar::<i64>(pool)
        .await?
        > 0)
}

/// The live (not deleted) token whose secret (or old secret, during a Reset's overlap)
/// hashes to `hash`, in one indexed query; [`super::token_cache::TokenCache::find`] asks
/// its cache first.
pub async fn find_by_secret_hash(pool: &Db, hash: &[u8]) -> Result<Option<LiveToken>, AppError> {
    let scopes = pool.engine().join_with_spaces("scope");
    let row = query(format!(
        "SELECT t.id, t.sid, a.sid AS account_sid, t.enabled, a.api_access_enabled AS api_access,
                t.api_version, COALESCE(t.secret_issued_at, t.created_at) AS issued_at,
                (SELECT {scopes} FROM token_scopes s WHERE s.token_id = t.id) AS scopes,
                t.expires_at, t.allowed_ips, t.old_secret_until AS old_until,
                t.secret_hash <> $1 AS old_secret, t.secret_revoked_at AS revoked_at,
                t.rate_requests, t.rate_per, t.quota_calls, t.quota_refill, t.quota_since,
                b.id AS budget_id, b.name AS budget_name, b.rate_requests AS budget_rate_requests,
                b.rate_per AS budget_rate_per, b.quota_calls AS budget_quota_calls,
                b.quota_refill AS budget_quota_refill, b.quota_since AS budget_quota_since
         FROM tokens t JOIN accounts a ON a.id = t.account_id
         LEFT JOIN budgets b ON b.id = t.budget_id
         WHERE (t.secret_hash = $1 OR t.old_secret_hash = $1) AND t.deleted_at IS NULL"
    ))
    .bind(hash)
    .fetch_optional::<GrantRow>(pool)
    .await?;
    Ok(row.map(|row| LiveToken {
        limits: Limits::from_stored(
            row.rate_requests,
            row.rate_per.as_deref(),
            row.quota_calls,
            row.quota_refill.as_deref(),
        ),
        quota_since: row.quota_since.unwrap_or(row.issued_at),
        budget: row.budget_id.map(|id| BudgetGrant {
            id,
            name: row.budget_name.clone().unwrap_or_default(),
            limits: Limits::from_stored(
                row.budget_rate_requests,
                row.budget_rate_per.as_deref(),
                row.budget_quota_calls,
                row.budget_quota_refill.as_deref(),
            ),
            quota_since: row.budget_quota_since.unwrap_or_default(),
        }),
        token_id: row.id,
        issued_at: row.issued_at,
        old_secret: row.old_secret,
        grant: Grant {
            // The old secret ends with its overlap, or with the token if that is sooner
            // (an old secret without an end has none left). The current secret ends with
            // the token, or when it was revoked.
            ends_at: if row.old_secret {
                Some(match (row.old_until, row.expires_at) {
                    (Some(until), Some(expires)) => until.min(expires),
                    (Some(until), None) => until,
                    (None, _) => 0,
                })
            } else {
                [row.expires_at, row.revoked_at].into_iter().flatten().min()
            },
            allowed_ips: IpAllowlist::from_stored(&row.allowed_ips),
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
pub async fn record_last_used(pool: &Db, uses: &[(i64, i64)]) -> Result<(), AppError> {
    if uses.is_empty() {
        return Ok(());
    }
    let mut tx = pool.begin_write().await?;
    for (token_id, at) in uses {
        query(
            "UPDATE tokens SET last_used_at = $1
             WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)",
        )
        .bind(at)
        .bind(token_id)
        .execute(&mut tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
