//! Request ids and access logs, and the Prometheus metrics.

pub mod observe;
pub mod prometheus;
