//! Token writes check the acting user again inside their transaction: a role read when the
//! request began may be stale by the time it writes (demoted, disabled or reset meanwhile),
//! as user changes already did.

use super::harness::{TestApp, ADMIN, SPECIALIST};
use app::domain::Actor;
use app::domain::{AccountSid, Role, TokenSid, ValidChange};
use app::error::AppError;
use app::ssr::db::engine::query;
use app::ssr::db::{accounts, token_changes};

/// The Implementation Specialist as their request saw them when it began.
async fn specialist_as_seen(app: &TestApp) -> Actor {
    Actor {
        user_id: app.user_id(SPECIALIST).await,
        name: "Specialist".to_string(),
        email: SPECIALIST.to_string(),
        role: Role::ImplementationSpecialist,
        account_id: query("SELECT id FROM accounts WHERE name = 'Acme Outdoor'")
            .scalar(&app.pool)
            .await
            .unwrap(),
        account_sid: AccountSid::parse(&app.account_sid().await).unwrap(),
        account_name: "Acme Outdoor".to_string(),
        api_access_enabled: true,
        token_policy: Default::default(),
        must_change_password: false,
        has_second_factor: false,
        two_factor_rule: Default::default(),
        proved_at: 0,
        exposure_policy: Default::default(),
        limits_policy: Default::default(),
        token_creation: Default::default(),
    }
}

#[tokio::test]
async fn a_demoted_or_disabled_user_changes_no_token() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    app.set_api_access(&admin, true).await;
    let token = app.make_token(&admin, "Stale actor").await;
    let sid = TokenSid::parse(&token.sid).unwrap();
    let actor = specialist_as_seen(&app).await;
    for (demotion, undo) in [
        (
            "UPDATE users SET role = 'analyst' WHERE id = $1",
            "UPDATE users SET role = 'implementation_specialist' WHERE id = $1",
        ),
        (
            "UPDATE users SET disabled_at = 1 WHERE id = $1",
            "UPDATE users SET disabled_at = NULL WHERE id = $1",
        ),
        (
            "UPDATE users SET must_change_password = TRUE WHERE id = $1",
            "UPDATE users SET must_change_password = FALSE WHERE id = $1",
        ),
    ] {
        query(demotion)
            .bind(actor.user_id)
            .execute(&app.pool)
            .await
            .unwrap();
        let change = ValidChange::SetEnabled(false);
        let request = token_changes::ChangeRequest {
            sid: &sid,
            seen_version: app.revision(&token.sid).await,
            change: &change,
            new_secret: None,
            now: app::ssr::now(),
        };
        let refused = token_changes::apply(&app.pool, &actor, request).await;
        assert!(
            matches!(refused, Err(AppError::Forbidden)),
            "{demotion}: {refused:?}"
        );
        let refused = accounts::set_api_access(
            &app.pool,
            actor.account_id,
            actor.user_id,
            false,
            app::ssr::now(),
        )
        .await;
        assert!(
            matches!(refused, Err(AppError::Forbidden)),
            "{demotion}: {refused:?}"
        );
        query(undo)
            .bind(actor.user_id)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    // Restored, the same call goes through.
    let change = ValidChange::SetEnabled(false);
    let request = token_changes::ChangeRequest {
        sid: &sid,
        seen_version: app.revision(&token.sid).await,
        change: &change,
        new_secret: None,
        now: app::ssr::now(),
    };
    token_changes::apply(&app.pool, &actor, request)
        .await
        .unwrap();
    // The Specialist may not set the token policy at all.
    let refused = accounts::set_token_policy(
        &app.pool,
        actor.account_id,
        actor.user_id,
        Default::default(),
        app::ssr::now(),
    )
    .await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
}
