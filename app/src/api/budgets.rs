//! Shared **Budgets**: listed for those who see the API page, created, changed and
//! deleted by the account's administrators through plain forms.

mod change_budget;
mod get_budgets;

pub use change_budget::*;
pub use get_budgets::*;
