//! The Create Access Token wizard as plain data: its four steps, the draft the browser
//! keeps, and the validation both the browser and the server run.

use super::api_version::ApiVersion;
use super::developer_emails::parse_all;
use super::email::EmailAddress;
use super::expiration::{parse_date, Expiration, ExpirationError, PRESET_DAYS};
use super::ip_allowlist::IpAllowlist;
use super::limits::{Limits, LimitsForm};
use super::scopes::{ScopeId, ScopeSet};
use super::text::{Description, TokenName};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

mod draft_key;
mod steps;
pub use draft_key::{DraftKey, LEGACY_DRAFT_KEY};
pub use steps::{Field, FieldError, Problem, Step};

/// The unfinished wizard, exactly as the browser keeps it between visits. Never holds a
/// secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    /// The step on screen.
    pub step: Step,
    /// **Token Name** as typed.
    pub name: String,
    /// **Description** as typed.
    pub description: String,
    /// **API Version**.
    pub api_version: u8,
    /// The user id chosen as **Primary Contact**.
    pub primary_contact: Option<i64>,
    /// Developer emails added so far.
    pub developer_emails: Vec<String>,
    /// Chosen scope ids.
    pub scopes: BTreeSet<String>,
    /// Categories switched on (a category can be on with nothing ticked yet).
    pub open_categories: BTreeSet<String>,
    /// **Expiration**.
    pub expiration: Expiration,
    /// **Allowed IP addresses** as typed (empty: anywhere).
    pub allowed_ips: String,
    /// **Limits**: rate limit and quota as typed (empty: none).
    pub limits: LimitsForm,
}

impl Default for Draft {
    fn default() -> Self {
        Self {
            step: Step::Setup,
            name: String::new(),
            description: String::new(),
            api_version: ApiVersion::LATEST.get(),
            primary_contact: None,
            developer_emails: Vec::new(),
            scopes: BTreeSet::new(),
            open_categories: BTreeSet::new(),
            expiration: Expiration::default(),
            allowed_ips: String::new(),
            limits: LimitsForm::default(),
        }
    }
}

/// A draft that passed every check: what the server stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub name: TokenName,
    /// Description (may be empty).
    pub description: Description,
    pub api_version: ApiVersion,
    /// Primary contact's user id (the server checks it belongs to the account).
    pub primary_contact: i64,
    pub developer_emails: Vec<EmailAddress>,
    pub scopes: ScopeSet,
    /// Expiration as chosen (the server resolves it within the account's policy).
    pub expiration: Expiration,
    /// Where it may be used from.
    pub allowed_ips: IpAllowlist,
    /// Its rate limit and quota.
    pub limits: Limits,
}

/// What the draft alone can tell of an expiration: a preset offered, a real date. Today's
/// date and the account's policy are the server's to check ([`Expiration::resolve`]).
fn check_expiration(expiration: &Expiration) -> Result<(), ExpirationError> {
    match expiration {
        Expiration::Days(days) if !PRESET_DAYS.contains(days) => {
            Err(ExpirationError::UnknownPreset)
        }
        Expiration::OnDate { date, .. } if parse_date(date).is_none() => {
            Err(ExpirationError::BadDate)
        }
        _ => Ok(()),
    }
}

fn error(field: Field, problem: Problem) -> FieldError {
    FieldError { field, problem }
}

impl Draft {
    /// The problems of one step's fields.
    pub fn validate_step(&self, step: Step) -> Vec<FieldError> {
        step.fields()
            .iter()
            .filter_map(|&field| self.validate_field(field).err())
            .collect()
    }

