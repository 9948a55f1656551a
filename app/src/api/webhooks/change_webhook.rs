//! What an Account Administrator does to endpoints: add one (its signing secret shown
//! once), rotate its secret (shown once; the old one signs for 24 hours), disable or
//! enable it, delete it, send it a test event, resend a message.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// A signing secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownSecret {
    /// The endpoint's number.
    pub id: i64,
    /// `whsec_…`.
    pub secret: String,
}

/// Adds an endpoint (in sudo mode): an https URL whose host reaches only public addresses
/// (or those the operator allows), a description, at least one event. `Refused` (422)
/// says what is wrong.
#[server(endpoint = "add_webhook", input = Json)]
pub async fn add_webhook(
    url: String,
    description: String,
    events: Vec<String>,
) -> Result<ShownSecret, AppError> {
    use crate::domain::webhook;
    use crate::domain::Permission;
    use crate::ssr::db::webhooks::{self, NewEndpoint};
    use crate::ssr::webhook_signature::SigningKey;
    use crate::ssr::{auth, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ManageWebhooks).await?;
        auth::require_recent_proof(&user)?;
        let reach = &state.webhook_reach;
        let refused = |field: &str, why: String| AppError::Refused(format!("{field}: {why}"));
        let checked = webhook::check_url(&url, reach.allows_private())
            .map_err(|why| refused("Endpoint URL", why))?;
        let description =
            webhook::check_description(&description).map_err(|why| refused("Description", why))?;
        let events = webhook::check_events(&events).map_err(|why| refused("Events", why))?;
        crate::ssr::webhook_reach::check_reachable(&checked, reach)
            .await
            .map_err(|why| refused("Endpoint URL", why))?;
        let (_, secret) = SigningKey::generate();
        let new = NewEndpoint {
            url: &checked.text,
            description: &description,
            events: &events,
            secret: &secret,
        };
        let id = webhooks::add(&state.pool, &user, new, now()).await?;
        tracing::info!(
            user_id = user.user_id,
            endpoint = id,
            "webhook endpoint added"
        );
        Ok(ShownSecret { id, secret })
    })
    .await
}

/// Gives endpoint `id` a new signing secret, shown this once (in sudo mode); the old one
/// keeps signing for 24 hours.
#[server(endpoint = "rotate_webhook_secret")]
pub async fn rotate_webhook_secret(#[server(default)] id: String) -> Result<ShownSecret, AppError> {
    use crate::domain::Permission;
    use crate::ssr::db::webhooks;
    use crate::ssr::webhook_signature::SigningKey;
    use crate::ssr::{auth, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ManageWebhooks).await?;
        auth::require_recent_proof(&user)?;
        let id = super::number(&id, "an endpoint")?;
        let (_, secret) = SigningKey::generate();
        webhooks::rotate(&state.pool, &user, id, &secret, now()).await?;
        tracing::info!(
            user_id = user.user_id,
            endpoint = id,
            "webhook secret rotated"
        );
        Ok(ShownSecret { id, secret })
    })
    .await
}

/// Disables (`enabled` = `false`) or enables endpoint `id`.
#[server(endpoint = "set_webhook_enabled")]
pub async fn set_webhook_enabled(
    #[server(default)] id: String,
    #[server(default)] enabled: String,
) -> Result<(), AppError> {
    use crate::domain::Permission;
    use crate::ssr::db::webhooks;
    use crate::ssr::{auth, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ManageWebhooks).await?;
        let id = super::number(&id, "an endpoint")?;
        let enabled = match enabled.trim() {
            "true" => true,
            "false" => false,
            _ => {
                return Err(AppError::BadRequest(
                    "Say enabled=true or enabled=false.".into(),
                ))
            }
        };
        webhooks::set_enabled(&state.pool, &user, id, enabled, now()).await?;
        Ok(())
    })
    .await
}

/// Deletes endpoint `id` and its messages.
#[server(endpoint = "delete_webhook")]
pub async fn delete_webhook(#[server(default)] id: String) -> Result<(), AppError> {
    use crate::domain::Permission;
    use crate::ssr::db::webhooks;
    use crate::ssr::{auth, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ManageWebhooks).await?;
        let id = super::number(&id, "an endpoint")?;
        webhooks::delete(&state.pool, &user, id, now()).await?;
        tracing::info!(
            user_id = user.user_id,
            endpoint = id,
            "webhook endpoint deleted"
        );
        Ok(())
    })
    .await
}

/// **Send test event**: queues a `test` message for endpoint `id` alone.
#[server(endpoint = "send_test_webhook")]
pub async fn send_test_webhook(#[server(default)] id: String) -> Result<(), AppError> {
    use crate::domain::Permission;
    use crate::ssr::db::webhooks::{self, events};
    use crate::ssr::{auth, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ManageWebhooks).await?;
        let id = super::number(&id, "an endpoint")?;
        let endpoint = webhooks::get(&state.pool, user.account_id, id).await?;
        if !endpoint.enabled {
            return Err(AppError::Conflict(
                "The endpoint is disabled: enable it to send it events.".into(),
            ));
        }
        let mut tx = state.pool.begin_write().await?;
        events::queue_test(&mut tx, user.account_id, id, user.user_id, now()).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// **Resend** message `message` of endpoint `id`, with its `webhook-id`.
#[server(endpoint = "resend_webhook")]
pub async fn resend_webhook(
    #[server(default)] id: String,
    #[server(default)] message: String,
) -> Result<(), AppError> {
    use crate::domain::Permission;
    use crate::ssr::db::webhooks::deliveries;
    use crate::ssr::{auth, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ManageWebhooks).await?;
        let id = super::number(&id, "an endpoint")?;
        let message = super::number(&message, "a message")?;
        deliveries::resend(&state.pool, user.account_id, id, message, now()).await
    })
    .await
}
