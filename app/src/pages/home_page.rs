//! `/`: where every role lands after signing in. Who you are, your account and role, the
//! places you may open, and for roles without API access, who in the account can help.
//! Rendered on the server; no code of its own.

use crate::api::session::{get_home, ExposedToken, HomeInfo, EXPOSED_SHOWN};
use crate::components::{ErrorPanel, ExposureNote};
use crate::domain::places::places_for;
use crate::domain::{contact_label, Permission};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::LazyRoute;

/// The home page.
pub struct HomePage {
    home: Resource<Result<HomeInfo, AppError>>,
}

impl LazyRoute for HomePage {
    fn data() -> Self {
        Self {
            home: Resource::new(|| (), |_| get_home()),
        }
    }

    async fn view(this: Self) -> AnyView {
        let home = this.home;
        view! {
            <Title text="Home" />
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match home.await {
                        Ok(info) => view! { <HomeView info /> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        }
        .into_any()
    }
}

#[component]
fn HomeView(info: HomeInfo) -> impl IntoView {
    let manages_tokens = info.role.allows(Permission::ManageTokens);
    let places = places_for(info.role)
        .map(|place| {
            view! {
                <li>
                    <a href=place.href>{place.label}</a>
                    <span class="hint">{format!(" — {}", place.purpose)}</span>
                </li>
            }
        })
        .collect_view();
    let help = (!manages_tokens).then(|| view! { <TokenHelp info=info.clone() /> });
    let exposed =
        (!info.exposed.is_empty()).then(|| view! { <ExposedTokens tokens=info.exposed.clone() /> });
    view! {
        <header class="page-header">
            <div>
                <h1>{format!("Welcome, {}", info.name)}</h1>
                <p class="lede">{format!("You are signed in to {} as {}.", info.account_name, info.role.label())}</p>
            </div>
        </header>
        {exposed}
        <section class="card" aria-labelledby="you-heading">
            <h2 id="you-heading">"You"</h2>
            <dl class="facts">
                <div><dt>"Name"</dt><dd>{info.name.clone()}</dd></div>
                <div><dt>"Email"</dt><dd>{info.email.clone()}</dd></div>
                <div><dt>"Role"</dt><dd>{info.role.label()}</dd></div>
                <div><dt>"Account"</dt><dd>{info.account_name.clone()}</dd></div>
                <div><dt>"Account SID"</dt><dd><code>{info.account_sid.to_string()}</code></dd></div>
            </dl>
        </section>
        {help}
        <section class="card" aria-labelledby="places-heading">
            <h2 id="places-heading">"Where you can go"</h2>
            <ul class="places">{places}</ul>
        </section>
    }
}

/// For Analyst and Finance: API tokens need someone else, and who.
#[component]
fn TokenHelp(info: HomeInfo) -> impl IntoView {
    let people = if info.token_managers.is_empty() {
        view! { <p>"Nobody in this account can manage API tokens right now."</p> }.into_any()
    } else {
        view! {
            <p>{format!("In {}, they are:", info.account_name)}</p>
            <ul class="people">
                {info
                    .token_managers
                    .iter()
                    .map(|person| {
                        let mail = format!("mailto:{}", person.email);
                        view! {
                            <li>
                                <a href=mail>{contact_label(&person.name, &person.email)}</a>
                                <span class="hint">{format!(" — {}", person.role.label())}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="tokens-help-heading">
            <h2 id="tokens-help-heading">"API access tokens"</h2>
            <p>
                {format!(
                    "As {}, you don't manage the account's API settings. Access tokens are created and managed by Account Administrators and Implementation Specialists: ask one of them if you need a token or a change to one.",
                    info.role.label()
                )}
            </p>
            {people}
        </section>
    }
}

/// For those who manage tokens: the tokens whose secrets were reported exposed, first.
#[component]
fn ExposedTokens(tokens: Vec<ExposedToken>) -> impl IntoView {
    let count = tokens.len();
    let more = (count as u32 >= EXPOSED_SHOWN).then(|| {
        view! { <p><a href="/settings/api?state=exposed">"See every exposed token"</a></p> }
    });
    view! {
        <section class="card attention" aria-labelledby="exposed-heading">
            <h2 id="exposed-heading">"Exposed tokens"</h2>
            <p>
                {if count == 1 {
                    "A secret of this token was found in public. Reset it, and update the services that use it:".to_string()
                } else {
                    format!("Secrets of these {count} tokens were found in public. Reset each, and update the services that use it:")
                }}
            </p>
            <ul class="exposed-tokens">
                {tokens
                    .into_iter()
                    .map(|token| {
                        let href = format!("/settings/api/tokens/{}", token.sid);
                        view! {
                            <li>
                                <a href=href>{token.name}</a>
                                <ExposureNote exposure=token.exposure />
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {more}
        </section>
    }
}
