//! `/settings/api/tokens/{SID}`: one token's detail page. A SID that isn't a live token
//! of the caller's account answers 404, whatever the reason.

use crate::api::tokens::{get_token, ChangeToken, TokenDetail};
use crate::components::signed_in_layout::{session_draft_key, Session};
use crate::components::wizard::DraftKeys;
use crate::components::{CodeOnIntent, ErrorPanel, TokenDetailView, UsageCard};
use crate::domain::paging::parse_page;
use crate::domain::wizard::DraftKey;
use crate::error::AppError;
use crate::pages::ForbiddenPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::LazyRoute;

/// The detail page; Analyst and Finance get the 403 page. Rendered on the server; the
/// editors and actions are a lazy island that starts from the page's one answer, its code
/// loaded when the user first moves to use one of them.
pub struct TokenPage {
    detail: Resource<Result<TokenDetail, AppError>>,
}

impl LazyRoute for TokenPage {
    fn data() -> Self {
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

    async fn view(this: Self) -> AnyView {
        view! {
        <TokenPageView detail=this.detail /> }
        .into_any()
    }
}

#[component]
fn TokenPageView(detail: Resource<Result<TokenDetail, AppError>>) -> impl IntoView {
    let session = use_context::<Session>();
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(token) => {
                        let draft_key = session_draft_key(session).await;
                        let usage = token.usage.clone();
                        let quota_use = token.quota_use;
                        view! {
                            <Title text=token.name.clone() />
                            // The page is mostly read: the island's code loads when
                            // the user first moves to act.
                            <CodeOnIntent>
                                <TokenEditor token draft_key>
                                    <UsageCard usage quota_use />
                                </TokenEditor>
                            </CodeOnIntent>
                        }
                        .into_any()
                    }
                    Err(AppError::NotFound) => view! { <TokenNotFound /> }.into_any(),
                    Err(AppError::Forbidden) => view! { <ForbiddenPage /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Everything on the page that changes the token: an island of its own chunk. `children`
/// is the **Usage** section, rendered on the server in its place among the sections.
#[island(lazy)]
fn TokenEditor(
    token: TokenDetail,
    draft_key: Option<DraftKey>,
    children: Children,
) -> impl IntoView {
    crate::browser::island_ready();
    DraftKeys::provide(draft_key);
    let change = ServerAction::<ChangeToken>::new();
    let secret = RwSignal::new(None::<String>);
    // After a change: a deleted token leaves for the list, and a reset shows its secret once.
    Effect::new(move |_| {
        if let Some(Ok(outcome)) = change.value().get() {
            if outcome.deleted {
                crate::browser::go_to("/settings/api");
            } else if outcome.secret.is_some() {
                secret.set(outcome.secret);
            }
        }
    });
    // **Reload** after a refused stale edit: everything, editors included, from the server.
    let reload = Callback::new(move |_| crate::browser::reload_page());
    view! { <TokenDetailView token change secret reload>{children()}</TokenDetailView> }
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
