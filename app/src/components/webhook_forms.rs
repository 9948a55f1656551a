//! The webhook islands: **Add endpoint** (checked as typed by the server's rules) and
//! **Rotate secret**, each showing the new signing secret once.

use crate::api::webhooks::{AddWebhook, RotateWebhookSecret, ShownSecret};
use crate::components::{ActionError, CopyButton};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// An event the form offers, with what it means (given by the page: data, not code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventChoice {
    pub id: String,
    pub description: String,
}

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

/// **Add endpoint**: URL, description and events. The server checks them (and answers
/// with what is wrong); `url_hint` says which URLs this server takes.
#[island]
pub fn AddWebhookForm(url_hint: String, events: Vec<EventChoice>) -> impl IntoView {
    crate::browser::island_ready();
    let url = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let chosen = RwSignal::new(BTreeSet::<String>::new());
    let action = ServerAction::<AddWebhook>::new();
    let events = StoredValue::new(events);
    let url_hint = StoredValue::new(url_hint);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        action.dispatch(AddWebhook {
            url: url.get_untracked(),
            description: description.get_untracked(),
            events: chosen.get_untracked().into_iter().collect(),
        });
    };
    let failure = move || action.value().get().and_then(Result::err);
    let shown = move || action.value().get().and_then(Result::ok);
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
                        <p class="hint" id="webhook-url-hint">{url_hint.get_value()}</p>
                    </div>
                    <div class="field">
                        <label for="webhook-description">"Description"</label>
                        <input id="webhook-description" type="text" autocomplete="off"
                            prop:value=move || description.get()
                            on:input=move |ev| description.set(event_target_value(&ev)) />
                    </div>
                    <fieldset class="event-choices">
                        <legend>"Events"</legend>
                        {event_boxes(events.get_value(), chosen)}
                    </fieldset>
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
#[island]
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
fn event_boxes(events: Vec<EventChoice>, chosen: RwSignal<BTreeSet<String>>) -> impl IntoView {
    events
        .into_iter()
        .map(|event| {
            let control = format!("event-{}", event.id.replace('.', "-"));
            let id = event.id.clone();
            let checked = move || chosen.with(|c| c.contains(&id));
            let id = event.id.clone();
            view! {
                <div class="choice">
                    <input
                        type="checkbox"
                        id=control.clone()
                        prop:checked=checked
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            let id = id.clone();
                            chosen.update(|c| {
                                if on { c.insert(id); } else { c.remove(&id); }
                            });
                        }
                    />
                    <label for=control>
                        <code>{event.id}</code>
                        <span class="hint">{event.description}</span>
                    </label>
                </div>
            }
        })
        .collect_view()
}
