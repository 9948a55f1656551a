//! Where a webhook may be delivered. An endpoint's host must resolve only to public
//! addresses: never this machine, a private network, a link-local or cloud metadata
//! address, or anything reserved (an attacker who can add an endpoint must not reach
//! what only the server can). Checked at save and again at send, on the very address
//! connected to; an operator can allow private ones (`TOKENSMITH_WEBHOOK_ALLOW_PRIVATE`).

use crate::domain::ip_allowlist::IpAllowlist;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why an address is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RefusedAddress {
    #[error("a loopback address (this machine)")]
    Loopback,
    #[error("a private network address")]
    Private,
    #[error("a link-local address")]
    LinkLocal,
    #[error("a cloud metadata address")]
    Metadata,
    #[error("an unspecified address")]
    Unspecified,
    #[error("a multicast or broadcast address")]
    Multicast,
    #[error("a reserved address")]
    Reserved,
    #[error("a public address over plain http (use https)")]
    PlainHttp,
}

/// The ranges an operator lets webhooks reach although they are not public
/// (`TOKENSMITH_WEBHOOK_ALLOW_PRIVATE`: addresses and ranges, e.g. `127.0.0.1/32,10.0.0.0/8`).
/// Plain `http://` is allowed only to these.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reach(IpAllowlist);

impl Reach {
    /// The allowance `text` lists (empty: public addresses only).
    pub fn parse(text: &str) -> Result<Self, String> {
        IpAllowlist::parse(text).map(Self).map_err(|errors| {
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        })
    }

    /// Whether any private range is allowed (and with it plain `http://` URLs).
    pub fn allows_private(&self) -> bool {
        !self.0.is_empty()
    }

    /// Whether a webhook may be delivered to `ip`, over https (`https`) or plain http.
    pub fn check(&self, ip: IpAddr, https: bool) -> Result<(), RefusedAddress> {
        let allowed = self.allows_private() && self.0.allows(ip);
        match check(ip) {
            _ if allowed => Ok(()),
            Ok(()) if https => Ok(()),
            Ok(()) => Err(RefusedAddress::PlainHttp),
            Err(refused) => Err(refused),
        }
    }
}

/// Whether a webhook may be delivered to `ip`.
pub fn check(ip: IpAddr) -> Result<(), RefusedAddress> {
    match ip {
        IpAddr::V4(v4) => check_v4(v4),
        IpAddr::V6(v6) => check_v6(v6),
    }
}

fn check_v4(ip: Ipv4Addr) -> Result<(), RefusedAddress> {
    use RefusedAddress::*;
    let [a, b, c, _] = ip.octets();
    let refused = match (a, b, c) {
        (0, _, _) => Unspecified,
        (127, _, _) => Loopback,
        (10, _, _) | (192, 168, _) => Private,
        (172, 16..=31, _) => Private,
        // Shared address space (carrier-grade NAT; a cloud's metadata lives there too).
        (100, 64..=127, _) => Private,
        (169, 254, 169) if ip.octets()[3] == 254 => Metadata,
        (169, 254, _) => LinkLocal,
        (192, 0, 0) | (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => Reserved,
        (198, 18..=19, _) => Reserved,
        (224..=239, _, _) => Multicast,
        (240..=255, _, _) => Multicast,
        _ => return Ok(()),
    };
    Err(refused)
}

fn check_v6(ip: Ipv6Addr) -> Result<(), RefusedAddress> {
    use RefusedAddress::*;
    if ip.is_loopback() {
        return Err(Loopback);
    }
    if ip.is_unspecified() {
        return Err(Unspecified);
    }
    let s = ip.segments();
    // An IPv4 address inside: judged as that address.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return check_v4(v4);
    }
    let embedded = |high: u16, low: u16| Ipv4Addr::from((u32::from(high) << 16) | u32::from(low));
    match s {
        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they carry.
        [0x64, 0xff9b, 0, 0, 0, 0, high, low] => return check_v4(embedded(high, low)),
        [0x2002, high, low, ..] => return check_v4(embedded(high, low)),
        _ => {}
    }
    let refused = match s[0] {
        // IPv4-compatible (deprecated) and the rest of ::/96.
        0 if s[..6] == [0; 6] => Reserved,
        0xfd00 if s == [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254] => Metadata,
        0xfc00..=0xfdff => Private,
        0xfe80..=0xfebf => LinkLocal,
        0xfec0..=0xfeff => Private,
        0xff00..=0xffff => Multicast,
        // Documentation, and Teredo (it tunnels to anywhere).
        0x2001 if s[1] == 0xdb8 || s[1] == 0 => Reserved,
        _ => return Ok(()),
    };
    Err(refused)
}

