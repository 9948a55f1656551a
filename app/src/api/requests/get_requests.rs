//! The **Requests** page: an Account Administrator sees every request of the account, an
//! Implementation Specialist their own; a request shows everything its wizard collected,
//! write and delete scopes marked, and what the caller may do to it.

use crate::domain::limits::LimitsForm;
use crate::domain::token_request::{RequestState, TokenCreation};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One line of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLine {
    pub id: i64,
    /// The token asked for.
    pub name: String,
    pub state: RequestState,
    pub requester: String,
    /// Unix seconds.
    pub requested_at: i64,
    /// Unix seconds; `None` while pending.
    pub decided_at: Option<i64>,
}

/// What the list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestList {
    /// Newest first.
    pub requests: Vec<RequestLine>,
    /// Pending ones (the API page's badge), of those the caller sees.
    pub pending: i64,
    /// Whether the caller decides requests (Account Administrators).
    pub can_decide: bool,
    /// The account's **Token creation**.
    pub creation: TokenCreation,
}

/// A scope asked for, as the request shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestedScope {
    /// `category:method`.
    pub id: String,
    /// "Reports: GET".
    pub label: String,
    /// It writes (POST, PUT, PATCH).
    pub writes: bool,
    /// It deletes.
    pub deletes: bool,
}

/// One request, in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDetail {
    pub line: RequestLine,
    pub reason: String,
    /// What the wizard collected, as (label, value) rows in the review's order.
    pub asked: Vec<(String, String)>,
    /// Its **Limits** as typed (where an approver starts from).
    pub limits: LimitsForm,
    pub scopes: Vec<RequestedScope>,
    pub decider: Option<String>,
    /// A denial's reason.
    pub decision_reason: Option<String>,
    /// Decided by its own requester as the account's only Account Administrator.
    pub self_decided: bool,
    /// The approved token's SID.
    pub token_sid: Option<String>,
    /// Until when an approved request's secret waits (Unix seconds).
    pub claim_until: Option<i64>,
    /// Whether its secret was shown.
    pub claimed: bool,
    pub can_decide: bool,
    pub can_withdraw: bool,
    pub can_claim: bool,
}

/// The account's requests the caller may see (newest first, at most 200), only those in
/// `state` if it names one; Analyst and Finance get `Forbidden`.
#[server(endpoint = "list_requests")]
pub async fn list_requests(#[server(default)] state: String) -> Result<RequestList, AppError> {
    use crate::domain::{Permission, Role};
    use crate::ssr::auth;
    use crate::ssr::db::token_requests;
    crate::ssr::response::respond(async move {
        let (user, app) = auth::require(Permission::ViewApiSettings).await?;
        let filter = match state.trim() {
            "" => None,
            id => Some(RequestState::from_id(id).ok_or_else(|| {
                AppError::BadRequest("Choose a state the list offers.".to_string())
            })?),
        };
        let own = (user.role != Role::AccountAdmin).then_some(user.user_id);
        let rows = token_requests::list(&app.pool, user.account_id, own, filter).await?;
        Ok(RequestList {
            requests: rows.iter().map(line).collect(),
            pending: token_requests::pending_count(&app.pool, user.account_id, own).await?,
            can_decide: user.role.allows(Permission::DecideRequests),
            creation: token_requests::token_creation(&app.pool, user.account_id).await?,
        })
    })
    .await
}

#[cfg(feature = "ssr")]
fn line(row: &crate::ssr::db::token_requests::RequestRow) -> RequestLine {
    RequestLine {
        id: row.id,
        name: row.name.clone(),
        state: row.state(),
        requester: row.requester_name.clone(),
        requested_at: row.requested_at,
        decided_at: row.decided_at,
    }
}

/// Request `id`, if the caller may see it (`NotFound` otherwise: an Implementation
/// Specialist sees only their own).
#[server(endpoint = "get_request")]
pub async fn get_request(#[server(default)] id: String) -> Result<RequestDetail, AppError> {
    use crate::domain::catalog::Access;
    use crate::domain::token_request::{allowed, Decider, RequestAction};
    use crate::domain::{Permission, Role};
    use crate::ssr::auth;
    use crate::ssr::db::{token_requests, users};
    crate::ssr::response::respond(async move {
        let (user, app) = auth::require(Permission::ViewApiSettings).await?;
        let id = super::request_id(&id)?;
        let row = token_requests::get(&app.pool, user.account_id, id)
            .await?
            .filter(|row| user.role == Role::AccountAdmin || row.requested_by == user.user_id)
            .ok_or(AppError::NotFound)?;
        let draft: crate::domain::wizard::Draft =
            serde_json::from_str(&row.draft).map_err(|_| AppError::Internal)?;
        let scopes = draft
            .scopes
            .iter()
            .filter_map(|id| crate::domain::ScopeId::parse(id).ok())
            .map(|scope| {
                let access = scope.method().access();
                RequestedScope {
                    id: scope.to_string(),
                    label: format!("{}: {}", scope.category().name, scope.method().label()),
                    writes: access == Access::Write,
                    deletes: access == Access::Delete,
                }
            })
            .collect();
        let contact = match draft.primary_contact {
            Some(contact) => users::contact_in_account(&app.pool, user.account_id, contact)
                .await
                .map(|(name, _)| name)
                .unwrap_or_else(|_| "A user no longer active".to_string()),
            None => String::new(),
        };
        let state = row.state();
        let claimed = row.claimed_at.is_some();
        let by = Decider {
            is_requester: row.requested_by == user.user_id,
            is_admin: user.role == Role::AccountAdmin,
            only_admin: token_requests::admin_count(&app.pool, user.account_id).await? <= 1,
        };
        let may = |action| allowed(action, state, claimed, by).is_ok();
        Ok(RequestDetail {
            line: line(&row),
            reason: row.reason.clone(),
            asked: asked(&draft, contact),
            limits: draft.limits.clone(),
            scopes,
            decider: row.decider_name.clone(),
            decision_reason: row.decision_reason.clone(),
            self_decided: row.self_decided,
            token_sid: row.token_sid.clone(),
            claim_until: row.claim_until,
            claimed,
            can_decide: may(RequestAction::Approve),
            can_withdraw: may(RequestAction::Withdraw),
            can_claim: may(RequestAction::Claim),
        })
    })
    .await
}

/// The review's rows of `draft`, its primary contact named `contact`.
#[cfg(feature = "ssr")]
fn asked(draft: &crate::domain::wizard::Draft, contact: String) -> Vec<(String, String)> {
    use crate::domain::ip_allowlist::IpAllowlist;
    let or = |text: String, none: &str| {
        if text.is_empty() {
            none.to_string()
        } else {
            text
        }
    };
    let allowed_ips = match IpAllowlist::parse(&draft.allowed_ips) {
        Ok(list) => list.entries().join(", "),
        Err(_) => draft.allowed_ips.clone(),
    };
    let (rate, quota) = draft
        .limits
        .limits()
        .map(|limits| (limits.rate_words(), limits.quota_words()))
        .unwrap_or_default();
    [
        ("Token Name", draft.name.trim().to_string()),
        (
            "Description",
            or(draft.description.trim().to_string(), "No description"),
        ),
        ("API Version", format!("v{}", draft.api_version)),
        ("Expiration", draft.expiration.describe()),
        ("Allowed IP addresses", or(allowed_ips, "Any address")),
        ("Rate limit", rate),
        ("Quota", quota),
        ("Primary Contact", contact),
        (
            "Developer emails",
            or(draft.developer_emails.join(", "), "None"),
        ),
    ]
    .into_iter()
    .map(|(label, value)| (label.to_string(), value))
    .collect()
}
