//! The signed-in user, as the app shell shows them, and ending their sessions.

mod get_session_info;
mod sign_out_everywhere;

pub use get_session_info::*;
pub use sign_out_everywhere::*;
