//! The public identifier of a brand account: `AC` followed by 32 letters and digits.

super::sid::sid_type!(
    /// An account SID, valid by construction.
    AccountSid,
    AccountSidError,
    "AC",
    "an account SID is AC followed by 32 letters and digits"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape() {
        let good = format!("AC{}", "aZ09".repeat(8));
        assert!(AccountSid::parse(&good).is_ok());
        for bad in [
            String::new(),
            "AC".to_string(),
            format!("TS{}", "a".repeat(32)),
            format!("AC{}", "a".repeat(31)),
            format!("AC{}", "a".repeat(33)),
            format!("AC{}-", "a".repeat(31)),
            format!("ac{}", "a".repeat(32)),
        ] {
            assert_eq!(AccountSid::parse(&bad), Err(AccountSidError), "{bad:?}");
        }
    }
}
