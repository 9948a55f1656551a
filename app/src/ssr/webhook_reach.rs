//! Where an endpoint's URL leads, checked when it is saved: every address its host
//! resolves to must be one webhooks may reach (the webhook worker checks again at each
//! connection, on the address it connects to).

use crate::domain::webhook::EndpointUrl;
use crate::domain::webhook_address::Reach;
use std::net::IpAddr;
use std::time::Duration;

/// How long a host name may take to resolve.
const RESOLVE_WITHIN: Duration = Duration::from_secs(5);

/// `Err(why)` unless every address of `url`'s host may be reached.
pub async fn check_reachable(url: &EndpointUrl, reach: &Reach) -> Result<(), String> {
    let addresses: Vec<IpAddr> = match url.host.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => {
            let lookup = tokio::net::lookup_host((url.host.as_str(), url.port));
            match tokio::time::timeout(RESOLVE_WITHIN, lookup).await {
                Ok(Ok(found)) => found.map(|a| a.ip()).collect(),
                _ => {
                    return Err(format!(
                        "{} could not be found: check the host name.",
                        url.host
                    ))
                }
            }
        }
    };
    if addresses.is_empty() {
        return Err(format!("{} has no address.", url.host));
    }
    for ip in addresses {
        reach.check(ip, url.https).map_err(|why| {
            format!(
                "{} leads to {why} ({ip}); webhooks only go to public addresses.",
                url.host
            )
        })?;
    }
    Ok(())
}
