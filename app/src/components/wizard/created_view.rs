//! After **Create**: the credentials, shown once.

use crate::api::tokens::CreatedToken;
use crate::components::CopyButton;
use leptos::prelude::*;

/// The new token's SID and secret with **Copy** buttons and **Done**.
#[component]
pub fn CreatedView(token: CreatedToken) -> impl IntoView {
    view! {
        <section class="card created" aria-labelledby="created-heading">
            <h2 id="created-heading">{format!("Token \"{}\" created", token.name)}</h2>
            <p class="alert warning" role="alert">
                "Copy the Auth Token now and keep it somewhere safe, such as a secrets manager. It can't be shown again: if it is lost, reset the token to get a new one."
            </p>
            <div class="field-row">
                <span class="field-label" id="created-sid-label">"Token SID"</span>
                <code class="sid" aria-labelledby="created-sid-label">{token.sid.clone()}</code>
                <CopyButton value=token.sid.clone() label="Token SID" />
            </div>
            <div class="field-row">
                <span class="field-label" id="created-secret-label">"Auth Token"</span>
                <code class="sid secret" aria-labelledby="created-secret-label">{token.secret.clone()}</code>
                <CopyButton value=token.secret.clone() label="Auth Token" />
            </div>
            <p class="hint">
                "Use them as HTTP Basic credentials: the Token SID as the user name, the Auth Token as the password. "
                // In a new tab: following it here would lose the only view of the secret.
                <a href="/settings/api/security" target="_blank" rel="noopener">
                    "Keep your access tokens secure (opens in a new tab)"
                </a>
            </p>
            <div class="wizard-actions">
                <span class="spacer"></span>
                <button type="button" class="primary" on:click=move |_| crate::browser::go_to("/settings/api")>
                    "Done"
                </button>
            </div>
        </section>
    }
}
