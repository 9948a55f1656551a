//! Secrets reported exposed (secret scanning): the token whose secret it is takes the
//! account's **When a token is exposed** policy, records where and when, and its contacts
//! and the account's administrators are told, all in one transaction. A second report of
//! the same secret changes nothing.

use super::engine::{query, Db, Tx};
use super::token_record::{record_change, RecordedChange};
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::exposure::{ExposurePolicy, Reporter};
use crate::domain::notice::{self, Exposed};
use crate::error::AppError;
use sqlx::FromRow;

/// One reported secret.
pub struct Report<'a> {
    /// SHA-256 of the secret.
    pub hash: &'a [u8; 32],
    /// Where it was found (already cleaned), if the reporter said.
    pub url: Option<&'a str>,
    pub reporter: &'a Reporter,
}

/// What a report found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Not a secret of any token: no token has it (or had it in a Reset's overlap still
    /// running), or its token was deleted.
    Unknown,
    /// A secret of the token `sid`, newly reported (`true`) or reported before (`false`).
    Known { newly: bool, sid: String },
}

/// A token whose secret was reported, as the read-only probe finds it.
#[derive(FromRow)]
struct Probed {
    id: i64,
    account_id: i64,
    sid: String,
    /// Whether it is the token's current secret (else the old one, during an overlap).
    current: bool,
    enabled: bool,
    revoked: bool,
    exposed_hash: Option<Vec<u8>>,
    exposure_policy: String,
}

impl Probed {
    /// Whether a report of `hash` under `policy` would change anything: a secret not yet
    /// reported, or one whose policy has since become stricter than what was done.
    fn changes_something(&self, hash: &[u8], policy: ExposurePolicy) -> bool {
        self.exposed_hash.as_deref() != Some(hash)
            || match policy {
                ExposurePolicy::RevokeSecret => !self.current || !self.revoked,
                ExposurePolicy::DisableToken => self.enabled,
                ExposurePolicy::NotifyOnly => false,
            }
    }
}

/// The token a write acted on.
#[derive(FromRow)]
struct Acted {
    name: String,
}

/// Handles `report` at `now` (Unix seconds). An unknown secret costs one indexed read and
/// no write; a known one is acted on by one conditional `UPDATE` that checks again, under
/// the row's lock, that the secret is still the token's and the report still changes
/// something: two reports at once (on two instances), or a Reset or Delete meanwhile, end
/// with one action at most, on the right secret.
pub async fn report(pool: &Db, report: Report<'_>, now: i64) -> Result<Finding, AppError> {
    let hash = &report.hash[..];
    let probed = query(
        "SELECT t.id, t.account_id, t.sid, t.secret_hash = $1 AS current, t.enabled,
                t.secret_revoked_at IS NOT NULL AS revoked, t.exposed_hash, a.exposure_policy
         FROM tokens t JOIN accounts a ON a.id = t.account_id
         WHERE (t.secret_hash = $1 OR (t.old_secret_hash = $1 AND t.old_secret_until > $2))
               AND t.deleted_at IS NULL",
    )
    .bind(hash)
    .bind(now)
    .fetch_optional::<Probed>(pool)
    .await?;
    let Some(token) = probed else {
        return Ok(Finding::Unknown);
    };
    let unchanged = Finding::Known {
        newly: false,
        sid: token.sid.clone(),
    };
    let policy = ExposurePolicy::from_id(&token.exposure_policy).unwrap_or_default();
    if !token.changes_something(hash, policy) {
        return Ok(unchanged);
    }
    let mut tx = pool.begin_write().await?;
    let policy = self::policy(&mut tx, token.account_id).await?;
    let Some(acted) = apply(&mut tx, token.id, &report, (policy, now)).await? else {
        return Ok(unchanged);
    };
    let at = crate::domain::expiration::format_instant(now);
    let reporter = report.reporter.label();
    let detail = AuditDetail {
        facts: [
            Some(("Reported by".to_string(), reporter.clone())),
            report
                .url
                .map(|url| ("Found at".to_string(), url.to_string())),
            Some(("Done".to_string(), policy.outcome().to_string())),
        ]
        .into_iter()
        .flatten()
        .collect(),
        ..AuditDetail::default()
    };
    let mut recipients = super::token_changes::recipients(&mut tx, token.id).await?;
    recipients.extend(administrators(&mut tx, token.account_id).await?);
    let about = Exposed {
        token_name: &acted.name,
        sid: &token.sid,
        reporter: &reporter,
        // Anyone can send a public report, with any URL: the mail leaves it out.
        url: report.url.filter(|_| report.reporter.is_verified()),
        at: &at,
        outcome: policy.outcome(),
    };
    let messages = notice::exposed(about, recipients);
    let change = RecordedChange {
        account_id: token.account_id,
        token_id: token.id,
        actor_id: None,
        action: AuditAction::Exposed,
        detail: &detail,
        at: now,
        messages: &messages,
    };
    record_change(&mut tx, change).await?;
    tx.announce_change();
    tx.commit().await?;
    Ok(Finding::Known {
        newly: true,
        sid: token.sid,
    })
}

