//! The database (SQLite or PostgreSQL, see [`engine`]), migrations and repositories.
//! Every repository takes `&Db` or a transaction; no SQL lives outside this module.

pub mod accounts;
pub mod activity;
pub mod audit;
pub mod budgets;
pub mod change_feed;
pub mod change_listener;
pub mod counter_windows;
pub mod engine;
pub mod expiry_warnings;
pub mod exposure;
pub mod factor_records;
pub mod held_mail;
pub mod holder_revocation;
pub mod limits_policy;
pub mod mail_cap;
pub mod outbox;
pub mod passkey_challenges;
pub mod passkeys;
pub mod pending_sign_ins;
pub mod quota;
mod quota_notices;
mod quota_window;
pub mod second_factors;
pub mod sessions;
pub mod sign_in_devices;
pub mod single_sign_on;
pub mod sso_logins;
pub mod standing;
pub mod throttling;
pub mod token_auth;
pub mod token_cache;
pub mod token_changes;
pub mod token_detail;
pub mod token_record;
pub mod token_requests;
pub mod tokens;
pub mod two_factor_rule;
pub mod usage;
pub mod user_admin;
pub mod users;
pub mod webhooks;

use crate::error::AppError;
pub use engine::{Connections, Db, Engine, SqliteDb, Tx};

/// Opens (creating if needed) the database at `url` with the settings Tokensmith relies on.
pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
    Db::connect(url).await
}

/// Applies the migrations embedded in the binary, then fills in what a migration leaves
/// to the application (the folded names of older tokens).
pub async fn migrate(db: &Db) -> Result<(), sqlx::migrate::MigrateError> {
    db.migrate().await?;
    tokens::fold_old_names(db)
        .await
        .map_err(sqlx::migrate::MigrateError::Execute)?;
    Ok(())
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => AppError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                AppError::Conflict("That already exists.".to_string())
            }
            _ => {
                tracing::error!(%error, "database error");
                AppError::Internal
            }
        }
    }
}
