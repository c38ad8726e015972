//! The read operations a restore client needs (docs/stackit-api.md, "Operations"): GET requests
//! built from JS input `{ instanceId, … }`.

use serde_json::Value;

use crate::api::config::ClientConfig;
use crate::api::responses::{self, ParseError};
use crate::api::urls::{api_headers, encode_segment, instance_url};
use crate::api::version::ApiVersion;
use crate::http::request::HttpRequest;
use crate::input::field_rules::read_instance_id;
use crate::input::issue::{IssueCode, Issues, Location};
use crate::input::reader::ObjectReader;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOperation {
    ListRestoreJobs,
    ListBackups,
    GetBackup,
    ListDatabases,
    GetDatabase,
    GetInstance,
    ListUsers,
}

impl ReadOperation {
    pub fn parse(name: &str) -> Option<ReadOperation> {
        Some(match name {
            "listRestoreJobs" => ReadOperation::ListRestoreJobs,
            "listBackups" => ReadOperation::ListBackups,
            "getBackup" => ReadOperation::GetBackup,
            "listDatabases" => ReadOperation::ListDatabases,
            "getDatabase" => ReadOperation::GetDatabase,
            "getInstance" => ReadOperation::GetInstance,
            "listUsers" => ReadOperation::ListUsers,
            _ => return None,
        })
    }

    /// Allowed `sort` values: the `backup.sort` / `database.sort` enums of the v3 spec.
    fn sort_values(self) -> &'static [&'static str] {
        match self {
            ReadOperation::ListBackups => &[
                "end_time.desc",
                "end_time.asc",
                "index.desc",
                "index.asc",
                "name.desc",
                "name.asc",
                "retained_until.desc",
                "retained_until.asc",
                "size.desc",
                "size.asc",
                "type.desc",
                "type.asc",
            ],
            ReadOperation::ListDatabases => &[
                "created_at.desc",
                "created_at.asc",
                "database_id.desc",
                "database_id.asc",
                "database_name.desc",
                "database_name.asc",
                "database_owner.desc",
                "database_owner.asc",
                "index.asc",
                "index.desc",
            ],
            _ => &[],
        }
    }

    fn is_paged(self) -> bool {
        matches!(self, ReadOperation::ListBackups | ReadOperation::ListDatabases | ReadOperation::ListUsers)
    }
}

/// A checked read request: the path segments after `/instances/{id}` and the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRequest {
    pub operation: ReadOperation,
    pub instance_id: String,
    segments: Vec<String>,
    query: Vec<(&'static str, String)>,
}

impl ReadRequest {
    pub fn from_input(operation: ReadOperation, value: &Value, issues: &mut Issues) -> Option<ReadRequest> {
        let root = ObjectReader::new(Some(value), Location::new("", ""), issues);
        let instance_id = read_instance_id(&root, issues);
        let segments = match operation {
            ReadOperation::ListRestoreJobs => Some(vec!["restore-jobs".to_owned()]),
            ReadOperation::ListBackups => Some(vec!["backups".to_owned()]),
            ReadOperation::GetBackup => {
                read_backup_id(&root, issues).map(|id| vec!["backups".to_owned(), id.to_string()])
            }
            ReadOperation::ListDatabases => Some(vec!["databases".to_owned()]),
            ReadOperation::GetDatabase => {
                let at = Location::new("databaseName", "/databaseName");
                let name = root.required_string("databaseName", &at, issues);
                if name.as_deref() == Some("") {
                    issues.error(&at, IssueCode::Required, "must not be empty");
                }
                name.map(|n| vec!["databases".to_owned(), encode_segment(&n)])
            }
            ReadOperation::GetInstance => Some(vec![]),
            ReadOperation::ListUsers => Some(vec!["users".to_owned()]),
        };
        let query = if operation.is_paged() { read_paging(operation, &root, issues) } else { Vec::new() };
        Some(ReadRequest { operation, instance_id: instance_id?, segments: segments?, query })
    }

