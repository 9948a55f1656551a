//! The guard's counts in the database, so every instance on it sees the same failures
//! (PostgreSQL). Each count is one atomic upsert; the address is counted first, and an
//! attempt it refuses never touches the account's row. A refused attempt is taken back from
//! the address; the account's count stays when the account is what refused it (so only
//! the first refusal of a window is "newly locked").

use super::{Attempt, Refusal, SignInLimits};
use crate::ssr::db::{sign_in_windows, Db};
use std::time::Duration;

/// One in this many attempts also forgets ended windows.
const PRUNE_ONE_IN: u64 = 128;

pub(super) async fn begin(
    db: &Db,
    limits: SignInLimits,
    account: String,
    address: &str,
) -> Result<Attempt, Refusal> {
    let now = crate::ssr::now();
    let length = i64::try_from(limits.window.as_secs()).unwrap_or(i64::MAX);
    if rand::random::<u64>().is_multiple_of(PRUNE_ONE_IN) {
        log(sign_in_windows::prune(db, now - length).await);
    }
    let attempt = Attempt {
        account: format!("account {account}"),
        address: format!("address {address}"),
        device: false,
    };
    // A database that can't count lets the attempt through (and says so in the log):
    // the password is still checked, and slowly.
    let Ok(by_address) = sign_in_windows::count(db, &attempt.address, now, length).await else {
        tracing::error!("sign-in failures not counted");
        return Ok(attempt);
    };
    let ends = |started: i64| started + length - now;
    let wait = |seconds: i64| Duration::from_secs(u64::try_from(seconds).unwrap_or(1).max(1));
    // An address over its limit is refused before its attempt names an account: a flood
    // of made-up emails makes no rows.
    if by_address.count > i64::from(limits.per_address) {
        log(sign_in_windows::give_back(db, &attempt.address).await);
        return Err(Refusal::Throttled {
            retry_after: wait(ends(by_address.started)),
            account_newly_locked: false,
        });
    }
    let Ok(by_account) = sign_in_windows::count(db, &attempt.account, now, length).await else {
        tracing::error!("sign-in failures not counted");
        return Ok(attempt);
    };
    if by_account.count <= i64::from(limits.per_account) {
        return Ok(attempt);
    }
    // The account's count stays (only the first refusal of a window is "newly locked").
    log(sign_in_windows::give_back(db, &attempt.address).await);
    Err(Refusal::Throttled {
        retry_after: wait(ends(by_account.started)),
        account_newly_locked: by_account.count == i64::from(limits.per_account) + 1,
    })
}

/// An attempt with a device cookie: counted against the device alone.
pub(super) async fn begin_device(
    db: &Db,
    limits: SignInLimits,
    device: &str,
) -> Result<Attempt, Refusal> {
    let now = crate::ssr::now();
    let length = i64::try_from(limits.window.as_secs()).unwrap_or(i64::MAX);
    let attempt = Attempt {
        account: format!("device {device}"),
        address: String::new(),
        device: true,
    };
    let Ok(by_device) = sign_in_windows::count(db, &attempt.account, now, length).await else {
        tracing::error!("sign-in failures not counted");
        return Ok(attempt);
    };
    if by_device.count <= i64::from(limits.per_account) {
        return Ok(attempt);
    }
    log(sign_in_windows::give_back(db, &attempt.account).await);
    let wait = by_device.started + length - now;
    Err(Refusal::Throttled {
        retry_after: Duration::from_secs(u64::try_from(wait).unwrap_or(1).max(1)),
        account_newly_locked: false,
    })
}

pub(super) async fn succeeded(db: &Db, attempt: Attempt) {
    log(sign_in_windows::clear(db, &attempt.account).await);
    if !attempt.device {
        log(sign_in_windows::give_back(db, &attempt.address).await);
    }
}

pub(super) async fn not_tried(db: &Db, attempt: Attempt) {
    log(sign_in_windows::give_back(db, &attempt.account).await);
    if !attempt.device {
        log(sign_in_windows::give_back(db, &attempt.address).await);
    }
}

fn log<T>(result: Result<T, crate::error::AppError>) {
    if let Err(error) = result {
        tracing::error!(?error, "sign-in throttling not updated");
    }
}
