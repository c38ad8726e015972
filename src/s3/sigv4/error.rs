//! Why a request could not be signed.

use std::fmt;

use serde::Serialize;

/// Why a request could not be signed; never carries a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SigV4Error {
    /// Not an absolute `http(s)://host/…` URL, or more than 256 query parameters.
    InvalidUrl,
    /// An HTTP method that is not a token.
    InvalidMethod,
    /// A header name that is not a token, a value with CR, LF or NUL, or more than 256 headers.
    InvalidHeader,
    /// The access key is empty or contains `/`, white space or control characters.
    InvalidAccessKey,
    /// Region or service empty, or containing `/`, white space or control characters.
    InvalidScope,
    /// Before 1970 or after 9999.
    InvalidTime,
    /// A presigned URL's validity outside 1..=604800 seconds.
    InvalidExpires,
    /// `Payload::Sha256Hex` that is not 64 lower-case hex digits.
    InvalidPayloadHash,
}

impl SigV4Error {
    /// The stable machine code.
    pub fn code(self) -> &'static str {
        match self {
            SigV4Error::InvalidUrl => "invalid_url",
            SigV4Error::InvalidMethod => "invalid_method",
            SigV4Error::InvalidHeader => "invalid_header",
            SigV4Error::InvalidAccessKey => "invalid_access_key",
            SigV4Error::InvalidScope => "invalid_scope",
            SigV4Error::InvalidTime => "invalid_time",
            SigV4Error::InvalidExpires => "invalid_expires",
            SigV4Error::InvalidPayloadHash => "invalid_payload_hash",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            SigV4Error::InvalidUrl => {
                "the URL to sign must be an absolute http(s)://host/path URL with at most 256 query parameters"
            }
            SigV4Error::InvalidMethod => "the HTTP method must be a token like GET",
            SigV4Error::InvalidHeader => {
                "a header to sign has an invalid name or a value with CR, LF or NUL, or there are over 256"
            }
            SigV4Error::InvalidAccessKey => {
                "the S3 access key must not be empty or contain '/', spaces or control characters"
            }
            SigV4Error::InvalidScope => {
                "the signing region and service must not be empty or contain '/', spaces or control characters"
            }
            SigV4Error::InvalidTime => "the signing time must lie between 1970 and 9999",
            SigV4Error::InvalidExpires => "a presigned URL must expire after 1 to 604800 seconds (7 days)",
            SigV4Error::InvalidPayloadHash => "the payload hash must be 64 lower-case hex digits",
        }
    }
}

impl fmt::Display for SigV4Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for SigV4Error {}
