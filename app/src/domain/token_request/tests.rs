use super::*;
use crate::domain::expiration::{Expiration, TokenPolicy};
use crate::domain::limits::LimitsForm;
use crate::domain::wizard::{Draft, Field, NewToken, Problem};

const NOW: i64 = 1_800_000_000;
const DAY: i64 = 86_400;

fn requested() -> NewToken {
    let mut draft = Draft {
        name: "Agency feed".into(),
        primary_contact: Some(1),
        ..Draft::default()
    };
    draft.scopes = ["reports:get", "actions:put", "actions:get"]
        .into_iter()
        .map(String::from)
        .collect();
    draft.expiration = Expiration::Days(90);
    draft.limits = LimitsForm {
        rate_requests: "100".into(),
        rate_per: "minute".into(),
        quota_calls: "1000".into(),
        quota_refill: "monthly".into(),
    };
    draft.validate().expect("a complete draft")
}

fn limits(rate: &str, per: &str, calls: &str, refill: &str) -> LimitsForm {
    LimitsForm {
        rate_requests: rate.into(),
        rate_per: per.into(),
        quota_calls: calls.into(),
        quota_refill: refill.into(),
    }
}

fn problems(narrowing: Narrowing) -> Vec<(Field, Problem)> {
    narrow(&requested(), &narrowing, NOW, TokenPolicy::default())
        .unwrap_err()
        .into_iter()
        .map(|e| (e.field, e.problem))
        .collect()
}

#[test]
fn a_reason_is_required_trimmed_and_bounded() {
    assert_eq!(reason("  Weekly export  "), Ok("Weekly export".to_string()));
    assert_eq!(reason(" \n "), Err(ReasonError::Required));
    assert_eq!(
        reason(&"x".repeat(REASON_MAX)).map(|r| r.len()),
        Ok(REASON_MAX)
    );
    assert_eq!(
        reason(&"é".repeat(REASON_MAX + 1)),
        Err(ReasonError::TooLong)
    );
    assert_eq!(reason("two\nlines"), Ok("two\nlines".to_string()));
    assert_eq!(reason("bell\u{7}"), Err(ReasonError::ControlCharacter));
}

#[test]
fn only_administrators_decide_and_not_their_own_request_unless_alone() {
    let admin = Decider {
        is_requester: false,
        is_admin: true,
        only_admin: false,
    };
    let pending = RequestState::Pending;
    assert_eq!(
        allowed(RequestAction::Approve, pending, false, admin),
        Ok(false)
    );
    assert_eq!(
        allowed(RequestAction::Deny, pending, false, admin),
        Ok(false)
    );
    let specialist = Decider {
        is_admin: false,
        ..admin
    };
    assert_eq!(
        allowed(RequestAction::Approve, pending, false, specialist),
        Err(RequestRefusal::NotAdmin)
    );
    let own = Decider {
        is_requester: true,
        ..admin
    };
    assert_eq!(
        allowed(RequestAction::Approve, pending, false, own),
        Err(RequestRefusal::OwnRequest)
    );
    let alone = Decider {
        only_admin: true,
        ..own
    };
    assert_eq!(
        allowed(RequestAction::Approve, pending, false, alone),
        Ok(true)
    );
    for decided in [
        RequestState::Approved,
        RequestState::Denied,
        RequestState::Withdrawn,
        RequestState::Expired,
    ] {
        assert_eq!(
            allowed(RequestAction::Deny, decided, false, admin),
            Err(RequestRefusal::NotPending)
        );
    }
}

#[test]
fn the_requester_withdraws_while_pending_and_claims_once_approved() {
    let requester = Decider {
        is_requester: true,
        is_admin: false,
        only_admin: false,
    };
    let other = Decider {
        is_requester: false,
        is_admin: true,
        only_admin: true,
    };
    let (pending, approved) = (RequestState::Pending, RequestState::Approved);
    assert_eq!(
        allowed(RequestAction::Withdraw, pending, false, requester),
        Ok(false)
    );
    assert_eq!(
        allowed(RequestAction::Withdraw, pending, false, other),
        Err(RequestRefusal::NotRequester)
    );
    assert_eq!(
        allowed(RequestAction::Withdraw, approved, false, requester),
        Err(RequestRefusal::NotPending)
    );
    assert_eq!(
        allowed(RequestAction::Claim, approved, false, requester),
        Ok(false)
    );
    assert_eq!(
        allowed(RequestAction::Claim, approved, true, requester),
        Err(RequestRefusal::NothingToClaim)
    );
    assert_eq!(
        allowed(RequestAction::Claim, approved, false, other),
        Err(RequestRefusal::NotRequester)
    );
    assert_eq!(
        allowed(
            RequestAction::Claim,
            RequestState::Expired,
            false,
            requester
        ),
        Err(RequestRefusal::NothingToClaim)
    );
}

