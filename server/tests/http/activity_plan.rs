//! How a batch of the log is read, on each engine: as a range of `audit_events_account`
//! that starts at the cursor, in the log's order, whatever the filters (no sort of the
//! account's events, no read of those before the cursor). PostgreSQL is asked for its
//! generic plan, the one a connection settles on after its fifth run of a statement.

use super::harness::TestApp;
use app::domain::activity::{ActivityFilter, Cursor};
use app::domain::audit::AuditAction;
use app::ssr::db::activity;
use app::ssr::db::engine::{query, Conn};
use app::ssr::db::Db;

/// The filters the plans are read with: none, then each one, then all.
fn filters() -> Vec<ActivityFilter> {
    let none = ActivityFilter::default();
    let all = ActivityFilter {
        token: "TKabc".into(),
        actor: Some(1),
        action: Some(AuditAction::Created),
        from: "2026-11-01".into(),
        to: "2026-11-30".into(),
    };
    vec![
        none.clone(),
        ActivityFilter {
            actor: Some(1),
            ..none.clone()
        },
        ActivityFilter {
            action: Some(AuditAction::Created),
            ..none.clone()
        },
        ActivityFilter {
            from: "2026-11-01".into(),
            to: "2026-11-30".into(),
            ..none
        },
        all,
    ]
}

const CURSOR: Cursor = Cursor {
    at: 1_764_547_200,
    id: 42,
};

#[tokio::test]
async fn a_batch_is_a_range_of_the_index_from_its_cursor() {
    let app = TestApp::new().await;
    if let Db::Postgres(pool, _) = &app.pool {
        return postgres_generic_plans(pool).await;
    }
    for filter in filters() {
        for older in [true, false] {
            let statement = activity::batch(1, &filter, CURSOR, older, 501);
            let explain = format!("EXPLAIN QUERY PLAN {}", statement.sql());
            let explain = statement.replaced(explain);
            let plan: Vec<(i64, i64, i64, String)> = explain.fetch_all(&app.pool).await.unwrap();
            let steps: Vec<String> = plan.into_iter().map(|row| row.3).collect();
            let plan = steps.join("\n");
            let range = if older { "<" } else { ">" };
            // SQLite names the range by its first column (the row value bounds it), beside
            // the dates' bounds.
            let index = "SEARCH a USING INDEX audit_events_account (account_id=? AND created_at";
            assert!(plan.contains(index), "{filter:?}: {plan}");
            assert!(plan.contains(&format!("created_at{range}?")), "{plan}");
            assert!(!plan.contains("TEMP B-TREE"), "no sort: {plan}");
            assert!(!plan.contains("SCAN a"), "no scan: {plan}");
        }
    }
}

/// The generic plan of each batch (a scan made too dear to choose, as the demo account's
/// few events would otherwise be read whole): the cursor bounds the index read, in order.
/// With the filters as catch-all conditions (`$4 IS NULL OR …`) this plan was a bitmap of
/// the account's every event, sorted.
async fn postgres_generic_plans(pool: &sqlx::PgPool) {
    let mut connection = pool.acquire().await.unwrap();
    for setting in [
        "SET plan_cache_mode = force_generic_plan",
        "SET enable_seqscan = off",
    ] {
        sqlx::query(setting)
            .execute(&mut *connection)
            .await
            .unwrap();
    }
    for filter in filters() {
        for older in [true, false] {
            // EXPLAIN of a statement with parameters plans it for their values: the
            // generic plan is that of a prepared statement, explained by EXECUTE.
            let statement = activity::batch(1, &filter, CURSOR, older, 501);
            let prepare = format!("PREPARE batch AS {}", statement.sql());
            sqlx::query(&prepare)
                .execute(&mut *connection)
                .await
                .unwrap();
            let explain = format!("EXPLAIN EXECUTE batch({})", values(&filter).join(", "));
            let plan = query(explain)
                .scalars::<String>(Conn::Pg(&mut connection))
                .await
                .unwrap()
                .join("\n");
            sqlx::query("DEALLOCATE batch")
                .execute(&mut *connection)
                .await
                .unwrap();
            let range = if older { "<" } else { ">" };
            let scan = if older {
                "Index Scan Backward using audit_events_account on audit_events a"
            } else {
                "Index Scan using audit_events_account on audit_events a"
            };
            let bound = format!("(account_id = $1) AND (ROW(created_at, id) {range} ROW($2, $3))");
            assert!(plan.contains(scan), "{filter:?}: {plan}");
            assert!(plan.contains(&bound), "{filter:?}: {plan}");
            assert!(!plan.contains("Sort"), "no sort: {plan}");
        }
    }
}

/// The batch's parameters as literals, in its order: the account, the cursor, then what
/// the filter sets.
fn values(filter: &ActivityFilter) -> Vec<String> {
    let mut values = vec![
        "1".to_string(),
        CURSOR.at.to_string(),
        CURSOR.id.to_string(),
    ];
    if !filter.token.is_empty() {
        values.push(format!("'{}'", filter.token));
    }
    values.extend(filter.actor.map(|actor| actor.to_string()));
    values.extend(filter.action.map(|action| format!("'{}'", action.id())));
    let (from, until) = filter.range();
    values.extend(from.into_iter().chain(until).map(|at| at.to_string()));
    values
}
