//! `/settings/users`: the account's users, managed by its Account Administrator.

mod add_user;
mod change_user;
mod list_users;
mod set_two_factor_rule;
mod single_sign_on;

pub use add_user::*;
pub use change_user::*;
pub use list_users::*;
pub use set_two_factor_rule::*;
pub use single_sign_on::*;
