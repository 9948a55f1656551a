//! Passkey ceremonies waiting for the browser's answer: single-use, 5 minutes at most,
//! bound to what they are for and, but for signing in with a passkey alone, to a user.
//! Every table here has a bound: a user keeps one ceremony per purpose, an address at most
//! [`PER_ADDRESS`] sign-in ceremonies, and the table at most [`MAX_WAITING`] rows.

use super::engine::query;
use super::Db;
use crate::error::AppError;
use sqlx::FromRow;

/// Sign-in ceremonies one client address may have waiting.
pub const PER_ADDRESS: i64 = 20;
/// Ceremonies of every kind waiting at once.
pub const MAX_WAITING: i64 = 10_000;

/// What a ceremony is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Adding a passkey (the session's user).
    Register,
    /// Signing in with a passkey alone (no user yet).
    SignIn,
    /// The second step after a right password (the pending sign-in's user).
    SecondStep,
    /// **Confirm access** (the session's user).
    ConfirmAccess,
}

impl Purpose {
    pub const ALL: [Purpose; 4] = [
        Purpose::Register,
        Purpose::SignIn,
        Purpose::SecondStep,
        Purpose::ConfirmAccess,
    ];

    /// The id stored, and sent by the browser.
    pub fn id(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::SignIn => "sign_in",
            Purpose::SecondStep => "second_step",
            Purpose::ConfirmAccess => "confirm_access",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|purpose| purpose.id() == id)
    }
}

/// A waiting ceremony.
#[derive(Clone, FromRow)]
pub struct Challenge {
    pub purpose: String,
    pub user_id: Option<i64>,
    /// The relying party's state, serialised.
    pub state: String,
}

/// Why a ceremony can't wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    /// This address has [`PER_ADDRESS`] sign-in ceremonies waiting.
    Address,
    /// The table holds [`MAX_WAITING`].
    Table,
}

/// A ceremony to keep until its answer.
pub struct NewChallenge<'a> {
    pub id_hash: &'a [u8; 32],
    pub purpose: Purpose,
    pub user_id: Option<i64>,
    pub address: &'a str,
    pub state: &'a str,
    pub expires_at: i64,
}

/// Keeps a ceremony; a user's earlier one for the same purpose ends. Expired ceremonies are
/// swept first.
pub async fn keep(
    pool: &Db,
    challenge: NewChallenge<'_>,
    now: i64,
) -> Result<Result<(), Full>, AppError> {
    let mut tx = pool.begin_write().await?;
    query("DELETE FROM passkey_challenges WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut tx)
        .await?;
    match challenge.user_id {
        Some(user_id) => {
            query("DELETE FROM passkey_challenges WHERE user_id = $1 AND purpose = $2")
                .bind(user_id)
                .bind(challenge.purpose.id())
                .execute(&mut tx)
                .await?;
        }
        None => {
            let waiting: i64 = query(
                "SELECT COUNT(*) FROM passkey_challenges WHERE address = $1 AND user_id IS NULL",
            )
            .bind(challenge.address)
            .scalar(&mut tx)
            .await?;
            if waiting >= PER_ADDRESS {
                return Ok(Err(Full::Address));
            }
        }
    }
    let total: i64 = query("SELECT COUNT(*) FROM passkey_challenges")
        .scalar(&mut tx)
        .await?;
    if total >= MAX_WAITING {
        return Ok(Err(Full::Table));
    }
    query(
        "INSERT INTO passkey_challenges (id_hash, purpose, user_id, address, state, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(challenge.id_hash)
    .bind(challenge.purpose.id())
    .bind(challenge.user_id)
    .bind(challenge.address)
    .bind(challenge.state)
    .bind(challenge.expires_at)
    .execute(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Takes the ceremony `id_hash` if it is still waiting: it is gone afterwards, whatever
/// the answer (single use).
pub async fn take(pool: &Db, id_hash: &[u8; 32], now: i64) -> Result<Option<Challenge>, AppError> {
    let mut tx = pool.begin_write().await?;
    let taken = query(
        "DELETE FROM passkey_challenges WHERE id_hash = $1
         RETURNING purpose, user_id, state, expires_at",
    )
    .bind(id_hash)
    .fetch_optional::<Taken>(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(taken
        .filter(|taken| taken.expires_at > now)
        .map(|taken| Challenge {
            purpose: taken.purpose,
            user_id: taken.user_id,
            state: taken.state,
        }))
}

#[derive(FromRow)]
struct Taken {
    purpose: String,
    user_id: Option<i64>,
    state: String,
    expires_at: i64,
}
