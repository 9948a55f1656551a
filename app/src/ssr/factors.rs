//! Checking a second factor: an authenticator-app code (each step accepted once) or a
//! recovery code (each used once); and making new recovery codes.

use super::db::second_factors::{self, Owner};
use super::db::Db;
use super::totp::{new_recovery_code, SharedKey};
use crate::domain::second_factor::{SecondFactorCode, RECOVERY_CODES};
use crate::error::AppError;

/// What a typed code turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    /// The app's code, now used.
    App,
    /// One of the user's recovery codes, now used.
    Recovery,
    /// Neither kind of code.
    Malformed,
    /// Not the user's: wrong, used before, or the user has no factor.
    Wrong,
}

impl CodeCheck {
    /// Whether the code proved the user.
    pub fn accepted(self) -> bool {
        matches!(self, Self::App | Self::Recovery)
    }
}

/// Checks `typed` against the owner's authenticator app and recovery codes at `now`,
/// using up what it matches.
pub async fn check_code(
    pool: &Db,
    owner: Owner<'_>,
    typed: &str,
    now: i64,
) -> Result<CodeCheck, AppError> {
    match SecondFactorCode::parse(typed) {
        Err(_) => Ok(CodeCheck::Malformed),
        Ok(SecondFactorCode::Totp(digits)) => {
            let Some(app) = second_factors::totp(pool, owner.user_id).await? else {
                return Ok(CodeCheck::Wrong);
            };
            if app.confirmed_at.is_none() {
                return Ok(CodeCheck::Wrong);
            }
            let step = stored_key(&app.secret)?.step_of(&digits, now);
            match step {
                Some(step)
                    if second_factors::accept_step(pool, owner.user_id, step, now).await? =>
                {
                    Ok(CodeCheck::App)
                }
                _ => Ok(CodeCheck::Wrong),
            }
        }
        Ok(SecondFactorCode::Recovery(code)) => {
            let hash = super::sha256(&code);
            if second_factors::use_recovery_code(pool, owner, &hash, now).await? {
                Ok(CodeCheck::Recovery)
            } else {
                Ok(CodeCheck::Wrong)
            }
        }
    }
}

/// A stored shared key; one that can't be read is a fault of ours.
pub fn stored_key(secret: &str) -> Result<SharedKey, AppError> {
    SharedKey::from_base32(secret).ok_or_else(|| {
        tracing::error!("a stored authenticator key is malformed");
        AppError::Internal
    })
}

/// Ten new recovery codes, to show once, and their hashes, to store.
pub fn new_recovery_codes() -> (Vec<String>, Vec<[u8; 32]>) {
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let hashes = codes.iter().map(|code| super::sha256(code)).collect();
    (codes, hashes)
}
