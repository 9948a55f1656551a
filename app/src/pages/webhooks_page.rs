//! `/settings/api/webhooks`: the account's webhook endpoints and **Add endpoint** (an
//! Account Administrator's); each endpoint's own page has its deliveries.

use crate::api::webhooks::{list_webhooks, DeleteWebhook, WebhookLine, WebhookList};
use crate::components::{AddWebhookForm, ErrorPanel, EventChoice};
use crate::domain::webhook::{WebhookEvent, MAX_ENDPOINTS};
use crate::error::AppError;
use crate::pages::ForbiddenPage;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::LazyRoute;

/// The Webhooks page; other roles get the 403 page.
pub struct WebhooksPage {
    list: Resource<Result<WebhookList, AppError>>,
}

impl LazyRoute for WebhooksPage {
    fn data() -> Self {
        Self {
            list: Resource::new(|| (), |_| list_webhooks()),
        }
    }

    async fn view(this: Self) -> AnyView {
        let list = this.list;
        view! {
            <Title text="Webhooks" />
            <header class="page-header">
                <div>
                    <p class="breadcrumb"><a href="/settings/api">"API"</a>" / Webhooks"</p>
                    <h1>"Webhooks"</h1>
                    <p class="lede">
                        "Your own systems hear of every token event as it happens: each message is signed per the Standard Webhooks specification, retried for up to 3 days, and delivered in order."
                    </p>
                </div>
            </header>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => view! { <Endpoints list /> }.into_any(),
                        Err(AppError::Forbidden) => view! {
                            <ForbiddenPage hint="Webhooks are set up by Account Administrators." />
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
fn Endpoints(list: WebhookList) -> impl IntoView {
    let full = list.endpoints.len() >= MAX_ENDPOINTS;
    let rows = if list.endpoints.is_empty() {
        view! { <p class="empty">"No endpoints yet."</p> }.into_any()
    } else {
        view! {
            <div class="table-scroll" role="region" aria-label="Webhook endpoints table" tabindex="0">
                <table class="webhooks">
                    <caption class="visually-hidden">"Webhook endpoints"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Endpoint"</th>
                            <th scope="col">"Events"</th>
                            <th scope="col">"State"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>{list.endpoints.into_iter().map(row).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let add = if full {
        view! {
            <p class="alert info" role="status">
                {format!("An account can have {MAX_ENDPOINTS} endpoints: delete one to add another.")}
            </p>
        }
        .into_any()
    } else {
        let url_hint = if list.plain_http {
            "An https:// URL. This server also allows http:// to the private addresses its operator listed."
        } else {
            "An https:// URL on the public internet: addresses of this server, private networks and cloud metadata are refused."
        };
        let events = WebhookEvent::ALL
            .into_iter()
            .filter(|e| *e != WebhookEvent::Test)
            .map(|e| EventChoice {
                id: e.id().to_string(),
                description: e.description().to_string(),
            })
            .collect();
        view! { <AddWebhookForm url_hint=url_hint.to_string() events /> }.into_any()
    };
    view! {
        <section class="card" aria-labelledby="endpoints-heading">
            <h2 id="endpoints-heading">"Endpoints"</h2>
            {rows}
        </section>
        {add}
    }
}

/// An endpoint's state in words and as a badge class.
pub(crate) fn state_of(line: &WebhookLine) -> (&'static str, &'static str) {
    match (line.enabled, line.failing_since.is_some()) {
        (false, _) => ("Disabled", "badge state-denied"),
        (true, true) => ("Failing", "badge state-expired"),
        (true, false) => ("Enabled", "badge state-approved"),
    }
}

fn row(line: WebhookLine) -> impl IntoView {
    let href = format!("/settings/api/webhooks/{}", line.id);
    let (state, badge) = state_of(&line);
    let events = match line.events.len() {
        1 => line.events[0].id().to_string(),
        n => format!("{n} events"),
    };
    let label = format!("Delete endpoint {}", line.url);
    view! {
        <tr>
            <td>
                <a href=href class="url">{line.url}</a>
                <div class="hint">{line.description}</div>
            </td>
            <td>{events}</td>
            <td><span class=badge>{state}</span></td>
            <td>
                <form method="post" action=DeleteWebhook::url()>
                    <input type="hidden" name="id" value=line.id.to_string() />
                    <button type="submit" class="secondary danger" aria-label=label>"Delete"</button>
                </form>
            </td>
        </tr>
    }
}
