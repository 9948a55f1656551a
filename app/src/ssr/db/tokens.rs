//! Access tokens: creation (with scopes, contacts, audit event and notifications in one
//! transaction) and the list of an account's tokens, filtered and paged in SQL.

use super::engine::{query, Db, Query, Tx};
use super::token_record::{record_change, RecordedChange};
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::notice::{self, TokenEvent};
use crate::domain::token_filter::{fold_name, TokenFilter};
use crate::domain::token_request::TokenCreation;
use crate::domain::wizard::{Field, FieldError, NewToken, Problem};
use crate::domain::TokenSid;
use crate::domain::{Actor, Role};
use crate::error::AppError;
use sqlx::FromRow;

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

/// A token as the list shows it.
#[derive(Debug, Clone, FromRow)]
pub struct TokenCardRow {
    pub sid: String,
    pub name: String,
    pub description: String,
    pub api_version: i64,
    /// Enabled or disabled.
    pub enabled: bool,
    /// How many scopes.
    pub scope_count: i64,
    /// Primary contact's name.
    pub contact_name: String,
    /// Primary contact's email.
    pub contact_email: String,
    /// Creator's name.
    pub created_by: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds, if ever used.
    pub last_used_at: Option<i64>,
    /// When it expires, Unix seconds; `None`: never.
    pub expires_at: Option<i64>,
    /// When a secret of it was reported exposed (until a Reset).
    pub exposed_at: Option<i64>,
    /// Where, as the report said.
    pub exposed_url: Option<String>,
    /// Who reported it (`github:<source>` or `report`).
    pub exposed_by: Option<String>,
}

/// What the list filters on, ready for SQL.
#[derive(Debug, Clone)]
pub struct ListFilter {
    /// What `name_folded` must contain, escaped for `LIKE` (see [`TokenFilter::like_infix`]).
    pub infix: String,
    /// Created at or after (Unix seconds).
    pub from: Option<i64>,
    /// Created before (Unix seconds).
    pub until: Option<i64>,
    /// Only tokens in this state (`enabled`, `disabled`, `expired`, `exposed`,
    /// `near_quota`, `expiring`, `unused`, `contact_disabled`).
    pub state: Option<&'static str>,
    /// The time expiry is judged at.
    pub now: i64,
}

impl ListFilter {
    /// The filters as of `now`.
    pub fn new(filter: &TokenFilter, now: i64) -> Self {
        let (from, until) = filter.created.range(now);
        Self {
            infix: filter.like_infix(),
            from,
            until,
            state: filter.state.matches(),
            now,
        }
    }
}

/// Each state of the list's **State** filter as SQL over `tokens t` (`$1` the account,
/// `$6` the time it is judged at): the list and home's counts use these same conditions.
const STATES: [(&str, &str); 8] = [
    (
        "enabled",
        "t.enabled = TRUE AND (t.expires_at IS NULL OR t.expires_at > $6)",
    ),
    (
        "disabled",
        "t.enabled = FALSE AND (t.expires_at IS NULL OR t.expires_at > $6)",
    ),
    ("expired", "t.expires_at <= $6"),
    ("exposed", "t.exposed_at IS NOT NULL"),
    ("near_quota", "t.quota_near_until > $6"),
    (
        "expiring",
        "t.expires_at > $6 AND t.expires_at <= $6 + 604800",
    ),
    (
        "unused",
        "(t.expires_at IS NULL OR t.expires_at > $6)
         AND COALESCE(t.last_used_at, t.created_at) <= $6 - 2592000",
    ),
    // The account's disabled users, found once, not looked up token by token.
    (
        "contact_disabled",
        "t.primary_contact_id IN
         (SELECT c.id FROM users c WHERE c.account_id = $1 AND c.disabled_at IS NOT NULL)",
    ),
];

/// The condition of `state` (one of [`ListFilter::state`]'s).
fn state_sql(state: &str) -> &'static str {
    STATES
        .iter()
        .find(|(id, _)| *id == state)
        .map_or("FALSE", |(_, condition)| condition)
}

