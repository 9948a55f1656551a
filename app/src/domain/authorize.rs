//! How the brand API decides whether a token may make a request: the same rules for the
//! sandbox API and for introspection, with no I/O.

use super::api_version::ApiVersion;
use super::catalog::{category_for_resource, Category, Method};
use super::ip_allowlist::IpAllowlist;
use super::scopes::ScopeId;
use std::collections::BTreeSet;
use std::net::IpAddr;

/// What is stored about a token, as authorization needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The token's SID.
    pub sid: String,
    /// Its account's SID.
    pub account_sid: String,
    /// Enabled or disabled.
    pub enabled: bool,
    /// The account's **Enable API access**.
    pub api_access: bool,
    /// The token's API version.
    pub api_version: u8,
    /// Its scope ids.
    pub scopes: BTreeSet<String>,
    /// When the secret presented stops working (Unix seconds; `None`: never): the token's
    /// expiration, or for an old secret during a Reset's overlap the earlier of that and
    /// the overlap's end.
    pub ends_at: Option<i64>,
    /// Where the token may be used from (empty: anywhere).
    pub allowed_ips: IpAllowlist,
}

/// Why a request with valid credentials is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denial {
    /// The token expired, or the old secret's overlap ended: to callers, the same as a
    /// wrong secret.
    #[error("the secret has expired")]
    Expired,
    /// The caller's address is not on the token's allowlist (`None`: unknown address).
    #[error("{}", match .0 {
        Some(ip) => format!("calls from {ip} are not allowed for this token"),
        None => "this token only accepts calls from its allowed IP addresses, and the caller's address is unknown".to_string(),
    })]
    AddressNotAllowed(Option<IpAddr>),
    /// The token is disabled.
    #[error("the token is disabled")]
    Disabled,
    /// The account has API access off.
    #[error("API access is off for this account")]
    ApiAccessOff,
    /// The path names another account.
    #[error("the token does not belong to this account")]
    WrongAccount,
    /// No such resource path.
    #[error("no resource at this path")]
    UnknownResource,
    /// The resource has no such method.
    #[error("{method} is not allowed on {resource}")]
    MethodNotAllowed {
        /// The method asked for.
        method: String,
        resource: &'static str,
        /// What the resource allows.
        allowed: &'static [Method],
    },
    /// The token lacks the scope.
    #[error("missing scope {0}")]
    MissingScope(String),
    /// `IR-Version` is not one of the versions.
    #[error("IR-Version must be one of the API versions 11 to 14")]
    BadVersionHeader,
}

/// An allowed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The resource's category.
    pub category: &'static Category,
    /// The scope that allowed it.
    pub scope: ScopeId,
    /// The API version in force.
    pub api_version: u8,
}

/// The request as the API sees it.
pub struct Request<'a> {
    /// The account SID in the path.
    pub account_sid: &'a str,
    /// The first path segment after the account (`Actions`, `Reports`, …).
    pub resource: &'a str,
    /// The HTTP method.
    pub method: &'a str,
    /// The `IR-Version` header, if sent.
    pub version_header: Option<&'a str>,
    /// The caller's address, as the trusted-proxy setting resolves it (`None`: unknown).
    pub client: Option<IpAddr>,
    /// The time of the request, Unix seconds.
    pub now: i64,
}

/// Whether the secret authenticates at `now` at all: not expired (nor past its overlap),
/// the token enabled, and its account's API access on.
pub fn usable(grant: &Grant, now: i64) -> Result<(), Denial> {
    if grant.ends_at.is_some_and(|end| end <= now) {
        return Err(Denial::Expired);
    }
    if !grant.api_access {
        return Err(Denial::ApiAccessOff);
    }
    if !grant.enabled {
        return Err(Denial::Disabled);
    }
    Ok(())
}

/// Decides a request made with valid credentials for `grant`.
pub fn authorize(grant: &Grant, request: &Request<'_>) -> Result<Decision, Denial> {
    usable(grant, request.now)?;
    let fenced_out = !request
        .client
        .is_some_and(|ip| grant.allowed_ips.allows(ip));
    if !grant.allowed_ips.is_empty() && fenced_out {
        return Err(Denial::AddressNotAllowed(request.client));
    }
    if request.account_sid != grant.account_sid {
        return Err(Denial::WrongAccount);
    }
    let category = category_for_resource(request.resource).ok_or(Denial::UnknownResource)?;
    let method = Method::from_http(request.method)
        .filter(|m| category.methods.contains(m))
        .ok_or_else(|| Denial::MethodNotAllowed {
            method: request.method.to_string(),
            resource: category.resource,
            allowed: category.methods,
        })?;
    let scope = ScopeId::of(category.id, method).ok_or(Denial::UnknownResource)?;
    if !grant.scopes.contains(&scope.to_string()) {
        return Err(Denial::MissingScope(scope.to_string()));
    }
    let api_version = version_in_force(grant.api_version, request.version_header)?;
    Ok(Decision {
        category,
        scope,
        api_version,
    })
}

