//! The signed-in user, as the app shell shows them, their password, and ending their
//! sessions.

mod change_password;
mod get_home;
mod get_session_info;
mod sign_out_everywhere;

pub use change_password::*;
pub use get_home::*;
pub use get_session_info::*;
pub use sign_out_everywhere::*;
