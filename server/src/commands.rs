//! The command line and what its commands do besides serving.

pub mod backup;
pub mod cli;
pub mod seed;
