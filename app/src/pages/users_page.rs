//! `/settings/users`: the account's users, for its Account Administrators; other roles get
//! the 403 page. Rendered on the server; adding and changing users is a lazy island.

use crate::api::users::{list_users, UsersOverview};
use crate::components::{ErrorPanel, SingleSignOnSection, UsersEditor};
use crate::error::AppError;
use crate::pages::ForbiddenPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::LazyRoute;

/// The users page.
pub struct UsersPage {
    users: Resource<Result<UsersOverview, AppError>>,
}

impl LazyRoute for UsersPage {
    fn data() -> Self {
        Self {
            users: Resource::new(|| (), |_| list_users()),
        }
    }

    async fn view(this: Self) -> AnyView {
        let users = this.users;
        view! {
            <Title text="Users" />
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(overview) => {
                            let sso = overview.sso.clone();
                            let users = overview.users.clone();
                            let account_sid = overview.account_sid.clone();
                            view! {
                                <UsersEditor overview />
                                <SingleSignOnSection sso users account_sid />
                            }
                            .into_any()
                        }
                        Err(AppError::Forbidden) => view! {
                            <ForbiddenPage hint="The account's users are managed by its Account Administrators." />
                        }
                        .into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        }
        .into_any()
    }
}
