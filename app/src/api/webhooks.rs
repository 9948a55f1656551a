//! **Webhooks** (Account Administrators): the endpoints, each one's recent deliveries, and
//! what can be done to them (add, rotate the signing secret, disable or enable, delete,
//! **Send test event**, **Resend**).

mod change_webhook;
mod get_webhooks;

pub use change_webhook::*;
pub use get_webhooks::*;

#[cfg(feature = "ssr")]
fn number(id: &str, what: &str) -> Result<i64, crate::error::AppError> {
    id.trim()
        .parse()
        .map_err(|_| crate::error::AppError::BadRequest(format!("Name {what} by its number.")))
}
