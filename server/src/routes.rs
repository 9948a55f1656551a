//! Endpoints outside Leptos: the sign-in form posts, the activity export, health checks
//! and the OpenAPI document.

pub mod activity_export;
pub mod confirm_access;
pub mod health;
pub mod login;
pub mod openapi;
pub mod passkeys;
pub mod second_step;
pub mod sso;
