//! The HTTP status of the response being built.

use http::StatusCode;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// Sets the status of the current response, if there is one; a redirect already decided
/// (the layout sending a user on a temporary password to **Change password**) stands, as
/// the page it would describe is not shown.
pub fn set(status: StatusCode) {
    if let Some(options) = use_context::<ResponseOptions>() {
        let redirecting = options
            .0
            .read()
            .is_ok_and(|parts| parts.status.is_some_and(|status| status.is_redirection()));
        if !redirecting {
            options.set_status(status);
        }
    }
}
