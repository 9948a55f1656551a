//! One component per route, each ending in `Page`.

mod api_settings_page;
mod create_token_page;
mod forbidden_page;
mod login_page;
mod not_found_page;
mod password_page;
mod security_page;
mod token_page;

pub use api_settings_page::ApiSettingsPage;
pub use create_token_page::CreateTokenPage;
pub use forbidden_page::ForbiddenPage;
pub use login_page::{LoginFailure, LoginPage};
pub use not_found_page::NotFoundPage;
pub use password_page::PasswordPage;
pub use security_page::SecurityPage;
pub use token_page::TokenPage;

/// Sets the HTTP status of the page being rendered on the server; nothing in the browser.
fn mark_status(status: &crate::error::AppError) {
    #[cfg(feature = "ssr")]
    crate::ssr::response::set_status(status);
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// Lazy page views the browser is still loading: the app marks the page hydrated (the
/// `data-hydrated` attribute end-to-end tests wait for) only once none is, since a lazy
/// view's chunk arrives after the rest of the page has hydrated.
#[derive(Debug, Clone, Copy)]
pub struct LoadingViews(pub leptos::prelude::RwSignal<u32>);

/// Called by each lazy route's `data()`: its view is on its way.
fn view_loading() {
    use leptos::prelude::*;
    if let Some(views) = use_context::<LoadingViews>() {
        views.0.update(|n| *n += 1);
    }
}

/// Rendered first by each lazy route's `view()`: it has arrived (once hydrated or mounted).
#[leptos::component]
fn ViewLoaded() -> impl leptos::IntoView {
    use leptos::prelude::*;
    if let Some(views) = use_context::<LoadingViews>() {
        Effect::new(move |_| views.0.update(|n| *n = n.saturating_sub(1)));
    }
}
