//! The account's budgets, with their tokens and what is left of their quotas.

use crate::domain::limits::BudgetView;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the Budgets page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budgets {
    /// By name.
    pub budgets: Vec<BudgetView>,
    /// Whether the caller may create, change and delete them (Account Administrators).
    pub can_manage: bool,
}

/// The caller's account's budgets; Analyst and Finance get `Forbidden`.
#[server(endpoint = "list_budgets")]
pub async fn get_budgets() -> Result<Budgets, AppError> {
    use crate::domain::limits::QuotaUse;
    use crate::domain::Permission;
    use crate::ssr::db::{budgets, quota};
    use crate::ssr::{auth, now};
    crate::ssr::response::respond(async {
        let (user, state) = auth::require(Permission::ViewApiSettings).await?;
        let pool = &state.pool;
        let rows = budgets::list(pool, user.account_id).await?;
        let tokens = budgets::tokens(pool, user.account_id).await?;
        let now = now();
        let mut shown = Vec::with_capacity(rows.len());
        for row in rows {
            let limits = row.limits();
            let quota_use = match limits.quota {
                Some(q) => {
                    let window = q.window(now, row.quota_since.unwrap_or(row.created_at));
                    let key = quota::WindowKey::budget(row.id, window.start);
                    Some(QuotaUse {
                        quota: q,
                        spent: quota::spent(pool, key).await?,
                        refills_at: window.end,
                    })
                }
                None => None,
            };
            shown.push(BudgetView {
                tokens: tokens
                    .iter()
                    .filter(|(budget, _, _)| *budget == row.id)
                    .map(|(_, sid, name)| (sid.clone(), name.clone()))
                    .collect(),
                id: row.id,
                name: row.name,
                limits,
                quota_use,
            });
        }
        Ok(Budgets {
            budgets: shown,
            can_manage: user.role.allows(Permission::SetTokenPolicy),
        })
    })
    .await
}
