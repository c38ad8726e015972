//! sqlserverflex-restore: import SQL Server `.bak` backups from S3 into STACKIT SQLServer Flex.
//!
//! The core modules are pure (no I/O, clock, randomness or wasm-bindgen): they take those as inputs,
//! so `cargo test` on the host covers them. Only `wasm` (wasm32 only) talks to JavaScript.
//!
//! One folder per concern, each depending only on the ones before it: `util` (leaf helpers) →
//! `input` (issues, readers, shared field rules) → `http` (requests as data, retries), `auth`
//! (service-account key, token expiry), `s3` (addresses, SigV4, requests, XML) → `api` (the
//! STACKIT API: settings, operations, responses, errors, curl) → `backup` (MTF parser, preflight,
//! instance checks), `upload` (multipart plan), `waiter` and `restore_record` (following a restore
//! across invocations) → `wasm` (the JS side). The `pub use`
//! block below is the crate's API; everything else stays reachable under its folder.

pub mod api;
pub mod auth;
pub mod backup;
pub mod http;
pub mod input;
pub mod restore_record;
pub mod s3;
pub mod upload;
pub mod util;
pub mod waiter;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use api::curl::to_curl;
pub use api::{ApiVersion, Checked, ClientConfig, ImportFromS3, Operation, OperationInput};
pub use auth::ServiceAccountKey;
pub use backup::mtf::{inspect, inspect_set, BackupHeader, BackupKind, BackupType, ProblemCode, HEADER_BYTES};
pub use backup::preflight::{assess, discover, Finding, FindingCode, Report, Severity, Verdict};
pub use http::{ErrorClass, HttpRequest, RetryPolicy};
pub use input::{Issue, IssueCode, Issues, Location};
pub use s3::{BucketAddress, Credentials, S3Endpoint, S3Uri};
pub use upload::PartPlan;
pub use util::version::VERSION;
pub use waiter::{Waiter, WaiterConfig};

/// talc instead of the default dlmalloc: ~3.4 KB gzip less wasm, and no worse for uploads (their
/// part bytes never enter wasm memory; bench/results/upload.md).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
