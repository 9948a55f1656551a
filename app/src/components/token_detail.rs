//! The token detail page's body: facts, the editors (reusing the wizard's fields), the
//! lifecycle actions, the audit history and the contacts' outbox.

mod actions;
mod editors;
mod records;

use crate::api::tokens::{ChangeToken, TokenDetail};
use crate::components::CopyButton;
use crate::domain::TokenChange;
use crate::error::AppError;
use actions::{ActionBar, NewSecret};
use editors::{ContactsEditor, OverviewEditor, ScopesEditor, UpgradeVersion};
use leptos::prelude::*;
use records::{History, OutboxList};

/// Everything about one token; `change` is the page's one action for every edit.
#[component]
pub fn TokenDetailView(
    token: TokenDetail,
    change: ServerAction<ChangeToken>,
    secret: RwSignal<Option<String>>,
    reload: Callback<()>,
) -> impl IntoView {
    let send = {
        let sid = token.sid.clone();
        let version = token.version;
        Callback::new(move |change_to: TokenChange| {
            change.dispatch(ChangeToken {
                sid: sid.clone(),
                version,
                change: change_to,
            });
        })
    };
    let (state_class, state) = if token.enabled {
        ("state enabled", "Enabled")
    } else {
        ("state disabled", "Disabled")
    };
    let token = StoredValue::new(token);
    let get = move |f: fn(&TokenDetail) -> String| token.with_value(f);
    view! {
        <header class="page-header">
            <div>
                <p class="breadcrumb">
                    <a href="/settings/api">"API"</a>
                    " / Access token"
                </p>
                <div class="title-row">
                    <h1>{get(|t| t.name.clone())}</h1>
                    <span class=state_class>{state}</span>
                </div>
                {token.with_value(|t| (!t.description.is_empty()).then(|| view! { <p class="lede">{t.description.clone()}</p> }))}
            </div>
            <ActionBar token=token.get_value() send />
        </header>
        <ChangeStatus change reload />
        <NewSecret secret />
        <section class="card" aria-labelledby="overview-heading">
            <h2 id="overview-heading">"Overview"</h2>
            <dl class="facts">
                <div>
                    <dt>"Token SID"</dt>
                    <dd><code>{get(|t| t.sid.clone())}</code> <CopyButton value=get(|t| t.sid.clone()) label="Token SID" /></dd>
                </div>
                <div><dt>"Auth Token"</dt><dd><code>{get(|t| t.secret_hint.clone())}</code></dd></div>
                <div><dt>"API version"</dt><dd>{get(|t| format!("v{}", t.api_version))}</dd></div>
                <div><dt>"Created"</dt><dd>{get(|t| format!("{} by {}", t.created_at, t.created_by))}</dd></div>
                <div><dt>"Last changed"</dt><dd>{get(|t| format!("{} (revision {})", t.updated_at, t.version))}</dd></div>
                <div><dt>"Last used"</dt><dd>{get(|t| t.last_used_at.clone().unwrap_or_else(|| "never".to_string()))}</dd></div>
            </dl>
            <OverviewEditor token=token.get_value() change send />
            <UpgradeVersion current=token.with_value(|t| t.api_version) send />
        </section>
        <section class="card" aria-label="Contacts">
            <ContactsEditor token=token.get_value() change send />
        </section>
        <section class="card" aria-label="Scopes">
            <ScopesEditor token=token.get_value() change send />
        </section>
        <History entries=token.with_value(|t| t.history.clone()) />
        <OutboxList entries=token.with_value(|t| t.outbox.clone()) />
    }
}

/// "Saving…", "Saved." or what went wrong with the last change.
#[component]
fn ChangeStatus(change: ServerAction<ChangeToken>, reload: Callback<()>) -> impl IntoView {
    move || {
        if change.pending().get() {
            return view! { <p class="alert info" role="status">"Saving…"</p> }.into_any();
        }
        match change.value().get() {
            Some(Ok(_)) => view! { <p class="alert success" role="status">"Saved."</p> }.into_any(),
            Some(Err(error @ AppError::Conflict(_))) => view! {
                <div class="alert error" role="alert">
                    <p>{error.to_string()}</p>
                    <button type="button" class="secondary" on:click=move |_| reload.run(())>"Reload"</button>
                </div>
            }
            .into_any(),
            Some(Err(error)) => view! { <p class="alert error" role="alert">{error.to_string()}</p> }.into_any(),
            None => ().into_any(),
        }
    }
}
