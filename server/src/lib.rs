//! Tokensmith's server, in folders named for their role:
//! - `config`: every environment variable, read once at start-up;
//! - `startup`: a serving instance built from the configuration, run, and stopped in order;
//! - `commands`: the command line and the operator commands (backup, seed, users);
//! - `http`: the router, the listener and the middleware every request passes;
//! - `routes`: the endpoints that are not Leptos pages or server functions;
//! - `brand_api`: the sandbox API, introspection and revocation that tokens call;
//! - `workers`: the background jobs (mail, expiry warnings, expired sessions);
//! - `telemetry`: request ids, logs and metrics.

pub mod brand_api;
pub mod commands;
pub mod config;
pub mod http;
pub mod routes;
pub mod sso;
pub mod startup;
pub mod telemetry;
pub mod workers;
