//! `/`: where every role lands after signing in. For those who manage tokens, what needs
//! them (each item a link to the token list filtered to it) and the latest activity; for
//! roles without API access, the places they may open and who in the account can help.
//! Rendered on the server; no code of its own.

use crate::api::activity::ActivityEvent;
use crate::api::session::{get_home, Attention, ExposedToken, HomeInfo, EXPOSED_SHOWN};
use crate::components::{ErrorPanel, ExposureNote};
use crate::domain::attention;
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
    let needs = manages_tokens.then(|| {
        view! {
            <NeedsAttention
                items=info.attention.clone()
                pending=info.pending_requests
                api_access=info.api_access_enabled
            />
        }
    });
    let recent = info
        .recent
        .clone()
        .map(|events| view! { <RecentActivity events /> });
    // Those who manage tokens know the navigation; the others see what each place is for.
    let places = (!manages_tokens).then(|| {
        view! {
            <section class="card" aria-labelledby="places-heading">
                <h2 id="places-heading">"Where you can go"</h2>
                <ul class="places">{places}</ul>
            </section>
        }
    });
    view! {
        <header class="page-header">
            <div>
                <h1>{format!("Welcome, {}", info.name)}</h1>
                <p class="lede">{format!("You are signed in to {} as {}.", info.account_name, info.role.label())}</p>
            </div>
        </header>
        {exposed}
        {needs}
        {help}
        {places}
        {recent}
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
    }
}

/// **Needs attention**: API access off, pending requests, then each filter of the token
/// list home watches, with its count and first tokens.
#[component]
fn NeedsAttention(items: Vec<Attention>, pending: Option<i64>, api_access: bool) -> impl IntoView {
    let off = (!api_access).then(|| {
        view! {
            <li class="attention-item warn">
                <a href="/settings/api">"API access is off"</a>
                <p class="hint">"No token of this account can call the API until it is turned on."</p>
            </li>
        }
    });
    let requests = pending.map(|count| {
        view! {
            <li class={if count > 0 { "attention-item" } else { "attention-item none" }}>
                <a href="/settings/api/requests?state=pending">
                    <span class="attention-count">{count}</span>
                    " Pending requests"
                </a>
                <p class="hint">"Token requests waiting for a decision."</p>
            </li>
        }
    });
    let items = items
        .into_iter()
        .map(|item| {
            let names = (!item.tokens.is_empty()).then(|| {
                view! {
                    <ul class="attention-tokens">
                        {item
                            .tokens
                            .into_iter()
                            .map(|(sid, name)| {
                                let href = format!("/settings/api/tokens/{sid}");
                                view! { <li><a href=href>{name}</a></li> }
                            })
                            .collect_view()}
                    </ul>
                }
            });
            view! {
                <li class={if item.count > 0 { "attention-item" } else { "attention-item none" }}>
                    <a href=attention::href(item.item)>
                        <span class="attention-count">{item.count}</span>
                        " "
                        {item.item.label()}
                    </a>
                    <p class="hint">{attention::advice(item.item)}</p>
                    {names}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="attention-heading">
            <h2 id="attention-heading">"Needs attention"</h2>
            <ul class="attention">{off}{requests}{items}</ul>
        </section>
    }
}

/// The latest events of Activity.
#[component]
fn RecentActivity(events: Vec<ActivityEvent>) -> impl IntoView {
    let list = if events.is_empty() {
        view! { <p class="empty">"Nothing has happened in this account yet."</p> }.into_any()
    } else {
        view! {
            <ol class="recent">
                {events
                    .into_iter()
                    .map(|event| {
                        let token = event.token.map(|(sid, name)| {
                            let href = format!("/settings/api/tokens/{sid}");
                            view! { " — " <a href=href>{name}</a> }
                        });
                        view! {
                            <li>
                                <time datetime=event.datetime data-local="">{event.at}</time>
                                <span>{event.summary}</span>
                                <span class="hint">{format!(" by {}", event.actor)}{token}</span>
                                {(!event.lines.is_empty()).then(|| view! {
                                    <span class="recent-detail">{event.lines.join("; ")}</span>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="recent-heading">
            <h2 id="recent-heading">"Recent activity"</h2>
            {list}
            <p><a href="/settings/activity">"See all activity"</a></p>
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
