//! `/settings/activity`: the account's audit log.

mod list_activity;

pub use list_activity::*;
