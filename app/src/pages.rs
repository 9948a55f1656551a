//! One component per route, each ending in `Page`.

mod activity_page;
mod api_reference_page;
mod api_settings_page;
mod budgets_page;
mod confirm_access_page;
mod create_token_page;
mod forbidden_page;
mod home_page;
mod login_page;
mod not_found_page;
mod password_page;
mod request_page;
mod requests_page;
mod second_step_page;
mod security_page;
mod sso_page;
mod token_page;
mod token_security_page;
mod users_page;
mod webhook_page;
mod webhooks_page;

pub use activity_page::ActivityPage;
pub use api_reference_page::ApiReferencePage;
pub use api_settings_page::ApiSettingsPage;
pub use budgets_page::BudgetsPage;
pub use confirm_access_page::{ConfirmAccessFailure, ConfirmAccessPage};
pub use create_token_page::CreateTokenPage;
pub use forbidden_page::ForbiddenPage;
pub use home_page::HomePage;
pub use login_page::{LoginFailure, LoginPage};
pub use not_found_page::NotFoundPage;
pub use password_page::PasswordPage;
pub use request_page::RequestPage;
pub use requests_page::RequestsPage;
#[cfg(feature = "ssr")]
pub use second_step_page::factors_of;
pub use second_step_page::{PendingFactors, SecondStepFailure, SecondStepPage};
pub use security_page::SecurityPage;
pub use sso_page::{SsoFailure, SsoOnward, SsoPage};
pub use token_page::TokenPage;
pub use token_security_page::TokenSecurityPage;
pub use users_page::UsersPage;
pub use webhook_page::WebhookPage;
pub use webhooks_page::WebhooksPage;

/// Sets the HTTP status of the page being rendered on the server; nothing in the browser.
fn mark_status(status: &crate::error::AppError) {
    #[cfg(feature = "ssr")]
    crate::ssr::response::set_status(status);
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}
