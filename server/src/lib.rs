//! Tokensmith's server: configuration, the router and its middleware, the plain form
//! routes for signing in and out, and the operator commands.

pub mod activity_export;
pub mod backup;
pub mod brand_api;
pub mod cli;
pub mod client;
pub mod config;
pub mod deadline;
pub mod drain;
pub mod expiry_warnings;
pub mod form_posts;
pub mod health;
pub mod login;
pub mod mailer;
pub mod middleware;
pub mod observe;
pub mod openapi;
pub mod prometheus;
pub mod request_body;
pub mod router;
pub mod seed;
pub mod serve;
pub mod sessions;