    /// The problem of one field, if any.
    pub fn validate_field(&self, field: Field) -> Result<(), FieldError> {
        let result = match field {
            Field::TokenName => TokenName::parse(&self.name)
                .map(drop)
                .map_err(Problem::Text),
            Field::Description => Description::parse(&self.description)
                .map(drop)
                .map_err(Problem::Text),
            Field::ApiVersion => ApiVersion::new(self.api_version)
                .map(drop)
                .map_err(Problem::Version),
            Field::Expiration => check_expiration(&self.expiration).map_err(Problem::Expiration),
            Field::AllowedIps => IpAllowlist::parse(&self.allowed_ips)
                .map(drop)
                .map_err(Problem::AllowedIps),
            Field::RateLimit => self.limits.rate().map(drop).map_err(Problem::Limit),
            Field::Quota => self.limits.quota().map(drop).map_err(Problem::Limit),
            // Not the draft's: a budget is chosen on the token page, a reason asked by
            // **Request token**.
            Field::Budget | Field::Reason => Ok(()),
            Field::PrimaryContact => self
                .primary_contact
                .map(drop)
                .ok_or(Problem::ContactRequired),
            Field::DeveloperEmails => parse_all(&self.developer_emails)
                .map(drop)
                .map_err(Problem::DeveloperEmail),
            Field::Scopes => ScopeSet::parse(self.scopes.iter().map(String::as_str))
                .map(drop)
                .map_err(Problem::Scope),
        };
        result.map_err(|problem| error(field, problem))
    }

    /// Whether the step on screen is complete.
    pub fn can_advance(&self) -> bool {
        self.validate_step(self.step).is_empty()
    }

    /// Moves to the next step if this one is complete; otherwise stays and returns why.
    // `next`/`back` are the wizard's words; a draft is no iterator.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Step, Vec<FieldError>> {
        let errors = self.validate_step(self.step);
        if !errors.is_empty() {
            return Err(errors);
        }
        if let Some(next) = self.step.next() {
            self.step = next;
        }
        Ok(self.step)
    }

    /// Moves to the previous step (always allowed).
    pub fn back(&mut self) -> Step {
        if let Some(previous) = self.step.previous() {
            self.step = previous;
        }
        self.step
    }

    /// The furthest step the user may jump to: every step before it is complete.
    pub fn furthest_reachable(&self) -> Step {
        Step::ALL
            .into_iter()
            .find(|&step| !self.validate_step(step).is_empty())
            .unwrap_or(Step::Review)
    }

    /// Checks everything, as **Create** and the server do.
    pub fn validate(&self) -> Result<NewToken, Vec<FieldError>> {
        let errors: Vec<FieldError> = Step::ALL
            .into_iter()
            .flat_map(|step| self.validate_step(step))
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        let build = || -> Option<NewToken> {
            Some(NewToken {
                name: TokenName::parse(&self.name).ok()?,
                description: Description::parse(&self.description).ok()?,
                api_version: ApiVersion::new(self.api_version).ok()?,
                primary_contact: self.primary_contact?,
                developer_emails: parse_all(&self.developer_emails).ok()?,
                scopes: ScopeSet::parse(self.scopes.iter().map(String::as_str)).ok()?,
                expiration: self.expiration.clone(),
                allowed_ips: IpAllowlist::parse(&self.allowed_ips).ok()?,
                limits: self.limits.limits()?,
            })
        };
        build().ok_or_else(Vec::new)
    }

    /// Switches a category on (its checkboxes become usable) or off (its scopes are cleared).
    pub fn set_category(&mut self, category_id: &str, on: bool) {
        if on {
            self.open_categories.insert(category_id.to_string());
        } else {
            self.open_categories.remove(category_id);
            let prefix = format!("{category_id}:");
            self.scopes.retain(|scope| !scope.starts_with(&prefix));
        }
    }

    /// Whether a category is switched on.
    pub fn category_on(&self, category_id: &str) -> bool {
        let prefix = format!("{category_id}:");
        self.open_categories.contains(category_id)
            || self.scopes.iter().any(|s| s.starts_with(&prefix))
    }

    /// Ticks or unticks one scope; ticking switches its category on.
    pub fn set_scope(&mut self, scope: ScopeId, on: bool) {
        if on {
            self.open_categories.insert(scope.category().id.to_string());
            self.scopes.insert(scope.to_string());
        } else {
            self.scopes.remove(&scope.to_string());
        }
    }

    /// Replaces the selection with `scopes`, switching their categories on.
    pub fn select_only(&mut self, scopes: impl IntoIterator<Item = ScopeId>) {
        self.clear_scopes();
        for scope in scopes {
            self.set_scope(scope, true);
        }
    }

    /// **Clear All**: no scope, every category off.
    pub fn clear_scopes(&mut self) {
        self.scopes.clear();
        self.open_categories.clear();
    }
}

#[cfg(test)]
mod tests;
