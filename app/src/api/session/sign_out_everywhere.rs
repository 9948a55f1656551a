//! **Sign out everywhere**: ends every session of the signed-in user, on every device.

use crate::error::AppError;
use leptos::prelude::*;

/// Ends all of the caller's sessions (this one too), audited as an event of the account,
/// and removes this browser's cookie; `Unauthorized` when nobody is signed in.
#[server(endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    crate::ssr::response::respond(async {
        let (user, state) = crate::ssr::auth::current_user().await?;
        crate::ssr::auth::sign_out_everywhere(&state.pool, &user).await?;
        let secure = use_context::<http::request::Parts>()
            .is_some_and(|parts| crate::ssr::auth::is_secure(state.secure_cookies, &parts.headers));
        let removal = crate::ssr::auth::SessionToken::removal_cookie(secure);
        if let (Some(options), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::HeaderValue::from_str(&removal),
        ) {
            options.insert_header(http::header::SET_COOKIE, value);
        }
        Ok(())
    })
    .await
}
