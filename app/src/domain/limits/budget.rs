//! **Budgets**: a name and a rate limit and/or a quota that several tokens of an account
//! draw on together (one agency, one budget, several tokens). A token on a budget keeps
//! its own limits too; the tighter refuses.

use super::{LimitError, Limits, LimitsForm};
use crate::domain::text::TokenName;
use serde::{Deserialize, Serialize};

/// Why a budget's form is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum BudgetError {
    /// The name breaks a text rule (a budget's name follows a token's).
    #[error("Name: {0}")]
    Name(crate::domain::TextError),
    /// A limit can't be read.
    #[error("{0}")]
    Limit(LimitError),
    /// Neither limit set: a budget limits something.
    #[error("Set a rate limit, a quota or both: a budget without limits holds nothing back.")]
    NoLimits,
}

/// A budget's name and limits, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetSpec {
    pub name: TokenName,
    pub limits: Limits,
}

/// The name and limits as typed, or the first thing wrong with them.
pub fn read_budget(name: &str, form: &LimitsForm) -> Result<BudgetSpec, BudgetError> {
    let name = TokenName::parse(name).map_err(BudgetError::Name)?;
    let limits = read_limits(form)?;
    Ok(BudgetSpec { name, limits })
}

/// A budget's limits as typed: at least one.
pub fn read_limits(form: &LimitsForm) -> Result<Limits, BudgetError> {
    let rate = form.rate().map_err(BudgetError::Limit)?;
    let quota = form.quota().map_err(BudgetError::Limit)?;
    if rate.is_none() && quota.is_none() {
        return Err(BudgetError::NoLimits);
    }
    Ok(Limits { rate, quota })
}

/// A budget as the pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetView {
    pub id: i64,
    pub name: String,
    pub limits: Limits,
    /// Its quota's use in the window now (`None`: no quota).
    pub quota_use: Option<super::QuotaUse>,
    /// The live tokens drawing on it: `(sid, name)`, by name.
    pub tokens: Vec<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_needs_a_name_and_a_limit() {
        let form = LimitsForm {
            quota_calls: "10,000".into(),
            ..LimitsForm::default()
        };
        let spec = read_budget("  Agency A ", &form).unwrap();
        assert_eq!(spec.name.as_str(), "Agency A");
        assert_eq!(spec.limits.quota_words(), "10,000 calls a month (UTC)");
        assert_eq!(
            read_budget("Agency A", &LimitsForm::default()),
            Err(BudgetError::NoLimits)
        );
        assert!(matches!(read_budget("", &form), Err(BudgetError::Name(_))));
        let bad = LimitsForm {
            rate_requests: "0".into(),
            ..LimitsForm::default()
        };
        assert_eq!(
            read_budget("Agency A", &bad),
            Err(BudgetError::Limit(LimitError::BadRequests))
        );
    }
}
