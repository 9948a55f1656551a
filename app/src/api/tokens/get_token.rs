//! One token for its detail page: everything but the secret, with its history and outbox.

use super::Contact;
use crate::domain::catalog::CATEGORIES;
use crate::domain::expiration::Expiration;
use crate::domain::paging::Page;
use crate::domain::wizard::{Draft, Step};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// A token as its detail page shows it. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenDetail {
    pub sid: String,
    pub name: String,
    pub description: String,
    pub api_version: u8,
    /// Enabled or disabled.
    pub enabled: bool,
    /// The revision every change must name (optimistic concurrency).
    pub version: i64,
    /// Primary contact's user id.
    pub primary_contact_id: i64,
    /// "name <email>".
    pub primary_contact: String,
    pub developer_emails: Vec<String>,
    /// Scope ids, sorted.
    pub scopes: Vec<String>,
    /// Who created it.
    pub created_by: String,
    /// When, as shown.
    pub created_at: String,
    /// Last change, as shown.
    pub updated_at: String,
    /// When last used, as shown; `None`: never.
    pub last_used_at: Option<String>,
    /// `tsm_…` and the secret's last four characters.
    pub secret_hint: String,
    /// When it expires, Unix seconds; `None`: never.
    pub expires_at: Option<i64>,
    /// When it expires, as of the answer.
    pub expiry: super::Expiry,
    /// The preset a duplicate starts from (`None`: it was made with a date).
    pub lifetime: Option<Expiration>,
    /// Allowed IP addresses (empty: anywhere).
    pub allowed_ips: Vec<String>,
    /// Its rate limit and quota.
    pub limits: crate::domain::limits::Limits,
    /// Its quota's use in the window now (`None`: no quota).
    pub quota_use: Option<crate::domain::limits::QuotaUse>,
    /// The budget it draws on: `(id, name)`.
    pub budget: Option<(i64, String)>,
    /// The account's budgets it could draw on: `(id, name)`, by name.
    pub budgets: Vec<(i64, String)>,
    /// The account's token policy (what **Renew** may offer).
    pub token_policy: crate::domain::expiration::TokenPolicy,
    /// When the old secret of a Reset's overlap stops, while it still works.
    pub old_secret_until: Option<super::Expiry>,
    /// Whether its current secret was revoked (by its holder, or when it was exposed).
    pub secret_revoked: bool,
    /// A secret of it reported exposed (until a Reset).
    pub exposure: Option<super::Exposure>,
    /// The account's users, for the **Primary Contact** drop-down.
    pub contacts: Vec<Contact>,
    /// One page of the audit history, newest first.
    pub history: Vec<HistoryEntry>,
    /// Which page of the history that is.
    pub history_page: Page,
    /// One page of the messages to the contacts, newest first.
    pub outbox: Vec<OutboxEntry>,
    /// Which page of the outbox that is.
    pub outbox_page: Page,
    /// Its use of the sandbox API over the last 30 days.
    pub usage: crate::domain::usage::TokenUsage,
}

/// One audit event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// When, as shown.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What, as a short sentence.
    pub summary: String,
    /// Before and after, scopes added and removed.
    pub details: Vec<String>,
}

/// One message to a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub recipient: String,
    pub subject: String,
    /// When queued, as shown.
    pub queued_at: String,
    /// Delivery state in words.
    pub status: String,
}

impl TokenDetail {
    /// The date its expiry was picked as, where the browser is (the end of that day is the
    /// expiry); the default lifetime if it ends within a day or has ended.
    fn picked_date(&self) -> Expiration {
        use crate::domain::expiration::DAY;
        let Some(at) = self.expires_at else {
            return Expiration::default();
        };
        #[cfg(feature = "hydrate")]
        {
            let now = (js_sys::Date::now() / 1000.0) as i64;
            if at <= now + DAY {
                return Expiration::default();
            }
            let millis = |s: i64| wasm_bindgen::JsValue::from_f64((s * 1000) as f64);
            let last_second = js_sys::Date::new(&millis(at - 1));
            Expiration::OnDate {
                date: format!(
                    "{:04}-{:02}-{:02}",
                    last_second.get_full_year(),
                    last_second.get_month() + 1,
                    last_second.get_date()
                ),
                utc_offset_minutes: js_sys::Date::new(&millis(at)).get_timezone_offset() as i32,
            }
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (at, DAY);
            Expiration::default()
        }
    }

