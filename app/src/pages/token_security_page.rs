//! `/settings/api/security`: "Keep your access tokens secure".

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::LazyRoute;

/// Advice for everyone who handles tokens.
#[component]
fn TokenSecurityView() -> impl IntoView {
    view! {
        <Title text="Keep your access tokens secure" />
        <header class="page-header">
            <div>
                <p class="breadcrumb"><a href="/settings/api">"API"</a>" / Security"</p>
                <h1>"Keep your access tokens secure"</h1>
                <p class="lede">
                    "An access token acts for your account. Anyone who holds its Auth Token can call the brand API with every scope it grants."
                </p>
            </div>
        </header>
        <section class="card advice" aria-labelledby="advice-share">
            <h2 id="advice-share">"Share with care"</h2>
            <ul>
                <li>"Give a token only to the people and services that need it, and only over a secure channel: a secrets manager or an encrypted message, never email, chat or a ticket."</li>
                <li>"Never put an Auth Token in source code, a repository, a screenshot or a log."</li>
            </ul>
        </section>
        <section class="card advice" aria-labelledby="advice-store">
            <h2 id="advice-store">"Store it encrypted"</h2>
            <ul>
                <li>"Keep Auth Tokens in a secrets manager or an encrypted store, and load them into services as configuration."</li>
                <li>"Tokensmith keeps only a hash of each Auth Token: we can't show it again, so copy it when it is issued."</li>
            </ul>
        </section>
        <section class="card advice" aria-labelledby="advice-least">
            <h2 id="advice-least">"Grant the least it needs"</h2>
            <ul>
                <li>"Choose only the scopes an integration uses; prefer read-only scopes, and add write or delete scopes only where the job needs them."</li>
                <li>"Use one token per integration, so each can be changed or retired on its own."</li>
            </ul>
        </section>
        <section class="card advice" aria-labelledby="advice-rotate">
            <h2 id="advice-rotate">"Rotate, and act on any doubt"</h2>
            <ul>
                <li>"Rotate tokens regularly with Reset: the old Auth Token stops working at once, so update the service straight after."</li>
                <li>"If you suspect a token has leaked, reset it immediately, then check its history."</li>
                <li>"Disable a token you don't need for now, and delete one you no longer need at all."</li>
            </ul>
        </section>
        <section class="card advice" aria-labelledby="advice-contacts">
            <h2 id="advice-contacts">"Keep contacts current"</h2>
            <ul>
                <li>"Every token has a primary contact and optional developer emails. They are told about each change, so keep them up to date when people change roles or leave."</li>
            </ul>
        </section>
        <p><a href="/settings/api">"Back to API settings"</a></p>
    }
}

/// The security advice: server-rendered, no code of its own.
pub struct TokenSecurityPage;

impl LazyRoute for TokenSecurityPage {
    fn data() -> Self {
        Self
    }

    async fn view(_this: Self) -> AnyView {
        view! {
        <TokenSecurityView /> }
        .into_any()
    }
}
