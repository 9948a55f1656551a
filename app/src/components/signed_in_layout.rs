//! The frame of every signed-in page: who is signed in (a menu with **Security**,
//! **Change password** and **Sign out everywhere**), **Sign out**, and the navigation to the places the role
//! may open. Nobody signed in is sent to `/login`. The pages inside find the session in
//! the context (the wizard's draft key comes from it); **Sign out** removes that draft from
//! the browser.
//!
//! The pages are rendered beside the frame's `Suspense`, not inside it: on the server a
//! `Suspense` runs its children again until their resources settle, and a page created
//! inside it would create (and load) its resources each time.

use crate::api::session::{get_session_info, SessionInfo};
use crate::components::ErrorPanel;
use crate::domain::places::{places_for, Place};
use crate::domain::wizard::{DraftKey, LEGACY_DRAFT_KEY};
use crate::domain::Role;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};

/// Wraps the signed-in pages. A user still on a temporary password is sent to
/// **Change password** from every other page; one the account requires a second factor of,
/// who has none yet, to **Security**.
#[component]
pub fn SignedInLayout() -> impl IntoView {
    let session: Session = Resource::new(|| (), |_| get_session_info());
    provide_context(session);
    let path = leptos_router::hooks::use_location().pathname;
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(info) if info.must_change_password
                        && path.get_untracked() != "/settings/password" => {
                        view! { <Redirect path="/settings/password" /> }.into_any()
                    }
                    Ok(info) if info.must_add_second_factor
                        && !info.must_change_password
                        && path.get_untracked() != "/settings/security" => {
                        view! { <Redirect path="/settings/security" /> }.into_any()
                    }
                    Ok(info) => view! { <TopBar info /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
        <div class="layout">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    session.await.ok().map(|info| view! { <SideNav role=info.role /> })
                })}
            </Suspense>
            <main class="content">
                <Outlet />
            </main>
        </div>
    }
}

/// The places the role may open, by group.
#[component]
fn SideNav(role: Role) -> impl IntoView {
    let mut groups: Vec<(&'static str, Vec<&'static Place>)> = Vec::new();
    for place in places_for(role) {
        match groups.iter_mut().find(|(group, _)| *group == place.group) {
            Some((_, places)) => places.push(place),
            None => groups.push((place.group, vec![place])),
        }
    }
    // Rendered on the server for each page: the one item the page belongs to is current.
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    let hrefs = std::iter::once("/").chain(places_for(role).map(|place| place.href));
    let current = crate::domain::places::current(&path, hrefs);
    let link = move |href: &'static str, label: &'static str| {
        let here = (current == Some(href)).then_some("page");
        view! { <li><a href=href aria-current=here>{label}</a></li> }
    };
    let nav = move || {
        view! {
            <nav class="sidenav" aria-label="Settings">
                <ul>{link("/", "Home")}</ul>
                {groups
                    .clone()
                    .into_iter()
                    .map(|(group, places)| {
                        view! {
                            <p class="nav-group">{group}</p>
                            <ul>
                                {places
                                    .into_iter()
                                    .map(|place| link(place.href, place.label))
                                    .collect_view()}
                            </ul>
                        }
                    })
                    .collect_view()}
            </nav>
        }
    };
    // On a narrow screen the navigation waits behind **Menu** (a disclosure: no script
    // needed); on a wide one it stands beside the page. One of the two is shown at a time.
    view! {
        <div class="nav-column">
            <details class="nav-menu">
                <summary class="menu-button">"Menu"</summary>
                {nav()}
            </details>
            <div class="nav-wide">{nav()}</div>
        </div>
    }
}

pub type Session = Resource<Result<SessionInfo, AppError>>;

/// The signed-in user's wizard draft key, once the layout's session has loaded; `session`
/// is the layout's context, read while rendering.
pub async fn session_draft_key(session: Option<Session>) -> Option<DraftKey> {
    let info = session?.await.ok()?;
    Some(DraftKey::new(&info.account_sid, info.user_id))
}

#[component]
fn TopBar(info: SessionInfo) -> impl IntoView {
    let key = DraftKey::new(&info.account_sid, info.user_id);
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Tokensmith"</a>
            <div class="who">
                <span class="account" title="Account">{info.account_name.clone()}</span>
                // The user menu: a plain <details>, so it opens without JavaScript too.
                <details class="user-menu">
                    <summary class="user" title="Your sessions">
                        <span class="user-name">{info.user_name}</span>
                        <span class="role">{info.role.label()}</span>
                    </summary>
                    <div class="menu">
                        <p class="menu-who">{format!("Signed in to {} as {}", info.account_name, info.role.label())}</p>
                        <a class="menu-link" href="/settings/security">"Security"</a>
                        <a class="menu-link" href="/settings/password">"Change password"</a>
                        <SignOutForm action="/logout/everywhere" label="Sign out everywhere" key=key.clone() />
                        <p class="hint">"Ends your sessions on every device and browser."</p>
                    </div>
                </details>
                <SignOutForm action="/logout" label="Sign out" key />
            </div>
        </header>
    }
}

/// A plain form post that signs out, and works without JavaScript; in the browser
/// `/enhance.js` first removes the user's wizard draft and the one kept under the key of
/// before drafts were per user (the key is per user, so it never reaches anyone else).
#[component]
fn SignOutForm(
    #[prop(into)] action: String,
    #[prop(into)] label: String,
    key: DraftKey,
) -> impl IntoView {
    view! {
        <form method="post" action=action data-forget-drafts=format!("{} {LEGACY_DRAFT_KEY}", key.as_str())>
            <button type="submit" class="secondary">{label}</button>
        </form>
    }
}
