//! `/confirm-access`: sudo mode's form. Before a sensitive change, a session that last
//! proved its user more than 15 minutes ago asks for the password, or a code from the
//! authenticator app, again. A plain form post, like signing in.

use super::login_page::FailureAlert;
use crate::components::PasskeyButton;
use crate::domain::return_path::return_path;
use leptos::prelude::*;
use leptos::server::SharedValue;
use leptos_meta::Title;

/// Given by the server when it answers a wrong password or code by showing this page again.
#[derive(Debug, Clone)]
pub struct ConfirmAccessFailure {
    /// What went wrong, as the page says it.
    pub message: String,
    /// Where to go back to once confirmed.
    pub next: String,
}

/// The password form, and the code form for users with an authenticator app.
#[component]
pub fn ConfirmAccessPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let shared = SharedValue::new(move || {
        let failure = use_context::<ConfirmAccessFailure>();
        let next = failure
            .as_ref()
            .map(|failure| failure.next.clone())
            .or_else(|| query.with_untracked(|q| q.get("next")))
            .unwrap_or_default();
        (failure.map(|failure| failure.message), return_path(&next))
    })
    .into_inner();
    let (message, next) = shared;
    let failed = message.is_some();
    view! {
        <Title text="Confirm access" />
        <main class="login">
            <div class="card login-card">
                <h1>"Confirm access"</h1>
                <p class="lede">
                    "You are about to make a sensitive change. Confirm it's you: this lasts 15 minutes."
                </p>
                <FailureAlert message />
                <form method="post" action="/confirm-access" aria-label="Confirm with your password">
                    <input type="hidden" name="next" value=next.clone() />
                    <label for="confirm-password">"Password"</label>
                    <input
                        id="confirm-password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        maxlength="1024"
                        autofocus=!failed
                    />
                    <button type="submit" class="primary">"Confirm"</button>
                </form>
                <form method="post" action="/confirm-access" aria-label="Confirm with a code">
                    <input type="hidden" name="next" value=next.clone() />
                    <label for="confirm-code">"Or an authentication code"</label>
                    <input
                        id="confirm-code"
                        name="code"
                        type="text"
                        autocomplete="one-time-code"
                        autocapitalize="off"
                        spellcheck="false"
                        required
                        maxlength="64"
                        aria-describedby="confirm-code-hint"
                    />
                    <p class="hint" id="confirm-code-hint">
                        "From your authenticator app, or one of your recovery codes."
                    </p>
                    <button type="submit" class="secondary">"Confirm with code"</button>
                </form>
                <PasskeyButton purpose="confirm_access" label="Confirm with a passkey" next=next.clone() />
                <p>
                    <a href=format!("/login/sso?next={}", encode_path(&next))>
                        "Or sign in again with single sign-on"
                    </a>
                </p>
                <p><a href=next>"Cancel"</a></p>
            </div>
        </main>
    }
}

/// `path` as a query value: the characters a path may hold that a query value may not.
fn encode_path(path: &str) -> String {
    path.chars()
        .map(|c| match c {
            '%' => "%25".to_string(),
            '&' => "%26".to_string(),
            '#' => "%23".to_string(),
            '+' => "%2B".to_string(),
            '?' => "%3F".to_string(),
            '=' => "%3D".to_string(),
            ' ' => "%20".to_string(),
            c => c.to_string(),
        })
        .collect()
}
