//! Why an S3 request could not be built.

use std::fmt;

use serde::Serialize;

use super::sigv4::SigV4Error;

/// Why a request could not be built; never carries a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum S3RequestError {
    /// The address does not parse (the reason from [`crate::s3::address::S3Uri::parse`]).
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
