//! `/login`: a plain form post, so signing in works before or without JavaScript.

use leptos::prelude::*;
use leptos::server::SharedValue;
use leptos_meta::Title;

/// Given by the server when it answers a failed sign-in by showing this page again.
#[derive(Debug, Clone)]
pub struct LoginFailure {
    /// The email that was typed, so the user need not type it again.
    pub email: String,
}

/// The sign-in form.
#[component]
pub fn LoginPage() -> impl IntoView {
    // Shared so the browser hydrates exactly what the server rendered.
    let failed_email =
        SharedValue::new(|| use_context::<LoginFailure>().map(|failure| failure.email))
            .into_inner();
    let failed = failed_email.is_some();
    view! {
        <Title text="Sign in" />
        <main class="login">
            <form class="card login-card" method="post" action="/login">
                <h1>"Sign in to Tokensmith"</h1>
                {failed
                    .then(|| {
                        view! {
                            <p class="alert error" role="alert">
                                "Email or password is incorrect."
                            </p>
                        }
                    })}
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
        </main>
    }
}
