//! `GET …/instances/{instanceId}/users` (OpenAPI specs in pkg-template/emulator/openapi: `ListUserResponse`, `ListUser`), e.g. to check
//! that a restore's database owner login exists.

use serde::Serialize;

use super::pagination::{pagination_of, Pagination};
use super::reader::{integer, objects, read_body, string, ObjectAt, ParseError};

/// Schema `ListUserResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserList {
    pub users: Vec<UserListItem>,
    pub pagination: Pagination,
}

/// Schema `ListUser`. `status` is free text in the spec (example `ACTIVE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserListItem {
    pub id: i64,
    pub username: String,
    pub status: String,
}

/// Reads a 200 body of `GET …/users`.
pub fn parse_user_list(body: &str) -> Result<UserList, ParseError> {
    read_body(body, |root| {
        Ok(UserList { users: root.required("users", |v, p| objects(v, p, user))?, pagination: pagination_of(root)? })
    })
}

fn user(o: &ObjectAt<'_>) -> Result<UserListItem, ParseError> {
    Ok(UserListItem {
        id: o.required("id", integer)?,
        username: o.required("username", string)?,
        status: o.required("status", string)?,
    })
}
