//! The detail page's changes, checked by the wizard's rules.

use super::*;
use crate::domain::TextError;

#[test]
fn overview_reports_both_fields() {
    let change = TokenChange::Overview {
        name: " a ".into(),
        description: "x".repeat(501),
    };
    let errors = change.validate().unwrap_err();
    let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, [Field::TokenName, Field::Description]);
    assert!(matches!(
        errors[0].problem,
        Problem::Text(TextError::TooShort { .. })
    ));
}

#[test]
fn overview_trims_like_the_wizard() {
    let change = TokenChange::Overview {
        name: "  Feed sync  ".into(),
        description: "".into(),
    };
    match change.validate().unwrap() {
        ValidChange::Overview { name, .. } => assert_eq!(name.as_str(), "Feed sync"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn contacts_need_a_primary_contact_and_good_emails() {
    let change = TokenChange::Contacts {
        primary_contact: None,
        developer_emails: vec!["a@b.test".into(), "A@b.test".into()],
    };
    let errors = change.validate().unwrap_err();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].problem, Problem::ContactRequired);
    assert_eq!(errors[1].field, Field::DeveloperEmails);
}

#[test]
fn scopes_must_not_be_empty_or_unknown() {
    let empty = TokenChange::Scopes { scopes: vec![] };
    assert_eq!(empty.validate().unwrap_err()[0].field, Field::Scopes);
    let unknown = TokenChange::Scopes {
        scopes: vec!["nope:get".into()],
    };
    assert!(unknown.validate().is_err());
}

#[test]
fn limits_report_each_field_and_need_a_recent_proof() {
    let bad = TokenChange::Limits {
        limits: LimitsForm {
            rate_requests: "0".into(),
            quota_calls: "lots".into(),
            ..LimitsForm::default()
        },
        budget: None,
    };
    let fields: Vec<Field> = bad
        .validate()
        .unwrap_err()
        .iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, [Field::RateLimit, Field::Quota]);
    let none = TokenChange::Limits {
        limits: LimitsForm::default(),
        budget: Some(3),
    };
    let valid = none.validate().unwrap();
    assert_eq!(
        valid,
        ValidChange::Limits {
            limits: Limits::default(),
            budget: Some(3)
        }
    );
    assert!(valid.needs_recent_proof());
    assert_eq!(valid.action(), AuditAction::LimitsChanged);
}

#[test]
fn versions_only_go_up() {
    assert_eq!(
        upgrades_from(12)
            .iter()
            .map(|v| v.get())
            .collect::<Vec<_>>(),
        [13, 14]
    );
    assert!(upgrades_from(14).is_empty());
    let v13 = ApiVersion::new(13).unwrap();
    assert!(check_upgrade(12, v13).is_ok());
    assert!(check_upgrade(13, v13).is_err());
    assert!(check_upgrade(14, v13).is_err());
    let bad = TokenChange::UpgradeVersion { api_version: 9 };
    assert_eq!(bad.validate().unwrap_err()[0].field, Field::ApiVersion);
}
