//! Pieces shared by several pages.

pub mod api_access_switch;
mod copy_button;
mod error_panel;
mod expiry_time;
mod field_message;
mod pager;
mod passkeys;
mod security_editor;
pub mod signed_in_layout;
mod single_sign_on;
mod token_detail;
mod token_filters;
mod token_list;
mod token_policy;
mod usage_chart;
mod user_admin;
pub mod wizard;

pub use api_access_switch::ApiAccessSwitch;
pub use copy_button::CopyButton;
pub use error_panel::{ActionError, ErrorPanel};
pub use expiry_time::ExpiryTime;
pub(crate) use field_message::FieldMessage;
pub use pager::Pager;
pub use passkeys::{passkeys_origin, PasskeyButton, PasskeysCard};
pub use security_editor::SecurityEditor;
pub use signed_in_layout::SignedInLayout;
pub use single_sign_on::SingleSignOnSection;
pub use token_detail::TokenDetailView;
pub use token_filters::TokenFilters;
pub use token_list::TokenList;
pub use token_policy::TokenPolicySection;
pub use usage_chart::UsageCard;
pub use user_admin::UsersEditor;
pub(crate) use wizard::focus;
pub use wizard::Wizard;
