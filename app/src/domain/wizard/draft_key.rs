//! Where the browser keeps a user's unfinished wizard draft: one key per account and user,
//! so on a shared browser nobody is shown another person's draft.

use crate::domain::AccountSid;

/// The one fixed key every user's draft once shared; never read, only removed.
pub const LEGACY_DRAFT_KEY: &str = "tokensmith.create-token-draft";

/// The localStorage key of one user's draft in one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct DraftKey(String);

impl DraftKey {
    /// The key of the draft of user `user_id` in account `account`.
    pub fn new(account: &AccountSid, user_id: i64) -> Self {
        Self(format!("{LEGACY_DRAFT_KEY}.{account}.{user_id}"))
    }

    /// The key as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(letter: char) -> AccountSid {
        AccountSid::parse(&format!("AC{}", letter.to_string().repeat(32))).unwrap()
    }

    #[test]
    fn the_key_names_the_account_and_the_user() {
        let key = DraftKey::new(&account('a'), 7);
        assert_eq!(
            key.as_str(),
            format!("tokensmith.create-token-draft.AC{}.7", "a".repeat(32))
        );
    }

    #[test]
    fn no_two_people_share_a_key_nor_the_old_fixed_one() {
        let keys = [
            DraftKey::new(&account('a'), 1),
            DraftKey::new(&account('a'), 2),
            DraftKey::new(&account('b'), 1),
            DraftKey::new(&account('a'), 12),
        ];
        for (i, a) in keys.iter().enumerate() {
            assert_ne!(a.as_str(), LEGACY_DRAFT_KEY);
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
