//! The signed-in user, as the app shell shows them.

mod get_session_info;

pub use get_session_info::*;
