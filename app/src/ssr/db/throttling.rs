//! Audit events about sign-in throttling: the account whose user was locked out.

use super::engine::{query, Db};
use crate::domain::audit::AuditAction;
use crate::domain::EmailAddress;
use crate::error::AppError;

/// Records that sign-ins as `email` are refused until the window ends, as an event of the
/// user's account (no event when no user has that email: nothing to tell anyone).
pub async fn record_throttled(
    pool: &Db,
    email: &str,
    address: &str,
    now: i64,
) -> Result<(), AppError> {
    let Ok(email) = EmailAddress::parse(email) else {
        return Ok(());
    };
    let detail = serde_json::json!({ "address": address }).to_string();
    let same = pool.engine().same_text("email", "$4");
    let recorded = query(format!(
        "INSERT INTO audit_events (account_id, token_id, actor_id, action, detail, created_at)
         SELECT account_id, NULL, id, $1, $2, $3 FROM users WHERE {same}"
    ))
    .bind(AuditAction::SignInThrottled.id())
    .bind(detail)
    .bind(now)
    .bind(email.as_str())
    .execute(pool)
    .await?;
    if recorded > 0 {
        let action = AuditAction::SignInThrottled.id();
        metrics::counter!("tokensmith_audit_events_total", "action" => action).increment(1);
    }
    Ok(())
}