    pub fn to_http_request(&self, config: &ClientConfig, reveal: bool) -> HttpRequest {
        let segments: Vec<&str> = self.segments.iter().map(String::as_str).collect();
        let mut url = instance_url(config, &self.instance_id, &segments);
        for (i, (key, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(key);
            url.push('=');
            url.push_str(&encode_segment(value));
        }
        HttpRequest { method: "GET", url, headers: api_headers(config, reveal, false), body: None }
    }
}

/// `backupId` is int64 in the spec; a numeric string is accepted too (JS loses precision past 2^53).
fn read_backup_id(root: &ObjectReader<'_>, issues: &mut Issues) -> Option<i64> {
    let at = Location::new("backupId", "/backupId");
    match root.raw("backupId") {
        None => {
            issues.error(&at, IssueCode::Required, "is required");
            None
        }
        Some(Value::String(text)) => text.parse::<i64>().ok().filter(|n| *n >= 0).or_else(|| {
            issues.error(&at, IssueCode::Format, "must be a non-negative integer");
            None
        }),
        Some(_) => root.optional_integer("backupId", &at, issues).filter(|n| *n >= 0).or_else(|| {
            if !issues.errors.iter().any(|e| e.path == at.path) {
                issues.error(&at, IssueCode::Format, "must be a non-negative integer");
            }
            None
        }),
    }
}

/// `page` (1-based) and `size` (1..=1000, our bound to keep answers small), `sort` from the spec's enum.
fn read_paging(operation: ReadOperation, root: &ObjectReader<'_>, issues: &mut Issues) -> Vec<(&'static str, String)> {
    let mut query = Vec::new();
    for (key, min, max) in [("page", 1, i64::from(i32::MAX)), ("size", 1, 1000)] {
        let at = Location::new(key, format!("/{key}"));
        if let Some(n) = root.optional_integer(key, &at, issues) {
            if n < min || n > max {
                issues.error(&at, IssueCode::Format, format!("must be between {min} and {max}"));
            } else {
                query.push((key, n.to_string()));
            }
        }
    }
    let at = Location::new("sort", "/sort");
    if let Some(sort) = root.optional_string("sort", &at, issues) {
        let allowed = operation.sort_values();
        if allowed.contains(&sort.as_str()) {
            query.push(("sort", sort));
        } else if allowed.is_empty() {
            issues.error(&at, IssueCode::Unknown, "this operation has no sort option");
        } else {
            issues.error(&at, IssueCode::Unknown, format!("must be one of {}", allowed.join(", ")));
        }
    }
    query
}

/// The typed answer of a read operation. Short-lived (serialised for JS at once), so variant sizes don't matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum ReadResponse {
    RestoreJobs(responses::RestoreJobs),
    BackupList(responses::BackupList),
    Backup(responses::Backup),
    DatabaseList(responses::DatabaseList),
    Database(responses::Database),
    Instance(responses::Instance),
    UserList(responses::UserList),
}

pub fn parse_read_response(
    operation: ReadOperation,
    version: ApiVersion,
    body: &str,
) -> Result<ReadResponse, ParseError> {
    Ok(match operation {
        ReadOperation::ListRestoreJobs => ReadResponse::RestoreJobs(responses::parse_restore_jobs(body)?),
        ReadOperation::ListBackups => ReadResponse::BackupList(responses::parse_backup_list(body)?),
        ReadOperation::GetBackup => ReadResponse::Backup(responses::parse_backup(body)?),
        ReadOperation::ListDatabases => ReadResponse::DatabaseList(responses::parse_database_list(body)?),
        ReadOperation::GetDatabase => ReadResponse::Database(responses::parse_database(body)?),
        ReadOperation::GetInstance => ReadResponse::Instance(responses::parse_instance(body, version)?),
        ReadOperation::ListUsers => ReadResponse::UserList(responses::parse_user_list(body)?),
    })
}
