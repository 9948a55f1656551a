//! The API reference page's content: the server's OpenAPI document, as the page shows it.

use crate::domain::api_reference::ApiReference;
use crate::error::AppError;
use leptos::prelude::*;

/// The reference of the APIs an integration calls; Analyst and Finance get `Forbidden`.
#[server(endpoint = "api_reference")]
pub async fn get_api_reference() -> Result<ApiReference, AppError> {
    use crate::domain::Permission;
    use crate::ssr::auth;
    crate::ssr::response::respond(async {
        let (_, state) = auth::require(Permission::ViewApiSettings).await?;
        Ok(state.api_reference.as_ref().clone())
    })
    .await
}
