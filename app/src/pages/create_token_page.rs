//! `/settings/api/tokens/new`: the Create Access Token wizard.

use crate::api::tokens::{list_contacts, Contact};
use crate::components::{ErrorPanel, Wizard};
use crate::error::AppError;
use crate::pages::ForbiddenPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::{lazy_route, LazyRoute};

/// The wizard page; Analyst and Finance get the 403 page. A lazy route: the wizard and the
/// scope catalogue are in their own wasm chunk, fetched beside the contacts.
pub struct CreateTokenPage {
    contacts: Resource<Result<Vec<Contact>, AppError>>,
}

#[lazy_route]
impl LazyRoute for CreateTokenPage {
    fn data() -> Self {
        super::view_loading();
        Self {
            contacts: Resource::new(|| (), |_| list_contacts()),
        }
    }

    fn view(this: Self) -> AnyView {
        view! {
        <super::ViewLoaded /> <CreateTokenView contacts=this.contacts /> }
        .into_any()
    }
}

#[component]
fn CreateTokenView(contacts: Resource<Result<Vec<Contact>, AppError>>) -> impl IntoView {
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
