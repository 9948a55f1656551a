//! Access tokens: creation (with scopes, contacts, audit event and notifications in one
//! transaction); the list of an account's tokens is [`list`].

use super::engine::{query, Db, Tx};
use super::token_record::{record_change, RecordedChange};
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::notice::{self, TokenEvent};
use crate::domain::token_filter::fold_name;
use crate::domain::token_request::TokenCreation;
use crate::domain::wizard::{Field, FieldError, NewToken, Problem};
use crate::domain::TokenSid;
use crate::domain::{Actor, Role};
use crate::error::AppError;

mod list;
pub use list::{
    count, count_each, count_each_sql, count_sql, list_page, page_sql, ListFilter, TokenCardRow,
};

/// What is stored of a new token's credentials: never the secret itself.
pub struct StoredCredentials<'a> {
    /// The public SID.
    pub sid: &'a TokenSid,
    /// SHA-256 of the secret.
    pub secret_hash: &'a [u8],
    /// The secret's last four characters.
    pub secret_last4: &'a str,
}

/// Stores a new token made by `actor` and everything that goes with it: its scopes and
/// developer emails, its audit event, and the messages to its contacts. A taken name is a
/// field conflict; a contact who isn't an active user of the account, a validation error.
/// With **Token creation: Needs approval**, only an Account Administrator creates directly.
pub async fn create(
    pool: &Db,
    actor: &Actor,
    token: &NewToken,
    credentials: StoredCredentials<'_>,
    now: i64,
) -> Result<i64, AppError> {
    let mut tx = super::standing::begin_as(
        pool,
        (actor.account_id, actor.user_id),
        crate::domain::Permission::ManageTokens,
    )
    .await?;
    let creation = super::accounts::token_creation(&mut tx, actor.account_id).await?;
    if creation == TokenCreation::NeedsApproval && actor.role != Role::AccountAdmin {
        return Err(AppError::Refused(
            "This account's tokens need an Account Administrator's approval: request one \
             instead."
                .to_string(),
        ));
    }
    let token_id = create_in(&mut tx, actor, token, credentials, now, Vec::new()).await?;
    tx.commit().await?;
    Ok(token_id)
}

/// Stores a new token inside `tx` (its actor already checked), with `facts` in its
/// "Created" event.
pub(super) async fn create_in(
    tx: &mut Tx,
    actor: &Actor,
    token: &NewToken,
    credentials: StoredCredentials<'_>,
    now: i64,
    facts: Vec<(String, String)>,
) -> Result<i64, AppError> {
    let (account_id, actor_id) = (actor.account_id, actor.user_id);
    let (contact_email, expires_at) = check_new(tx, account_id, token, now).await?;
    let new_row = (account_id, actor_id, expires_at, now);
    let token_id = insert(&mut *tx, token, &credentials, new_row).await?;
    let detail = AuditDetail {
        scopes_added: token.scopes.iter().map(|s| s.to_string()).collect(),
        facts,
        ..AuditDetail::default()
    };
    let about = TokenEvent {
        token_name: token.name.as_str(),
        sid: credentials.sid.as_str(),
        action: AuditAction::Created,
        detail: &detail,
    };
    let recipients =
        std::iter::once(contact_email).chain(token.developer_emails.iter().map(|e| e.to_string()));
    let messages = notice::messages(about, actor, recipients);
    let change = RecordedChange {
        account_id,
        token_id,
        actor_id: Some(actor_id),
        action: AuditAction::Created,
        detail: &detail,
        at: now,
        messages: &messages,
    };
    record_change(tx, change).await?;
    Ok(token_id)
}

/// Checks a new token against what is stored, inside the transaction that stores it (or
/// its request): its contact an active user of the account (their email returned), its
/// name free, its expiration within the account's policy (resolved at `now`), its limits
/// within the account's ceilings.
pub(super) async fn check_new(
    tx: &mut Tx,
    account_id: i64,
    token: &NewToken,
    now: i64,
) -> Result<(String, Option<i64>), AppError> {
    let (_, contact_email) =
        super::users::contact_in_account(&mut *tx, account_id, token.primary_contact).await?;
    // Inside the write transaction nobody else can take the name between check and insert;
    // the unique index stays as the last line of defence.
    name_free(&mut *tx, account_id, None, token.name.as_str()).await?;
    // The policy read in the transaction that stores the token: a policy change can't
    // slip in between.
    let policy = super::accounts::token_policy(&mut *tx, account_id).await?;
    let expires_at = token.expiration.resolve(now, policy).map_err(|problem| {
        AppError::Validation(vec![FieldError {
            field: Field::Expiration,
            problem: Problem::Expiration(problem),
        }])
    })?;
    super::limits_policy::check(&mut *tx, account_id, &token.limits).await?;
    Ok((contact_email, expires_at))
}

