//! Access tokens: the wizard's contacts, creation, and the account's list.

mod create_token;
mod list_contacts;
mod list_tokens;

pub use create_token::*;
pub use list_contacts::*;
pub use list_tokens::*;
