//! `/login/sso`: **Sign in with single sign-on**. The account is named by its Account SID
//! (the sign-in link its administrators share carries it) or by the email of one of its
//! users; the browser then goes to the account's identity provider. A plain form post; a
//! sign-in the provider or the console refused comes back here saying why.

use super::login_page::FailureAlert;
use crate::domain::return_path::return_path;
use leptos::prelude::*;
use leptos::server::SharedValue;
use leptos_meta::{Meta, Title};

/// Given by the server when a single sign-on failed, to show this page again.
#[derive(Debug, Clone)]
pub struct SsoFailure {
    /// What went wrong, as the page says it.
    pub message: String,
    /// The Account SID or email that was typed.
    pub account: String,
}

/// Given by the server when a single sign-on has begun: the provider's address to go to.
/// A page, not a redirect: the sign-in form's `form-action 'self'` policy would stop a
/// redirect to another site, and the page works without JavaScript all the same.
#[derive(Debug, Clone)]
pub struct SsoOnward {
    pub url: String,
}

/// The single sign-on form.
#[component]
pub fn SsoPage() -> impl IntoView {
    if let Some(onward) = use_context::<SsoOnward>() {
        return view! { <Onward url=onward.url /> }.into_any();
    }
    let query = leptos_router::hooks::use_query_map();
    let shared = SharedValue::new(move || {
        let failure = use_context::<SsoFailure>();
        let typed = failure
            .as_ref()
            .map(|failure| failure.account.clone())
            .or_else(|| query.with_untracked(|q| q.get("account")))
            .unwrap_or_default();
        let next = query.with_untracked(|q| q.get("next")).unwrap_or_default();
        (
            failure.map(|failure| failure.message),
            typed.chars().take(254).collect::<String>(),
            return_path(&next),
        )
    })
    .into_inner();
    let (message, typed, next) = shared;
    view! {
        <Title text="Single sign-on" />
        <main class="login">
            <div class="card login-card">
                <form method="post" action="/login/sso">
                    <h1>"Sign in with single sign-on"</h1>
                    <p class="lede">"Your organization's identity provider signs you in."</p>
                    <FailureAlert message />
                    <input type="hidden" name="next" value=next />
                    <label for="sso-account">"Account SID or email"</label>
                    <input
                        id="sso-account"
                        name="account"
                        type="text"
                        autocomplete="username"
                        autocapitalize="off"
                        spellcheck="false"
                        required
                        maxlength="254"
                        value=typed
                        aria-describedby="sso-account-hint"
                    />
                    <p class="hint" id="sso-account-hint">
                        "Your work email, or the Account SID (AC…) from your administrator's sign-in link."
                    </p>
                    <button type="submit" class="primary">"Continue"</button>
                </form>
                <p><a href="/login">"Sign in with a password instead"</a></p>
            </div>
        </main>
    }
    .into_any()
}

/// On to the provider: at once, or by the link.
#[component]
fn Onward(url: String) -> impl IntoView {
    view! {
        <Title text="Single sign-on" />
        <Meta http_equiv="refresh" content=format!("0;url={url}") />
        <main class="login">
            <div class="card login-card">
                <h1>"Continuing to your identity provider…"</h1>
                <p><a class="button primary" href=url>"Continue"</a></p>
            </div>
        </main>
    }
}
