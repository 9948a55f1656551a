//! Passkeys on the pages: the Security page's **Passkeys** card, and the passkey buttons of
//! sign-in, its second step and **Confirm access**. Server-rendered; `/passkey.js` runs the
//! ceremonies (WebAuthn needs a script: without one the buttons stay hidden).

use crate::api::security::{PasskeySummary, RemovePasskey, RenamePasskey};
use crate::domain::passkey::{MAX_NAME_CHARS, MAX_PASSKEYS};
use crate::hydration::AFTER_FIRST_PAINT;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The origin passkeys work at (`TOKENSMITH_PUBLIC_URL`); `None`: passkeys are off.
pub fn passkeys_origin() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::ssr::state::AppState>()
            .and_then(|state| state.passkeys.as_ref().map(|p| p.origin().to_string()))
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// A button that runs a passkey ceremony for `purpose` (`sign_in`, `second_step`,
/// `confirm_access`), with the place its outcome is said. Hidden until the script finds the
/// browser able; nothing at all when passkeys are off.
#[component]
pub fn PasskeyButton(
    purpose: &'static str,
    label: &'static str,
    #[prop(optional, into)] next: Option<String>,
) -> impl IntoView {
    passkeys_origin().map(|origin| {
        view! {
            <div class="passkey" data-passkey-origin=origin hidden>
                <button type="button" class="secondary" data-passkey=purpose data-next=next>
                    {label}
                </button>
                <p class="alert error passkey-status" role="alert" hidden></p>
            </div>
            <PasskeyScript />
        }
    })
}

/// `/passkey.js`, imported after the first paint: a `src` script is fetched while the page
/// is parsed, and on a slow link that fetch delays the first paint.
#[component]
fn PasskeyScript() -> impl IntoView {
    let code = format!("{AFTER_FIRST_PAINT}import(\"/passkey.js\");");
    view! { <script type="module" nonce=leptos::nonce::use_nonce() inner_html=code></script> }
}

/// The **Passkeys** card: the user's passkeys with **Rename** and **Remove**, and **Add a
/// passkey**.
#[component]
pub fn PasskeysCard(passkeys: Vec<PasskeySummary>, at: Option<String>) -> impl IntoView {
    let count = passkeys.len();
    let list = (!passkeys.is_empty()).then(|| {
        view! {
            <ul class="passkeys">
                {passkeys.into_iter().map(|passkey| view! { <PasskeyItem passkey /> }).collect_view()}
            </ul>
        }
    });
    let adding = match at {
        Some(origin) if count < MAX_PASSKEYS => view! { <AddPasskey origin /> }.into_any(),
        Some(_) => view! {
            <p>{format!("You have {MAX_PASSKEYS} passkeys, the most one user may keep. Remove one to add another.")}</p>
        }
        .into_any(),
        None => view! {
            <p>"Passkeys are off on this server: its operator sets TOKENSMITH_PUBLIC_URL to the address the console is opened at."</p>
        }
        .into_any(),
    };
    view! {
        <section class="card" aria-labelledby="passkeys-heading">
            <h2 id="passkeys-heading">"Passkeys"</h2>
            <p>
                "A passkey signs you in with your device's screen lock or a security key: nothing to type, nothing a fake site can catch. It works alone (Sign in with a passkey) or after your password."
            </p>
            {(count == 0).then(|| view! { <p>"You have no passkeys."</p> })}
            {list}
            {adding}
        </section>
    }
}

#[component]
fn PasskeyItem(passkey: PasskeySummary) -> impl IntoView {
    let used = match &passkey.last_used {
        Some(at) => format!("Last used {at}"),
        None => "Never used".to_string(),
    };
    let rename_id = format!("passkey-name-{}", passkey.id);
    let id = passkey.id.to_string();
    view! {
        <li class="passkey-item">
            <p>
                <strong>{passkey.name.clone()}</strong>
                <br />
                <span class="muted">{format!("Added {}. {used}.", passkey.added)}</span>
            </p>
            <form class="inline-form" method="post" action=RenamePasskey::url()>
                <input type="hidden" name="id" value=id.clone() />
                <label for=rename_id.clone()>{format!("New name for {}", passkey.name)}</label>
                <input id=rename_id name="name" required maxlength=MAX_NAME_CHARS value=passkey.name.clone() />
                <button type="submit" class="secondary">"Rename"</button>
            </form>
            <form method="post" action=RemovePasskey::url()>
                <input type="hidden" name="id" value=id />
                <button type="submit" class="danger" aria-label=format!("Remove {}", passkey.name)>
                    "Remove"
                </button>
            </form>
        </li>
    }
}

#[component]
fn AddPasskey(origin: String) -> impl IntoView {
    view! {
        <div class="passkey" data-passkey-origin=origin hidden>
            <div class="field">
                <label for="new-passkey-name">"Passkey name"</label>
                <input id="new-passkey-name" maxlength=MAX_NAME_CHARS placeholder="Work laptop" />
            </div>
            <button type="button" data-passkey="register" data-name-field="new-passkey-name">
                "Add a passkey"
            </button>
            <p class="alert error passkey-status" role="alert" hidden></p>
            <div class="alert warning passkey-codes" role="status" hidden>
                <p>"Save these codes somewhere safe now: they are shown only this once, and each works once if you lose your passkeys."</p>
                <ol class="recovery-codes" aria-label="Recovery codes"></ol>
                <a href="/settings/security">"I have saved my recovery codes"</a>
            </div>
        </div>
        <PasskeyScript />
    }
}
