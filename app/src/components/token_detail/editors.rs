//! The detail page's editors. Each starts from the stored token, checks its fields with
//! the wizard's rules before sending, and shows the server's field errors beside them.

use crate::api::tokens::{ChangeToken, TokenDetail};
use crate::components::wizard::{
    AllowedIpsField, ContactsStep, NameAndDescription, ScopesStep, WizardState,
};
use crate::domain::wizard::Field;
use crate::domain::{upgrades_from, ApiVersion, TokenChange};
use leptos::prelude::*;

/// An editor for `fields`, showing the server's errors for them.
fn editor(
    token: &TokenDetail,
    change: ServerAction<ChangeToken>,
    fields: &'static [Field],
) -> WizardState {
    let wizard = WizardState::from_draft(token.draft());
    Effect::new(move |_| {
        if let Some(Err(error)) = change.value().get() {
            let mine: Vec<_> = error
                .field_errors()
                .iter()
                .filter(|e| fields.contains(&e.field))
                .cloned()
                .collect();
            if !mine.is_empty() {
                wizard.show_server_errors(mine);
            }
        }
    });
    wizard
}

/// Sends `change` if its fields pass, else shows why beside them.
fn submit(wizard: WizardState, send: Callback<TokenChange>, change: TokenChange) {
    match change.validate() {
        Ok(_) => send.run(change),
        Err(errors) => wizard.reveal(errors),
    }
}

/// Name and description.
#[component]
pub fn OverviewEditor(
    token: TokenDetail,
    change: ServerAction<ChangeToken>,
    send: Callback<TokenChange>,
) -> impl IntoView {
    let wizard = editor(&token, change, &[Field::TokenName, Field::Description]);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let draft = wizard.draft.get_untracked();
        submit(
            wizard,
            send,
            TokenChange::Overview {
                name: draft.name,
                description: draft.description,
            },
        );
    };
    view! {
        <form class="editor" novalidate on:submit=save>
            <NameAndDescription wizard />
            <div class="editor-actions">
                <button type="submit" class="primary" disabled=move || change.pending().get()>"Save name and description"</button>
            </div>
        </form>
    }
}

/// **Upgrade version**: only versions above the token's are offered.
#[component]
pub fn UpgradeVersion(current: u8, send: Callback<TokenChange>) -> impl IntoView {
    let choices = upgrades_from(current);
    let Some(&highest) = choices.last() else {
        return view! {
            <div class="upgrade">
                <p class="hint" id="upgrade-version-hint">
                    {format!("Version {current} is the latest API version: there is nothing to upgrade to.")}
                </p>
                <button type="button" class="secondary" disabled aria-describedby="upgrade-version-hint">
                    "Upgrade version"
                </button>
            </div>
        }
        .into_any();
    };
    let chosen = RwSignal::new(highest.get());
    view! {
        <div class="upgrade">
            <div class="field">
                <label for="upgrade-version">"Upgrade to"</label>
                <select
                    id="upgrade-version"
                    aria-describedby="upgrade-version-hint"
                    on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))
                >
                    {choices
                        .into_iter()
                        .map(|version| {
                            let label = if version == ApiVersion::LATEST {
                                format!("{version} (latest)")
                            } else {
                                version.to_string()
                            };
                            view! {
                                <option value=version.get().to_string() selected=version == highest>{label}</option>
                            }
                        })
                        .collect_view()}
                </select>
                <p class="hint" id="upgrade-version-hint">
                    {format!("The token uses version {current}. A version can be raised, never lowered.")}
                </p>
            </div>
            <button
                type="button"
                class="secondary"
                on:click=move |_| send.run(TokenChange::UpgradeVersion { api_version: chosen.get_untracked() })
            >
                "Upgrade version"
            </button>
        </div>
    }
    .into_any()
}

