//! Webhooks: the events an endpoint can ask for, what an endpoint's URL, description and
//! events must be, what a message carries, and how delivery retries.

mod endpoint;
mod event;
mod payload;
mod retry;

pub use endpoint::{check_description, check_events, check_url, EndpointUrl, DESCRIPTION_MAX};
pub use event::WebhookEvent;
pub use payload::{EventData, NamedRef, Payload, ScopeChange};
pub use retry::{gives_up, retry_delay, DeliveryState, GIVE_UP_AFTER};

/// The most endpoints an account may have.
pub const MAX_ENDPOINTS: usize = 10;
/// How long a rotated-out secret keeps signing, in seconds.
pub const ROTATION_OVERLAP: i64 = 24 * 3600;
