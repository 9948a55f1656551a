//! What home asks those who manage tokens to look at: each item is one of the token list's
//! filters, so its count is the length of the list it links to.

use super::token_filter::{StateFilter, TokenFilter};

/// The items, in the order home shows them (exposed tokens have a card of their own above).
pub const ITEMS: [StateFilter; 4] = [
    StateFilter::ExpiringSoon,
    StateFilter::Unused,
    StateFilter::ContactDisabled,
    StateFilter::NearQuota,
];

/// The most tokens an item names; its link has them all.
pub const NAMED: u32 = 3;

/// What to do about the tokens of an item.
pub fn advice(item: StateFilter) -> &'static str {
    match item {
        StateFilter::ExpiringSoon => "Renew them, or let them lapse on purpose.",
        StateFilter::Unused => "No call in 30 days: disable or delete those no longer needed.",
        StateFilter::ContactDisabled => {
            "Their primary contact can't sign in: choose someone who can."
        }
        StateFilter::NearQuota => "They used 90 % of their quota: raise it or slow them down.",
        _ => "",
    }
}

/// The token list filtered to the item.
pub fn href(item: StateFilter) -> String {
    TokenFilter {
        state: item,
        ..TokenFilter::default()
    }
    .href(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_links_to_its_filter_and_says_what_to_do() {
        for item in ITEMS {
            assert_eq!(href(item), format!("/settings/api?state={}", item.id()));
            assert!(!advice(item).is_empty(), "{item:?}");
        }
    }
}
