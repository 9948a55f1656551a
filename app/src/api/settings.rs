//! The account's API settings: its SID and the API access switch; the API reference.

mod get_api_reference;
mod get_api_settings;
mod set_api_access;
mod set_exposure_policy;
mod set_limits_policy;
mod set_token_policy;

pub use get_api_reference::*;
pub use get_api_settings::*;
pub use set_api_access::*;
pub use set_exposure_policy::*;
pub use set_limits_policy::*;
pub use set_token_policy::*;
