//! `/settings/security`' controls: **Set up authenticator app** (a QR code and the key to
//! type, then a first code), the recovery codes shown once, **Generate new recovery
//! codes** and **Remove**.

use crate::api::security::{
    get_security, AppSetUp, ConfirmApp, RecoveryCodes, RegenerateRecoveryCodes, RemoveApp,
    SecurityOverview, StartAppSetUp,
};
use crate::components::{ActionError, CopyButton};
use crate::domain::second_factor::RECOVERY_CODES;
use crate::error::AppError;
use leptos::prelude::*;

/// The page's body: an island (its code in the main module, as `crate::hydration` says).
#[island]
pub fn SecurityEditor(overview: SecurityOverview) -> impl IntoView {
    crate::browser::island_ready();
    let overview = RwSignal::new(overview);
    let set_up = RwSignal::new(None::<AppSetUp>);
    let codes = RwSignal::new(None::<RecoveryCodes>);
    let error = RwSignal::new(None::<AppError>);
    let code = RwSignal::new(String::new());
    let start = ServerAction::<StartAppSetUp>::new();
    let confirm = ServerAction::<ConfirmApp>::new();
    let regenerate = ServerAction::<RegenerateRecoveryCodes>::new();
    let remove = ServerAction::<RemoveApp>::new();
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = get_security().await {
                overview.set(fresh);
            }
        })
    };
    let failed = move |failure: AppError| match failure {
        AppError::Unauthorized => crate::browser::go_to("/login"),
        other => error.set(Some(other)),
    };
    Effect::new(move |_| match start.value().get() {
        Some(Ok(shown)) => set_up.set(Some(shown)),
        Some(Err(failure)) => failed(failure),
        None => {}
    });
    Effect::new(move |_| match confirm.value().get() {
        Some(Ok(new)) => {
            set_up.set(None);
            code.set(String::new());
            codes.set(Some(new));
            refresh();
        }
        Some(Err(failure)) => failed(failure),
        None => {}
    });
    Effect::new(move |_| match regenerate.value().get() {
        Some(Ok(new)) => {
            codes.set(Some(new));
            refresh();
        }
        Some(Err(failure)) => failed(failure),
        None => {}
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => {
            codes.set(None);
            refresh();
        }
        Some(Err(failure)) => failed(failure),
        None => {}
    });
    let submit_code = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        error.set(None);
        confirm.dispatch(ConfirmApp {
            code: code.get_untracked(),
        });
    };
    let busy = move || {
        start.pending().get()
            || confirm.pending().get()
            || regenerate.pending().get()
            || remove.pending().get()
    };
    view! {
        <header class="page-header">
            <div>
                <h1>"Security"</h1>
                <p class="lede">
                    "How you sign in. With a passkey or an authenticator app, a stolen password alone can't open your account."
                </p>
                {move || overview.with(|o| o.must_add_factor).then(|| view! {
                    <p class="alert warning" role="alert">
                        "Your account requires two-factor authentication. Add a passkey or set up an authenticator app to continue."
                    </p>
                })}
            </div>
        </header>
        {move || error.get().map(|error| view! { <ActionError error /> })}
        <section class="card" aria-labelledby="app-heading">
            <h2 id="app-heading">"Authenticator app"</h2>
            {move || match (overview.get().app, set_up.get()) {
                (Some(app), _) => view! {
                    <p>
                        {format!("On since {}. ", app.added)}
                        {match app.last_used {
                            Some(at) => format!("A code was last used {at}."),
                            None => "No code used yet.".to_string(),
                        }}
                    </p>
                    <button
                        type="button"
                        class="danger"
                        disabled=busy
                        on:click=move |_| {
                            error.set(None);
                            remove.dispatch(RemoveApp {});
                        }
                    >
                        "Remove authenticator app"
                    </button>
                }
                .into_any(),
                (None, Some(shown)) => view! {
                    <ol class="set-up-steps">
                        <li>
                            <p>"Scan this QR code with your authenticator app, or type the key."</p>
                            <div class="qr" inner_html=shown.qr_svg></div>
                            <p>
                                "Key: "<code class="manual-key" aria-label="Key">{shown.manual_key.clone()}</code>
                                " "<CopyButton value=shown.manual_key.replace(' ', "") label="key" />
                            </p>
                        </li>
                        <li>
                            <form class="editor" on:submit=submit_code>
                                <label for="app-code">"Code from the app"</label>
                                <input
                                    id="app-code"
                                    type="text"
                                    inputmode="numeric"
                                    autocomplete="one-time-code"
                                    maxlength="64"
                                    prop:value=move || code.get()
                                    on:input=move |ev| code.set(event_target_value(&ev))
                                />
                                <button type="submit" class="primary" disabled=busy>"Confirm"</button>
                            </form>
                        </li>
                    </ol>
                }
                .into_any(),
                (None, None) => view! {
                    <p>"Not set up. Any app that shows 6-digit codes works (RFC 6238)."</p>
                    <button
                        type="button"
                        class="primary"
                        disabled=busy
                        on:click=move |_| {
                            error.set(None);
                            start.dispatch(StartAppSetUp {});
                        }
                    >
                        "Set up authenticator app"
                    </button>
                }
                .into_any(),
            }}
        </section>
        <section class="card" aria-labelledby="codes-heading">
            <h2 id="codes-heading">"Recovery codes"</h2>
            {move || codes.get().map(|shown| view! {
                <div class="alert warning" role="status">
                    <p>"Save these codes somewhere safe now: they are shown only this once, and each works once if you lose your device."</p>
                    <ol class="recovery-codes" aria-label="Recovery codes">
                        {shown.codes.iter().map(|c| view! { <li><code>{c.clone()}</code></li> }).collect_view()}
                    </ol>
                    <CopyButton value=shown.codes.join("\n") label="recovery codes" />
                </div>
            })}
            {move || match overview.with(|o| o.app.is_some() || !o.passkeys.is_empty()) {
                true => view! {
                    <p>{format!("{} of {RECOVERY_CODES} unused.", overview.with(|o| o.recovery_codes_left))}</p>
                    <button
                        type="button"
                        class="secondary"
                        disabled=busy
                        on:click=move |_| {
                            error.set(None);
                            regenerate.dispatch(RegenerateRecoveryCodes {});
                        }
                    >
                        "Generate new recovery codes"
                    </button>
                }
                .into_any(),
                false => view! { <p>"You get 10 recovery codes when you add a second factor: an authenticator app or a passkey."</p> }.into_any(),
            }}
        </section>
    }
}
