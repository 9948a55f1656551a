//! The wizard's rules, step by step.

use super::*;
use crate::domain::catalog::Method;

fn complete() -> Draft {
    Draft {
        name: "Reporting sync".into(),
        description: "Nightly export".into(),
        primary_contact: Some(1),
        developer_emails: vec!["dev@acme.test".into()],
        scopes: ["reports:get".to_string()].into(),
        ..Draft::default()
    }
}

fn fields(errors: &[FieldError]) -> Vec<Field> {
    errors.iter().map(|e| e.field).collect()
}

#[test]
fn a_new_draft_starts_on_setup_with_the_latest_version() {
    let draft = Draft::default();
    assert_eq!(draft.step, Step::Setup);
    assert_eq!(draft.api_version, 14);
    assert!(!draft.can_advance());
}

#[test]
fn next_stays_put_on_each_kind_of_error() {
    let table: Vec<(Draft, Step, Field)> = vec![
        (
            Draft {
                name: "ab".into(),
                ..complete()
            },
            Step::Setup,
            Field::TokenName,
        ),
        (
            Draft {
                description: "d".repeat(501),
                ..complete()
            },
            Step::Setup,
            Field::Description,
        ),
        (
            Draft {
                api_version: 10,
                ..complete()
            },
            Step::Setup,
            Field::ApiVersion,
        ),
        (
            Draft {
                primary_contact: None,
                step: Step::Contacts,
                ..complete()
            },
            Step::Contacts,
            Field::PrimaryContact,
        ),
        (
            Draft {
                developer_emails: vec!["x".into()],
                step: Step::Contacts,
                ..complete()
            },
            Step::Contacts,
            Field::DeveloperEmails,
        ),
        (
            Draft {
                scopes: BTreeSet::new(),
                step: Step::Scopes,
                ..complete()
            },
            Step::Scopes,
            Field::Scopes,
        ),
        (
            Draft {
                scopes: ["actions:post".to_string()].into(),
                step: Step::Scopes,
                ..complete()
            },
            Step::Scopes,
            Field::Scopes,
        ),
    ];
    for (mut draft, step, field) in table {
        draft.step = step;
        let errors = draft.next().unwrap_err();
        assert_eq!(fields(&errors), vec![field]);
        assert_eq!(draft.step, step, "stayed on {step:?}");
    }
}

#[test]
fn walks_forward_and_back() {
    let mut draft = complete();
    assert_eq!(draft.next(), Ok(Step::Contacts));
    assert_eq!(draft.next(), Ok(Step::Scopes));
    assert_eq!(draft.next(), Ok(Step::Review));
    assert_eq!(draft.next(), Ok(Step::Review));
    assert_eq!(draft.back(), Step::Scopes);
    assert_eq!(draft.back(), Step::Contacts);
    assert_eq!(draft.back(), Step::Setup);
    assert_eq!(draft.back(), Step::Setup);
}

#[test]
fn validate_reports_every_problem_or_builds_the_token() {
    let token = complete().validate().unwrap();
    assert_eq!(token.name.as_str(), "Reporting sync");
    assert_eq!(token.scopes.len(), 1);
    let errors = Draft::default().validate().unwrap_err();
    assert_eq!(
        fields(&errors),
        vec![Field::TokenName, Field::PrimaryContact, Field::Scopes]
    );
}

#[test]
fn furthest_reachable_is_the_first_incomplete_step() {
    assert_eq!(Draft::default().furthest_reachable(), Step::Setup);
    let no_scopes = Draft {
        scopes: BTreeSet::new(),
        ..complete()
    };
    assert_eq!(no_scopes.furthest_reachable(), Step::Scopes);
    assert_eq!(complete().furthest_reachable(), Step::Review);
}

#[test]
fn category_switch_and_checkboxes() {
    let mut draft = Draft::default();
    assert!(!draft.category_on("actions"));
    draft.set_category("actions", true);
    assert!(draft.category_on("actions"));
    let get = ScopeId::of("actions", Method::Get).unwrap();
    let delete = ScopeId::of("actions", Method::Delete).unwrap();
    draft.set_scope(get, true);
    draft.set_scope(delete, true);
    assert_eq!(draft.scopes.len(), 2);
    draft.set_category("actions", false);
    assert!(draft.scopes.is_empty());
    assert!(!draft.category_on("actions"));
    draft.set_scope(get, true);
    assert!(
        draft.category_on("actions"),
        "ticking a scope turns its category on"
    );
    draft.clear_scopes();
    assert!(draft.scopes.is_empty() && draft.open_categories.is_empty());
}

#[test]
fn an_old_or_partial_draft_still_reads() {
    let draft: Draft = serde_json::from_str(r#"{"name":"abc"}"#).unwrap();
    assert_eq!(draft.name, "abc");
    assert_eq!(draft.api_version, 14);
    assert!(serde_json::from_str::<Draft>(r#"{"step":"Nowhere"}"#).is_err());
    assert!(serde_json::from_str::<Draft>("not json").is_err());
}

#[test]
fn step_titles_match_the_product() {
    let titles: Vec<&str> = Step::ALL.iter().map(|s| s.title()).collect();
    assert_eq!(
        titles,
        [
            "Setup",
            "Contact Information",
            "API Scopes",
            "Review and Create"
        ]
    );
}
