//! Who a request comes from, as limits count it.

use axum::extract::ConnectInfo;
use std::net::{IpAddr, SocketAddr};

/// The key limits count a client by: its IPv4 address, or its IPv6 /64 (one host holds a
/// whole /64, so counting full IPv6 addresses would give it unlimited keys). Without a
/// peer address (requests made in-process) every request shares the key `unknown`.
pub fn address_key(connect: Option<&ConnectInfo<SocketAddr>>) -> String {
    match connect.map(|c| c.0.ip()) {
        None => "unknown".to_string(),
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> String {
        let addr: SocketAddr = text.parse().unwrap();
        address_key(Some(&ConnectInfo(addr)))
    }

    #[test]
    fn ipv6_is_counted_per_64() {
        assert_eq!(key("10.1.2.3:5000"), "10.1.2.3");
        assert_eq!(key("[2001:db8:1:2:aaaa::1]:80"), "2001:db8:1:2::/64");
        assert_eq!(key("[2001:db8:1:2:bbbb::9]:81"), "2001:db8:1:2::/64");
        assert_ne!(key("[2001:db8:1:3::1]:80"), "2001:db8:1:2::/64");
        assert_eq!(key("[::ffff:10.1.2.3]:80"), "10.1.2.3");
        assert_eq!(address_key(None), "unknown");
    }
}