#[cfg(test)]
mod tests {
    use super::*;
    use RefusedAddress::*;

    fn verdict(address: &str) -> Result<(), RefusedAddress> {
        check(address.parse().unwrap())
    }

    #[test]
    fn an_operator_allows_private_ranges_and_plain_http_only_to_them() {
        let ip = |text: &str| text.parse::<IpAddr>().unwrap();
        let none = Reach::default();
        assert!(!none.allows_private());
        assert_eq!(none.check(ip("127.0.0.1"), true), Err(Loopback));
        assert_eq!(none.check(ip("1.1.1.1"), true), Ok(()));
        assert_eq!(none.check(ip("1.1.1.1"), false), Err(PlainHttp));
        let local = Reach::parse("127.0.0.1/32, 10.0.0.0/8").unwrap();
        assert!(local.allows_private());
        assert_eq!(local.check(ip("127.0.0.1"), false), Ok(()));
        assert_eq!(local.check(ip("10.9.9.9"), true), Ok(()));
        assert_eq!(local.check(ip("127.0.0.2"), true), Err(Loopback));
        assert_eq!(local.check(ip("169.254.169.254"), true), Err(Metadata));
        assert_eq!(local.check(ip("1.1.1.1"), false), Err(PlainHttp));
        assert!(Reach::parse("localhost").unwrap_err().contains("localhost"));
    }

    #[test]
    fn public_addresses_are_allowed() {
        for address in [
            "93.184.215.14",
            "1.1.1.1",
            "8.8.8.8",
            "2606:4700:4700::1111",
            "2a00:1450::1",
        ] {
            assert_eq!(verdict(address), Ok(()), "{address}");
        }
    }

    #[test]
    fn what_only_the_server_can_reach_is_refused() {
        let table = [
            ("127.0.0.1", Loopback),
            ("127.255.0.9", Loopback),
            ("::1", Loopback),
            ("0.0.0.0", Unspecified),
            ("::", Unspecified),
            ("10.1.2.3", Private),
            ("172.16.0.1", Private),
            ("172.31.255.255", Private),
            ("192.168.1.1", Private),
            ("100.100.100.200", Private),
            ("fd12:3456::1", Private),
            ("169.254.169.254", Metadata),
            ("fd00:ec2::254", Metadata),
            ("169.254.1.1", LinkLocal),
            ("fe80::1", LinkLocal),
            ("224.0.0.1", Multicast),
            ("255.255.255.255", Multicast),
            ("ff02::1", Multicast),
            ("192.0.2.1", Reserved),
            ("198.18.0.1", Reserved),
            ("2001:db8::1", Reserved),
            ("2001::1", Reserved),
            // An IPv4 address carried in IPv6 is judged as itself.
            ("::ffff:127.0.0.1", Loopback),
            ("::ffff:169.254.169.254", Metadata),
            ("64:ff9b::a00:1", Private),
            ("2002:7f00:1::", Loopback),
            ("::127.0.0.1", Reserved),
        ];
        for (address, refused) in table {
            assert_eq!(verdict(address), Err(refused), "{address}");
        }
        assert_eq!(verdict("172.32.0.1"), Ok(()));
        assert_eq!(verdict("100.128.0.1"), Ok(()));
        assert_eq!(verdict("::ffff:8.8.8.8"), Ok(()));
    }
}
