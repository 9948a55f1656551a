//! `/login`: a plain form post, so signing in works before or without JavaScript.

use crate::components::PasskeyButton;
use leptos::prelude::*;
use leptos::server::SharedValue;
use leptos_meta::Title;

/// Given by the server when it answers a failed sign-in by showing this page again.
#[derive(Debug, Clone)]
pub struct LoginFailure {
    /// The email that was typed, so the user need not type it again.
    pub email: String,
    /// What went wrong, as the page says it.
    pub message: String,
}

impl LoginFailure {
    /// Wrong email or password (one message for both).
    pub fn incorrect(email: String) -> Self {
        Self {
            email,
            message: "Email or password is incorrect.".to_string(),
        }
    }

    /// Too many failed sign-ins: refused for `retry_after_secs`.
    pub fn throttled(email: String, retry_after_secs: u64) -> Self {
        let minutes = retry_after_secs.div_ceil(60).max(1);
        let unit = if minutes == 1 { "minute" } else { "minutes" };
        Self {
            email,
            message: format!(
                "Too many failed sign-ins. Try again in {minutes} {unit}, or ask an Account \
                 Administrator to reset your password."
            ),
        }
    }

    /// The right password of a user an administrator disabled.
    /// The right password, but the account signs in through its identity provider.
    pub fn sso_required(email: String) -> Self {
        Self {
            email,
            message: "Your account signs in with single sign-on: use Sign in with single \
                      sign-on below."
                .to_string(),
        }
    }

    pub fn disabled(email: String) -> Self {
        Self {
            email,
            message: "This user is disabled. Ask an Account Administrator of your account to \
                      enable it."
                .to_string(),
        }
    }

    /// Every password check is busy.
    pub fn busy(email: String) -> Self {
        Self {
            email,
            message: "Sign-in is busy right now. Try again in a moment.".to_string(),
        }
    }
}

/// What went wrong with the form's last post, if anything, announced to screen readers.
#[component]
pub(crate) fn FailureAlert(message: Option<String>) -> impl IntoView {
    message.map(|message| view! { <p class="alert error" role="alert">{message}</p> })
}

/// The sign-in form.
#[component]
pub fn LoginPage() -> impl IntoView {
    // Shared so the browser hydrates exactly what the server rendered.
    let failure = SharedValue::new(|| {
        use_context::<LoginFailure>().map(|failure| (failure.email, failure.message))
    })
    .into_inner();
    let failed = failure.is_some();
    let (failed_email, message) = failure.unzip();
    view! {
        <Title text="Sign in" />
        <main class="login">
            <div class="card login-card">
            <form method="post" action="/login">
                <h1>"Sign in to Tokensmith"</h1>
                <FailureAlert message />
                <label for="email">"Email"</label>
                <input
                    id="email"
                    name="email"
                    type="email"
                    autocomplete="username"
                    required
                    maxlength="254"
                    value=failed_email.unwrap_or_default()
                />
                <label for="password">"Password"</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    maxlength="1024"
                    autofocus=failed
                />
                <button type="submit" class="primary">"Sign in"</button>
            </form>
            <PasskeyButton purpose="sign_in" label="Sign in with a passkey" />
            <p class="sso-link"><a href="/login/sso">"Sign in with single sign-on"</a></p>
            </div>
        </main>
    }
}
