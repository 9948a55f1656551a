//! The token detail page's body: facts, the editors (reusing the wizard's fields), the
//! lifecycle actions, the audit history and the contacts' outbox.
//!
//! Two views of the token: `token`, loaded once, is where the editors start; `live` starts
//! as the same answer (the page asks the server once) and is reloaded after every change;
//! it feeds everything else (name, state, revision, version,
//! history, outbox). Saving one section therefore never throws away unsaved edits in
//! another.
//!
//! Every change names the revision of what it was made from, so the server refuses it
//! (409, **Reload**) if someone else changed the token since. The editors save at the
//! revision they were loaded at, moved on only by this page's own successful changes made
//! from that same revision (which touch nothing in the other sections): a change made
//! elsewhere in between is never absorbed by them, even after `live` has reloaded it. The
//! header's actions and **Upgrade version** save at the revision of the live token they
//! were drawn from.

mod actions;
mod editing;
mod editors;
mod records;
mod summaries;

use crate::api::tokens::{get_token, ChangeToken, TokenDetail};
use crate::components::{ActionError, CopyButton, ErrorPanel, ExpiryTime, ExposureNote};
use crate::domain::expiration::{Expiration, TokenPolicy, PRESET_DAYS};
use crate::domain::token_filter::state_badge;
use crate::domain::TokenChange;
use crate::error::AppError;
use actions::{ActionBar, NewSecret};
use editing::{EditPanel, Editor};
use editors::UpgradeVersion;
use leptos::prelude::*;
use records::{History, OutboxList};
use summaries::{AllowedIpsSummary, ContactsSummary, LimitsSummary, ScopesSummary};

/// The token as it is now: the page's answer at first, reloaded after each change.
type LiveToken = RwSignal<Result<TokenDetail, AppError>>;

/// Renders `render` with the live token; the old content stays while it reloads.
fn live_view(
    live: LiveToken,
    show_error: bool,
    render: impl Fn(TokenDetail) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    move || match live.get() {
        Ok(token) => render(token),
        Err(error) if show_error => view! { <ErrorPanel error /> }.into_any(),
        Err(_) => ().into_any(),
    }
}

/// Asks the server for the token again after a change; an answer overtaken by a later
/// request's is dropped.
fn reload_live(live: LiveToken, sid: String, pages: (u32, u32), asked: StoredValue<u64>) {
    asked.update_value(|n| *n += 1);
    let mine = asked.get_value();
    leptos::task::spawn_local(async move {
        let answer = get_token(sid, pages.0, pages.1).await;
        if asked.try_get_value() == Some(mine) {
            live.try_set(answer);
        }
    });
}

/// The page's sections, in order: `(id, label)`; each is reached by `#id` from the menu
/// under the summary header.
pub const SECTIONS: [(&str, &str); 5] = [
    ("overview", "Overview"),
    ("access", "Access"),
    ("contacts", "Contacts"),
    ("usage", "Usage"),
    ("history", "History"),
];