/// The `IR-Version` asked for if it is not above the token's, else the token's. A header
/// that is not one of the API versions 11 to 14 (`10`, `15`, `200`, `x`) is refused, as
/// documented, whatever the token's version.
pub fn version_in_force(token_version: u8, header: Option<&str>) -> Result<u8, Denial> {
    match header.map(str::trim) {
        None | Some("") => Ok(token_version),
        Some(text) => {
            let asked = text
                .parse::<u8>()
                .ok()
                .and_then(|n| ApiVersion::new(n).ok())
                .ok_or(Denial::BadVersionHeader)?;
            Ok(asked.get().min(token_version))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> Grant {
        Grant {
            sid: "TS1".into(),
            account_sid: "AC1".into(),
            enabled: true,
            api_access: true,
            api_version: 13,
            scopes: ["actions:get", "reports:get"].map(String::from).into(),
            ends_at: None,
            allowed_ips: IpAllowlist::default(),
        }
    }

    fn request<'a>(resource: &'a str, method: &'a str) -> Request<'a> {
        Request {
            account_sid: "AC1",
            resource,
            method,
            version_header: None,
            client: Some("203.0.113.7".parse().unwrap()),
            now: NOW,
        }
    }

    const NOW: i64 = 1_796_040_000;

    #[test]
    fn an_expired_secret_authenticates_nowhere() {
        let mut ending = grant();
        ending.ends_at = Some(NOW + 1);
        assert!(authorize(&ending, &request("Actions", "GET")).is_ok());
        ending.ends_at = Some(NOW);
        assert_eq!(
            authorize(&ending, &request("Actions", "GET")),
            Err(Denial::Expired)
        );
        assert_eq!(usable(&ending, NOW), Err(Denial::Expired));
        assert_eq!(usable(&ending, NOW - 1), Ok(()));
    }

    #[test]
    fn an_allowlist_admits_only_its_addresses() {
        let mut fenced = grant();
        fenced.allowed_ips = IpAllowlist::parse("203.0.113.0/24 2001:db8::/32").unwrap();
        assert!(authorize(&fenced, &request("Actions", "GET")).is_ok());
        let elsewhere = Request {
            client: Some("198.51.100.9".parse().unwrap()),
            ..request("Actions", "GET")
        };
        let denial = authorize(&fenced, &elsewhere).unwrap_err();
        assert_eq!(
            denial.to_string(),
            "calls from 198.51.100.9 are not allowed for this token"
        );
        let unknown = Request {
            client: None,
            ..request("Actions", "GET")
        };
        assert_eq!(
            authorize(&fenced, &unknown),
            Err(Denial::AddressNotAllowed(None))
        );
        assert!(
            authorize(&grant(), &unknown).is_ok(),
            "without a list, any caller"
        );
    }

    #[test]
    fn allows_what_the_scopes_grant() {
        let decision = authorize(&grant(), &request("Actions", "GET")).unwrap();
        assert_eq!(decision.category.id, "actions");
        assert_eq!(decision.scope.to_string(), "actions:get");
        assert_eq!(decision.api_version, 13);
    }

    #[test]
    fn names_the_missing_scope() {
        assert_eq!(
            authorize(&grant(), &request("Actions", "DELETE")),
            Err(Denial::MissingScope("actions:delete".into()))
        );
        assert_eq!(
            Denial::MissingScope("actions:delete".into()).to_string(),
            "missing scope actions:delete"
        );
    }

    #[test]
    fn unknown_resources_and_methods() {
        assert_eq!(
            authorize(&grant(), &request("Nope", "GET")),
            Err(Denial::UnknownResource)
        );
        assert!(matches!(
            authorize(&grant(), &request("Reports", "POST")),
            Err(Denial::MethodNotAllowed { .. })
        ));
        assert!(matches!(
            authorize(&grant(), &request("Reports", "BREW")),
            Err(Denial::MethodNotAllowed { .. })
        ));
    }

    #[test]
    fn state_and_account_come_first() {
        let mut off = grant();
        off.api_access = false;
        assert_eq!(
            authorize(&off, &request("Actions", "GET")),
            Err(Denial::ApiAccessOff)
        );
        let mut disabled = grant();
        disabled.enabled = false;
        assert_eq!(
            authorize(&disabled, &request("Actions", "GET")),
            Err(Denial::Disabled)
        );
        let other = Request {
            account_sid: "AC2",
            ..request("Actions", "GET")
        };
        assert_eq!(authorize(&grant(), &other), Err(Denial::WrongAccount));
    }

    #[test]
    fn the_version_header_never_raises_the_version() {
        assert_eq!(version_in_force(13, None), Ok(13));
        assert_eq!(version_in_force(13, Some("11")), Ok(11));
        assert_eq!(version_in_force(13, Some("14")), Ok(13));
        assert_eq!(version_in_force(13, Some(" 12 ")), Ok(12));
        assert_eq!(
            version_in_force(13, Some("v12")),
            Err(Denial::BadVersionHeader)
        );
        assert_eq!(
            version_in_force(13, Some("5")),
            Err(Denial::BadVersionHeader)
        );
        for outside in ["10", "15", "200", "300", "x", "-1"] {
            assert_eq!(
                version_in_force(13, Some(outside)),
                Err(Denial::BadVersionHeader),
                "{outside}"
            );
        }
    }
}
