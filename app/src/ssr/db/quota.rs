//! Quotas kept exact across instances: an instance leases a block of a token's calls from
//! the window's row (never past the quota), spends it in memory, reports what it spent
//! every few hundred milliseconds while renewing the lease, and gives back what it did not
//! spend. Each lease names the run that holds it: a run killed and started again ends its
//! leases from what its journal says they spent ([`give_back_run`]). A lease whose holder
//! stopped renewing it and never came back lapses and counts as spent in full: calls it
//! answered after its last report can't be known, and a quota is never exceeded to find
//! out.

use super::engine::{query, Db};
use super::quota_notices::{self, QuotaMark};
pub use super::quota_window::{LeaseRequest, WindowKey};
use crate::error::AppError;

/// A block of calls an instance may spend until the lease lapses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    /// The lease's key.
    pub id: i64,
    /// How many calls it holds.
    pub calls: u64,
}

/// Leases up to `want` calls of the window, never past its quota, and says how many calls
/// are left unleased after it: `None` when every call of the window is spent or leased. The
/// lease that hands out the 90th percent of the calls, and the first ask that finds none
/// left, tell the token's contacts (each once per window, in the same transaction).
pub async fn lease(pool: &Db, asked: LeaseRequest) -> Result<Option<(Lease, u64)>, AppError> {
    let window = asked.window;
    let quota = asked.quota.calls;
    let mut tx = pool.begin_write().await?;
    query(
        "INSERT INTO quota_windows (owner, window_start, granted) VALUES ($1, $2, 0)
         ON CONFLICT (owner, window_start) DO NOTHING",
    )
    .bind(window.owner)
    .bind(window.start)
    .execute(&mut tx)
    .await?;
    // Locks the row on PostgreSQL (SQLite's writers already take turns).
    let granted: i64 = query(
        "UPDATE quota_windows SET granted = granted
         WHERE owner = $1 AND window_start = $2 RETURNING granted",
    )
    .bind(window.owner)
    .bind(window.start)
    .scalar(&mut tx)
    .await?;
    let granted = u64::try_from(granted).unwrap_or(u64::MAX);
    let left = quota.saturating_sub(granted);
    let calls = asked.want.min(left);
    if calls == 0 {
        if quota_notices::mark(&mut tx, &asked, QuotaMark::Spent).await? {
            tx.commit().await?;
        }
        return Ok(None);
    }
    query("UPDATE quota_windows SET granted = granted + $1 WHERE owner = $2 AND window_start = $3")
        .bind(calls as i64)
        .bind(window.owner)
        .bind(window.start)
        .execute(&mut tx)
        .await?;
    let id: i64 = query(
        "INSERT INTO quota_leases (owner, window_start, granted, spent, expires_at, holder)
         VALUES ($1, $2, $3, 0, $4, $5) RETURNING id",
    )
    .bind(window.owner)
    .bind(window.start)
    .bind(calls as i64)
    .bind(asked.expires_at)
    .bind(asked.holder)
    .scalar(&mut tx)
    .await?;
    if (granted + calls).saturating_mul(10) >= quota.saturating_mul(9) {
        quota_notices::mark(&mut tx, &asked, QuotaMark::Near).await?;
    }
    tx.commit().await?;
    Ok(Some((Lease { id, calls }, left - calls)))
}

/// Records what each lease has spent and holds it until `expires_at`, in one transaction;
/// returns the leases no longer held (they lapsed: their holder must stop spending them).
pub async fn report(
    pool: &Db,
    leases: &[(i64, u64)],
    expires_at: i64,
) -> Result<Vec<i64>, AppError> {
    if leases.is_empty() {
        return Ok(Vec::new());
    }
    let mut lost = Vec::new();
    let mut tx = pool.begin_write().await?;
    for (id, spent) in leases {
        let held = query(
            "UPDATE quota_leases SET spent = $1, expires_at = $2
             WHERE id = $3 AND expires_at >= $4",
        )
        .bind(*spent as i64)
        .bind(expires_at)
        .bind(*id)
        .bind(crate::ssr::now_millis())
        .execute(&mut tx)
        .await?;
        if held == 0 {
            lost.push(*id);
        }
    }
    tx.commit().await?;
    Ok(lost)
}

/// Ends a lease that spent `spent` of its calls, as its holder knows them: the rest go
/// back to its window, even if it lapsed (nobody else spends a lapsed lease's calls: they
/// count as spent until its holder says how many it did spend). A lease already forgotten
/// gives nothing back.
pub async fn give_back(pool: &Db, id: i64, spent: u64) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    let lease: Option<(i64, i64, i64)> =
        query("DELETE FROM quota_leases WHERE id = $1 RETURNING owner, window_start, granted")
            .bind(id)
            .fetch_optional(&mut tx)
            .await?;
    if let Some((owner, start, granted)) = lease {
        let unspent = (granted - spent as i64).max(0);
        query(
            "UPDATE quota_windows SET granted = granted - $1
             WHERE owner = $2 AND window_start = $3",
        )
        .bind(unspent)
        .bind(owner)
        .bind(start)
        .execute(&mut tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Ends every lease a killed run (`holder`) left, each as having spent what its journal
/// says (`journaled`: lease id, calls spent; a lease the journal doesn't name spent
/// nothing, as no call is answered before it is journaled) or what it last reported, the
/// larger. Returns the leases ended and what each gave back.
pub async fn give_back_run(
    pool: &Db,
    holder: i64,
    journaled: &[(i64, u64)],
) -> Result<Vec<(i64, u64)>, AppError> {
    let leases: Vec<(i64, i64, i64)> =
        query("SELECT id, granted, spent FROM quota_leases WHERE holder = $1 ORDER BY id")
            .bind(holder)
            .fetch_all(pool)
            .await?;
    let mut ended = Vec::with_capacity(leases.len());
    for (id, granted, reported) in leases {
        let written = journaled
            .iter()
            .find(|(lease, _)| *lease == id)
            .map_or(0, |(_, spent)| *spent);
        let spent = written.max(u64::try_from(reported).unwrap_or(0));
        give_back(pool, id, spent).await?;
        ended.push((
            id,
            u64::try_from(granted).unwrap_or(0).saturating_sub(spent),
        ));
    }
    Ok(ended)
}

/// Calls of `window` spent as far as the database knows: those handed out, less what live
/// leases hold unspent (reported every few hundred milliseconds).
pub async fn spent(pool: &Db, window: WindowKey) -> Result<u64, AppError> {
    let spent: Option<i64> = query(
        "SELECT w.granted - CAST(COALESCE((SELECT SUM(l.granted - l.spent) FROM quota_leases l
                                           WHERE l.owner = w.owner
                                             AND l.window_start = w.window_start
                                             AND l.expires_at >= $3), 0) AS BIGINT)
         FROM quota_windows w WHERE w.owner = $1 AND w.window_start = $2",
    )
    .bind(window.owner)
    .bind(window.start)
    .bind(crate::ssr::now_millis())
    .scalar_optional(pool)
    .await?;
    Ok(spent.map_or(0, |s| u64::try_from(s).unwrap_or(0)))
}

/// Forgets leases that lapsed more than a day ago (their calls stay counted as spent).
pub async fn forget_lapsed(pool: &Db) -> Result<u64, AppError> {
    let mut tx = pool.begin_write().await?;
    let gone = query("DELETE FROM quota_leases WHERE expires_at < $1")
        .bind(crate::ssr::now_millis() - 86_400_000)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(gone)
}