/// Everything about one token; `change` is the page's one action for every edit. The
/// summary header comes first, then the sections; `children` is the **Usage** section
/// (rendered on the server).
#[component]
pub fn TokenDetailView(
    token: TokenDetail,
    change: ServerAction<ChangeToken>,
    secret: RwSignal<Option<String>>,
    reload: Callback<()>,
    children: Children,
) -> impl IntoView {
    // The revision the editors' contents were loaded at, and the one the last change sent.
    let editors_at = RwSignal::new(token.version);
    let sent_at = StoredValue::new(None::<i64>);
    let live: LiveToken = RwSignal::new(Ok(token.clone()));
    let asked = StoredValue::new(0u64);
    let sid = StoredValue::new(token.sid.clone());
    // The history and outbox pages the URL asked for stay in view as the token reloads.
    let pages = (token.history_page.number, token.outbox_page.number);
    Effect::new(move |_| {
        if let Some(Ok(outcome)) = change.value().get() {
            // Our own change from the editors' revision: nothing else happened in between.
            if sent_at.get_value() == Some(editors_at.get_untracked()) {
                editors_at.set(outcome.version);
            }
            sent_at.set_value(None);
            if !outcome.deleted {
                reload_live(live, sid.get_value(), pages, asked);
            }
        }
    });
    let dispatch = move |version: i64, change_to: TokenChange| {
        sent_at.set_value(Some(version));
        change.dispatch(ChangeToken {
            sid: sid.get_value(),
            version,
            change: change_to,
        });
    };
    // The editors: at their own revision. The live views: at the revision they show.
    let send = Callback::new(move |change_to| dispatch(editors_at.get_untracked(), change_to));
    let send_at = move |version: i64| Callback::new(move |change_to| dispatch(version, change_to));
    view! {
        {live_view(live, true, move |t| {
            let send = send_at(t.version);
            view! { <Header token=t send /> }.into_any()
        })}
        <SectionMenu />
        <ChangeStatus change reload />
        <NewSecret secret />
        <section class="card section" id="overview" aria-labelledby="overview-heading">
            <h2 id="overview-heading">"Overview"</h2>
            {live_view(live, false, move |t| {
                let send = send_at(t.version);
                view! { <Facts token=t send /> }.into_any()
            })}
            <EditPanel which=Editor::Overview token=token.clone() change send />
            {live_view(live, false, move |t| {
                let send = send_at(t.version);
                view! { <UpgradeVersion current=t.api_version send /> }.into_any()
            })}
        </section>
        <div class="section" id="access">
            <section class="card" aria-label="Scopes">
                {live_view(live, false, |t| view! { <ScopesSummary token=t /> }.into_any())}
                <EditPanel which=Editor::Scopes token=token.clone() change send />
            </section>
            <section class="card" aria-label="Allowed IP addresses">
                {live_view(live, false, |t| view! { <AllowedIpsSummary token=t /> }.into_any())}
                <EditPanel which=Editor::AllowedIps token=token.clone() change send />
            </section>
            <section class="card" aria-label="Limits">
                {live_view(live, false, |t| view! { <LimitsSummary token=t /> }.into_any())}
                <EditPanel which=Editor::Limits token=token.clone() change send />
            </section>
        </div>
        <section class="card section" id="contacts" aria-label="Contacts">
            {live_view(live, false, |t| view! { <ContactsSummary token=t /> }.into_any())}
            <EditPanel which=Editor::Contacts token change send />
        </section>
        <div class="section" id="usage">{children()}</div>
        <div class="section" id="history">
            {live_view(live, false, move |t| {
                let href = Callback::new(move |n: u32| records::token_href(&sid.get_value(), n, pages.1));
                view! { <History entries=t.history page=t.history_page href /> }.into_any()
            })}
            {live_view(live, false, move |t| {
                let href = Callback::new(move |n: u32| records::token_href(&sid.get_value(), pages.0, n));
                view! { <OutboxList entries=t.outbox page=t.outbox_page href /> }.into_any()
            })}
        </div>
    }
}

