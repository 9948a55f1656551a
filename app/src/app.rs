//! The HTML shell and the router of every page.

use crate::components::SignedInLayout;
use crate::pages::{
    ActivityPage, ApiReferencePage, ApiSettingsPage, BudgetsPage, ConfirmAccessPage,
    CreateTokenPage, HomePage, LoginPage, NotFoundPage, PasswordPage, RequestPage, RequestsPage,
    SecondStepPage, SecurityPage, SsoPage, TokenPage, TokenSecurityPage, UsersPage, WebhookPage,
    WebhooksPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::headers::set_page_policy();
    #[cfg(feature = "ssr")]
    let needs_code = crate::ssr::headers::page_needs_code();
    #[cfg(not(feature = "ssr"))]
    let needs_code = true;
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                {needs_code.then(|| view! { <HydrationScripts options islands=true /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Every page of Tokensmith.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/tokensmith.css" />
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Title formatter=|text: String| {
            if text.is_empty() { "Tokensmith".to_string() } else { format!("{text} · Tokensmith") }
        } />
        <Router>
            <Routes fallback=|| view! { <NotFoundPage /> }>
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/login/two-factor") view=SecondStepPage ssr=SsrMode::Async />
                <Route path=path!("/confirm-access") view=ConfirmAccessPage />
                <Route path=path!("/login/sso") view=SsoPage />
                <ParentRoute path=path!("/") view=SignedInLayout ssr=SsrMode::Async>
                    <Route path=path!("") view={Lazy::<HomePage>::new()} ssr=SsrMode::Async />
                </ParentRoute>
                <ParentRoute path=path!("/settings") view=SignedInLayout ssr=SsrMode::Async>
                    <Route path=path!("api") view={Lazy::<ApiSettingsPage>::new()} ssr=SsrMode::Async />
                    <Route
                        path=path!("api/tokens/new")
                        view={Lazy::<CreateTokenPage>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("api/reference")
                        view={Lazy::<ApiReferencePage>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("api/budgets")
                        view={Lazy::<BudgetsPage>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("api/requests")
                        view={Lazy::<RequestsPage>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("api/requests/:id")
                        view={Lazy::<RequestPage>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("api/webhooks")
                        view={Lazy::<WebhooksPage>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("api/webhooks/:id")
                        view={Lazy::<WebhookPage>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("api/security")
                        view={Lazy::<TokenSecurityPage>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("api/tokens/:sid") view={Lazy::<TokenPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("password") view={Lazy::<PasswordPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("security") view={Lazy::<SecurityPage>::new()} ssr=SsrMode::Async />
                    <Route path=path!("users") view={Lazy::<UsersPage>::new()} ssr=SsrMode::Async />
                    <Route
                        path=path!("activity")
                        view={Lazy::<ActivityPage>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("") view=|| view! { <Redirect path="/" /> } ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
