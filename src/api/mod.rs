//! The STACKIT SQLServer Flex API: versions and hosts, the client settings, the operations (the
//! restore imports and triggers, the reads), their requests as data, typed responses and errors,
//! trace ids, and any request as a curl command.

pub mod config;
pub mod curl;
pub mod error;
pub mod import_request;
pub mod operation;
pub mod read_requests;
pub mod responses;
pub mod restore_requests;
pub mod trace_id;
pub mod urls;
pub mod version;

pub use config::ClientConfig;
pub use import_request::ImportFromS3;
pub use operation::{Checked, Operation, OperationInput};
pub use version::ApiVersion;