/// Records the exposure on the token and does what `policy` says to the secret reported:
/// **Revoke the secret at once** marks the current secret revoked (or ends the overlap when
/// the old secret was reported), **Disable the token** disables it. Only if, as the row is
/// written, the secret is still the token's and the report changes something (the same
/// test as [`Probed::changes_something`]); the token's name when it did.
async fn apply(
    tx: &mut Tx,
    token_id: i64,
    report: &Report<'_>,
    (policy, now): (ExposurePolicy, i64),
) -> Result<Option<Acted>, AppError> {
    Ok(query(
        "UPDATE tokens SET
             secret_revoked_at = CASE WHEN $6 = 'revoke' AND secret_hash = $4
                                      THEN COALESCE(secret_revoked_at, $1)
                                      ELSE secret_revoked_at END,
             old_secret_hash = CASE WHEN $6 = 'revoke' AND secret_hash <> $4 THEN NULL
                                    ELSE old_secret_hash END,
             old_secret_until = CASE WHEN $6 = 'revoke' AND secret_hash <> $4 THEN NULL
                                     ELSE old_secret_until END,
             enabled = CASE WHEN $6 = 'disable' THEN FALSE ELSE enabled END,
             exposed_at = $1, exposed_url = $2, exposed_by = $3, exposed_hash = $4,
             version = version + 1, updated_at = $1
         WHERE id = $5 AND deleted_at IS NULL
               AND (secret_hash = $4 OR (old_secret_hash = $4 AND old_secret_until > $1))
               AND (exposed_hash IS NULL OR exposed_hash <> $4
                    OR ($6 = 'revoke' AND (secret_hash <> $4 OR secret_revoked_at IS NULL))
                    OR ($6 = 'disable' AND enabled = TRUE))
         RETURNING name",
    )
    .bind(now)
    .bind(report.url)
    .bind(report.reporter.stored())
    .bind(&report.hash[..])
    .bind(token_id)
    .bind(policy.id())
    .fetch_optional::<Acted>(&mut *tx)
    .await?)
}

/// The emails of the account's active Account Administrators.
async fn administrators(tx: &mut Tx, account_id: i64) -> Result<Vec<String>, AppError> {
    Ok(query(
        "SELECT email FROM users
         WHERE account_id = $1 AND role = 'account_admin' AND disabled_at IS NULL
         ORDER BY id",
    )
    .bind(account_id)
    .scalars(&mut *tx)
    .await?)
}

/// The account's **When a token is exposed**.
pub async fn policy<'e>(
    db: impl Into<super::engine::Conn<'e>>,
    account_id: i64,
) -> Result<ExposurePolicy, AppError> {
    let id: String = query("SELECT exposure_policy FROM accounts WHERE id = $1")
        .bind(account_id)
        .scalar(db)
        .await?;
    Ok(ExposurePolicy::from_id(&id).unwrap_or_default())
}

/// Sets the account's **When a token is exposed** for `actor_id`, audited in the same
/// transaction; whether it changed.
pub async fn set_policy(
    pool: &Db,
    (account_id, actor_id): (i64, i64),
    policy: ExposurePolicy,
    now: i64,
) -> Result<bool, AppError> {
    use super::audit::{self, AuditEvent};
    let actor = (account_id, actor_id);
    let mut tx =
        super::standing::begin_as(pool, actor, crate::domain::Permission::SetTokenPolicy).await?;
    let current = self::policy(&mut tx, account_id).await?;
    if current == policy {
        return Ok(false);
    }
    query("UPDATE accounts SET exposure_policy = $1 WHERE id = $2")
        .bind(policy.id())
        .bind(account_id)
        .execute(&mut tx)
        .await?;
    let mut detail = AuditDetail::default();
    detail.compare("When a token is exposed", current.label(), policy.label());
    let event = AuditEvent {
        account_id,
        token_id: None,
        actor_id: Some(actor_id),
        action: AuditAction::TokenPolicyChanged,
        detail: &detail,
        at: now,
    };
    audit::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(true)
}

/// The account's exposed tokens, most recently reported first: `(sid, name, exposed_at,
/// exposed_url, exposed_by)`, at most `limit`.
pub async fn exposed_tokens(
    pool: &Db,
    account_id: i64,
    limit: u32,
) -> Result<Vec<ExposedToken>, AppError> {
    Ok(query(
        "SELECT sid, name, exposed_at, exposed_url, exposed_by FROM tokens
         WHERE account_id = $1 AND exposed_at IS NOT NULL AND deleted_at IS NULL
         ORDER BY exposed_at DESC, id DESC
         LIMIT $2",
    )
    .bind(account_id)
    .bind(i64::from(limit))
    .fetch_all::<ExposedToken>(pool)
    .await?)
}

/// An exposed token, for the home page.
#[derive(Debug, Clone, FromRow)]
pub struct ExposedToken {
    pub sid: String,
    pub name: String,
    pub exposed_at: Option<i64>,
    pub exposed_url: Option<String>,
    pub exposed_by: Option<String>,
}
