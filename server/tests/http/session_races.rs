//! A sign-in that overlaps a Change password, Reset password or Disable: whichever commits
//! first, no session made with the old password (or by the disabled user) outlives the
//! change. On PostgreSQL (READ COMMITTED) the sign-in's check must see the row the change
//! leaves, not a snapshot from before it commits.

use super::harness::{TestApp, ADMIN};
use app::ssr::db::engine::query;
use app::ssr::db::sessions;
use std::time::Duration;

/// Holds `change` uncommitted while a sign-in that checked `old_hash` stores its session,
/// then commits the change; returns how many sessions the user has left.
async fn race(app: &TestApp, change: &'static str, old_hash: &str, bind_now: bool) -> (i64, bool) {
    let user = app.user_id(ADMIN).await;
    let now = app::ssr::now();
    let mut tx = app.pool.begin_write().await.unwrap();
    let mut update = query(change);
    if bind_now {
        update = update.bind(now);
    }
    update.bind(user).execute(&mut tx).await.unwrap();
    sessions::end_others_in(&mut tx, user, None).await.unwrap();
    let sign_in = {
        let pool = app.pool.clone();
        let old_hash = old_hash.to_string();
        tokio::spawn(async move {
            let id_hash = rand::random::<[u8; 32]>();
            sessions::create(&pool, &id_hash, user, Some(&old_hash), now, now + 3600).await
        })
    };
    // Give the sign-in every chance to slip in before the change commits.
    tokio::time::sleep(Duration::from_millis(300)).await;
    tx.commit().await.unwrap();
    let signed_in = sign_in.await.unwrap().is_ok();
    let left: i64 = query("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
        .bind(user)
        .scalar(&app.pool)
        .await
        .unwrap();
    (left, signed_in)
}

async fn stored_hash(app: &TestApp) -> String {
    query("SELECT password_hash FROM users WHERE id = $1")
        .bind(app.user_id(ADMIN).await)
        .scalar(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_sign_in_during_a_password_change_leaves_no_session() {
    let app = TestApp::new().await;
    let old = stored_hash(&app).await;
    let (left, signed_in) = race(
        &app,
        "UPDATE users SET password_hash = 'changed-elsewhere' WHERE id = $1",
        &old,
        false,
    )
    .await;
    assert_eq!((left, signed_in), (0, false));
}

#[tokio::test]
async fn a_sign_in_during_a_disable_leaves_no_session_for_enable_to_bring_back() {
    let app = TestApp::new().await;
    let old = stored_hash(&app).await;
    let (left, signed_in) = race(
        &app,
        "UPDATE users SET disabled_at = $1 WHERE id = $2",
        &old,
        true,
    )
    .await;
    assert_eq!((left, signed_in), (0, false));
    query("UPDATE users SET disabled_at = NULL WHERE id = $1")
        .bind(app.user_id(ADMIN).await)
        .execute(&app.pool)
        .await
        .unwrap();
    let left: i64 = query("SELECT COUNT(*) FROM sessions")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "Enable brings back no session");
}