/// The token's rows: the token, its scopes and its developer emails.
async fn insert(
    tx: &mut Tx,
    token: &NewToken,
    credentials: &StoredCredentials<'_>,
    (account_id, actor_id, expires_at, now): (i64, i64, Option<i64>, i64),
) -> Result<i64, AppError> {
    let token_id: i64 = query(
        "INSERT INTO tokens (account_id, sid, name, description, api_version, secret_hash,
                             secret_last4, primary_contact_id, created_by, created_at, updated_at,
                             secret_issued_at, name_folded, expires_at, allowed_ips,
                             rate_requests, rate_per, quota_calls, quota_refill, quota_since)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                 $16, $17, $18, $19, $20)
         RETURNING id",
    )
    .bind(account_id)
    .bind(credentials.sid.as_str())
    .bind(token.name.as_str())
    .bind(token.description.as_str())
    .bind(i64::from(token.api_version.get()))
    .bind(credentials.secret_hash)
    .bind(credentials.secret_last4)
    .bind(token.primary_contact)
    .bind(actor_id)
    .bind(now)
    .bind(now)
    .bind(now)
    .bind(fold_name(token.name.as_str()))
    .bind(expires_at)
    .bind(token.allowed_ips.to_stored())
    .bind(token.limits.rate.map(|r| i64::from(r.requests)))
    .bind(token.limits.rate.map(|r| r.per.id()))
    .bind(token.limits.quota.map(|q| q.calls as i64))
    .bind(token.limits.quota.map(|q| q.refill.id()))
    .bind(token.limits.quota.map(|_| now))
    .scalar(&mut *tx)
    .await
    .map_err(name_race)?;
    for scope in token.scopes.iter() {
        query("INSERT INTO token_scopes (token_id, scope) VALUES ($1, $2)")
            .bind(token_id)
            .bind(scope.to_string())
            .execute(&mut *tx)
            .await?;
    }
    for (position, email) in token.developer_emails.iter().enumerate() {
        query("INSERT INTO token_developer_emails (token_id, position, email) VALUES ($1, $2, $3)")
            .bind(token_id)
            .bind(position as i64)
            .bind(email.as_str())
            .execute(&mut *tx)
            .await?;
    }
    Ok(token_id)
}

/// A field conflict on **Token Name** unless no other live token of the account (but
/// `except`) has `name`, whatever its case.
pub(super) async fn name_free(
    tx: &mut Tx,
    account_id: i64,
    except: Option<i64>,
    name: &str,
) -> Result<(), AppError> {
    let same = tx.engine().same_text("name", "$2");
    let taken: Option<i64> = query(format!(
        "SELECT id FROM tokens WHERE account_id = $1 AND {same}
         AND deleted_at IS NULL AND id <> $3"
    ))
    .bind(account_id)
    .bind(name)
    .bind(except.unwrap_or(-1))
    .scalar_optional(&mut *tx)
    .await?;
    match taken {
        Some(_) => Err(name_taken()),
        None => Ok(()),
    }
}

/// A write that lost a race for a name to another (only possible where writers don't
/// queue, as on PostgreSQL): the unique index says no, and the user hears why.
pub(super) fn name_race(error: sqlx::Error) -> AppError {
    match AppError::from(error) {
        AppError::Conflict(_) => name_taken(),
        other => other,
    }
}

/// **Token Name** is taken.
pub(super) fn name_taken() -> AppError {
    AppError::FieldConflict(vec![FieldError {
        field: Field::TokenName,
        problem: Problem::NameTaken,
    }])
}

/// Fills in `name_folded` for tokens written before it existed (run after migrating).
pub async fn fold_old_names(pool: &Db) -> Result<u64, sqlx::Error> {
    let rows = query("SELECT id, name FROM tokens WHERE name_folded IS NULL")
        .fetch_all::<(i64, String)>(pool)
        .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut tx = pool.begin_write().await?;
    for (id, name) in &rows {
        query("UPDATE tokens SET name_folded = $1 WHERE id = $2 AND name_folded IS NULL")
            .bind(fold_name(name))
            .bind(*id)
            .execute(&mut tx)
            .await?;
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}
