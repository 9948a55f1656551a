//! Tokensmith's shared crate: domain rules, pages, components and server functions,
//! compiled into both the browser (`hydrate`) and the server (`ssr`).
#![recursion_limit = "256"]

pub mod api;
mod app;
pub mod browser;
pub mod components;
pub mod domain;
pub mod error;
pub mod hydration;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use app::{shell, App};