/// The sections' menu: plain links to the sections' anchors (`#usage`), so a section can
/// be linked, and opened without JavaScript.
#[component]
fn SectionMenu() -> impl IntoView {
    view! {
        <nav class="section-menu" aria-label="Sections">
            <ul>
                {SECTIONS
                    .into_iter()
                    .map(|(id, label)| view! { <li><a href=format!("#{id}")>{label}</a></li> })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// The summary: name, state, expiry (with **Renew**), last use, calls in the last 7 days,
/// the SID, and the lifecycle buttons.
#[component]
fn Header(token: TokenDetail, send: Callback<TokenChange>) -> impl IntoView {
    let calls = token.usage.recent_calls(7);
    let (state_class, state) = state_badge(token.expiry.expired, token.enabled);
    view! {
        <header class="page-header">
            <div>
                <p class="breadcrumb">
                    <a href="/settings/api">"API"</a>
                    " / Access token"
                </p>
                <div class="title-row">
                    <h1>{token.name.clone()}</h1>
                    {token.exposure.is_some().then(|| view! { <span class="state exposed">"Exposed"</span> })}
                    <span class=state_class>{state}</span>
                </div>
                {(!token.description.is_empty()).then(|| view! { <p class="lede">{token.description.clone()}</p> })}
                {token.exposure.clone().map(|exposure| view! { <ExposureNote exposure /> })}
                <dl class="facts summary-facts">
                    <div>
                        <dt>"Expiration"</dt>
                        <dd><ExpiryTime expiry=token.expiry.clone() /> " " <Renew policy=token.token_policy send /></dd>
                    </div>
                    <div><dt>"Last used"</dt><dd>{token.last_used_at.clone().unwrap_or_else(|| "never".to_string())}</dd></div>
                    <div><dt>"Calls in the last 7 days"</dt><dd>{calls}</dd></div>
                    <div>
                        <dt>"Token SID"</dt>
                        <dd><code>{token.sid.clone()}</code> <CopyButton value=token.sid.clone() label="Token SID" /></dd>
                    </div>
                </dl>
            </div>
            <ActionBar token send />
        </header>
    }
}

/// SID, secret hint, version, dates, limits, and a Reset's old secret while it works.
#[component]
fn Facts(token: TokenDetail, send: Callback<TokenChange>) -> impl IntoView {
    let old_secret = token.old_secret_until.clone().map(|until| {
        view! {
            <div class="old-secret">
                <dt>"Old secret"</dt>
                <dd>
                    "Still works until " <ExpiryTime expiry=until /> " "
                    <button type="button" class="secondary" on:click=move |_| send.run(TokenChange::RevokeOldSecret)>
                        "Revoke old secret now"
                    </button>
                </dd>
            </div>
        }
    });
    let allowed_ips = if token.allowed_ips.is_empty() {
        "Any address".to_string()
    } else {
        token.allowed_ips.join(", ")
    };
    view! {
        <dl class="facts">
            <div>
                <dt>"Auth Token"</dt>
                <dd>
                    <code>{token.secret_hint}</code>
                    {token.secret_revoked.then_some(" — revoked: Reset the token to issue a new secret")}
                </dd>
            </div>
            <div><dt>"API version"</dt><dd>{format!("v{}", token.api_version)}</dd></div>
            <div><dt>"Created"</dt><dd>{format!("{} by {}", token.created_at, token.created_by)}</dd></div>
            <div><dt>"Last changed"</dt><dd>{format!("{} (revision {})", token.updated_at, token.version)}</dd></div>
            <div><dt>"Allowed IP addresses"</dt><dd>{allowed_ips}</dd></div>
            <div><dt>"Rate limit"</dt><dd>{token.limits.rate_words()}</dd></div>
            <div><dt>"Quota"</dt><dd>{token.limits.quota_words()}</dd></div>
            {token.budget.clone().map(|(_, name)| view! {
                <div><dt>"Budget"</dt><dd><a href="/settings/api/budgets">{name}</a></dd></div>
            })}
            {old_secret}
        </dl>
    }
}

/// **Renew**: a new lifetime from now, within the account's policy; the secret stays.
#[component]
fn Renew(policy: TokenPolicy, send: Callback<TokenChange>) -> impl IntoView {
    let choices: Vec<Expiration> = PRESET_DAYS
        .into_iter()
        .filter(|days| policy.max_lifetime_days.is_none_or(|max| *days <= max))
        .map(Expiration::Days)
        .chain(policy.never_allowed().then_some(Expiration::Never))
        .collect();
    // The longest lifetime by default; never only if chosen.
    let longest = choices
        .iter()
        .rev()
        .find(|choice| matches!(choice, Expiration::Days(_)))
        .cloned()
        .unwrap_or_default();
    let chosen = RwSignal::new(longest);
    let label = |choice: &Expiration| match choice {
        Expiration::Days(days) => format!("{days} days from now"),
        _ => "Never expires".to_string(),
    };
    view! {
        <span class="renew">
            <label for="renew-expiration" class="visually-hidden">"Renew for"</label>
            <select
                id="renew-expiration"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    chosen.set(match value.as_str() {
                        "never" => Expiration::Never,
                        days => Expiration::Days(days.parse().unwrap_or(0)),
                    });
                }
            >
                {choices
                    .iter()
                    .map(|choice| {
                        let value = match choice {
                            Expiration::Days(days) => days.to_string(),
                            _ => "never".to_string(),
                        };
                        let selected = chosen.get_untracked() == *choice;
                        view! { <option value=value selected=selected>{label(choice)}</option> }
                    })
                    .collect_view()}
            </select>
            <button
                type="button"
                class="secondary"
                on:click=move |_| send.run(TokenChange::Renew { expiration: chosen.get_untracked() })
            >
                "Renew"
            </button>
        </span>
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
            Some(Err(error)) => view! { <ActionError error /> }.into_any(),
            None => ().into_any(),
        }
    }
}
