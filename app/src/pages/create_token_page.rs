//! `/settings/api/tokens/new`: the Create Access Token wizard.

use crate::api::tokens::list_contacts;
use crate::components::{ErrorPanel, Wizard};
use crate::error::AppError;
use crate::pages::ForbiddenPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// The wizard page; Analyst and Finance get the 403 page.
#[component]
pub fn CreateTokenPage() -> impl IntoView {
    let contacts = Resource::new(|| (), |_| list_contacts());
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
                    Ok(contacts) => view! { <Wizard contacts /> }.into_any(),
                    Err(AppError::Forbidden) => view! { <ForbiddenPage /> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
