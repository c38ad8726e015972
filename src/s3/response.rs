//! Reading S3 responses: object metadata from HEAD, sizes from `Content-Range`, and errors
//! classified by status and S3 error code (S3 API reference, "Error responses").

use serde::Serialize;

use super::xml::{parse_error_body, unquote_etag};

/// What HEAD tells about an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    pub size: u64,
    /// Without the quotes S3 sends. Browsers expose it only if the bucket's CORS rules list `ETag`
    /// in `ExposeHeaders`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The HTTP date as sent (`Wed, 12 Oct 2009 17:50:00 GMT`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// How a failed S3 call should be reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum S3ErrorKind {
    /// 403, or a credential/signature code: wrong key, wrong secret, missing permission.
    AccessDenied,
    /// 404, `NoSuchKey` or `NoSuchBucket`.
    NotFound,
    Other,
}

/// A failed S3 call. `code` is S3's error code (`SignatureDoesNotMatch`) or `HTTP_<status>` when
/// the body has none; nothing here ever holds a credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct S3Error {
    pub kind: S3ErrorKind,
    pub status: u16,
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl std::fmt::Display for S3Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "S3 {} {}: {}", self.status, self.code, self.message)
    }
}

impl std::error::Error for S3Error {}

/// Codes that mean the credentials or their permissions are the problem, whatever the status.
const ACCESS_CODES: [&str; 8] = [
    "AccessDenied",
    "AllAccessDisabled",
    "ExpiredToken",
    "InvalidAccessKeyId",
    "InvalidToken",
    "SignatureDoesNotMatch",
    "AuthorizationHeaderMalformed",
    "RequestTimeTooSkewed",
];
const NOT_FOUND_CODES: [&str; 2] = ["NoSuchKey", "NoSuchBucket"];

/// Longest code and message kept from a response body.
const MAX_CODE_CHARS: usize = 64;
const MAX_MESSAGE_CHARS: usize = 512;

pub fn classify(status: u16, code: &str) -> S3ErrorKind {
    if NOT_FOUND_CODES.contains(&code) {
        S3ErrorKind::NotFound
    } else if status == 403 || ACCESS_CODES.contains(&code) {
        S3ErrorKind::AccessDenied
    } else if status == 404 {
        S3ErrorKind::NotFound
    } else {
        S3ErrorKind::Other
    }
}

fn default_message(kind: S3ErrorKind, status: u16) -> String {
    match kind {
        S3ErrorKind::AccessDenied => {
            "access denied: check the S3 access key, secret key and the bucket's permissions".to_owned()
        }
        S3ErrorKind::NotFound => "the S3 bucket or object does not exist".to_owned(),
        S3ErrorKind::Other => format!("S3 answered HTTP {status}"),
    }
}

/// The error for a non-2xx response: code and message from an S3 `<Error>` body when there is one
/// (HEAD responses have none; proxies may send HTML), else from the status. Never fails.
pub fn s3_error(status: u16, body: &str, request_id: Option<&str>) -> S3Error {
    let parsed = parse_error_body(body).ok();
    let code = parsed
        .as_ref()
        .map(|b| b.code.chars().take(MAX_CODE_CHARS).collect::<String>())
        .unwrap_or_else(|| format!("HTTP_{status}"));
    let kind = classify(status, &code);
    let message = parsed
        .as_ref()
        .map(|b| b.message.chars().take(MAX_MESSAGE_CHARS).collect::<String>())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| default_message(kind, status));
    let request_id = parsed
        .and_then(|b| b.request_id)
        .or_else(|| request_id.map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned))
        .map(|r| r.chars().take(MAX_CODE_CHARS).collect());
    S3Error { kind, status, code, message, request_id }
}

/// Metadata from a HEAD response; a non-2xx status becomes the [`S3Error`] for that status.
pub fn object_meta_from_head(
    status: u16,
    content_length: Option<&str>,
    etag: Option<&str>,
    last_modified: Option<&str>,
) -> Result<ObjectMeta, S3Error> {
    if !(200..300).contains(&status) {
        return Err(s3_error(status, "", None));
    }
    let size = content_length.and_then(|v| v.trim().parse::<u64>().ok()).ok_or_else(|| S3Error {
        kind: S3ErrorKind::Other,
        status,
        code: "InvalidResponse".to_owned(),
        message: "the HEAD response has no valid Content-Length".to_owned(),
        request_id: None,
    })?;
    Ok(ObjectMeta {
        size,
        etag: etag.map(unquote_etag).filter(|e| !e.is_empty()),
        last_modified: last_modified.map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned),
    })
}

/// A `Content-Range` header: `bytes 0-65535/1048576`, `bytes 0-9/*`, or `bytes */1048576` (416).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContentRange {
    /// The first and last byte sent, inclusive; `None` for an unsatisfied range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<u64>,
    /// The whole object's size, when the server knows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

pub fn parse_content_range(value: &str) -> Option<ContentRange> {
    let rest = value.trim().strip_prefix("bytes ")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let total = if total.trim() == "*" { None } else { Some(number(total)?) };
    let (first, last) = if range.trim() == "*" {
        (None, None)
    } else {
        let (first, last) = range.split_once('-')?;
        let (first, last) = (number(first)?, number(last)?);
        if first > last || total.is_some_and(|t| last >= t) {
            return None;
        }
        (Some(first), Some(last))
    };
    if first.is_none() && total.is_none() {
        return None;
    }
    Some(ContentRange { first, last, total })
}
