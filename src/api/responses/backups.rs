//! `GET …/instances/{instanceId}/backups` and `…/backups/{backupId}` (OpenAPI specs in pkg-template/emulator/openapi:
//! `ListBackupResponse`, `ListBackupsResponse`, `ListBackup`, `GetBackupResponse`).

use serde::Serialize;

use super::pagination::{pagination_of, Pagination};
use super::reader::{integer, objects, read_body, string, ObjectAt, ParseError};

/// Schema `ListBackupResponse`: the backups grouped per database, and the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupList {
    pub backups: Vec<DatabaseBackups>,
    pub pagination: Pagination,
}

/// Schema `ListBackupsResponse`: the backups of one database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseBackups {
    pub database_name: String,
    pub backups: Vec<Backup>,
}

/// Schemas `ListBackup` and `GetBackupResponse` (same properties, all required).
/// Times are RFC 3339 strings as sent; see [`super::parse_api_time`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Backup {
    pub id: i64,
    pub name: String,
    pub completion_time: String,
    pub retained_until: String,
    /// Bytes (`backup.size`).
    pub size: i64,
    /// `backup.type`, e.g. `AUTOMATED`; `type` on the wire and in JS.
    #[serde(rename = "type")]
    pub kind: String,
}

/// Reads a 200 body of `GET …/backups`.
pub fn parse_backup_list(body: &str) -> Result<BackupList, ParseError> {
    read_body(body, |root| {
        Ok(BackupList {
            backups: root.required("backups", |v, p| objects(v, p, database_backups))?,
            pagination: pagination_of(root)?,
        })
    })
}

/// Reads a 200 body of `GET …/backups/{backupId}`.
pub fn parse_backup(body: &str) -> Result<Backup, ParseError> {
    read_body(body, backup)
}

fn database_backups(o: &ObjectAt<'_>) -> Result<DatabaseBackups, ParseError> {
    Ok(DatabaseBackups {
        database_name: o.required("databaseName", string)?,
        backups: o.required("backups", |v, p| objects(v, p, backup))?,
    })
}

fn backup(o: &ObjectAt<'_>) -> Result<Backup, ParseError> {
    Ok(Backup {
        id: o.required("id", integer)?,
        name: o.required("name", string)?,
        completion_time: o.required("completionTime", string)?,
        retained_until: o.required("retainedUntil", string)?,
        size: o.required("size", integer)?,
        kind: o.required("type", string)?,
    })
}
