//! The webhook islands: **Add endpoint** (checked as typed by the server's rules) and
//! **Rotate secret**, each showing the new signing secret once.

use crate::api::webhooks::{AddWebhook, RotateWebhookSecret, ShownSecret};
use crate::components::{ActionError, CopyButton};
use crate::domain::webhook::{self, WebhookEvent, DESCRIPTION_MAX};
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// The signing secret, shown this once.
#[component]
fn SecretOnce(shown: ShownSecret, heading: &'static str) -> impl IntoView {
    let href = format!("/settings/api/webhooks/{}", shown.id);
    view! {
        <section class="card created" aria-labelledby="secret-heading">
            <h2 id="secret-heading">{heading}</h2>
            <p class="alert warning" role="alert">
                "Copy the signing secret now and keep it with your receiver: it can't be shown again. Your receiver checks each message's webhook-signature with it (Standard Webhooks)."
            </p>
            <div class="field-row">
                <span class="field-label" id="secret-label">"Signing secret"</span>
                <code class="sid secret" aria-labelledby="secret-label">{shown.secret.clone()}</code>
                <CopyButton value=shown.secret label="Signing secret" />
            </div>
            <p><a class="button primary" href=href>"Done"</a></p>
        </section>
    }
}

/// **Add endpoint**: URL, description and events; `plain_http` when the operator allows
/// private addresses.
#[island(lazy)]
pub fn AddWebhookForm(plain_http: bool) -> impl IntoView {
    crate::browser::island_ready();
    let url = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let chosen = RwSignal::new(BTreeSet::<WebhookEvent>::new());
    let problems = RwSignal::new(Vec::<String>::new());
    let action = ServerAction::<AddWebhook>::new();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let events: Vec<String> = chosen.with(|c| c.iter().map(|e| e.id().to_string()).collect());
        let found: Vec<String> = [
            webhook::check_url(&url.get_untracked(), plain_http)
                .err()
                .map(|e| format!("Endpoint URL: {e}")),
            webhook::check_description(&description.get_untracked())
                .err()
                .map(|e| format!("Description: {e}")),
            webhook::check_events(&events)
                .err()
                .map(|e| format!("Events: {e}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        problems.set(found.clone());
        if found.is_empty() {
            action.dispatch(AddWebhook {
                url: url.get_untracked(),
                description: description.get_untracked(),
                events,
            });
        }
    };
    let failure = move || action.value().get().and_then(Result::err);
    let shown = move || action.value().get().and_then(Result::ok);
    let scheme_hint = if plain_http {
        "An https:// URL. This server also allows http:// to the private addresses its operator listed."
    } else {
        "An https:// URL on the public internet: addresses of this server, private networks and cloud metadata are refused."
    };
    view! {
        <Show
            when=move || shown().is_none()
            fallback=move || shown().map(|shown| view! { <SecretOnce shown heading="Endpoint added" /> })
        >
            <section class="card" aria-labelledby="add-webhook-heading">
                <h2 id="add-webhook-heading">"Add endpoint"</h2>
                <form class="editor" novalidate on:submit=submit>
                    <div class="field">
                        <label for="webhook-url">"Endpoint URL"</label>
                        <input id="webhook-url" type="url" autocomplete="off" inputmode="url"
                            aria-describedby="webhook-url-hint"
                            prop:value=move || url.get()
                            on:input=move |ev| url.set(event_target_value(&ev)) />
                        <p class="hint" id="webhook-url-hint">{scheme_hint}</p>
                    </div>
                    <div class="field">
                        <label for="webhook-description">"Description"</label>
                        <input id="webhook-description" type="text" autocomplete="off"
                            maxlength=DESCRIPTION_MAX.to_string()
                            prop:value=move || description.get()
                            on:input=move |ev| description.set(event_target_value(&ev)) />
                    </div>
                    <fieldset class="event-choices">
                        <legend>"Events"</legend>
                        {event_boxes(chosen)}
                    </fieldset>
                    <ul class="field-errors" aria-live="polite">
                        {move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                    {move || failure().map(|error: AppError| view! { <ActionError error /> })}
                    <div class="editor-actions">
                        <button type="submit" class="primary" disabled=move || action.pending().get()>
                            "Add endpoint"
                        </button>
                    </div>
                </form>
            </section>
        </Show>
    }
}

/// **Rotate secret** for endpoint `id`: a new secret, shown once; the old one keeps
/// signing for 24 hours.
#[island(lazy)]
pub fn RotateWebhookSecretButton(id: i64) -> impl IntoView {
    crate::browser::island_ready();
    let action = ServerAction::<RotateWebhookSecret>::new();
    let shown = move || action.value().get().and_then(Result::ok);
    let failure = move || action.value().get().and_then(Result::err);
    view! {
        <Show
            when=move || shown().is_none()
            fallback=move || shown().map(|shown| view! { <SecretOnce shown heading="New signing secret" /> })
        >
            {move || failure().map(|error: AppError| view! { <ActionError error /> })}
            <button type="button" class="secondary" disabled=move || action.pending().get()
                on:click=move |_| { action.dispatch(RotateWebhookSecret { id: id.to_string() }); }>
                "Rotate secret"
            </button>
        </Show>
    }
}

/// A checkbox for each event an endpoint can ask for.
fn event_boxes(chosen: RwSignal<BTreeSet<WebhookEvent>>) -> impl IntoView {
    WebhookEvent::ALL
        .into_iter()
        .filter(|e| *e != WebhookEvent::Test)
        .map(|event| {
            let id = format!("event-{}", event.id().replace('.', "-"));
            view! {
                <div class="choice">
                    <input
                        type="checkbox"
                        id=id.clone()
                        prop:checked=move || chosen.with(|c| c.contains(&event))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                if on { c.insert(event); } else { c.remove(&event); }
                            });
                        }
                    />
                    <label for=id>
                        <code>{event.id()}</code>
                        <span class="hint">{event.description()}</span>
                    </label>
                </div>
            }
        })
        .collect_view()
}
