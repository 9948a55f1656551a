//! `/settings/api/requests`: token requests — all of the account's for an Account
//! Administrator, their own for an Implementation Specialist — newest first, filtered by
//! state in the URL (`?state=pending`). Rendered on the server; no code of its own.

use crate::api::requests::{list_requests, RequestLine, RequestList};
use crate::components::ErrorPanel;
use crate::domain::expiration::format_instant;
use crate::domain::token_request::{RequestState, TokenCreation};
use crate::error::AppError;
use crate::pages::ForbiddenPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use leptos_router::LazyRoute;

/// The Requests page; Analyst and Finance get the 403 page.
pub struct RequestsPage {
    list: Resource<Result<RequestList, AppError>>,
    state: Signal<String>,
}

impl LazyRoute for RequestsPage {
    fn data() -> Self {
        let query = use_query_map();
        let state = Signal::derive(move || query.with(|q| q.get("state").unwrap_or_default()));
        Self {
            list: Resource::new(move || state.get(), list_requests),
            state,
        }
    }

    async fn view(this: Self) -> AnyView {
        let RequestsPage { list, state } = this;
        view! {
            <Title text="Requests" />
            <header class="page-header">
                <div>
                    <p class="breadcrumb"><a href="/settings/api">"API"</a>" / Requests"</p>
                    <h1>"Requests"</h1>
                    <p class="lede">
                        "Tokens asked for while the account's Token creation needs approval. An Account Administrator approves (narrowing scopes, expiration or limits, never widening them) or denies; only the requester sees the approved token's Auth Token, once."
                    </p>
                </div>
            </header>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => view! { <RequestTable list state=state.get_untracked() /> }.into_any(),
                        Err(AppError::Forbidden) => view! {
                            <ForbiddenPage hint="Requests are open to Account Administrators and Implementation Specialists." />
                        }
                        .into_any(),
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
fn RequestTable(list: RequestList, state: String) -> impl IntoView {
    let off = (list.creation == TokenCreation::Directly).then(|| {
        view! {
            <p class="alert info" role="status">
                "This account's tokens are created directly now: no new requests can be made. Pending ones can still be decided."
            </p>
        }
    });
    let filters = std::iter::once(("", "All"))
        .chain(RequestState::ALL.into_iter().map(|s| (s.id(), s.label())))
        .map(|(id, label)| {
            let href = if id.is_empty() {
                "/settings/api/requests".to_string()
            } else {
                format!("/settings/api/requests?state={id}")
            };
            let current = (id == state).then_some("page");
            view! { <li><a href=href aria-current=current>{label}</a></li> }
        })
        .collect_view();
    let pending = match list.pending {
        1 => "1 request pending".to_string(),
        n => format!("{n} requests pending"),
    };
    let rows = if list.requests.is_empty() {
        view! { <p class="empty">"No requests here."</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll" role="region" aria-label="Token requests table" tabindex="0">
                <table class="requests">
                    <caption class="visually-hidden">"Token requests, newest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Token"</th>
                            <th scope="col">"Requested by"</th>
                            <th scope="col">"Requested"</th>
                            <th scope="col">"State"</th>
                        </tr>
                    </thead>
                    <tbody>{list.requests.into_iter().map(row).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        {off}
        <section class="card" aria-labelledby="requests-heading">
            <h2 id="requests-heading">{pending}</h2>
            <nav aria-label="Filter by state">
                <ul class="filter-links">{filters}</ul>
            </nav>
            {rows}
        </section>
    }
}

fn row(line: RequestLine) -> impl IntoView {
    let href = format!("/settings/api/requests/{}", line.id);
    let badge = format!("badge state-{}", line.state.id());
    view! {
        <tr>
            <td><a href=href>{line.name}</a></td>
            <td>{line.requester}</td>
            <td>{format_instant(line.requested_at)}</td>
            <td><span class=badge>{line.state.label()}</span></td>
        </tr>
    }
}
