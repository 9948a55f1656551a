//! The HTTP side every request passes: the router, the listener that accepts connections,
//! and the middleware (client address, deadlines, body limits, same-site checks).

pub mod client_address;
pub mod deadline;
pub mod drain;
pub mod form_posts;
pub mod middleware;
pub mod request_body;
pub mod router;
pub mod serve;
