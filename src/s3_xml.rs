//! Typed S3 XML bodies: the `ListBucketResult` of ListObjectsV2, `<Error>` bodies and the
//! multipart upload results (S3 API reference: "ListObjectsV2", "Error responses", multipart).

pub mod multipart;
pub mod reader;

use serde::Serialize;

pub use multipart::{
    parse_complete_multipart_upload, parse_initiate_multipart_upload, parse_list_multipart_uploads, parse_list_parts,
    ListMultipartUploadsResult, ListPartsResult, PendingUpload,
};
pub use reader::{parse_document, Element, XmlError, XmlErrorCode};

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

/// Why a body could not be read as the expected S3 document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum S3XmlError {
    /// Not well-formed XML.
    Malformed {
        reason: XmlErrorCode,
        offset: usize,
    },
    /// Well-formed, but another document (`found` is cut to 64 characters).
    UnexpectedRoot {
        expected: &'static str,
        found: String,
    },
    MissingElement {
        element: &'static str,
    },
    /// A number or boolean that does not parse.
    InvalidValue {
        element: &'static str,
    },
}

impl S3XmlError {
    pub fn code(&self) -> &'static str {
        match self {
            S3XmlError::Malformed { .. } => "malformed",
            S3XmlError::UnexpectedRoot { .. } => "unexpected_root",
            S3XmlError::MissingElement { .. } => "missing_element",
            S3XmlError::InvalidValue { .. } => "invalid_value",
        }
    }
}

impl std::fmt::Display for S3XmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            S3XmlError::Malformed { reason, offset } => write!(f, "{} (at byte {offset})", reason.message()),
            S3XmlError::UnexpectedRoot { expected, found } => {
                write!(f, "expected an S3 <{expected}> document, got <{found}>")
            }
            S3XmlError::MissingElement { element } => write!(f, "the S3 response lacks <{element}>"),
            S3XmlError::InvalidValue { element } => write!(f, "the S3 response has an invalid <{element}>"),
        }
    }
}

impl std::error::Error for S3XmlError {}

impl From<XmlError> for S3XmlError {
    fn from(e: XmlError) -> Self {
        S3XmlError::Malformed { reason: e.code, offset: e.offset }
    }
}

fn root_named(xml: &str, expected: &'static str) -> Result<Element, S3XmlError> {
    let root = parse_document(xml)?;
    if root.local_name() != expected {
        return Err(S3XmlError::UnexpectedRoot { expected, found: root.local_name().chars().take(64).collect() });
    }
    Ok(root)
}

fn number(element: &Element, name: &'static str) -> Result<Option<u64>, S3XmlError> {
    element
        .child_text(name)
        .map(|text| text.trim().parse::<u64>().map_err(|_| S3XmlError::InvalidValue { element: name }))
        .transpose()
}

fn owned(element: &Element, name: &str) -> Option<String> {
    element.child_text(name).map(str::to_owned)
}

/// `IsTruncated`: `true` / `false`, absent = false.
fn truncated(root: &Element) -> Result<bool, S3XmlError> {
    match root.child_text("IsTruncated").map(str::trim) {
        None => Ok(false),
        Some(t) if t.eq_ignore_ascii_case("true") => Ok(true),
        Some(t) if t.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(S3XmlError::InvalidValue { element: "IsTruncated" }),
    }
}

/// Strips the quotes around an ETag (`"abc"` → `abc`, `W/"abc"` → `W/"abc"` unchanged).
pub fn unquote_etag(etag: &str) -> String {
    let trimmed = etag.trim();
    trimmed.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(trimmed).to_owned()
}

/// Reads a ListObjectsV2 (`list-type=2`) response body.
pub fn parse_list_objects_v2(xml: &str) -> Result<ListBucketResult, S3XmlError> {
    let root = root_named(xml, "ListBucketResult")?;
    let is_truncated = truncated(&root)?;
    let contents = root
        .children_named("Contents")
        .map(|entry| {
            Ok(ListedObject {
                key: owned(entry, "Key").ok_or(S3XmlError::MissingElement { element: "Key" })?,
                size: number(entry, "Size")?.ok_or(S3XmlError::MissingElement { element: "Size" })?,
                etag: entry.child_text("ETag").map(unquote_etag),
                last_modified: entry.child_text("LastModified").map(|t| t.trim().to_owned()),
                storage_class: entry.child_text("StorageClass").map(|t| t.trim().to_owned()),
            })
        })
        .collect::<Result<Vec<_>, S3XmlError>>()?;
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
