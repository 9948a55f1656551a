//! The HTML shell and the router of every page.

use crate::components::SignedInLayout;
use crate::hydration::AFTER_FIRST_PAINT;
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
                {needs_code.then(|| view! { <IslandScripts options /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The page's one module script, which starts after the first paint (so that nothing it
/// fetches competes with the stylesheet for it; Lighthouse counted the 70-KB wasm in the
/// LCP of every page with an island when it was hinted beside the stylesheet): it imports
/// `/enhance.js` (the plain controls: **Copy**, sign-out, the API switch, local times), and
/// only where the page has islands, Leptos' islands bootstrap, which loads the app's JS
/// and wasm and hydrates them: at once, or on a page whose islands are all in a
/// `crate::components::CodeOnIntent`, when the user first moves to act in one
/// (`/islands.js`). The API page, home and the other pages without islands load no wasm.
#[component]
fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    let html = view! { <HydrationScripts options islands=true /> }.to_html();
    leptos::tachys::html::InertElement::new(page_script(html))
}

/// What the page's module script starts with: after the first paint, the plain controls;
/// on a page with islands, a listener for the islands' code failing to load (a rejected
/// import or wasm start: `/enhance.js` says so if the islands aren't live; it is set here,
/// since that can happen before `/enhance.js` has arrived), and the bootstrap as a function.
const PAGE_SCRIPT_START: &str = "import(\"/enhance.js\");\
if(document.querySelector(\"leptos-island\")){\
addEventListener(\"unhandledrejection\",()=>import(\"/enhance.js\").then((page)=>page.loadFailed()));\
const boot=()=>";

/// What it ends with (after a `;`, whatever the bootstrap ends with): the bootstrap run at
/// once, or by `/islands.js` when every island waits for the user.
const PAGE_SCRIPT_END: &str = ";\
if(document.querySelector(\"leptos-island:not([data-code-on-intent] leptos-island)\"))boot();\
else(await import(\"/islands.js\")).onIntent(boot);}";

/// `html` (hint links and one module script) without its `<link>` hints, the script
/// starting after the first paint with `/enhance.js`, and its islands bootstrap run only
/// on a page with islands, when `/enhance.js` says.
fn page_script(mut html: String) -> String {
    while let Some(start) = html.find("<link ") {
        let Some(length) = html[start..].find('>') else {
            break;
        };
        html.replace_range(start..=start + length, "");
    }
    if let Some(tag) = html.find("<script type=\"module\"") {
        if let Some(open) = html[tag..].find('>') {
            let body = tag + open + 1;
            if let Some(close) = html[body..].find("</script>") {
                html.insert_str(body + close, PAGE_SCRIPT_END);
            }
            html.insert_str(body, &format!("{AFTER_FIRST_PAINT}{PAGE_SCRIPT_START}"));
        }
    }
    html
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

#[cfg(test)]
mod tests {
    use super::{page_script, PAGE_SCRIPT_END, PAGE_SCRIPT_START};
    use crate::hydration::AFTER_FIRST_PAINT;

    #[test]
    fn the_hints_go_and_the_script_waits_for_the_first_paint_and_a_page_with_islands() {
        let head = concat!(
            r#"<link rel="modulepreload" href="/pkg/tokensmith.js" crossorigin="n">"#,
            r#"<link rel="preload" href="/pkg/tokensmith.wasm" as="fetch">"#,
            r#"<script type="module" nonce="n">import("x")</script>"#
        );
        assert_eq!(
            page_script(head.to_string()),
            format!(
                r#"<script type="module" nonce="n">{AFTER_FIRST_PAINT}{PAGE_SCRIPT_START}import("x"){PAGE_SCRIPT_END}</script>"#
            )
        );
        assert!(PAGE_SCRIPT_START.starts_with(r#"import("/enhance.js");"#));
        assert!(PAGE_SCRIPT_START.contains(r#"if(document.querySelector("leptos-island")){"#));
        assert!(PAGE_SCRIPT_START.ends_with(r#"const boot=()=>"#));
        assert!(PAGE_SCRIPT_END.ends_with(r#"(await import("/islands.js")).onIntent(boot);}"#));
        assert_eq!(page_script("<link rel".into()), "<link rel");
    }
}
