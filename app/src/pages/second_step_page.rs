//! `/login/two-factor`: the second step of signing in, for a user with a second factor. It
//! offers what the user has: a code from their authenticator app, their passkey, and always
//! a recovery code. Plain form posts, like the first step; the passkey button needs a script.

use super::login_page::FailureAlert;
use crate::components::PasskeyButton;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// Given by the server when it answers a wrong second-factor code by showing the second
/// step again.
#[derive(Debug, Clone)]
pub struct SecondStepFailure {
    /// What went wrong, as the page says it.
    pub message: String,
    /// The factors of the user signing in.
    pub factors: PendingFactors,
}

/// Which second factors the user signing in has. Unknown (no pending sign-in found): both,
/// so that the page offers everything and the server decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingFactors {
    pub app: bool,
    pub passkeys: bool,
}

impl Default for PendingFactors {
    fn default() -> Self {
        Self {
            app: true,
            passkeys: true,
        }
    }
}

/// The factors of the pending sign-in whose cookie the request carries.
async fn pending_factors() -> PendingFactors {
    #[cfg(feature = "ssr")]
    {
        use crate::ssr::db::pending_sign_ins;
        use crate::ssr::pending_cookie::PendingCookie;
        let Some(parts) = use_context::<http::request::Parts>() else {
            return PendingFactors::default();
        };
        let Ok(state) = crate::ssr::state::app_state() else {
            return PendingFactors::default();
        };
        let secure = crate::ssr::auth::is_secure(state.secure_cookies, &parts.headers);
        let Some(cookie) = PendingCookie::from_headers(&parts.headers, secure) else {
            return PendingFactors::default();
        };
        let now = crate::ssr::now();
        let Ok(Some(pending)) = pending_sign_ins::find(&state.pool, &cookie.hash(), now).await
        else {
            return PendingFactors::default();
        };
        factors_of(&state.pool, pending.user_id)
            .await
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        PendingFactors::default()
    }
}

/// The factors of `user_id`.
#[cfg(feature = "ssr")]
pub async fn factors_of(
    pool: &crate::ssr::db::Db,
    user_id: i64,
) -> Result<PendingFactors, crate::error::AppError> {
    use crate::ssr::db::{passkeys, second_factors};
    let app = second_factors::totp(pool, user_id)
        .await?
        .is_some_and(|app| app.confirmed_at.is_some());
    let passkeys = passkeys::has_any(pool, user_id).await?;
    Ok(PendingFactors { app, passkeys })
}

/// The second step of signing in.
#[component]
pub fn SecondStepPage() -> impl IntoView {
    let failure = use_context::<SecondStepFailure>();
    // A failure re-rendered by the form post knows the factors: no waiting (that render
    // streams). The page itself waits for them (its route renders whole, `SsrMode::Async`),
    // so that it works without JavaScript.
    let factors = match failure {
        Some(failure) => {
            let message = Some(failure.message);
            view! { <Factors factors=failure.factors message /> }.into_any()
        }
        None => {
            let factors = OnceResource::new(pending_factors());
            view! {
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let factors = factors.await;
                        view! { <Factors factors message=None /> }
                    })}
                </Suspense>
            }
            .into_any()
        }
    };
    view! {
        <Title text="Two-factor authentication" />
        <main class="login">
            <div class="card login-card">
                {factors}
                <form method="post" action="/login/two-factor/cancel">
                    <button type="submit" class="secondary">"Cancel"</button>
                </form>
            </div>
        </main>
    }
}

/// The ways to finish: the code form (an app's code or a recovery code), and the passkey.
#[component]
fn Factors(factors: PendingFactors, message: Option<String>) -> impl IntoView {
    let (label, hint) = if factors.app {
        (
            "Authentication code",
            "Enter the 6-digit code from your authenticator app. Lost your device? Enter one of your recovery codes instead.",
        )
    } else {
        (
            "Recovery code",
            "Lost your passkey? Enter one of your recovery codes.",
        )
    };
    let passkey_first = factors.passkeys && !factors.app;
    let passkey = move || {
        factors
            .passkeys
            .then(|| view! { <PasskeyButton purpose="second_step" label="Use a passkey" /> })
    };
    view! {
        <h1>"Two-factor authentication"</h1>
        <FailureAlert message />
        {passkey_first.then(passkey)}
        <form method="post" action="/login/two-factor">
            <label for="code">{label}</label>
            <input
                id="code"
                name="code"
                type="text"
                inputmode="text"
                autocomplete="one-time-code"
                autocapitalize="off"
                spellcheck="false"
                required
                maxlength="64"
                autofocus=factors.app
                aria-describedby="code-hint"
            />
            <p class="hint" id="code-hint">{hint}</p>
            <button type="submit" class="primary">"Verify"</button>
        </form>
        {(!passkey_first).then(passkey)}
    }
}
