use super::*;
use proptest::prelude::*;

/// 2026-11-30 12:00:00 UTC.
const NOW: i64 = 1_796_040_000;

fn on(date: &str, utc_offset_minutes: i32) -> Expiration {
    Expiration::OnDate {
        date: date.to_string(),
        utc_offset_minutes,
    }
}

#[test]
fn the_clock_constant_is_what_the_tests_say() {
    assert_eq!(format_instant(NOW), "2026-11-30 12:00 UTC");
}

#[test]
fn presets_count_days_from_now() {
    let open = TokenPolicy::default();
    for days in PRESET_DAYS {
        assert_eq!(
            Expiration::Days(days).resolve(NOW, open),
            Ok(Some(NOW + i64::from(days) * DAY))
        );
    }
    assert_eq!(
        Expiration::Days(45).resolve(NOW, open),
        Err(ExpirationError::UnknownPreset)
    );
    assert_eq!(Expiration::Never.resolve(NOW, open), Ok(None));
}

#[test]
fn a_date_ends_at_midnight_where_the_user_is() {
    let open = TokenPolicy::default();
    // 2027-01-15 ends at 2027-01-16 00:00 local.
    let utc = Expiration::Days(30).resolve(NOW, open).unwrap().unwrap();
    let end_utc = on("2027-01-15", 0).resolve(NOW, open).unwrap().unwrap();
    assert_eq!(format_instant(end_utc), "2027-01-16 00:00 UTC");
    // New York in winter: UTC−5, getTimezoneOffset() = 300: midnight there is 05:00 UTC.
    let end_ny = on("2027-01-15", 300).resolve(NOW, open).unwrap().unwrap();
    assert_eq!(format_instant(end_ny), "2027-01-16 05:00 UTC");
    // Tokyo: UTC+9, offset −540: midnight there is 15:00 UTC the day before.
    let end_tokyo = on("2027-01-15", -540).resolve(NOW, open).unwrap().unwrap();
    assert_eq!(format_instant(end_tokyo), "2027-01-15 15:00 UTC");
    assert!(utc < end_tokyo);
}

#[test]
fn a_date_must_be_real_and_after_today() {
    let open = TokenPolicy::default();
    for bad in [
        "",
        "2027-02-29",
        "2027-13-01",
        "2027-1-5",
        "27-01-05",
        "2027-01-05x",
        "1969-12-31",
    ] {
        assert_eq!(
            on(bad, 0).resolve(NOW, open),
            Err(ExpirationError::BadDate),
            "{bad:?}"
        );
    }
    assert!(on("2028-02-29", 0).resolve(NOW, open).is_ok(), "a leap day");
    assert_eq!(
        on("2026-11-30", 0).resolve(NOW, open),
        Err(ExpirationError::NotInFuture)
    );
    assert_eq!(
        on("2026-11-01", 0).resolve(NOW, open),
        Err(ExpirationError::NotInFuture)
    );
    assert!(on("2026-12-01", 0).resolve(NOW, open).is_ok(), "tomorrow");
    assert_eq!(
        on("2027-01-15", 15 * 60).resolve(NOW, open),
        Err(ExpirationError::BadDate)
    );
}

#[test]
fn the_policy_bounds_every_choice() {
    let strict = TokenPolicy {
        max_lifetime_days: Some(60),
        allow_never: false,
    };
    assert!(Expiration::Days(30).resolve(NOW, strict).is_ok());
    assert!(Expiration::Days(60).resolve(NOW, strict).is_ok());
    assert_eq!(
        Expiration::Days(90).resolve(NOW, strict),
        Err(ExpirationError::BeyondPolicy {
            max_days: 60,
            last_date: "2027-01-28".into()
        })
    );
    assert_eq!(
        Expiration::Days(90)
            .resolve(NOW, strict)
            .unwrap_err()
            .to_string(),
        "This account's tokens live at most 60 days: choose 2027-01-28 or earlier."
    );
    assert!(on("2027-01-28", 0).resolve(NOW, strict).is_ok());
    assert!(on("2027-01-29", 0).resolve(NOW, strict).is_err());
    assert_eq!(
        Expiration::Never.resolve(NOW, strict),
        Err(ExpirationError::NeverNotAllowed)
    );
    let no_never = TokenPolicy {
        max_lifetime_days: None,
        allow_never: false,
    };
    assert_eq!(
        Expiration::Never.resolve(NOW, no_never),
        Err(ExpirationError::NeverNotAllowed)
    );
    assert!(on("2099-01-01", 0).resolve(NOW, no_never).is_ok());
}

