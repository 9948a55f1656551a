//! Server functions, one per file, grouped by area. Each is thin: who is calling →
//! validate with `domain` → repository → wire type.

pub mod activity;
pub mod budgets;
pub mod requests;
pub mod security;
pub mod session;
pub mod settings;
pub mod tokens;
pub mod users;
pub mod webhooks;
