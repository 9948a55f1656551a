//! Logs, request ids and access lines, and the Prometheus metrics.

pub mod logs;
pub mod observe;
pub mod outcomes;
pub mod prometheus;
