//! `/settings/api/requests/{id}`: one token request — who asked, why, everything its wizard
//! collected with write and delete scopes marked, what became of it — and what the caller
//! may do to it (a lazy island). A request the caller may not see answers 404.

use crate::api::requests::{get_request, RequestDetail};
use crate::components::{ErrorPanel, RequestActions};
use crate::domain::expiration::format_instant;
use crate::domain::token_request::RequestState;
use crate::error::AppError;
use crate::pages::{ForbiddenPage, NotFoundPage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;
use leptos_router::LazyRoute;

/// The request page; Analyst and Finance get the 403 page.
pub struct RequestPage {
    detail: Resource<Result<RequestDetail, AppError>>,
}

impl LazyRoute for RequestPage {
    fn data() -> Self {
        let params = use_params_map();
        let id = move || params.with(|p| p.get("id").unwrap_or_default());
        Self {
            detail: Resource::new(id, get_request),
        }
    }

    async fn view(this: Self) -> AnyView {
        let detail = this.detail;
        view! {
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(detail) => view! { <RequestView detail /> }.into_any(),
                        Err(AppError::Forbidden) => view! { <ForbiddenPage /> }.into_any(),
                        Err(AppError::NotFound | AppError::BadRequest(_)) => view! { <NotFoundPage /> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        }
        .into_any()
    }
}

#[component]
fn RequestView(detail: RequestDetail) -> impl IntoView {
    let RequestDetail {
        line,
        reason,
        asked,
        limits,
        scopes,
        decider,
        decision_reason,
        self_decided,
        token_sid,
        claim_until,
        claimed,
        can_decide,
        can_withdraw,
        can_claim,
    } = detail;
    let title = format!("Request for “{}”", line.name);
    let decided = match (line.state, decider, line.decided_at) {
        (RequestState::Pending, _, _) => None,
        (state, Some(who), Some(at)) => Some(format!(
            "{} by {who}, {}",
            state.label(),
            format_instant(at)
        )),
        (state, _, _) => Some(state.label().to_string()),
    };
    let outcome = match (line.state, token_sid) {
        (RequestState::Approved | RequestState::Expired, Some(sid)) => {
            let href = format!("/settings/api/tokens/{sid}");
            let secret = match (claimed, claim_until, line.state) {
                (true, _, _) => "Auth Token shown to the requester.".to_string(),
                (false, _, RequestState::Expired) => {
                    "Not claimed in time: the token is disabled.".to_string()
                }
                (false, Some(until), _) => format!(
                    "Auth Token waiting for the requester until {}.",
                    format_instant(until)
                ),
                (false, None, _) => String::new(),
            };
            Some(view! {
                <dt>"Token"</dt>
                <dd><a href=href><code>{sid}</code></a> " " {secret}</dd>
            })
        }
        _ => None,
    };
    let scope_items = scopes
        .iter()
        .map(|scope| {
            let mark = match (scope.writes, scope.deletes) {
                (_, true) => Some(view! { <span class="badge delete">"delete"</span> }),
                (true, _) => Some(view! { <span class="badge write">"write"</span> }),
                _ => None,
            };
            view! { <li>{scope.label.clone()} " " {mark}</li> }
        })
        .collect_view();
    view! {
        <Title text=title.clone() />
        <header class="page-header">
            <div>
                <p class="breadcrumb">
                    <a href="/settings/api">"API"</a>" / "<a href="/settings/api/requests">"Requests"</a>
                    {format!(" / #{}", line.id)}
                </p>
                <h1>{title}</h1>
                <p><span class=format!("badge state-{}", line.state.id())>{line.state.label()}</span></p>
            </div>
        </header>
        <section class="card" aria-labelledby="request-heading">
            <h2 id="request-heading">"Request"</h2>
            <dl class="summary">
                <dt>"Requested by"</dt>
                <dd>{format!("{}, {}", line.requester, format_instant(line.requested_at))}</dd>
                <dt>"Reason"</dt>
                <dd class="pre">{reason}</dd>
                {decided.map(|text| view! { <dt>"Decision"</dt><dd>{text}</dd> })}
                {decision_reason.map(|text| view! { <dt>"Reason for the denial"</dt><dd class="pre">{text}</dd> })}
                {self_decided.then(|| view! {
                    <dt>"Note"</dt>
                    <dd>"Decided by its own requester, the account's only Account Administrator."</dd>
                })}
                {outcome}
            </dl>
        </section>
        <section class="card" aria-labelledby="asked-heading">
            <h2 id="asked-heading">"What was asked"</h2>
            <dl class="summary">
                {asked
                    .into_iter()
                    .map(|(label, value)| view! { <dt>{label}</dt><dd class="pre">{value}</dd> })
                    .collect_view()}
                <dt>"Scopes"</dt>
                <dd><ul class="scope-summary">{scope_items}</ul></dd>
            </dl>
        </section>
        {(can_decide || can_withdraw || can_claim).then(|| view! {
            <RequestActions id=line.id can_decide can_withdraw can_claim scopes limits />
        })}
    }
}
