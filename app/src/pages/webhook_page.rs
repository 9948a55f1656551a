//! `/settings/api/webhooks/{id}`: one endpoint — its URL, events and state — with
//! **Send test event**, **Rotate secret**, **Disable**/**Enable** and **Delete endpoint**,
//! and its latest deliveries (status, time taken, the answer's first bytes) each with
//! **Resend**. Plain forms but the rotation, which shows a secret.

use crate::api::webhooks::{
    get_webhook, DeleteWebhook, DeliveryLine, ResendWebhook, SendTestWebhook, SetWebhookEnabled,
    WebhookDetail,
};
use crate::components::{ErrorPanel, RotateWebhookSecretButton};
use crate::domain::expiration::format_instant;
use crate::domain::webhook::DeliveryState;
use crate::error::AppError;
use crate::pages::{ForbiddenPage, NotFoundPage};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;
use leptos_router::LazyRoute;

/// An endpoint's page; other roles get the 403 page, another account's endpoint 404.
pub struct WebhookPage {
    detail: Resource<Result<WebhookDetail, AppError>>,
}

impl LazyRoute for WebhookPage {
    fn data() -> Self {
        let params = use_params_map();
        let id = move || params.with(|p| p.get("id").unwrap_or_default());
        Self {
            detail: Resource::new(id, get_webhook),
        }
    }

    async fn view(this: Self) -> AnyView {
        let detail = this.detail;
        view! {
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(detail) => view! { <EndpointView detail /> }.into_any(),
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

/// A plain form posting `fields` to `action` with one button.
fn post_button(
    action: String,
    fields: Vec<(&'static str, String)>,
    label: &'static str,
    class: &'static str,
) -> impl IntoView {
    view! {
        <form method="post" action=action class="inline-form">
            {fields
                .into_iter()
                .map(|(name, value)| view! { <input type="hidden" name=name value=value /> })
                .collect_view()}
            <button type="submit" class=class>{label}</button>
        </form>
    }
}

#[component]
fn EndpointView(detail: WebhookDetail) -> impl IntoView {
    let WebhookDetail {
        endpoint,
        deliveries,
    } = detail;
    let id = endpoint.id.to_string();
    let (state, badge) = super::webhooks_page::state_of(&endpoint);
    let facts = [
        Some(("Description", endpoint.description.clone())).filter(|(_, d)| !d.is_empty()),
        Some(("Added", format_instant(endpoint.created_at))),
        endpoint
            .failing_since
            .map(|at| ("Failing since", format_instant(at))),
        endpoint
            .disabled_reason
            .clone()
            .map(|why| ("Disabled", why)),
        endpoint
            .rotating_until
            .map(|until| ("Previous secret signs until", format_instant(until))),
    ]
    .into_iter()
    .flatten()
    .map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> })
    .collect_view();
    let events = endpoint
        .events
        .iter()
        .map(|e| view! { <li><code>{e.id()}</code></li> })
        .collect_view();
    let toggle = if endpoint.enabled {
        post_button(
            SetWebhookEnabled::url().into(),
            vec![("id", id.clone()), ("enabled", "false".into())],
            "Disable",
            "secondary",
        )
    } else {
        post_button(
            SetWebhookEnabled::url().into(),
            vec![("id", id.clone()), ("enabled", "true".into())],
            "Enable",
            "primary",
        )
    };
    let test = endpoint.enabled.then(|| {
        post_button(
            SendTestWebhook::url().into(),
            vec![("id", id.clone())],
            "Send test event",
            "primary",
        )
    });
    let title = endpoint.url.clone();
    view! {
        <Title text="Webhook endpoint" />
        <header class="page-header">
            <div>
                <p class="breadcrumb">
                    <a href="/settings/api">"API"</a>" / "<a href="/settings/api/webhooks">"Webhooks"</a>
                </p>
                <h1 class="url">{title}</h1>
                <p><span class=badge>{state}</span></p>
            </div>
        </header>
        <section class="card" aria-labelledby="endpoint-heading">
            <h2 id="endpoint-heading">"Endpoint"</h2>
            <dl class="facts">{facts}</dl>
            <h3>"Events"</h3>
            <ul class="event-list">{events}</ul>
            <div class="actions-row">
                {test}
                {toggle}
                <RotateWebhookSecretButton id=endpoint.id />
                {post_button(DeleteWebhook::url().into(), vec![("id", id.clone())], "Delete endpoint", "secondary danger")}
            </div>
        </section>
        <Deliveries id deliveries />
    }
}

#[component]
fn Deliveries(id: String, deliveries: Vec<DeliveryLine>) -> impl IntoView {
    let body = if deliveries.is_empty() {
        view! { <p class="empty">"Nothing sent yet. Send a test event to try the endpoint."</p> }
            .into_any()
    } else {
        let rows = deliveries
            .into_iter()
            .map(|line| delivery_row(&id, line))
            .collect_view();
        view! {
            <div class="table-scroll" role="region" aria-label="Deliveries table" tabindex="0">
                <table class="deliveries">
                    <caption class="visually-hidden">"Latest deliveries, newest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Event"</th>
                            <th scope="col">"State"</th>
                            <th scope="col">"Last answer"</th>
                            <th scope="col">"Queued"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="deliveries-heading">
            <h2 id="deliveries-heading">"Deliveries"</h2>
            {body}
        </section>
    }
}

fn delivery_row(endpoint: &str, line: DeliveryLine) -> impl IntoView {
    let answer = match (line.status, line.latency_ms) {
        (Some(status), Some(ms)) => format!("HTTP {status} in {ms} ms"),
        (None, Some(ms)) => format!("No answer ({ms} ms)"),
        _ => "Not attempted yet".to_string(),
    };
    let tries = match line.attempts {
        1 => "1 attempt".to_string(),
        n => format!("{n} attempts"),
    };
    let next = line
        .next_attempt_at
        .filter(|_| line.attempts > 0)
        .map(|at| format!("Next attempt {}", format_instant(at)));
    let resend =
        matches!(line.state, DeliveryState::Delivered | DeliveryState::Failed).then(|| {
            post_button(
                ResendWebhook::url().into(),
                vec![
                    ("id", endpoint.to_string()),
                    ("message", line.id.to_string()),
                ],
                "Resend",
                "secondary",
            )
        });
    let badge = format!("badge delivery-{}", line.state.id());
    view! {
        <tr>
            <td><code>{line.event}</code><div class="hint"><code>{line.webhook_id}</code></div></td>
            <td><span class=badge>{line.state.label()}</span><div class="hint">{tries}</div><div class="hint">{next}</div></td>
            <td>{answer}<div class="response"><code>{line.response.unwrap_or_default()}</code></div></td>
            <td>{format_instant(line.created_at)}</td>
            <td>{resend}</td>
        </tr>
    }
}