#[test]
fn an_approval_narrows_scopes_expiration_and_limits() {
    // 1 a second is 60 a minute, under the 100 asked; 900 calls a month under 1,000.
    let narrowing = Narrowing {
        scopes: Some(["reports:get".to_string()].into()),
        expiration: Some(Expiration::Days(30)),
        limits: Some(limits("1", "second", "900", "monthly")),
    };
    let token = narrow(&requested(), &narrowing, NOW, TokenPolicy::default()).unwrap();
    assert_eq!(token.scopes.len(), 1);
    assert_eq!(token.expiration, Expiration::Days(30));
    assert_eq!(token.limits.quota.map(|q| q.calls), Some(900));
    // Dropping the quota would widen it.
    let unlimited = Narrowing {
        limits: Some(limits("1", "second", "", "monthly")),
        ..narrowing
    };
    assert_eq!(
        problems(unlimited),
        [(Field::Quota, Problem::Wider(Widening::Quota))]
    );
    // Nothing changed: the request as it was.
    let same = narrow(
        &requested(),
        &Narrowing::default(),
        NOW,
        TokenPolicy::default(),
    );
    assert_eq!(same.unwrap(), requested());
}

#[test]
fn an_approval_never_widens() {
    let wider = Narrowing {
        scopes: Some(["reports:get".to_string(), "actions:delete".to_string()].into()),
        expiration: Some(Expiration::Never),
        limits: Some(limits("101", "minute", "40", "daily")),
    };
    assert_eq!(
        problems(wider),
        [
            (Field::Scopes, Problem::Wider(Widening::Scopes)),
            (Field::Expiration, Problem::Wider(Widening::Expiration)),
            (Field::RateLimit, Problem::Wider(Widening::RateLimit)),
            (Field::Quota, Problem::Wider(Widening::Quota)),
        ]
    );
    let later_date = Narrowing {
        expiration: Some(Expiration::OnDate {
            date: crate::domain::expiration::format_date(NOW + 120 * DAY),
            utc_offset_minutes: 0,
        }),
        ..Narrowing::default()
    };
    assert_eq!(
        problems(later_date),
        [(Field::Expiration, Problem::Wider(Widening::Expiration))]
    );
    let unreadable = Narrowing {
        scopes: Some(["reports:fly".to_string()].into()),
        limits: Some(limits("lots", "minute", "", "monthly")),
        ..Narrowing::default()
    };
    let found: Vec<Field> = problems(unreadable).into_iter().map(|(f, _)| f).collect();
    assert_eq!(found, [Field::Scopes, Field::RateLimit]);
}

#[test]
fn a_quota_never_refilled_stays_never_refilled() {
    let mut never = requested();
    never.limits.quota = Some(crate::domain::limits::Quota {
        calls: 1000,
        refill: crate::domain::limits::Refill::Never,
    });
    let monthly = Narrowing {
        limits: Some(limits("100", "minute", "10", "monthly")),
        ..Narrowing::default()
    };
    assert!(narrow(&never, &monthly, NOW, TokenPolicy::default()).is_err());
    let fewer = Narrowing {
        limits: Some(limits("100", "minute", "999", "none")),
        ..Narrowing::default()
    };
    assert!(narrow(&never, &fewer, NOW, TokenPolicy::default()).is_ok());
}

#[test]
fn ids_round_trip() {
    for state in RequestState::ALL {
        assert_eq!(RequestState::from_id(state.id()), Some(state));
    }
    for creation in TokenCreation::ALL {
        assert_eq!(TokenCreation::from_id(creation.id()), Some(creation));
    }
    assert_eq!(TokenCreation::from_id("sometimes"), None);
}