/// The filter as SQL over `tokens t`, parameters `$2`–`$6` (`$1` is the account). The
/// pattern is an expression, not a bare parameter: SQLite re-prepares a statement whose
/// `LIKE` has a parameter on its right at every new value (for its LIKE optimisation), which
/// cost the API page 8 % of its CPU. An empty pattern and no state skip their tests.
fn matches_sql() -> String {
    let states: String = STATES
        .iter()
        .map(|(id, condition)| format!(" OR ($5 = '{id}' AND {condition})"))
        .collect();
    format!(
        "($2 = '' OR t.name_folded LIKE ('%' || $2 || '%') ESCAPE '\\')
         AND ($3 IS NULL OR t.created_at >= $3)
         AND ($4 IS NULL OR t.created_at < $4)
         AND ($5 IS NULL{states})"
    )
}

fn filtered(sql: String, account_id: i64, filter: &ListFilter) -> Query {
    query(sql)
        .bind(account_id)
        .bind(filter.infix.as_str())
        .bind(filter.from)
        .bind(filter.until)
        .bind(filter.state)
        .bind(filter.now)
}

/// [`count`]'s statement: `$1` the account, `$2`–`$6` the filter.
pub fn count_sql() -> String {
    let matches = matches_sql();
    format!(
        "SELECT COUNT(*) AS live,
                COALESCE(SUM(CASE WHEN {matches} THEN 1 ELSE 0 END), 0) AS matching
         FROM tokens t
         WHERE t.account_id = $1 AND t.deleted_at IS NULL"
    )
}

/// [`count_each`]'s statement for `states`: one pass over the account's tokens summing
/// each state's count with the list's own condition; `$1` the account, `$2` the time.
pub fn count_each_sql(states: &[&'static str]) -> String {
    let sums: Vec<String> = states
        .iter()
        .map(|state| {
            let condition = state_sql(state).replace("$6", "$2");
            format!("COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)")
        })
        .collect();
    format!(
        "SELECT {} FROM tokens t WHERE t.account_id = $1 AND t.deleted_at IS NULL",
        sums.join(", ")
    )
}

/// How many of the account's live tokens are in each of `states` (from the closed set of
/// [`ListFilter::state`]) as of `now`: what [`count`] says of each, in one pass.
pub async fn count_each(
    pool: &Db,
    account_id: i64,
    states: [&'static str; 4],
    now: i64,
) -> Result<[u64; 4], AppError> {
    let (a, b, c, d): (i64, i64, i64, i64) = query(count_each_sql(&states))
        .bind(account_id)
        .bind(now)
        .fetch_one(pool)
        .await?;
    Ok([a, b, c, d].map(|n| n.max(0) as u64))
}

/// [`list_page`]'s statement: `$1` the account, `$2`–`$6` the filter, `$7` and `$8` the
/// limit and offset. The page's ids come from the index alone (however deep the page),
/// then only those rows are read and joined.
pub fn page_sql() -> String {
    let matches = matches_sql();
    format!(
        "SELECT t.sid, t.name, t.description, t.api_version, t.enabled,
                (SELECT COUNT(*) FROM token_scopes s WHERE s.token_id = t.id) AS scope_count,
                c.name AS contact_name, c.email AS contact_email,
                CASE WHEN u.disabled_at IS NULL THEN u.name ELSE u.name || ' (disabled)' END
                    AS created_by,
                t.created_at, t.last_used_at, t.expires_at,
                t.exposed_at, t.exposed_url, t.exposed_by
         FROM (SELECT t.id FROM tokens t
               WHERE t.account_id = $1 AND t.deleted_at IS NULL AND {matches}
               ORDER BY t.created_at DESC, t.id DESC
               LIMIT $7 OFFSET $8) page
         JOIN tokens t ON t.id = page.id
         JOIN users c ON c.id = t.primary_contact_id
         JOIN users u ON u.id = t.created_by
         ORDER BY t.created_at DESC, t.id DESC"
    )
}

/// How many live tokens the account has, and how many of them pass `filter`.
pub async fn count(
    pool: &Db,
    account_id: i64,
    filter: &ListFilter,
) -> Result<(u64, u64), AppError> {
    let (live, matching): (i64, i64) = filtered(count_sql(), account_id, filter)
        .fetch_one::<(i64, i64)>(pool)
        .await?;
    Ok((live.max(0) as u64, matching.max(0) as u64))
}

/// One page of the account's live tokens that pass `filter`, newest first.
pub async fn list_page(
    pool: &Db,
    account_id: i64,
    filter: &ListFilter,
    offset: u64,
    limit: u32,
) -> Result<Vec<TokenCardRow>, AppError> {
    Ok(filtered(page_sql(), account_id, filter)
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all::<TokenCardRow>(pool)
        .await?)
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
