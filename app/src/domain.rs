//! Pure types and rules shared by browser and server: no leptos, no sqlx.

mod account_sid;
pub mod catalog;
mod email;
mod password;
mod role;
mod text;

pub use account_sid::{AccountSid, AccountSidError};
pub use email::{EmailAddress, EmailError};
pub use password::{NewPassword, PasswordError};
pub use role::{Permission, Role, UnknownRole};
pub use text::{AccountName, PersonName, TextError};
