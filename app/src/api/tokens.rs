//! Access tokens: the wizard's contacts, creation, the account's list, one token's
//! detail, and changes to it.

mod change_token;
mod create_token;
mod get_token;
mod list_contacts;
mod list_tokens;

pub use change_token::*;
pub use create_token::*;
pub use get_token::*;
pub use list_contacts::*;
pub use list_tokens::*;
