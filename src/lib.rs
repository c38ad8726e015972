//! sqlserverflex-restore: import SQL Server `.bak` backups from S3 into STACKIT SQLServer Flex.
//!
//! The core modules are pure (no I/O, clock, randomness or wasm-bindgen): they take those as inputs,
//! so `cargo test` on the host covers them. Only `bindings` (wasm32 only) talks to JavaScript.

pub mod api;
pub mod auth;
pub mod backup;
pub mod http;
pub mod input;
pub mod s3;
pub mod upload;
pub mod util;
pub mod waiter;

#[cfg(target_arch = "wasm32")]
pub mod bindings;

pub use util::version::VERSION;
