//! Tokens by request (**Token creation: Needs approval**): the policy switch, **Request
//! token** at the wizard's end, the **Requests** page's list and request, and what each
//! role may do to one (decide, withdraw, claim the approved token's secret).

mod decide_request;
mod get_requests;
mod make_request;

pub use decide_request::*;
pub use get_requests::*;
pub use make_request::*;

#[cfg(feature = "ssr")]
fn request_id(id: &str) -> Result<i64, crate::error::AppError> {
    id.trim()
        .parse()
        .map_err(|_| crate::error::AppError::BadRequest("Name a request by its number.".into()))
}