#[test]
fn a_policy_is_checked_and_lists_what_it_exceeds() {
    assert!(TokenPolicy::default().validate().is_ok());
    let with_never = TokenPolicy {
        max_lifetime_days: Some(90),
        allow_never: true,
    };
    assert_eq!(
        with_never.validate(),
        Err(ExpirationError::NeverWithMaximum)
    );
    let odd = TokenPolicy {
        max_lifetime_days: Some(7),
        allow_never: false,
    };
    assert_eq!(odd.validate(), Err(ExpirationError::UnknownMaximum));
    let ninety = TokenPolicy {
        max_lifetime_days: Some(90),
        allow_never: false,
    };
    assert!(ninety.exceeded_by(None, NOW));
    assert!(ninety.exceeded_by(Some(NOW + 91 * DAY), NOW));
    assert!(!ninety.exceeded_by(Some(NOW + 90 * DAY), NOW));
    assert!(!TokenPolicy::default().exceeded_by(None, NOW));
}

#[test]
fn labels_read_as_people_say_them() {
    assert_eq!(expiry_label(None, NOW), "Never expires");
    assert_eq!(
        expiry_label(Some(NOW + 90 * DAY), NOW),
        "Expires in 90 days"
    );
    assert_eq!(
        expiry_label(Some(NOW + 90 * DAY - 5), NOW),
        "Expires in 90 days"
    );
    assert_eq!(expiry_label(Some(NOW + DAY), NOW), "Expires in 1 day");
    assert_eq!(
        expiry_label(Some(NOW + 5 * 3600), NOW),
        "Expires in 5 hours"
    );
    assert_eq!(expiry_label(Some(NOW + 3600), NOW), "Expires in 1 hour");
    assert_eq!(
        expiry_label(Some(NOW + 59), NOW),
        "Expires in less than an hour"
    );
    assert_eq!(expiry_label(Some(NOW), NOW), "Expired on 2026-11-30");
    assert!(is_expired(Some(NOW), NOW));
    assert!(!is_expired(Some(NOW + 1), NOW));
    assert!(!is_expired(None, NOW));
}

proptest! {
    #[test]
    fn dates_and_day_counts_agree(days in -719_162i64..2_932_896) {
        let (y, m, d) = civil_from_days(days);
        prop_assert_eq!(days_from_civil(y, m, d), days);
        let text = format!("{y:04}-{m:02}-{d:02}");
        if y >= 1970 {
            prop_assert_eq!(parse_date(&text), Some((y, m, d)));
            prop_assert_eq!(format_date(days * DAY), text);
        }
    }

    #[test]
    fn a_picked_date_ends_within_a_day_of_its_utc_end(
        days in 20_500i64..40_000,
        offset in -14 * 60..=12 * 60,
    ) {
        let date = format_date(days * DAY);
        let local = end_of_local_day(&date, offset).unwrap();
        let utc = end_of_local_day(&date, 0).unwrap();
        prop_assert!((local - utc).abs() <= 14 * 3600);
        prop_assert_eq!(utc, (days + 1) * DAY);
    }
}

#[test]
fn a_duplicate_starts_from_the_lifetime_of_its_original() {
    assert_eq!(Expiration::lifetime_of(NOW, None), Some(Expiration::Never));
    assert_eq!(
        Expiration::lifetime_of(NOW, Some(NOW + 30 * DAY)),
        Some(Expiration::Days(30))
    );
    assert_eq!(
        Expiration::lifetime_of(NOW, Some(NOW + 60 * DAY + 7)),
        Some(Expiration::Days(60))
    );
    assert_eq!(Expiration::lifetime_of(NOW, Some(NOW + 45 * DAY)), None);
}

#[test]
fn the_policy_form_is_read_and_never_needs_no_maximum() {
    assert_eq!(TokenPolicy::from_form("", true), Ok(TokenPolicy::default()));
    assert_eq!(
        TokenPolicy::from_form("90", true),
        Ok(TokenPolicy {
            max_lifetime_days: Some(90),
            allow_never: false
        })
    );
    assert_eq!(
        TokenPolicy::from_form("", false).map(TokenPolicy::never_allowed),
        Ok(false)
    );
    for bad in ["7", "x", "-30", "99999"] {
        assert_eq!(
            TokenPolicy::from_form(bad, false),
            Err(ExpirationError::UnknownMaximum),
            "{bad}"
        );
    }
    assert_eq!(
        TokenPolicy::from_form("365", false).unwrap().describe(),
        "Tokens live at most 365 days."
    );
}

#[test]
fn a_choice_out_of_bounds_becomes_the_longest_preset_allowed() {
    let thirty = TokenPolicy {
        max_lifetime_days: Some(30),
        allow_never: false,
    };
    assert_eq!(thirty.fit(&Expiration::Days(90)), Expiration::Days(30));
    assert_eq!(thirty.fit(&Expiration::Never), Expiration::Days(30));
    assert_eq!(thirty.fit(&Expiration::Days(30)), Expiration::Days(30));
    let sixty = TokenPolicy {
        max_lifetime_days: Some(60),
        allow_never: false,
    };
    assert_eq!(sixty.fit(&Expiration::default()), Expiration::Days(60));
    let dated = on("2099-01-01", 0);
    assert_eq!(sixty.fit(&dated), dated, "dates are checked by the server");
    assert_eq!(
        TokenPolicy::default().fit(&Expiration::Never),
        Expiration::Never
    );
}
