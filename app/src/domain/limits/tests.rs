//! The limits' rules, as the forms, the sandbox and the headers use them.

use super::*;

/// 2027-01-31 23:59:59 UTC.
const LAST_SECOND_OF_JANUARY: i64 = 1_801_439_999;

#[test]
fn rate_limits_are_read_from_the_form_or_explained() {
    assert_eq!(RateLimit::from_form("", "minute"), Ok(None));
    assert_eq!(
        RateLimit::from_form(" 1,000 ", "minute"),
        Ok(Some(RateLimit {
            requests: 1000,
            per: Per::Minute
        }))
    );
    for bad in ["0", "-5", "1.5", "ten", "1000001", "99999999999999999999"] {
        assert_eq!(
            RateLimit::from_form(bad, "second"),
            Err(LimitError::BadRequests),
            "{bad}"
        );
    }
    assert_eq!(RateLimit::from_form("5", "day"), Err(LimitError::BadPer));
    let limit = RateLimit::from_form("1", "hour").unwrap().unwrap();
    assert_eq!(limit.describe(), "1 request per hour");
    assert_eq!(limit.per.seconds(), 3600);
}

#[test]
fn quotas_are_read_from_the_form_or_explained() {
    assert_eq!(Quota::from_form(" ", "monthly"), Ok(None));
    let quota = Quota::from_form("10000", "monthly").unwrap().unwrap();
    assert_eq!(quota.describe(), "10,000 calls a month (UTC)");
    assert_eq!(
        Quota::from_form("1000000001", "daily"),
        Err(LimitError::BadCalls)
    );
    assert_eq!(Quota::from_form("5", "weekly"), Err(LimitError::BadRefill));
    for refill in Refill::ALL {
        assert_eq!(Refill::from_id(refill.id()), Some(refill));
    }
}

#[test]
fn limits_go_to_the_form_and_back() {
    let limits = Limits {
        rate: Some(RateLimit {
            requests: 100,
            per: Per::Second,
        }),
        quota: Some(Quota {
            calls: 10_000,
            refill: Refill::Daily,
        }),
    };
    assert_eq!(limits.form().limits(), Some(limits));
    assert_eq!(LimitsForm::default().limits(), Some(Limits::default()));
    assert_eq!(
        Limits::from_stored(Some(100), Some("second"), Some(10_000), Some("daily")),
        limits
    );
    assert_eq!(
        Limits::from_stored(Some(0), Some("second"), Some(5), Some("weekly")),
        Limits::default()
    );
    assert_eq!(limits.rate_words(), "100 requests per second");
    assert_eq!(Limits::default().quota_words(), "None");
}

#[test]
fn a_quota_use_says_what_is_left() {
    let quota = Quota {
        calls: 10_000,
        refill: Refill::Monthly,
    };
    let used = QuotaUse {
        quota,
        spent: 50,
        refills_at: None,
    };
    assert_eq!(used.label(), "Remaining this month");
    assert_eq!(used.describe(), "9,950 of 10,000 calls");
    assert!(!used.is_near());
    let spent = QuotaUse {
        spent: 10_500,
        ..used
    };
    assert_eq!(spent.remaining(), 0);
    assert!(QuotaUse {
        spent: 9_000,
        ..used
    }
    .is_near());
}

#[test]
fn the_ratelimit_fields_read_as_the_draft_writes_them() {
    let policy = [
        policy_item("rate", 100, Some(60)),
        policy_item("quota", 10_000, None),
    ];
    assert_eq!(policy.join(", "), r#""rate";q=100;w=60, "quota";q=10000"#);
    assert_eq!(limit_item("rate", 42, Some(17)), r#""rate";r=42;t=17"#);
    assert_eq!(limit_item("quota", 0, None), r#""quota";r=0"#);
    // A window is never 0 (the draft: "non-negative, non-zero").
    assert_eq!(policy_item("rate", 1, Some(0)), r#""rate";q=1;w=1"#);
}

#[test]
fn windows_turn_at_utc_midnight() {
    let daily = Quota {
        calls: 5,
        refill: Refill::Daily,
    };
    let window = daily.window(LAST_SECOND_OF_JANUARY, 0);
    assert_eq!(window.end, Some(LAST_SECOND_OF_JANUARY + 1));
    assert_eq!(window.start, LAST_SECOND_OF_JANUARY + 1 - 86_400);
    let next = daily.window(LAST_SECOND_OF_JANUARY + 1, 0);
    assert_eq!(next.start, LAST_SECOND_OF_JANUARY + 1);

    let monthly = Quota {
        calls: 5,
        refill: Refill::Monthly,
    };
    let january = monthly.window(LAST_SECOND_OF_JANUARY, 0);
    assert_eq!(january.start, LAST_SECOND_OF_JANUARY + 1 - 31 * 86_400);
    assert_eq!(january.end, Some(LAST_SECOND_OF_JANUARY + 1));
    // February 2027 has 28 days; December rolls into the next year.
    let february = monthly.window(LAST_SECOND_OF_JANUARY + 1, 0);
    assert_eq!(february.end, Some(LAST_SECOND_OF_JANUARY + 1 + 28 * 86_400));
    let december = monthly.window(LAST_SECOND_OF_JANUARY - 40 * 86_400, 0);
    assert_eq!(december.end, Some(LAST_SECOND_OF_JANUARY + 1 - 31 * 86_400));

    let once = Quota {
        calls: 5,
        refill: Refill::Never,
    };
    assert_eq!(
        once.window(LAST_SECOND_OF_JANUARY, 42),
        Window {
            start: 42,
            end: None
        }
    );
}
