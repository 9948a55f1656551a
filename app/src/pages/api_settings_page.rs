//! `/settings/api`: the account SID, the API access switch and the account's tokens.

use crate::api::settings::{get_api_settings, ApiSettings};
use crate::api::tokens::{list_tokens, TokenCards};
use crate::components::{
    ApiAccessSwitch, CopyButton, ErrorPanel, ExposurePolicySection, LimitsPolicySection,
    TokenCreationSection, TokenFilters, TokenList, TokenPolicySection,
};
use crate::domain::paging::parse_page;
use crate::domain::token_filter::TokenFilter;
use crate::error::AppError;
use crate::pages::ForbiddenPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use leptos_router::LazyRoute;

/// The API settings page; Analyst and Finance get the 403 page. The list's filters and
/// page come from the URL query. Rendered on the server (`data()` starts the loads,
/// `view()` awaits them). It has no island: the switch, the copy button and the sign-out
/// forms are plain markup that `/enhance.js` brings to life.
pub struct ApiSettingsPage {
    settings: Resource<Result<ApiSettings, AppError>>,
    tokens: Resource<Result<TokenCards, AppError>>,
    filter: Signal<TokenFilter>,
    page: Signal<u32>,
    ignored: Signal<Vec<String>>,
}

impl LazyRoute for ApiSettingsPage {
    fn data() -> Self {
        let query = use_query_map();
        let parsed = Memo::new(move |_| {
            query.with(|q| {
                let (filter, mut ignored) = TokenFilter::from_query(|key| q.get(key));
                let page = parse_page(q.get("page").as_deref()).unwrap_or_else(|bad| {
                    ignored.push(bad);
                    1
                });
                (filter, page, ignored)
            })
        });
        let filter = Signal::derive(move || parsed.with(|(filter, _, _)| filter.clone()));
        let page = Signal::derive(move || parsed.with(|(_, page, _)| *page));
        let ignored = Signal::derive(move || parsed.with(|(_, _, ignored)| ignored.clone()));
        let settings = Resource::new(|| (), |_| get_api_settings());
        let tokens = Resource::new(
            move || (filter.get(), page.get()),
            |(filter, page)| list_tokens(filter, page),
        );
        Self {
            settings,
            tokens,
            filter,
            page,
            ignored,
        }
    }

    async fn view(this: Self) -> AnyView {
        let ApiSettingsPage {
            settings,
            tokens,
            filter,
            page,
            ignored,
        } = this;
        view! {
            <Title text="API" />
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match (settings.await, tokens.await) {
                        (Ok(settings), Ok(tokens)) => view! { <ApiSettingsView settings tokens filter page ignored /> }.into_any(),
                        (Err(error), _) | (_, Err(error)) => match error {
                            AppError::Forbidden => view! { <ForbiddenPage /> }.into_any(),
                            AppError::Unauthorized => view! { <Redirect path="/login" /> }.into_any(),
                            error => view! { <ErrorPanel error /> }.into_any(),
                        },
                    }
                })}
            </Suspense>
        }
        .into_any()
    }
}

#[component]
fn ApiSettingsView(
    settings: ApiSettings,
    tokens: TokenCards,
    filter: Signal<TokenFilter>,
    page: Signal<u32>,
    ignored: Signal<Vec<String>>,
) -> impl IntoView {
    let shown_filter = filter.get_untracked();
    let policy = settings.clone();
    let (exposure, can_set_policy) = (settings.exposure_policy, settings.can_set_policy);
    let limits_policy = settings.limits_policy;
    let (creation, pending) = (settings.token_creation, settings.pending_requests);
    let create_label = if settings.creates_directly {
        "Create Access Token"
    } else {
        "Request Access Token"
    };
    let asked_page = page.get_untracked();
    view! {
        <header class="page-header">
            <div>
                <h1>"API"</h1>
                <p class="lede">
                    "Create access tokens for the services that call the brand API on your account's behalf."
                </p>
            </div>
            <a class="button primary" href="/settings/api/tokens/new">{create_label}</a>
        </header>
        <p class="security-link">
            <a href="/settings/api/security">"Keep your access tokens secure"</a>
            " — how to share, store and rotate them."
        </p>
        <section class="card" aria-labelledby="credentials-heading">
            <h2 id="credentials-heading">"Account credentials"</h2>
            <div class="field-row">
                <span class="field-label" id="account-sid-label">"Account SID"</span>
                <code class="sid" aria-labelledby="account-sid-label">{settings.account_sid.clone()}</code>
                <CopyButton value=settings.account_sid label="Account SID" />
            </div>
            <ApiAccessSwitch enabled=settings.api_access_enabled />
        </section>
        <TokenPolicySection settings=policy />
        <TokenCreationSection creation can_set=can_set_policy pending />
        {can_set_policy.then(|| view! {
            <section class="card" aria-labelledby="webhooks-heading">
                <h2 id="webhooks-heading">"Webhooks"</h2>
                <p>
                    "Send every token event to your own systems, signed. "
                    <a href="/settings/api/webhooks">"Webhooks"</a>
                </p>
            </section>
        })}
        <ExposurePolicySection policy=exposure can_set=can_set_policy />
        <LimitsPolicySection policy=limits_policy can_set=can_set_policy />
        <section class="card" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">"Access tokens"</h2>
            <TokenFilters filter />
            {move || {
                let ignored = ignored.get();
                (!ignored.is_empty()).then(|| view! {
                    <p class="alert info" role="status">
                        {format!("Ignored a filter this page doesn't know: {}.", ignored.join(", "))}
                    </p>
                })
            }}
            <TokenList tokens filter=shown_filter asked_page />
        </section>
    }
}
