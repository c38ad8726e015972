//! Signed S3 requests as data, for the backup preflight: HeadObject, ranged GetObject and
//! ListObjectsV2 (S3 API reference), built from an [`S3Endpoint`] with the caller's credentials
//! and clock. Sending them is the bindings' job.

use super::endpoint::S3Endpoint;
use super::error::S3RequestError;
use super::sigv4::uri::uri_encode_into;
use super::sigv4::{sign_request, Credentials, Payload, SigningParams};
use crate::http::request::HttpRequest;

/// The largest page ListObjectsV2 returns.
pub const MAX_LIST_KEYS: u32 = 1_000;

pub(super) fn signed(
    method: &'static str,
    url: String,
    headers: Vec<(String, String)>,
    endpoint: &S3Endpoint,
    credentials: &Credentials,
    time: i64,
) -> Result<HttpRequest, S3RequestError> {
    signed_with_payload(method, url, headers, Payload::Empty, endpoint, credentials, time)
}

/// A request whose body is described by `payload` (hashed, or `UNSIGNED-PAYLOAD`).
pub(super) fn signed_with_payload(
    method: &'static str,
    url: String,
    headers: Vec<(String, String)>,
    payload: Payload,
    endpoint: &S3Endpoint,
    credentials: &Credentials,
    time: i64,
) -> Result<HttpRequest, S3RequestError> {
    let params = SigningParams { payload, ..SigningParams::s3(endpoint.region.clone(), time) };
    let added = sign_request(method, &url, &headers, &params, credentials)?;
    let mut all = headers;
    all.extend(added);
    Ok(HttpRequest { method, url, headers: all, body: None })
}

/// HeadObject: size, ETag and Last-Modified of `endpoint.key`.
pub fn head_object(endpoint: &S3Endpoint, credentials: &Credentials, time: i64) -> Result<HttpRequest, S3RequestError> {
    signed("HEAD", endpoint.object_url()?, Vec::new(), endpoint, credentials, time)
}

/// GetObject of bytes `start..=end_inclusive` (`Range: bytes=0-65535`).
pub fn get_object_range(
    endpoint: &S3Endpoint,
    start: u64,
    end_inclusive: u64,
    credentials: &Credentials,
    time: i64,
) -> Result<HttpRequest, S3RequestError> {
    if start > end_inclusive {
        return Err(S3RequestError::InvalidRange);
    }
    let range = vec![("range".to_owned(), format!("bytes={start}-{end_inclusive}"))];
    signed("GET", endpoint.object_url()?, range, endpoint, credentials, time)
}

/// GetObject of the last `len` bytes (`Range: bytes=-65536`); the whole object when it is shorter.
pub fn get_object_suffix(
    endpoint: &S3Endpoint,
    len: u64,
    credentials: &Credentials,
    time: i64,
) -> Result<HttpRequest, S3RequestError> {
    if len == 0 {
        return Err(S3RequestError::InvalidRange);
    }
    let range = vec![("range".to_owned(), format!("bytes=-{len}"))];
    signed("GET", endpoint.object_url()?, range, endpoint, credentials, time)
}

/// ListObjectsV2 of the keys under `prefix` (`?list-type=2&prefix=…[&continuation-token=…]&max-keys=…`);
/// `max_keys` is clamped to 1..=1000.
pub fn list_objects_v2(
    endpoint: &S3Endpoint,
    prefix: &str,
    continuation_token: Option<&str>,
    max_keys: u32,
    credentials: &Credentials,
    time: i64,
) -> Result<HttpRequest, S3RequestError> {
    let mut url = endpoint.bucket_url();
    url.push_str("?list-type=2&prefix=");
    uri_encode_into(prefix.as_bytes(), false, &mut url);
    if let Some(token) = continuation_token {
        url.push_str("&continuation-token=");
        uri_encode_into(token.as_bytes(), false, &mut url);
    }
    url.push_str("&max-keys=");
    url.push_str(&max_keys.clamp(1, MAX_LIST_KEYS).to_string());
    signed("GET", url, Vec::new(), endpoint, credentials, time)
}
