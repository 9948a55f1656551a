//! Who a request comes from, as limits count it.

use app::domain::ip_allowlist::IpRange;
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

/// The proxies whose `X-Forwarded-For` is believed (`TOKENSMITH_TRUSTED_PROXIES`).
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(std::sync::Arc<Vec<IpRange>>);

impl TrustedProxies {
    /// Reads a comma- or space-separated list of ranges; empty trusts nobody.
    pub fn parse(text: &str) -> Result<Self, String> {
        let ranges = text
            .split([',', ' '])
            .filter(|part| !part.trim().is_empty())
            .map(IpRange::parse)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("TOKENSMITH_TRUSTED_PROXIES: {e}"))?;
        Ok(Self(std::sync::Arc::new(ranges)))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|range| range.contains(ip))
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the
    /// rightmost `X-Forwarded-For` entry that isn't a trusted proxy (entries further left
    /// were written by the client and prove nothing).
    pub fn client_ip(&self, peer: IpAddr, headers: &http::HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let entries: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect();
        for entry in entries.iter().rev() {
            match entry.trim().parse::<IpAddr>() {
                Ok(ip) if self.trusts(ip) => continue,
                Ok(ip) => return ip,
                Err(_) => return peer,
            }
        }
        peer
    }
}

/// Puts the client's address, as [`TrustedProxies::client_ip`] resolves it, where every
/// handler reads it: the `ConnectInfo` extension (with port 0 when it came from a proxy).
pub async fn resolve(
    axum::extract::State(trusted): axum::extract::State<TrustedProxies>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let client = trusted.client_ip(peer.ip(), request.headers());
        if client != peer.ip() {
            request
                .extensions_mut()
                .insert(ConnectInfo(SocketAddr::new(client, 0)));
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod proxy_tests {
    use super::*;

    fn forwarded(values: &[&str]) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn ranges_are_read_and_matched() {
        let range = IpRange::parse("10.0.0.0/8").unwrap();
        assert!(range.contains("10.9.8.7".parse().unwrap()));
        assert!(!range.contains("11.0.0.1".parse().unwrap()));
        assert!(range.contains("::ffff:10.0.0.1".parse().unwrap()));
        assert!(IpRange::parse("::1")
            .unwrap()
            .contains("::1".parse().unwrap()));
        assert!(IpRange::parse("fd00::/8")
            .unwrap()
            .contains("fd12::1".parse().unwrap()));
        assert!(IpRange::parse("0.0.0.0/0")
            .unwrap()
            .contains("8.8.8.8".parse().unwrap()));
        assert!(IpRange::parse("10.0.0.1/33").is_err());
        assert!(IpRange::parse("::1/129").is_err());
        assert!(TrustedProxies::parse("10.0.0.0/8, nonsense").is_err());
    }

    #[test]
    fn only_a_trusted_peer_is_believed() {
        let trusted = TrustedProxies::parse("127.0.0.1/32, 10.0.0.0/8").unwrap();
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let stranger: IpAddr = "192.0.2.9".parse().unwrap();
        let headers = forwarded(&["198.51.100.1, 203.0.113.7", "10.1.1.1"]);
        assert_eq!(
            trusted.client_ip(proxy, &headers),
            "203.0.113.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(trusted.client_ip(stranger, &headers), stranger);
        assert_eq!(trusted.client_ip(proxy, &forwarded(&["junk"])), proxy);
        assert_eq!(trusted.client_ip(proxy, &http::HeaderMap::new()), proxy);
        assert_eq!(
            TrustedProxies::default().client_ip(proxy, &headers),
            proxy,
            "nobody is trusted by default"
        );
    }
}