/// Primary contact and developer emails, with the wizard's step.
#[component]
pub fn ContactsEditor(
    token: TokenDetail,
    change: ServerAction<ChangeToken>,
    send: Callback<TokenChange>,
) -> impl IntoView {
    let wizard = editor(
        &token,
        change,
        &[Field::PrimaryContact, Field::DeveloperEmails],
    );
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let draft = wizard.draft.get_untracked();
        submit(
            wizard,
            send,
            TokenChange::Contacts {
                primary_contact: draft.primary_contact,
                developer_emails: draft.developer_emails,
            },
        );
    };
    view! {
        <form class="editor" novalidate on:submit=save>
            <ContactsStep wizard contacts=token.contacts />
            <div class="editor-actions">
                <button type="submit" class="primary" disabled=move || change.pending().get()>"Save contacts"</button>
            </div>
        </form>
    }
}

/// The scopes, with the wizard's editor.
#[component]
pub fn ScopesEditor(
    token: TokenDetail,
    change: ServerAction<ChangeToken>,
    send: Callback<TokenChange>,
) -> impl IntoView {
    let wizard = editor(&token, change, &[Field::Scopes]);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let scopes = wizard
            .draft
            .with_untracked(|d| d.scopes.iter().cloned().collect());
        submit(wizard, send, TokenChange::Scopes { scopes });
    };
    let unused = token.usage.unused_scopes.clone();
    let keeps_some = token.scopes.len() > unused.len();
    let removed = RwSignal::new(false);
    // One click: untick them in this editor and save it, like a Save scopes (audited).
    let remove_unused = {
        let unused = unused.clone();
        move |_| {
            wizard.draft.update(|draft| {
                for scope in &unused {
                    draft.scopes.remove(scope);
                }
                let open: Vec<String> = draft
                    .scopes
                    .iter()
                    .filter_map(|s| s.split(':').next())
                    .map(str::to_string)
                    .collect();
                draft
                    .open_categories
                    .retain(|category| open.contains(category));
            });
            removed.set(true);
            let scopes = wizard
                .draft
                .with_untracked(|d| d.scopes.iter().cloned().collect());
            submit(wizard, send, TokenChange::Scopes { scopes });
        }
    };
    let notice = (!unused.is_empty()).then(|| {
        view! {
            <div class="unused-scopes" hidden=move || removed.get()>
                <p>
                    <strong>"Scopes not used in the last 30 days: "</strong>
                    {unused.join(", ")}
                </p>
                {if keeps_some {
                    view! {
                        <button type="button" class="secondary" disabled=move || change.pending().get() on:click=remove_unused>
                            "Remove unused scopes"
                        </button>
                    }
                    .into_any()
                } else {
                    view! {
                        <p class="hint">"No call used any of its scopes in 30 days. A token keeps at least one scope: disable it instead if nothing uses it."</p>
                    }
                    .into_any()
                }}
            </div>
        }
    });
    view! {
        <form class="editor" novalidate on:submit=save>
            {notice}
            <ScopesStep wizard />
            <div class="editor-actions">
                <button type="submit" class="primary" disabled=move || change.pending().get()>"Save scopes"</button>
            </div>
        </form>
    }
}

/// **Allowed IP addresses**, with the wizard's field.
#[component]
pub fn AllowedIpsEditor(
    token: TokenDetail,
    change: ServerAction<ChangeToken>,
    send: Callback<TokenChange>,
) -> impl IntoView {
    let wizard = editor(&token, change, &[Field::AllowedIps]);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let allowed_ips = wizard.draft.with_untracked(|d| d.allowed_ips.clone());
        submit(wizard, send, TokenChange::AllowedIps { allowed_ips });
    };
    view! {
        <form class="editor" novalidate on:submit=save>
            <AllowedIpsField wizard />
            <div class="editor-actions">
                <button type="submit" class="primary" disabled=move || change.pending().get()>
                    "Save allowed IP addresses"
                </button>
            </div>
        </form>
    }
}
