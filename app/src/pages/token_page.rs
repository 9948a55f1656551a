//! `/settings/api/tokens/{SID}`: one token's detail page. A SID that isn't a live token
//! of the caller's account answers 404, whatever the reason.

use crate::api::tokens::{get_token, ChangeToken, TokenDetail};
use crate::components::{ErrorPanel, TokenDetailView};
use crate::domain::paging::parse_page;
use crate::error::AppError;
use crate::pages::ForbiddenPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::{lazy_route, LazyRoute};

/// The detail page; Analyst and Finance get the 403 page. A lazy route: `data()` (in the
/// main wasm) starts loading the token while `view()`'s own chunk downloads.
pub struct TokenPage {
    detail: Resource<Result<TokenDetail, AppError>>,
}

#[lazy_route]
impl LazyRoute for TokenPage {
    fn data() -> Self {
        super::view_loading();
        let params = use_params_map();
        let query = use_query_map();
        // The token, and the pages of its history and outbox the URL names (`?history=2`).
        let wanted = move || {
            let page = |name: &str| query.with(|q| parse_page(q.get(name).as_deref()).unwrap_or(1));
            let sid = params.with(|p| p.get("sid").unwrap_or_default());
            (sid, page("history"), page("outbox"))
        };
        // Asked once per render; the detail view reloads its live parts after each change.
        Self {
            detail: Resource::new(wanted, |(sid, history, outbox)| {
                get_token(sid, history, outbox)
            }),
        }
    }

    fn view(this: Self) -> AnyView {
        view! {
        <super::ViewLoaded /> <TokenPageView detail=this.detail /> }
        .into_any()
    }
}

#[component]
fn TokenPageView(detail: Resource<Result<TokenDetail, AppError>>) -> impl IntoView {
    let change = ServerAction::<ChangeToken>::new();
    let secret = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    // After a change: a deleted token leaves for the list, and a reset shows its secret once.
    Effect::new(move |_| {
        if let Some(Ok(outcome)) = change.value().get() {
            if outcome.deleted {
                navigate("/settings/api", Default::default());
            } else if outcome.secret.is_some() {
                secret.set(outcome.secret);
            }
        }
    });
    // **Reload** after a refused stale edit: everything, editors included, from the server.
    let reload = Callback::new(move |_| {
        change.clear();
        detail.refetch();
    });
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(token) => view! { <TokenDetailView token change secret reload /> }.into_any(),
                    Err(AppError::NotFound) => view! { <TokenNotFound /> }.into_any(),
                    Err(AppError::Forbidden) => view! { <ForbiddenPage /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TokenNotFound() -> impl IntoView {
    super::mark_status(&AppError::NotFound);
    view! {
        <Title text="Token not found" />
        <section class="notice">
            <h1>"Token not found"</h1>
            <p>"There is no access token with this SID in your account. It may have been deleted."</p>
            <p><a href="/settings/api">"Back to API settings"</a></p>
        </section>
    }
}
