//! `/settings/api/tokens/new`: the Create Access Token wizard.

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
}

impl LazyRoute for CreateTokenPage {
    fn data() -> Self {
        Self {
            contacts: Resource::new(|| (), |_| list_contacts()),
        }
    }

    async fn view(this: Self) -> AnyView {
        view! {
        <CreateTokenView contacts=this.contacts /> }
        .into_any()
    }
}

#[component]
fn CreateTokenView(contacts: Resource<Result<Vec<Contact>, AppError>>) -> impl IntoView {
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
                match contacts.await {
                    Ok(contacts) => {
                        let draft_key = session_draft_key(session).await;
                        view! { <Wizard contacts draft_key /> }.into_any()
                    }
                    Err(AppError::Forbidden) => view! { <ForbiddenPage /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