    /// The token as a wizard draft: what the editors start from, and what **Duplicate**
    /// pre-fills (with the name left for the user).
    pub fn draft(&self) -> Draft {
        let open_categories = CATEGORIES
            .iter()
            .filter(|c| {
                let prefix = format!("{}:", c.id);
                self.scopes.iter().any(|s| s.starts_with(&prefix))
            })
            .map(|c| c.id.to_string())
            .collect();
        Draft {
            step: Step::Setup,
            name: self.name.clone(),
            description: self.description.clone(),
            api_version: self.api_version,
            primary_contact: Some(self.primary_contact_id),
            developer_emails: self.developer_emails.clone(),
            scopes: self.scopes.iter().cloned().collect(),
            open_categories,
            expiration: self.lifetime.clone().unwrap_or_else(|| self.picked_date()),
            allowed_ips: self.allowed_ips.join("\n"),
            limits: self.limits.form(),
        }
    }
}

/// The live token `sid` of the caller's account (any other SID is `NotFound`), with page
/// `history_page` of its history and `outbox_page` of its outbox (past the end: the last).
#[server(endpoint = "get_token", input = Json)]
pub async fn get_token(
    sid: String,
    #[server(default)] history_page: u32,
    #[server(default)] outbox_page: u32,
) -> Result<TokenDetail, AppError> {
    use crate::domain::ip_allowlist::IpAllowlist;
    use crate::domain::{Permission, TokenSid};
    use crate::ssr::db::token_detail;
    use crate::ssr::{auth, display_time};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ViewApiSettings).await?;
        let sid = TokenSid::parse(&sid).map_err(|_| AppError::NotFound)?;
        let pool = &state.pool;
        let found = token_detail::find(pool, user.account_id, &sid).await?;
        let token = found.ok_or(AppError::NotFound)?;
        let (history, history_page) = history(pool, token.id, history_page).await?;
        let mail = state.outbox.mail_configured();
        let (outbox, outbox_page) = outbox(pool, token.id, outbox_page, mail).await?;
        let now = crate::ssr::now();
        let scopes = token_detail::scopes(pool, token.id).await?;
        let usage = usage(pool, &token, &scopes, now).await?;
        let limits = token.limits();
        let quota_use = quota_use(pool, &token, now).await?;
        let budgets = crate::ssr::db::budgets::list(pool, user.account_id)
            .await?
            .into_iter()
            .map(|b| (b.id, b.name))
            .collect();
        Ok(TokenDetail {
            limits,
            quota_use,
            budget: token.budget_id.zip(token.budget_name.clone()),
            budgets,
            usage,
            expiry: super::Expiry::new(token.expires_at, now),
            lifetime: Expiration::lifetime_of(token.created_at, token.expires_at),
            expires_at: token.expires_at,
            allowed_ips: IpAllowlist::from_stored(&token.allowed_ips).entries(),
            token_policy: user.token_policy,
            old_secret_until: token
                .old_secret_until
                .filter(|until| *until > now)
                .map(|until| super::Expiry::new(Some(until), now)),
            secret_revoked: token.secret_revoked_at.is_some(),
            exposure: super::Exposure::new(
                token.exposed_at,
                token.exposed_url.clone(),
                token.exposed_by.as_deref(),
            ),
            scopes,
            developer_emails: token_detail::developer_emails(pool, token.id).await?,
            sid: token.sid,
            name: token.name,
            description: token.description,
            api_version: u8::try_from(token.api_version).unwrap_or_default(),
            enabled: token.enabled,
            version: token.version,
            primary_contact_id: token.primary_contact_id,
            primary_contact: crate::domain::contact_label(
                &token.contact_name,
                &token.contact_email,
            ),
            created_by: token.created_by,
            created_at: display_time(token.created_at),
            updated_at: display_time(token.updated_at),
            last_used_at: token.last_used_at.map(display_time),
            secret_hint: format!("tsm_…{}", token.secret_last4),
            contacts: super::list_contacts::account_contacts(pool, user.account_id).await?,
            history,
            history_page,
            outbox,
            outbox_page,
        })
    })
    .await
}

