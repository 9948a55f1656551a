//! `/settings/api/tokens/new`: the Create Access Token wizard.

use crate::api::settings::{get_api_settings, ApiSettings};
use crate::api::tokens::{list_contacts, Contact};
use crate::components::signed_in_layout::{session_draft_key, Session};
use crate::components::{ErrorPanel, Wizard};
use crate::error::AppError;
use crate::pages::ForbiddenPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::LazyRoute;

/// The wizard page; Analyst and Finance get the 403 page. The wizard (with the scope
/// catalogue) is a lazy island: its code is a wasm chunk fetched by the pages that have it.
pub struct CreateTokenPage {
    contacts: Resource<Result<Vec<Contact>, AppError>>,
    settings: Resource<Result<ApiSettings, AppError>>,
}

impl LazyRoute for CreateTokenPage {
    fn data() -> Self {
        Self {
            contacts: Resource::new(|| (), |_| list_contacts()),
            settings: Resource::new(|| (), |_| get_api_settings()),
        }
    }

    async fn view(this: Self) -> AnyView {
        view! {
        <CreateTokenView contacts=this.contacts settings=this.settings /> }
        .into_any()
    }
}

#[component]
fn CreateTokenView(
    contacts: Resource<Result<Vec<Contact>, AppError>>,
    settings: Resource<Result<ApiSettings, AppError>>,
) -> impl IntoView {
    let session = use_context::<Session>();
    view! {
        <Title text="Create Access Token" />
        <header class="page-header">
            <div>
                <p class="breadcrumb">
                    <a href="/settings/api">"API"</a>
                    " / Create Access Token"
                </p>
                <h1>"Create Access Token"</h1>
            </div>
        </header>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (contacts.await, settings.await) {
                    (Ok(contacts), Ok(settings)) => {
                        let draft_key = session_draft_key(session).await;
                        let policy = settings.token_policy;
                        let default_limits = settings.limits_policy.defaults;
                        let needs_approval = !settings.creates_directly;
                        view! { <Wizard contacts draft_key policy default_limits needs_approval /> }.into_any()
                    }
                    (Err(error), _) | (_, Err(error)) => match error {
                        AppError::Forbidden => view! { <ForbiddenPage /> }.into_any(),
                        AppError::Unauthorized => view! { <Redirect path="/login" /> }.into_any(),
                        error => view! { <ErrorPanel error /> }.into_any(),
                    },
                }
            })}
        </Suspense>
    }
}
