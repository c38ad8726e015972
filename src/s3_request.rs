//! Signed S3 requests as data, for the backup preflight: HeadObject, ranged GetObject and
//! ListObjectsV2 (S3 API reference), built from an [`S3Endpoint`] with the caller's credentials
//! and clock. Sending them is the bindings' job.

pub mod endpoint;
pub mod multipart;
pub mod response;

use std::fmt;

use serde::Serialize;

use crate::http::request::HttpRequest;
use crate::sigv4::uri::uri_encode_into;
use crate::sigv4::{sign_request, Credentials, Payload, SigV4Error, SigningParams};

pub use endpoint::{host_info, EndpointOptions, HostInfo, S3Endpoint, UrlStyle};
pub use response::{
    classify, object_meta_from_head, parse_content_range, s3_error, ContentRange, ObjectMeta, S3Error, S3ErrorKind,
};

/// The largest page ListObjectsV2 returns.
pub const MAX_LIST_KEYS: u32 = 1_000;

/// Why a request could not be built; never carries a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum S3RequestError {
    /// The address does not parse (the reason from [`crate::s3_address::S3Uri::parse`]).
    InvalidAddress(&'static str),
    /// The address names no bucket.
    MissingBucket,
    /// An object request without a key, or a key ending in `/`.
    MissingKey,
    /// A key with a `.` or `..` segment: fetch would rewrite the path before sending it.
    UnaddressableKey,
    /// The endpoint override is not `https://host[:port]` / `http://loopback[:port]`.
    InvalidEndpoint,
    /// `http://` to a host that is not loopback.
    InsecureEndpoint,
    MissingRegion,
    /// A byte range whose start lies after its end, or an empty suffix.
    InvalidRange,
    Signing(SigV4Error),
}

impl S3RequestError {
    /// The stable machine code.
    pub fn code(self) -> &'static str {
        match self {
            S3RequestError::InvalidAddress(_) => "invalid_address",
            S3RequestError::MissingBucket => "missing_bucket",
            S3RequestError::MissingKey => "missing_key",
            S3RequestError::UnaddressableKey => "unaddressable_key",
            S3RequestError::InvalidEndpoint => "invalid_endpoint",
            S3RequestError::InsecureEndpoint => "insecure_endpoint",
            S3RequestError::MissingRegion => "missing_region",
            S3RequestError::InvalidRange => "invalid_range",
            S3RequestError::Signing(e) => e.code(),
        }
    }

    pub fn message(self) -> String {
        match self {
            S3RequestError::InvalidAddress(reason) => format!("the S3 address {reason}"),
            S3RequestError::MissingBucket => "the S3 address names no bucket".to_owned(),
            S3RequestError::MissingKey => "the S3 address names no object key".to_owned(),
            S3RequestError::UnaddressableKey => {
                "object keys with '.' or '..' path segments cannot be fetched: URLs normalise them away".to_owned()
            }
            S3RequestError::InvalidEndpoint => "the S3 endpoint must look like https://host[:port]".to_owned(),
            S3RequestError::InsecureEndpoint => {
                "the S3 endpoint must use https:// (http:// is allowed only for loopback)".to_owned()
            }
            S3RequestError::MissingRegion => "no S3 signing region is known for this host".to_owned(),
            S3RequestError::InvalidRange => "the byte range is empty or reversed".to_owned(),
            S3RequestError::Signing(e) => e.message().to_owned(),
        }
    }
}

impl fmt::Display for S3RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for S3RequestError {}

impl From<SigV4Error> for S3RequestError {
    fn from(e: SigV4Error) -> Self {
        S3RequestError::Signing(e)
    }
}

/// `{ "code": …, "message": … }`, like the crate's other errors.
impl Serialize for S3RequestError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("S3RequestError", 2)?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.message())?;
        s.end()
    }
}

impl S3Endpoint {
    /// The bucket's URL: `https://host/<bucket>/` (path-style) or `https://<bucket>.host/`.
    pub fn bucket_url(&self) -> String {
        let mut url = self.base_url.clone();
        url.push('/');
        if self.style == UrlStyle::Path {
            uri_encode_into(self.bucket.as_bytes(), false, &mut url);
            url.push('/');
        }
        url
    }

    /// The object's URL, each key byte outside the unreserved set percent-encoded (`/` kept), so
    /// the URL fetch sends is the URL signed.
    pub fn object_url(&self) -> Result<String, S3RequestError> {
        if self.key.is_empty() || self.key.ends_with('/') {
            return Err(S3RequestError::MissingKey);
        }
        if self.key.split('/').any(|segment| segment == "." || segment == "..") {
            return Err(S3RequestError::UnaddressableKey);
        }
        let mut url = self.bucket_url();
        uri_encode_into(self.key.as_bytes(), true, &mut url);
        Ok(url)
    }
}

fn signed(
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
fn signed_with_payload(
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
