//! Sets the HTTP status of the response being built from an [`AppError`].

use crate::error::AppError;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use std::future::Future;

/// Sets the status of the current response, if there is one, to `error`'s.
pub fn set_status(error: &AppError) {
    if let Some(options) = use_context::<ResponseOptions>() {
        options.set_status(error.status());
    }
}

/// Runs a server function's body and gives its error the right HTTP status: without this
/// Leptos answers every error with a 500.
pub async fn respond<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = body.await;
    if let Err(error) = &result {
        set_status(error);
    }
    result
}
