//! Typed S3 XML bodies: the `ListBucketResult` of ListObjectsV2, `<Error>` bodies and the
//! multipart upload results (S3 API reference: "ListObjectsV2", "Error responses", multipart).

mod document;
pub mod multipart;
pub mod reader;

use serde::Serialize;

pub use document::{unquote_etag, S3XmlError};
pub use multipart::{
    parse_complete_multipart_upload, parse_initiate_multipart_upload, parse_list_multipart_uploads, parse_list_parts,
    ListMultipartUploadsResult, ListPartsResult, PendingUpload,
};
pub use reader::{parse_document, Element, XmlError, XmlErrorCode};

use document::{entries, number, owned, root_named, truncated};

/// One page of ListObjectsV2.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListBucketResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_keys: Option<u64>,
    /// More keys follow: ask again with `next_continuation_token`.
    pub is_truncated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub continuation_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_continuation_token: Option<String>,
    pub contents: Vec<ListedObject>,
    /// `CommonPrefixes/Prefix`, present when the request had a delimiter.
    pub common_prefixes: Vec<String>,
}

/// One `Contents` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListedObject {
    /// Exactly as stored (not trimmed).
    pub key: String,
    pub size: u64,
    /// Without the surrounding quotes S3 sends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// As sent (ISO 8601, e.g. `2009-10-12T17:50:30.000Z`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<String>,
}

/// The fields of an S3 `<Error>` body that are safe to show: never the `StringToSign`,
/// `CanonicalRequest` or `AWSAccessKeyId` a SignatureDoesNotMatch body may echo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// Reads a ListObjectsV2 (`list-type=2`) response body.
pub fn parse_list_objects_v2(xml: &str) -> Result<ListBucketResult, S3XmlError> {
    let root = root_named(xml, "ListBucketResult")?;
    let is_truncated = truncated(&root)?;
    let contents = entries(&root, "Contents", |entry| {
        Ok(ListedObject {
            key: owned(entry, "Key").ok_or(S3XmlError::MissingElement { element: "Key" })?,
            size: number(entry, "Size")?.ok_or(S3XmlError::MissingElement { element: "Size" })?,
            etag: entry.child_text("ETag").map(unquote_etag),
            last_modified: entry.child_text("LastModified").map(|t| t.trim().to_owned()),
            storage_class: entry.child_text("StorageClass").map(|t| t.trim().to_owned()),
        })
    })?;
    let common_prefixes =
        root.children_named("CommonPrefixes").filter_map(|p| p.child_text("Prefix")).map(str::to_owned).collect();
    Ok(ListBucketResult {
        name: owned(&root, "Name"),
        prefix: owned(&root, "Prefix"),
        key_count: number(&root, "KeyCount")?,
        max_keys: number(&root, "MaxKeys")?,
        is_truncated,
        continuation_token: owned(&root, "ContinuationToken"),
        next_continuation_token: owned(&root, "NextContinuationToken").filter(|t| !t.is_empty()),
        contents,
        common_prefixes,
    })
}

/// Reads an S3 `<Error>` body.
pub fn parse_error_body(xml: &str) -> Result<ErrorBody, S3XmlError> {
    let root = root_named(xml, "Error")?;
    let text = |name: &str| root.child_text(name).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
    Ok(ErrorBody {
        code: text("Code").ok_or(S3XmlError::MissingElement { element: "Code" })?,
        message: text("Message").unwrap_or_default(),
        resource: text("Resource"),
        request_id: text("RequestId"),
    })
}
