//! The two restores that need no S3: from the instance's managed backup (`POST …/restores`,
//! `source: {type: "BACKUP"}`) and point-in-time into a new database
//! (`POST …/backups/databases/{databaseName}/restores`, `{name, restoreDateTime}` RFC 3339).
//! Schemas: RestoreDatabaseFromBackupPayload, TriggerRestorePayload (pkg-template/emulator/openapi/sqlserverflex-v3.json).

use serde::Serialize;
use serde_json::Value;

use crate::api::config::ClientConfig;
use crate::api::responses::parse_api_time;
use crate::api::urls::{api_headers, encode_segment, instance_url, restores_url};
use crate::http::request::HttpRequest;
use crate::input::field_rules::{check_database_name, read_instance_id};
use crate::input::issue::{IssueCode, Issues, Location};
use crate::input::reader::ObjectReader;

/// JS input `{ instanceId, databaseName }`: restore the managed backup into `databaseName`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreFromBackup {
    pub instance_id: String,
    pub database_name: String,
}

/// JS input `{ instanceId, databaseName, name, restoreDateTime }`: restore `databaseName` as it was at
/// `restoreDateTime` into the new database `name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PointInTimeRestore {
    pub instance_id: String,
    pub database_name: String,
    pub name: String,
    pub restore_date_time: String,
}

impl RestoreFromBackup {
    pub fn from_input(value: &Value, issues: &mut Issues) -> Option<RestoreFromBackup> {
        let root = ObjectReader::new(Some(value), Location::new("", ""), issues);
        let instance_id = read_instance_id(&root, issues);
        let at = Location::new("databaseName", "/database_name");
        let database_name = root.required_string("databaseName", &at, issues);
        if let Some(name) = &database_name {
            check_database_name(name, &at, issues);
        }
        Some(RestoreFromBackup { instance_id: instance_id?, database_name: database_name? })
    }

    pub fn to_http_request(&self, config: &ClientConfig, reveal: bool) -> HttpRequest {
        let body = serde_json::json!({"database_name": self.database_name, "source": {"type": "BACKUP"}});
        HttpRequest {
            method: "POST",
            url: restores_url(config, &self.instance_id),
            headers: api_headers(config, reveal, true),
            body: Some(body.to_string()),
        }
    }
}

impl PointInTimeRestore {
    pub fn from_input(value: &Value, issues: &mut Issues) -> Option<PointInTimeRestore> {
        let root = ObjectReader::new(Some(value), Location::new("", ""), issues);
        let instance_id = read_instance_id(&root, issues);
        // The source database is a path parameter; it exists already, so only its shape is checked.
        let source_at = Location::new("databaseName", "/databaseName");
        let database_name = root.required_string("databaseName", &source_at, issues);
        if database_name.as_deref() == Some("") {
            issues.error(&source_at, IssueCode::Required, "must name the database to restore from");
        }
        let name_at = Location::new("name", "/name");
        let name = root.required_string("name", &name_at, issues);
        if let Some(name) = &name {
            check_database_name(name, &name_at, issues);
        }
        let time_at = Location::new("restoreDateTime", "/restoreDateTime");
        let restore_date_time = root.required_string("restoreDateTime", &time_at, issues);
        if let Some(time) = &restore_date_time {
            if !is_rfc3339_with_zone(time) {
                issues.error(
                    &time_at,
                    IssueCode::Format,
                    "must be an RFC 3339 time with zone, like 2024-05-01T12:00:00Z (a JS Date works too)",
                );
            }
        }
        if let (Some(source), Some(target)) = (&database_name, &name) {
            if source.eq_ignore_ascii_case(target) {
                issues.error(
                    &name_at,
                    IssueCode::Duplicate,
                    "must differ from the source database: the restore creates a new database",
                );
            }
        }
        Some(PointInTimeRestore {
            instance_id: instance_id?,
            database_name: database_name?,
            name: name?,
            restore_date_time: restore_date_time?,
        })
    }

    pub fn to_http_request(&self, config: &ClientConfig, reveal: bool) -> HttpRequest {
        let body = serde_json::json!({"name": self.name, "restoreDateTime": self.restore_date_time});
        let database = encode_segment(&self.database_name);
        HttpRequest {
            method: "POST",
            url: instance_url(config, &self.instance_id, &["backups", "databases", &database, "restores"]),
            headers: api_headers(config, reveal, true),
            body: Some(body.to_string()),
        }
    }
}

/// RFC 3339 `date-time` requires a zone (`Z` or `±hh:mm`); zone-less times would be ambiguous.
fn is_rfc3339_with_zone(text: &str) -> bool {
    let has_zone = text.ends_with(['Z', 'z'])
        || text.len() > 19
            && text.get(text.len().saturating_sub(6)..).is_some_and(|z| {
                let b = z.as_bytes();
                matches!(b.first(), Some(b'+' | b'-')) && b.get(3) == Some(&b':')
            });
    has_zone && parse_api_time(text).is_some()
}
