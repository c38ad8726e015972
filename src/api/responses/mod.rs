//! Typed reading of the API's 200 response bodies (pkg-template/emulator/openapi/sqlserverflex-v3*.json,
//! `components.schemas`). Error bodies are read by `api::error`.
//!
//! Every parser takes the body text and returns the typed value or the first problem as a
//! [`ParseError`] with a JSON pointer into the body. Unknown fields are ignored (the API may add
//! some); properties in a schema's `required` list must be present; the others become `Option`s
//! (absent and `null` both mean "not given"). Enum-typed strings (instance state, edition, …) are
//! kept as strings so that a new value on the server does not break the client.

mod backups;
mod databases;
mod instance;
mod pagination;
mod reader;
mod restore_jobs;
mod users;

pub use crate::util::time::parse_api_time;
pub use backups::{parse_backup, parse_backup_list, Backup, BackupList, DatabaseBackups};
pub use databases::{parse_database, parse_database_list, Database, DatabaseList, DatabaseListItem};
pub use instance::{parse_instance, state_field, Instance, Network};
pub use pagination::Pagination;
pub use reader::ParseError;
pub use restore_jobs::{parse_restore_jobs, RestoreJobs, RunningRestore};
pub use users::{parse_user_list, UserList, UserListItem};
