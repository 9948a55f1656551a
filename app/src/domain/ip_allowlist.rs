//! **Allowed IP addresses**: the IPv4/IPv6 addresses and CIDR ranges a token may be used
//! from. An empty list allows every address. The same rules read the wizard's field, the
//! detail page's editor, the server's checks and `TOKENSMITH_TRUSTED_PROXIES`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;

/// The most entries one token's list may hold.
pub const MAX_ALLOWED_IPS: usize = 50;

/// One address (`203.0.113.7`, `2001:db8::1`) or range (`10.0.0.0/8`, `2001:db8::/32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

/// What is wrong with one entry or with the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AllowlistError {
    /// Neither an address nor `address/prefix`.
    #[error(
        "“{0}” is not an IP address or range (like 203.0.113.7, 10.0.0.0/8 or 2001:db8::/32)."
    )]
    NotAnAddress(String),
    /// The prefix is past the address's length.
    #[error("“{entry}”: an {family} range ends in /0 to /{max}.")]
    PrefixTooLong {
        /// The entry as typed.
        entry: String,
        /// `IPv4` or `IPv6`.
        family: String,
        /// 32 or 128.
        max: u8,
    },
    /// Bits set past the prefix: almost always a typo for the network.
    #[error("“{entry}” has bits set past its /{prefix}: did you mean {network}?")]
    HostBitsSet {
        /// The entry as typed.
        entry: String,
        prefix: u8,
        /// The range it would be.
        network: String,
    },
    /// The same address or range twice.
    #[error("{0} is listed twice.")]
    Duplicate(String),
    /// More than [`MAX_ALLOWED_IPS`] entries.
    #[error("At most {MAX_ALLOWED_IPS} addresses or ranges (this list has {0}).")]
    TooMany(usize),
}

fn family(ip: IpAddr) -> (&'static str, u8) {
    match ip {
        IpAddr::V4(_) => ("IPv4", 32),
        IpAddr::V6(_) => ("IPv6", 128),
    }
}

/// The address as 128 bits (IPv4 in the top 32) and its length in bits.
fn bits(ip: IpAddr) -> (u128, u8) {
    match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)) << 96, 32),
        IpAddr::V6(v6) => (u128::from(v6), 128),
    }
}

fn mask(prefix: u8) -> u128 {
    match prefix {
        0 => 0,
        n => u128::MAX << (128 - u32::from(n)),
    }
}

/// An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is the IPv4 address it carries.
fn unmapped(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn from_bits(value: u128, like: IpAddr) -> IpAddr {
    match like {
        // The top 32 bits are the IPv4 address.
        IpAddr::V4(_) => IpAddr::from(u32::try_from(value >> 96).unwrap_or_default().to_be_bytes()),
        IpAddr::V6(_) => IpAddr::from(value.to_be_bytes()),
    }
}

impl IpRange {
    /// Reads `address` or `address/prefix`; bits past the prefix are refused.
    pub fn parse(text: &str) -> Result<Self, AllowlistError> {
        let entry = text.trim();
        let (address, prefix) = match entry.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (entry, None),
        };
        let network: IpAddr = address
            .parse()
            .map(unmapped)
            .map_err(|_| AllowlistError::NotAnAddress(entry.to_string()))?;
        let (family, max) = family(network);
        let prefix = match prefix {
            None => max,
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                match p.parse::<u8>().ok().filter(|p| *p <= max) {
                    Some(p) => p,
                    None => {
                        return Err(AllowlistError::PrefixTooLong {
                            entry: entry.to_string(),
                            family: family.to_string(),
                            max,
                        })
                    }
                }
            }
            Some(_) => return Err(AllowlistError::NotAnAddress(entry.to_string())),
        };
        let (value, _) = bits(network);
        let masked = value & mask(prefix);
        if masked != value {
            let range = Self {
                network: from_bits(masked, network),
                prefix,
            };
            return Err(AllowlistError::HostBitsSet {
                entry: entry.to_string(),
                prefix,
                network: range.to_string(),
            });
        }
        Ok(Self { network, prefix })
    }

    /// Whether `ip` is in the range (an IPv4-mapped IPv6 address counts as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let (net, net_len) = bits(self.network);
        let (addr, addr_len) = bits(unmapped(ip));
        net_len == addr_len && net & mask(self.prefix) == addr & mask(self.prefix)
    }

    /// The range's first address.
    pub fn network(&self) -> IpAddr {
        self.network
    }

    /// Its prefix length.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }
}

/// `10.0.0.0/8`; a single address without its `/32` or `/128`.
impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (_, max) = family(self.network);
        if self.prefix == max {
            write!(f, "{}", self.network)
        } else {
            write!(f, "{}/{}", self.network, self.prefix)
        }
    }
}

/// A token's **Allowed IP addresses**; empty allows everyone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IpAllowlist(Vec<IpRange>);

/// The entries of a list as typed: separated by commas, spaces or new lines.
pub fn split_entries(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ' ', '\n', '\r', '\t'])
        .filter(|entry| !entry.is_empty())
}

impl IpAllowlist {
    /// Reads a list as typed; every problem, in order (at most one per entry).
    pub fn parse(text: &str) -> Result<Self, Vec<AllowlistError>> {
        Self::from_entries(split_entries(text))
    }

    /// Reads a list of entries; every problem, in order.
    pub fn from_entries<'a>(
        entries: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, Vec<AllowlistError>> {
        let mut ranges: Vec<IpRange> = Vec::new();
        let mut errors = Vec::new();
        let mut count = 0;
        for entry in entries {
            count += 1;
            match IpRange::parse(entry) {
                Ok(range) if ranges.contains(&range) => {
                    errors.push(AllowlistError::Duplicate(range.to_string()))
                }
                Ok(range) => ranges.push(range),
                Err(error) => errors.push(error),
            }
        }
        if count > MAX_ALLOWED_IPS {
            errors.insert(0, AllowlistError::TooMany(count));
        }
        if errors.is_empty() {
            Ok(Self(ranges))
        } else {
            Err(errors)
        }
    }

    /// Reads what [`Self::to_stored`] wrote (skipping anything unreadable).
    pub fn from_stored(text: &str) -> Self {
        Self(
            split_entries(text)
                .filter_map(|e| IpRange::parse(e).ok())
                .collect(),
        )
    }

    /// The list as stored: entries separated by spaces (empty: everyone).
    pub fn to_stored(&self) -> String {
        self.entries().join(" ")
    }

    /// The entries, as shown.
    pub fn entries(&self) -> Vec<String> {
        self.0.iter().map(IpRange::to_string).collect()
    }

    pub fn ranges(&self) -> &[IpRange] {
        &self.0
    }

    /// Whether there is no restriction.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a call from `ip` is allowed.
    pub fn allows(&self, ip: IpAddr) -> bool {
        self.0.is_empty() || self.0.iter().any(|range| range.contains(ip))
    }
}

#[cfg(test)]
mod tests;
