use super::*;
use proptest::prelude::*;
use std::net::{Ipv4Addr, Ipv6Addr};

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

fn messages(text: &str) -> Vec<String> {
    IpAllowlist::parse(text)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn addresses_and_ranges_are_read_and_shown_plainly() {
    let list = IpAllowlist::parse("203.0.113.7, 10.0.0.0/8\n2001:db8::/32  ::1/128").unwrap();
    assert_eq!(
        list.entries(),
        ["203.0.113.7", "10.0.0.0/8", "2001:db8::/32", "::1"]
    );
    assert_eq!(IpAllowlist::from_stored(&list.to_stored()), list);
    assert!(IpAllowlist::parse("").unwrap().is_empty());
    assert!(IpAllowlist::parse(" ,\n ").unwrap().is_empty());
}

#[test]
fn each_kind_of_mistake_has_its_own_message() {
    assert_eq!(
        messages("10.0.0.1/33"),
        ["“10.0.0.1/33”: an IPv4 range ends in /0 to /32."]
    );
    assert_eq!(
        messages("::1/129"),
        ["“::1/129”: an IPv6 range ends in /0 to /128."]
    );
    assert_eq!(
        messages("10.0.0.1/24"),
        ["“10.0.0.1/24” has bits set past its /24: did you mean 10.0.0.0/24?"]
    );
    assert_eq!(
        messages("10.0.0.5 10.0.0.5/32"),
        ["10.0.0.5 is listed twice."]
    );
    assert_eq!(
        messages("example.com"),
        ["“example.com” is not an IP address or range (like 203.0.113.7, 10.0.0.0/8 or 2001:db8::/32)."]
    );
    for bad in [
        "10.0.0.0/",
        "10.0.0.0/x",
        "10.0.0.0/-1",
        "10.0.0.0/+8",
        "10.0.0/8",
        "1.2.3.4.5",
    ] {
        assert!(
            matches!(IpRange::parse(bad), Err(AllowlistError::NotAnAddress(_))),
            "{bad}"
        );
    }
    // Several mistakes: each reported, in order.
    assert_eq!(messages("x 10.0.0.1/33").len(), 2);
}

#[test]
fn at_most_fifty_entries() {
    let fifty: Vec<String> = (0..50).map(|i| format!("10.0.0.{i}")).collect();
    assert!(IpAllowlist::parse(&fifty.join(" ")).is_ok());
    let fifty_one = format!("{} 10.0.1.1", fifty.join(" "));
    assert_eq!(
        messages(&fifty_one),
        ["At most 50 addresses or ranges (this list has 51)."]
    );
}

#[test]
fn an_empty_list_allows_everyone_and_a_list_only_its_ranges() {
    assert!(IpAllowlist::default().allows(ip("198.51.100.1")));
    let list = IpAllowlist::parse("10.0.0.0/8 2001:db8::/32").unwrap();
    assert!(list.allows(ip("10.200.0.1")));
    assert!(
        list.allows(ip("::ffff:10.0.0.1")),
        "IPv4-mapped IPv6 is IPv4"
    );
    assert!(list.allows(ip("2001:db8:ffff::1")));
    assert!(!list.allows(ip("11.0.0.1")));
    assert!(!list.allows(ip("2001:db9::1")));
    assert!(
        !IpAllowlist::parse("0.0.0.0/0").unwrap().allows(ip("::1")),
        "IPv4 ranges don't match IPv6 callers"
    );
    assert!(IpAllowlist::parse("::/0")
        .unwrap()
        .allows(ip("2001:db8::1")));
}

fn v4_range() -> impl Strategy<Value = (u32, u8)> {
    (any::<u32>(), 0u8..=32).prop_map(|(addr, prefix)| {
        let mask = if prefix == 0 {
            0
        } else {
            u32::MAX << (32 - prefix)
        };
        (addr & mask, prefix)
    })
}

fn v6_range() -> impl Strategy<Value = (u128, u8)> {
    (any::<u128>(), 0u8..=128).prop_map(|(addr, prefix)| {
        let mask = if prefix == 0 {
            0
        } else {
            u128::MAX << (128 - prefix)
        };
        (addr & mask, prefix)
    })
}

proptest! {
    #[test]
    fn every_ipv4_address_in_a_range_matches_and_none_outside(
        (network, prefix) in v4_range(),
        host in any::<u32>(),
        flip in 0u32..32,
    ) {
        let range = IpRange::parse(&format!("{}/{prefix}", Ipv4Addr::from(network))).unwrap();
        let host_mask = if prefix == 0 { u32::MAX } else { !(u32::MAX << (32 - prefix)) };
        let inside = Ipv4Addr::from(network | (host & host_mask));
        prop_assert!(range.contains(IpAddr::V4(inside)));
        // Flipping a bit inside the prefix leaves the range.
        if flip < u32::from(prefix) {
            let outside = Ipv4Addr::from(u32::from(inside) ^ (1 << (31 - flip)));
            prop_assert!(!range.contains(IpAddr::V4(outside)));
        }
        // Shown and read back, the same range.
        prop_assert_eq!(IpRange::parse(&range.to_string()).unwrap(), range);
    }

    #[test]
    fn every_ipv6_address_in_a_range_matches_and_none_outside(
        (network, prefix) in v6_range(),
        host in any::<u128>(),
        flip in 0u32..128,
    ) {
        let range = IpRange::parse(&format!("{}/{prefix}", Ipv6Addr::from(network))).unwrap();
        let host_mask = if prefix == 0 { u128::MAX } else { !(u128::MAX << (128 - prefix)) };
        let inside = Ipv6Addr::from(network | (host & host_mask));
        // (An IPv4-mapped address is read as IPv4, so it belongs to no IPv6 range.)
        if inside.to_ipv4_mapped().is_none() {
            prop_assert!(range.contains(IpAddr::V6(inside)));
        }
        if flip < u32::from(prefix) {
            let outside = Ipv6Addr::from(u128::from(inside) ^ (1 << (127 - flip)));
            prop_assert!(!range.contains(IpAddr::V6(outside)));
        }
        prop_assert_eq!(IpRange::parse(&range.to_string()).unwrap(), range);
    }

    #[test]
    fn nothing_typed_makes_the_parser_panic(text in "\\PC{0,60}") {
        let _ = IpAllowlist::parse(&text);
    }
}
