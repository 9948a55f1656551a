//! An instance killed with SIGKILL and started again gives back, before it serves, what its
//! quota leases did not spend: the journal's figure for each lease it journaled, all of a
//! lease it took and never journaled; another run's leases stay as they are.

use super::harness::{TestApp, ADMIN};
use super::token_limits::{call, limited, quota};
use app::domain::limits::{Quota, Refill};
use app::ssr::db::engine::query;
use app::ssr::db::quota::{self as leases, LeaseRequest, WindowKey};
use app::ssr::{now, now_millis};
use http::StatusCode;
use server::brand_api::quota_journal::QuotaJournal;
use server::brand_api::quota_leases::{QuotaCall, QuotaLeases, QuotaState};

async fn granted(app: &TestApp, window: WindowKey) -> i64 {
    query("SELECT granted FROM quota_windows WHERE owner = $1 AND window_start = $2")
        .bind(window.owner)
        .bind(window.start)
        .scalar(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_killed_run_gives_back_on_restart_what_its_leases_did_not_spend() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    app.set_api_access(&admin, true).await;
    let (sid, authorization) = limited(&app, &admin, "Restarted", quota("1000", "monthly")).await;
    let token_id: i64 = query("SELECT id FROM tokens WHERE sid = $1")
        .bind(sid.clone())
        .scalar(&app.pool)
        .await
        .unwrap();
    let quota = Quota {
        calls: 1_000,
        refill: Refill::Monthly,
    };
    let now = now();
    let window = quota.window(now, 0);
    let call_of = |window_start| QuotaCall {
        window: WindowKey::token(token_id, window_start),
        quota,
        refills_at: window.end,
        now,
    };
    let key = WindowKey::token(token_id, window.start);
    // The instance serving the router spends one call: its lease is another run's.
    assert_eq!(call(&app, &authorization).await.status, StatusCode::OK);

    // A run with a journal spends 5 calls, then takes a lease and is killed before it
    // journals it.
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("quota.journal");
    let (journal, _) = QuotaJournal::open(&path).unwrap();
    let holder = journal.holder();
    let killed = QuotaLeases::new(journal);
    for _ in 0..5 {
        let state = killed.take(&app.pool, call_of(window.start)).await;
        assert!(matches!(state, Ok(QuotaState::Allowed { .. })), "{state:?}");
    }
    let asked = LeaseRequest {
        window: key,
        quota,
        refills_at: window.end,
        want: 100,
        expires_at: now_millis() + 10_000,
        now,
        holder,
    };
    assert!(leases::lease(&app.pool, asked).await.unwrap().is_some());
    drop(killed);
    // 16 for the router's instance, 16 and 100 for the killed run.
    assert_eq!(granted(&app, key).await, 132);

    // Started again: its journal names the run; the 11 unspent calls of its first lease and
    // all 100 of the unjournaled one come back, the other run's lease stays.
    let (journal, recovered) = QuotaJournal::open(&path).unwrap();
    assert_eq!(recovered.holder, Some(holder));
    assert_ne!(journal.holder(), holder);
    QuotaLeases::recover(&app.pool, &recovered).await;
    assert_eq!(granted(&app, key).await, 16 + 5);
    let left: i64 = query("SELECT COUNT(*) FROM quota_leases WHERE holder = $1")
        .bind(holder)
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
    // Nothing comes back twice.
    QuotaLeases::recover(&app.pool, &recovered).await;
    assert_eq!(granted(&app, key).await, 16 + 5);
    app.api.quotas.give_back_all(&app.pool).await;
    let shown = app.detail(&admin, &sid).await;
    let shown: serde_json::Value = serde_json::from_str(&shown.body).unwrap();
    assert_eq!(shown["quota_use"]["spent"], 6);
}
