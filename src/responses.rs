//! Typed reading of the API's 200 response bodies (shared/api/sqlserverflex-v3*.json,
//! `components.schemas`). Error bodies are read by `api_error`.
//!
//! Every parser takes the body text and returns the typed value or the first problem as a
//! [`ParseError`] with a JSON pointer into the body. Unknown fields are ignored (the API may add
//! some); properties in a schema's `required` list must be present; the others become `Option`s
//! (absent and `null` both mean "not given"). Enum-typed strings (instance state, edition, …) are
//! kept as strings so that a new value on the server does not break the client.

use serde::Serialize;

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
pub use restore_jobs::{parse_restore_jobs, RestoreJobs, RunningRestore};
pub use users::{parse_user_list, UserList, UserListItem};

/// Why a response body could not be read. `path` is a JSON pointer into the body
/// (`/runningRestores/2/percent_complete`; `""` for the body as a whole). The message names types,
/// never values: it is safe to log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParseError {
    pub path: String,
    pub message: String,
}

impl ParseError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        ParseError { path: path.into(), message: message.into() }
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "unexpected response body: {}", self.message)
        } else {
            write!(f, "unexpected response body at {}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ParseError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_path() {
        let e = ParseError::new("/runningRestores/2/percent_complete", "must be an integer, got a string");
        assert_eq!(
            e.to_string(),
            "unexpected response body at /runningRestores/2/percent_complete: must be an integer, got a string"
        );
        assert_eq!(ParseError::new("", "is empty").to_string(), "unexpected response body: is empty");
    }

    #[test]
    fn serializes_camel_case() {
        let e = ParseError::new("/a", "b");
        assert_eq!(serde_json::to_value(&e).ok(), Some(serde_json::json!({"path": "/a", "message": "b"})));
    }
}
