//! `GET …/instances/{instanceId}/databases` and `…/databases/{databaseName}` (OpenAPI specs in pkg-template/emulator/openapi:
//! `ListDatabasesResponse`, `ListDatabase`, `GetDatabaseResponse`).

use serde::Serialize;

use super::pagination::{pagination_of, Pagination};
use super::reader::{int32, integer, objects, read_body, string, ObjectAt, ParseError};

/// Schema `ListDatabasesResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseList {
    pub databases: Vec<DatabaseListItem>,
    pub pagination: Pagination,
}

/// Schema `ListDatabase`. `created` is RFC 3339 as sent (`database.created`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseListItem {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub owner: String,
}

/// Schema `GetDatabaseResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Database {
    pub id: i64,
    pub name: String,
    pub collation_name: String,
    pub compatibility_level: i32,
    pub owner: String,
}

/// Reads a 200 body of `GET …/databases`.
pub fn parse_database_list(body: &str) -> Result<DatabaseList, ParseError> {
    read_body(body, |root| {
        Ok(DatabaseList {
            databases: root.required("databases", |v, p| objects(v, p, database_list_item))?,
            pagination: pagination_of(root)?,
        })
    })
}

/// Reads a 200 body of `GET …/databases/{databaseName}`.
pub fn parse_database(body: &str) -> Result<Database, ParseError> {
    read_body(body, |o| {
        Ok(Database {
            id: o.required("id", integer)?,
            name: o.required("name", string)?,
            collation_name: o.required("collationName", string)?,
            compatibility_level: o.required("compatibilityLevel", int32)?,
            owner: o.required("owner", string)?,
        })
    })
}

fn database_list_item(o: &ObjectAt<'_>) -> Result<DatabaseListItem, ParseError> {
    Ok(DatabaseListItem {
        id: o.required("id", integer)?,
        name: o.required("name", string)?,
        created: o.required("created", string)?,
        owner: o.required("owner", string)?,
    })
}