/// Page `page` of the token's history, and where it is.
#[cfg(feature = "ssr")]
async fn history(
    pool: &crate::ssr::db::Db,
    token_id: i64,
    page: u32,
) -> Result<(Vec<HistoryEntry>, Page), AppError> {
    use crate::domain::activity::actor_label;
    use crate::domain::audit::{AuditAction, AuditDetail};
    use crate::domain::paging::PAGE_SIZE;
    use crate::ssr::db::audit;
    let page = Page::clamp(page, audit::count_for_token(pool, token_id).await?);
    let entries = audit::for_token(pool, token_id, page.offset(), PAGE_SIZE)
        .await?
        .into_iter()
        .map(|row| {
            let detail: AuditDetail = serde_json::from_str(&row.detail).unwrap_or_default();
            HistoryEntry {
                at: crate::ssr::display_time(row.created_at),
                actor: match AuditAction::from_id(&row.action) {
                    Some(action) => actor_label(action, row.actor.as_deref()),
                    None => row.actor.unwrap_or_default(),
                },
                summary: AuditAction::from_id(&row.action)
                    .map_or_else(|| row.action.clone(), |a| a.summary().to_string()),
                details: detail.lines(),
            }
        })
        .collect();
    Ok((entries, page))
}

/// Page `page` of the token's outbox, and where it is.
#[cfg(feature = "ssr")]
async fn outbox(
    pool: &crate::ssr::db::Db,
    token_id: i64,
    page: u32,
    mail_configured: bool,
) -> Result<(Vec<OutboxEntry>, Page), AppError> {
    use crate::domain::paging::PAGE_SIZE;
    use crate::ssr::db::outbox;
    let page = Page::clamp(page, outbox::count_for_token(pool, token_id).await?);
    let entries = outbox::for_token(pool, token_id, page.offset(), PAGE_SIZE)
        .await?
        .into_iter()
        .map(|row| OutboxEntry {
            status: delivery_status(&row, mail_configured),
            recipient: row.recipient,
            subject: row.subject,
            queued_at: crate::ssr::display_time(row.created_at),
        })
        .collect();
    Ok((entries, page))
}

/// The token's calls over the last days, by day and scope, and who called last.
#[cfg(feature = "ssr")]
async fn usage(
    pool: &crate::ssr::db::Db,
    token: &crate::ssr::db::token_detail::TokenRow,
    scopes: &[String],
    now: i64,
) -> Result<crate::domain::usage::TokenUsage, AppError> {
    use crate::domain::usage::{day_of, TokenUsage, USAGE_DAYS};
    use crate::ssr::db::usage;
    let today = day_of(now);
    let counts = usage::for_token(pool, token.id, today - (USAGE_DAYS - 1)).await?;
    let (address, user_agent) = usage::last_caller(pool, token.id).await?;
    let created_day = day_of(token.created_at);
    Ok(TokenUsage::from_counts(
        today,
        created_day,
        &counts,
        scopes,
        address,
        user_agent,
    ))
}

/// The token's quota's use in the window `now` falls in.
#[cfg(feature = "ssr")]
async fn quota_use(
    pool: &crate::ssr::db::Db,
    token: &crate::ssr::db::token_detail::TokenRow,
    now: i64,
) -> Result<Option<crate::domain::limits::QuotaUse>, AppError> {
    use crate::ssr::db::quota::{self, WindowKey};
    let Some(quota) = token.limits().quota else {
        return Ok(None);
    };
    let window = quota.window(now, token.quota_since.unwrap_or(token.created_at));
    let key = WindowKey {
        owner: token.id,
        start: window.start,
    };
    Ok(Some(crate::domain::limits::QuotaUse {
        quota,
        spent: quota::spent(pool, key).await?,
        refills_at: window.end,
    }))
}

/// A message's delivery state in words.
#[cfg(feature = "ssr")]
fn delivery_status(row: &crate::ssr::db::outbox::OutboxRow, mail_configured: bool) -> String {
    use crate::domain::OutboxState;
    use crate::ssr::display_time;
    let error = row.last_error.as_deref().unwrap_or("unknown error");
    match OutboxState::parse(&row.state) {
        Some(OutboxState::Sent) => {
            format!("Sent {}", row.sent_at.map(display_time).unwrap_or_default())
        }
        Some(OutboxState::Failed) => format!("Failed after {} attempts: {error}", row.attempts),
        Some(OutboxState::Expired) => format!(
            "Expired: {}",
            row.last_error.as_deref().unwrap_or("too old to send")
        ),
        Some(OutboxState::Sending) => format!("Sending (attempt {})", row.attempts),
        Some(OutboxState::Held) => format!("Held back: {error}"),
        Some(OutboxState::Summarised) => format!("Not sent on its own: {error}"),
        Some(OutboxState::Dropped) => format!("Dropped: {error}"),
        Some(OutboxState::Queued) | None if !mail_configured => {
            "Not sent: no mail server configured".to_string()
        }
        _ if row.attempts > 0 => format!("Queued, retrying ({} attempts): {error}", row.attempts),
        _ => "Queued".to_string(),
    }
}
