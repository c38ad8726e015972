//! The only module that talks to JavaScript: converts JS values in and out, sends requests with the
//! runtime's global `fetch` (or one the caller passes), and turns failures into JS `Error` objects.

mod auth;
mod client;
mod convert;
mod engine;
mod exports;
mod instance_check;
mod js_error;
mod preflight;
mod random;
mod s3_errors;
mod safe_send;
mod timers;
mod transport;
mod upload;
mod wait;
mod webcrypto;

pub use client::Client;
pub use exports::{build_request, object_path, preflight_refusal, to_curl, validate, version};
pub use js_error::set_error_factory;
