//! The crate version.

/// The crate version, also the npm package version and part of the User-Agent.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
