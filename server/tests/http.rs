//! Server tests through the real router over a fresh SQLite database, one module per
//! operation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod http {
    pub mod activity;
    pub mod api_reference;
    pub mod api_settings;
    pub mod cached_tokens;
    pub mod change_password;
    pub mod concurrency;
    pub mod concurrent_writers;
    pub mod configuration;
    pub mod create_token;
    pub mod device_cookies;
    pub mod harness;
    pub mod harness_tokens;
    pub mod health;
    pub mod introspection;
    pub mod mail;
    pub mod mail_cap;
    pub mod mail_tls;
    pub mod metrics;
    pub mod observe;
    pub mod openapi;
    pub mod pages;
    pub mod passkey_refusals;
    pub mod passkeys;
    pub mod proxy;
    pub mod sandbox;
    pub mod second_factor_races;
    pub mod second_factors;
    pub mod secret_scan;
    pub mod security;
    pub mod session_races;
    pub mod sessions;
    pub mod sign_in;
    pub mod sign_out;
    pub mod smtp_sink;
    pub mod soft_passkey;
    pub mod stale_actor;
    pub mod statements;
    pub mod sudo_mode;
    pub mod token_access;
    pub mod token_expiry;
    pub mod token_governance;
    pub mod token_lifecycle;
    pub mod token_list;
    pub mod token_pages;
    pub mod token_policy;
    pub mod token_records;
    pub mod token_revocation;
    pub mod token_usage;
    pub mod two_factor_rule;
    pub mod users;
    pub mod users_last_admin;
    pub mod users_rules;
}
