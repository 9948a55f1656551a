//! The sections' editors behind their **Edit** buttons. The editors are the wizard's fields
//! and rules, most of the page's code: they are a wasm chunk of their own, fetched when an
//! editor is first opened, so the page's first load carries only what shows the token. An
//! opened editor stays in the page when closed again, keeping what was typed in it.

use super::editors::{
    AllowedIpsEditor, ContactsEditor, LimitsEditor, OverviewEditor, ScopesEditor,
};
use crate::api::tokens::{ChangeToken, TokenDetail};
use crate::domain::TokenChange;
use leptos::prelude::*;

/// Which editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Editor {
    Overview,
    Scopes,
    AllowedIps,
    Limits,
    Contacts,
}

impl Editor {
    /// The button's label.
    fn label(self) -> &'static str {
        match self {
            Editor::Overview => "Edit name and description",
            Editor::Scopes => "Edit scopes",
            Editor::AllowedIps => "Edit allowed IP addresses",
            Editor::Limits => "Edit limits",
            Editor::Contacts => "Edit contacts",
        }
    }

    /// The id of the panel the button opens.
    fn panel(self) -> &'static str {
        match self {
            Editor::Overview => "overview-editor",
            Editor::Scopes => "scopes-editor",
            Editor::AllowedIps => "allowed-ips-editor",
            Editor::Limits => "limits-editor",
            Editor::Contacts => "contacts-editor",
        }
    }
}

/// **Edit …** and, once opened, the editor (its chunk fetched the first time).
#[component]
pub fn EditPanel(
    which: Editor,
    token: TokenDetail,
    change: ServerAction<ChangeToken>,
    send: Callback<TokenChange>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let opened = RwSignal::new(false);
    let token = StoredValue::new(token);
    let toggle = move |_| {
        // Set once: setting it again would draw the editor afresh, losing what was typed.
        if !opened.get_untracked() {
            opened.set(true);
        }
        open.update(|open| *open = !*open);
        if open.get_untracked() {
            focus_first_field(which.panel());
        }
    };
    view! {
        <div class="edit-panel">
            <button
                type="button"
                class="secondary edit-toggle"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls=which.panel()
                on:click=toggle
            >
                {which.label()}
            </button>
            <div id=which.panel() hidden=move || !open.get()>
                {move || {
                    opened.get().then(|| {
                        let token = token.get_value();
                        Suspend::new(async move {
                            let editor = editor_view(which, token, change, send).await;
                            focus_first_field(which.panel());
                            editor
                        })
                    })
                }}
            </div>
        </div>
    }
}

/// The editor itself: in the chunk fetched when one is first opened.
#[lazy]
fn editor_view(
    which: Editor,
    token: TokenDetail,
    change: ServerAction<ChangeToken>,
    send: Callback<TokenChange>,
) -> AnyView {
    match which {
        Editor::Overview => view! { <OverviewEditor token change send /> }.into_any(),
        Editor::Scopes => view! { <ScopesEditor token change send /> }.into_any(),
        Editor::AllowedIps => view! { <AllowedIpsEditor token change send /> }.into_any(),
        Editor::Limits => view! { <LimitsEditor token change send /> }.into_any(),
        Editor::Contacts => view! { <ContactsEditor token change send /> }.into_any(),
    }
}

/// Moves the focus to the first field of the panel `id`, once it is drawn.
fn focus_first_field(id: &'static str) {
    request_animation_frame(move || {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let field = document()
                .query_selector(&format!("#{id} input, #{id} select, #{id} textarea"))
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(field) = field {
                let _ = field.focus();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = id;
    });
}
