//! `/settings/security`: **Security**, for every signed-in user from the user menu: their
//! authenticator app and recovery codes. Rendered on the server; the controls are an
//! island.

use crate::api::security::{get_security, SecurityOverview};
use crate::components::{ErrorPanel, PasskeysCard, SecurityEditor};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::LazyRoute;

/// The Security page.
pub struct SecurityPage {
    overview: Resource<Result<SecurityOverview, AppError>>,
}

impl LazyRoute for SecurityPage {
    fn data() -> Self {
        Self {
            overview: Resource::new(|| (), |_| get_security()),
        }
    }

    async fn view(this: Self) -> AnyView {
        let overview = this.overview;
        view! {
            <Title text="Security" />
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => {
                            let passkeys = overview.passkeys.clone();
                            let at = overview.passkeys_at.clone();
                            view! {
                                <SecurityEditor overview />
                                <PasskeysCard passkeys at />
                            }
                            .into_any()
                        }
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        }
        .into_any()
    }
}
