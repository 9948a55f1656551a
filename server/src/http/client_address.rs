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

    /// Whether `ip` is one of the trusted proxies.
    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|range| range.contains(ip))
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the
    /// rightmost `X-Forwarded-For` entry that isn't a trusted proxy (entries further left
    /// were written by the client and prove nothing). Every header line is read from its
    /// bytes: an entry may be an address, an IPv4 address with a port, or `[IPv6]` with or
    /// without one. An entry that can't be read where the client's address should be is
    /// refused ([`Unreadable`]), never taken for the proxy; one further left is never
    /// reached. With every entry trusted, the leftmost is the client.
    pub fn client_ip(&self, peer: IpAddr, headers: &http::HeaderMap) -> Result<IpAddr, Unreadable> {
        if !self.trusts(peer) {
            return Ok(peer);
        }
        let lines: Vec<&[u8]> = headers
            .get_all("x-forwarded-for")
            .iter()
            .map(http::HeaderValue::as_bytes)
            .collect();
        let mut client = peer;
        for entry in lines
            .iter()
            .rev()
            .flat_map(|line| line.rsplit(|&b| b == b','))
        {
            let entry = entry.trim_ascii();
            if entry.is_empty() {
                continue;
            }
            let ip = forwarded_address(entry).ok_or(Unreadable)?;
            if !self.trusts(ip) {
                return Ok(ip);
            }
            client = ip;
        }
        Ok(client)
    }
}

/// An `X-Forwarded-For` from a trusted proxy whose client entry can't be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

/// One `X-Forwarded-For` entry's address: `192.0.2.1`, `192.0.2.1:443`, `2001:db8::1`,
/// `[2001:db8::1]` or `[2001:db8::1]:443`; `None` for anything else, non-ASCII included.
fn forwarded_address(entry: &[u8]) -> Option<IpAddr> {
    let text = std::str::from_utf8(entry).ok()?;
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = text.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let port_ok = after.is_empty()
            || after
                .strip_prefix(':')
                .is_some_and(|port| port.parse::<u16>().is_ok());
        return port_ok.then(|| inside.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6))?;
    }
    text.parse::<std::net::SocketAddrV4>()
        .ok()
        .map(|socket| IpAddr::V4(*socket.ip()))
}

/// Puts the client's address, as [`TrustedProxies::client_ip`] resolves it, where every
/// handler reads it: the `ConnectInfo` extension (with port 0 when it came from a proxy).
/// A trusted proxy's `X-Forwarded-For` whose client entry can't be read is answered 400:
/// taking the proxy's own address instead would let the client pass for the proxy.
pub async fn resolve(
    axum::extract::State(trusted): axum::extract::State<TrustedProxies>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let Ok(client) = trusted.client_ip(peer.ip(), request.headers()) else {
            return (
                http::StatusCode::BAD_REQUEST,
                "The X-Forwarded-For header could not be read: each entry must be an IP address.",
            )
                .into_response();
        };
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
        let raw: Vec<&[u8]> = values.iter().map(|v| v.as_bytes()).collect();
        forwarded_bytes(&raw)
    }

    fn forwarded_bytes(values: &[&[u8]]) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        for value in values {
            headers.append(
                "x-forwarded-for",
                http::HeaderValue::from_bytes(value).unwrap(),
            );
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
            Ok("203.0.113.7".parse::<IpAddr>().unwrap())
        );
        assert_eq!(trusted.client_ip(stranger, &headers), Ok(stranger));
        assert_eq!(
            trusted.client_ip(proxy, &forwarded(&["junk"])),
            Err(Unreadable)
        );
        assert_eq!(trusted.client_ip(proxy, &http::HeaderMap::new()), Ok(proxy));
        assert_eq!(
            TrustedProxies::default().client_ip(proxy, &headers),
            Ok(proxy),
            "nobody is trusted by default"
        );
    }

    /// What nginx's `$proxy_add_x_forwarded_for` makes of a client's own header: the
    /// client's bytes, then the address nginx saw.
    #[test]
    fn a_client_cannot_pass_for_the_proxy() {
        let trusted = TrustedProxies::parse("127.0.0.1").unwrap();
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        for sent in [
            &b"\xff, 203.0.113.7"[..],
            b"\xff\xfe junk, 203.0.113.7",
            b"127.0.0.1, 203.0.113.7",
            b"junk:99, 203.0.113.7",
        ] {
            assert_eq!(
                trusted.client_ip(proxy, &forwarded_bytes(&[sent])),
                Ok(client),
                "{}",
                String::from_utf8_lossy(sent)
            );
        }
        // The client's own header line, then nginx's (a second line, as some proxies add).
        assert_eq!(
            trusted.client_ip(proxy, &forwarded_bytes(&[b"\xff", b"203.0.113.7"])),
            Ok(client)
        );
        for unreadable in [
            &b"\xff"[..],
            b"203.0.113.7\xff",
            b"203.0.113.7, junk",
            b"1.2.3.4:99999",
        ] {
            assert_eq!(
                trusted.client_ip(proxy, &forwarded_bytes(&[unreadable])),
                Err(Unreadable),
                "{}",
                String::from_utf8_lossy(unreadable)
            );
        }
    }

    #[test]
    fn entries_with_ports_and_brackets_are_read() {
        let trusted = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let read = |value: &str| trusted.client_ip(proxy, &forwarded(&[value]));
        assert_eq!(read("203.0.113.7:5151"), Ok("203.0.113.7".parse().unwrap()));
        assert_eq!(
            read("[2001:db8::7]:443"),
            Ok("2001:db8::7".parse().unwrap())
        );
        assert_eq!(read("[2001:db8::7]"), Ok("2001:db8::7".parse().unwrap()));
        assert_eq!(
            read(" 2001:db8::7 ,10.0.0.2"),
            Ok("2001:db8::7".parse().unwrap())
        );
        assert_eq!(read("10.0.0.3, 10.0.0.2"), Ok("10.0.0.3".parse().unwrap()));
        assert_eq!(read("[2001:db8::7]:x"), Err(Unreadable));
        assert_eq!(read("[junk]"), Err(Unreadable));
    }
}
