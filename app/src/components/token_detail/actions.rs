//! **Duplicate**, **Reset**, **Disable**/**Enable** and **Delete**, the confirmations the
//! dangerous ones ask for, and the new secret after a reset.

use crate::api::tokens::TokenDetail;
use crate::components::wizard::{draft_key, store_draft};
use crate::components::CopyButton;
use crate::domain::{Overlap, TokenChange};
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Confirming {
    Reset,
    Delete,
}

/// The lifecycle buttons.
#[component]
pub fn ActionBar(token: TokenDetail, send: Callback<TokenChange>) -> impl IntoView {
    let confirming = RwSignal::new(None::<Confirming>);
    // **Keep the old secret working for**: `None` stops it at once.
    let keep_old = RwSignal::new(None::<Overlap>);
    let enabled = token.enabled;
    // An exposed or revoked secret is never kept working: the Reset stops it at once.
    let can_keep_old = token.exposure.is_none() && !token.secret_revoked;
    let name = StoredValue::new(token.name.clone());
    let keys = draft_key();
    let duplicate = move |_| {
        let mut draft = token.draft();
        draft.name = String::new();
        store_draft(keys.get().as_ref(), &draft);
        crate::browser::go_to("/settings/api/tokens/new");
    };
    let confirm = move |what: Confirming| {
        confirming.set(None);
        send.run(match what {
            Confirming::Reset => match keep_old.get_untracked() {
                Some(keep_old_for) => TokenChange::ResetKeepingOld { keep_old_for },
                None => TokenChange::Reset,
            },
            Confirming::Delete => TokenChange::Delete,
        });
    };
    view! {
        <div class="actions" role="group" aria-label="Token actions">
            <button type="button" class="secondary" on:click=duplicate>"Duplicate"</button>
            <button type="button" class="secondary" on:click=move |_| confirming.set(Some(Confirming::Reset))>"Reset"</button>
            <button
                type="button"
                class="secondary"
                on:click=move |_| send.run(TokenChange::SetEnabled { enabled: !enabled })
            >
                {if enabled { "Disable" } else { "Enable" }}
            </button>
            <button type="button" class="danger" on:click=move |_| confirming.set(Some(Confirming::Delete))>"Delete"</button>
        </div>
        {move || confirming.get().map(|what| {
            let (title, text, button) = match what {
                Confirming::Reset if can_keep_old => (
                    format!("Reset \"{}\"?", name.get_value()),
                    "A new Auth Token is issued and shown once. Keep the current one working for a while to move your services over without downtime, or stop it now.",
                    "Reset token",
                ),
                Confirming::Reset => (
                    format!("Reset \"{}\"?", name.get_value()),
                    "A new Auth Token is issued and shown once. The current one stops now: it was exposed or revoked, so it is never kept working.",
                    "Reset token",
                ),
                Confirming::Delete => (
                    format!("Delete \"{}\"?", name.get_value()),
                    "The token disappears from every list and its SID never authenticates again. This can't be undone.",
                    "Delete token",
                ),
            };
            view! {
                <div class="confirm card" role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-text">
                    <h2 id="confirm-title">{title}</h2>
                    <p id="confirm-text">{text}</p>
                    {(what == Confirming::Reset && can_keep_old).then(|| view! { <OverlapChoice keep_old /> })}
                    <div class="editor-actions">
                        <button type="button" class="secondary" on:click=move |_| confirming.set(None)>"Cancel"</button>
                        <button type="button" class="danger" on:click=move |_| confirm(what)>{button}</button>
                    </div>
                </div>
            }
        })}
    }
}

/// **Keep the old secret working for**: no (it stops now), 1 hour, 24 hours or 7 days.
#[component]
fn OverlapChoice(keep_old: RwSignal<Option<Overlap>>) -> impl IntoView {
    view! {
        <div class="field">
            <label for="reset-overlap">"Keep the old secret working for"</label>
            <select
                id="reset-overlap"
                on:change=move |ev| keep_old.set(Overlap::from_id(&event_target_value(&ev)))
            >
                <option value="" selected=move || keep_old.get().is_none()>"No: it stops now"</option>
                {Overlap::ALL
                    .into_iter()
                    .map(|overlap| view! {
                        <option value=overlap.id() selected=move || keep_old.get() == Some(overlap)>
                            {overlap.label()}
                        </option>
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// The secret a reset issued, shown until the user is done with it.
#[component]
pub fn NewSecret(secret: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        secret.get().map(|value| {
            view! {
                <section class="card created" aria-labelledby="new-secret-heading">
                    <h2 id="new-secret-heading">"New Auth Token"</h2>
                    <p class="alert warning" role="alert">
                        "Copy the new Auth Token now: it can't be shown again. Give it to every service that uses this token: the previous one stops working now, or when Old secret below says."
                    </p>
                    <div class="field-row">
                        <span class="field-label" id="new-secret-label">"Auth Token"</span>
                        <code class="sid secret" aria-labelledby="new-secret-label">{value.clone()}</code>
                        <CopyButton value=value label="Auth Token" />
                    </div>
                    <div class="editor-actions">
                        <button type="button" class="primary" on:click=move |_| secret.set(None)>"Done"</button>
                    </div>
                </section>
            }
        })
    }
}
