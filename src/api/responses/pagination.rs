//! `Pagination` (OpenAPI specs in pkg-template/emulator/openapi, components.schemas.Pagination), part of every list response.

use serde::Serialize;

use super::reader::{integer, string, ObjectAt, ParseError};

/// Schema `Pagination`: all five properties are required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub page: i64,
    pub size: i64,
    pub sort: String,
    pub total_pages: i64,
    pub total_rows: i64,
}

pub(super) fn pagination(o: &ObjectAt<'_>) -> Result<Pagination, ParseError> {
    Ok(Pagination {
        page: o.required("page", integer)?,
        size: o.required("size", integer)?,
        sort: o.required("sort", string)?,
        total_pages: o.required("totalPages", integer)?,
        total_rows: o.required("totalRows", integer)?,
    })
}

/// The required `pagination` property of a list response.
pub(super) fn pagination_of(o: &ObjectAt<'_>) -> Result<Pagination, ParseError> {
    o.required("pagination", |v, p| pagination(&super::reader::object(v, p)?))
}
