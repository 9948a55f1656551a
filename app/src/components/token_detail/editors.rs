//! The detail page's editors. Each starts from the stored token, checks its fields with
//! the wizard's rules before sending, and shows the server's field errors beside them.

use crate::api::tokens::{ChangeToken, TokenDetail};
use crate::components::wizard::{
    focus, AllowedIpsField, ContactsStep, NameAndDescription, RateQuotaFields, ScopesStep,
    WizardState,
};
use crate::components::FieldMessage;
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
    let notice = (!token.usage.unused_scopes.is_empty())
        .then(|| view! { <UnusedScopes token=token.clone() wizard change send /> });
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

/// **Limits**: rate limit and quota, applied to the token's very next call.
#[component]
pub fn LimitsEditor(
    token: TokenDetail,
    change: ServerAction<ChangeToken>,
    send: Callback<TokenChange>,
) -> impl IntoView {
    let wizard = editor(
        &token,
        change,
        &[Field::RateLimit, Field::Quota, Field::Budget],
    );
    let budget = RwSignal::new(token.budget.as_ref().map(|(id, _)| *id));
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let limits = wizard.draft.with_untracked(|d| d.limits.clone());
        let budget = budget.get_untracked();
        submit(wizard, send, TokenChange::Limits { limits, budget });
    };
    let choices = token.budgets.clone();
    view! {
        <form class="editor" novalidate on:submit=save>
            <RateQuotaFields wizard />
            {(!choices.is_empty()).then(|| view! { <BudgetField wizard budget choices /> })}
            <div class="editor-actions">
                <button type="submit" class="primary" disabled=move || change.pending().get()>
                    "Save limits"
                </button>
            </div>
        </form>
    }
}

/// **Budget**: one of the account's budgets the token's calls also draw on, or none.
#[component]
fn BudgetField(
    wizard: WizardState,
    budget: RwSignal<Option<i64>>,
    choices: Vec<(i64, String)>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for="token-budget">"Budget"</label>
            <select
                id="token-budget"
                aria-describedby="token-budget-hint token-budget-error"
                on:change=move |ev| {
                    let chosen = event_target_value(&ev).parse().ok();
                    wizard.edit(Field::Budget, |_| {});
                    budget.set(chosen);
                }
            >
                <option value="" selected=move || budget.get().is_none()>"None"</option>
                {choices
                    .into_iter()
                    .map(|(id, name)| {
                        view! {
                            <option value=id.to_string() selected=move || budget.get() == Some(id)>{name}</option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="hint" id="token-budget-hint">
                "Its calls also draw on the budget, with the account's other tokens on it; the tighter limit refuses."
            </p>
            <FieldMessage id="token-budget-error" message=wizard.message_signal(Field::Budget) />
        </div>
    }
}

/// **Remove unused scopes** (the section lists them above the editor): confirmed, then
/// the editor saves the token's scopes without them, through the normal scope change
/// (audited). Unsaved ticks in the editor are not sent.
#[component]
fn UnusedScopes(
    token: TokenDetail,
    wizard: WizardState,
    change: ServerAction<ChangeToken>,
    send: Callback<TokenChange>,
) -> impl IntoView {
    let unused = token.usage.unused_scopes.clone();
    let keeping: Vec<String> = token
        .scopes
        .iter()
        .filter(|scope| !unused.contains(scope))
        .cloned()
        .collect();
    let confirming = RwSignal::new(false);
    let removed = RwSignal::new(false);
    // Shown again if the save was refused.
    Effect::new(move |_| {
        if let Some(Err(_)) = change.value().get() {
            removed.set(false);
        }
    });
    let remove = {
        let keeping = keeping.clone();
        move |_| {
            confirming.set(false);
            removed.set(true);
            let kept = keeping.clone();
            wizard.draft.update(|draft| {
                draft.scopes = kept.iter().cloned().collect();
                let open: Vec<String> = kept
                    .iter()
                    .filter_map(|s| s.split(':').next())
                    .map(str::to_string)
                    .collect();
                draft
                    .open_categories
                    .retain(|category| open.contains(category));
            });
            submit(
                wizard,
                send,
                TokenChange::Scopes {
                    scopes: keeping.clone(),
                },
            );
        }
    };
    let listed = unused.join(", ");
    let action = if keeping.is_empty() {
        view! {
            <p class="hint">"No call used any of its scopes. A token keeps at least one scope: disable it instead if nothing uses it."</p>
        }
        .into_any()
    } else {
        let question =
            format!("Remove {listed}? Calls that need them are refused (403) from then on.");
        view! {
            <button
                type="button"
                class="secondary"
                disabled=move || change.pending().get()
                on:click=move |_| {
                    confirming.set(true);
                    focus("unused-scopes-cancel");
                }
            >
                "Remove unused scopes"
            </button>
            <div class="confirm" role="alertdialog" aria-labelledby="unused-scopes-question" hidden=move || !confirming.get()>
                <p id="unused-scopes-question">{question}</p>
                <div class="editor-actions">
                    <button type="button" id="unused-scopes-cancel" class="secondary" on:click=move |_| confirming.set(false)>"Cancel"</button>
                    <button type="button" class="danger" on:click=remove>"Remove scopes"</button>
                </div>
            </div>
        }
        .into_any()
    };
    view! {
        <div class="unused-scopes" hidden=move || removed.get()>{action}</div>
    }
}
