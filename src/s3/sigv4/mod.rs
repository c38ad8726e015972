//! AWS Signature Version 4 for S3 (docs.aws.amazon.com, "Create a signed AWS API request" and
//! "Authenticating Requests: Using the Authorization Header / Query Parameters" in the S3 API
//! reference). Pure: the time is a parameter, and the signer returns what to add to the request.
//!
//! The canonical URI always follows S3's rule (the path encoded once, no dot-segment or `//`
//! normalisation), since S3 is the only service this crate talks to.

mod error;
pub mod time;
pub mod uri;

use std::fmt;

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::util::hex;
use crate::util::secret::Secret;
use crate::util::sort::sort_small;

pub use error::SigV4Error;
pub use time::UtcDateTime;
pub use uri::UrlParts;

pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The payload hash for bodies that are not hashed (presigned URLs, streamed bodies).
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// SHA-256 of the empty string: the payload hash of a GET or HEAD.
pub const EMPTY_PAYLOAD_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// The longest validity S3 accepts for a presigned URL: seven days.
pub const MAX_PRESIGN_EXPIRES: u32 = 604_800;

/// An S3 access key pair; `Debug` shows the secret and the session token as `***`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key: String,
    pub secret_key: Secret,
    pub session_token: Option<Secret>,
}

impl Credentials {
    pub fn new(access_key: impl Into<String>, secret_key: Secret) -> Self {
        Credentials { access_key: access_key.into(), secret_key, session_token: None }
    }

    pub fn with_session_token(mut self, token: Secret) -> Self {
        self.session_token = Some(token);
        self
    }
}

/// What `x-amz-content-sha256` says about the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// `UNSIGNED-PAYLOAD`.
    Unsigned,
    /// No body: the SHA-256 of the empty string.
    Empty,
    /// The lower-case hex SHA-256 of the body.
    Sha256Hex(String),
}

impl Payload {
    /// The payload of `body`, hashed.
    pub fn of_body(body: &[u8]) -> Payload {
        Payload::Sha256Hex(sha256_hex(body))
    }

    /// The value of `x-amz-content-sha256` and the last line of the canonical request.
    pub fn hash(&self) -> &str {
        match self {
            Payload::Unsigned => UNSIGNED_PAYLOAD,
            Payload::Empty => EMPTY_PAYLOAD_SHA256,
            Payload::Sha256Hex(hex) => hex,
        }
    }
}

/// Where and when a signature is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningParams {
    pub region: String,
    pub service: String,
    /// Unix seconds (UTC), from the caller's clock.
    pub time: i64,
    pub payload: Payload,
}

impl SigningParams {
    /// Service `s3`, no body.
    pub fn s3(region: impl Into<String>, time: i64) -> Self {
        SigningParams { region: region.into(), service: "s3".to_owned(), time, payload: Payload::Empty }
    }
}

/// The canonical request and the `SignedHeaders` list it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalRequest {
    pub text: String,
    /// Lower-case header names, sorted, joined with `;`.
    pub signed_headers: String,
}

/// Headers a signer leaves alone: hop-by-hop ones, ones browsers or proxies set or rewrite, and
/// the authorization being computed.
const UNSIGNED_HEADERS: [&str; 12] = [
    "authorization",
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

/// Headers `sign_request` sets itself (its own values replace any the caller passes).
const SIGNER_HEADERS: [&str; 4] = ["host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"];

/// The canonical request of step 1: method, canonical URI, canonical query string, canonical
/// headers, signed headers and payload hash, joined with `\n`. `headers` are exactly the headers
/// to sign, `host` included; names are compared case-insensitively, repeated names are joined with
/// `,` in order, values trimmed with inner runs of spaces collapsed.
pub fn canonical_request(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    payload_hash: &str,
) -> Result<CanonicalRequest, SigV4Error> {
    let parts = UrlParts::parse(url)?;
    canonical_request_of(method, &parts, headers, payload_hash)
}

fn canonical_request_of(
    method: &str,
    parts: &UrlParts<'_>,
    headers: &[(String, String)],
    payload_hash: &str,
) -> Result<CanonicalRequest, SigV4Error> {
    if !is_token(method) {
        return Err(SigV4Error::InvalidMethod);
    }
    if headers.len() > uri::MAX_SORTED_ITEMS {
        return Err(SigV4Error::InvalidHeader);
    }
    let mut canonical: Vec<(String, String)> = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        if !is_token(name) || value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
            return Err(SigV4Error::InvalidHeader);
        }
        let name = name.to_ascii_lowercase();
        let value = canonical_header_value(value);
        match canonical.iter_mut().find(|(n, _)| *n == name) {
            Some((_, joined)) => {
                joined.push(',');
                joined.push_str(&value);
            }
            None => canonical.push((name, value)),
        }
    }
    sort_small(&mut canonical, |a, b| a.0 < b.0);
    let signed_headers = canonical.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(";");

    let mut text = String::with_capacity(256);
    text.push_str(method);
    text.push('\n');
    text.push_str(&uri::canonical_uri(parts.path));
    text.push('\n');
    text.push_str(&uri::canonical_query(parts.query)?);
    text.push('\n');
    for (name, value) in &canonical {
        text.push_str(name);
        text.push(':');
        text.push_str(value);
        text.push('\n');
    }
    text.push('\n');
    text.push_str(&signed_headers);
    text.push('\n');
    text.push_str(payload_hash);
    Ok(CanonicalRequest { text, signed_headers })
}

/// Trimmed, with each run of spaces or tabs collapsed to one space.
fn canonical_header_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split([' ', '\t']).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// An RFC 9110 token (method or header name).
fn is_token(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// `<date>/<region>/<service>/aws4_request`.
pub fn credential_scope(date_stamp: &str, region: &str, service: &str) -> String {
    format!("{date_stamp}/{region}/{service}/aws4_request")
}

/// Step 2: `AWS4-HMAC-SHA256\n<amz date>\n<scope>\n<hex sha256(canonical request)>`.
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{amz_date}\n{scope}\n{}", sha256_hex(canonical_request.as_bytes()))
}

/// Step 3: `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
pub fn signing_key(secret: &Secret, date_stamp: &str, region: &str, service: &str) -> [u8; 32] {
    let mut first_key = Vec::with_capacity(secret.expose().len().saturating_add(4));
    first_key.extend_from_slice(b"AWS4");
    first_key.extend_from_slice(secret.expose().as_bytes());
    let k_date = hmac_sha256(&first_key, date_stamp.as_bytes());
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_service = hmac_sha256(&k_region, service.as_bytes());
    hmac_sha256(&k_service, b"aws4_request")
}

/// Step 4: the hex HMAC of the string to sign under the signing key.
pub fn signature(signing_key: &[u8; 32], string_to_sign: &str) -> String {
    mac_hex(signing_mac(signing_key), string_to_sign)
}

/// Signs a request for the `Authorization` header. `headers` are the headers the request will
/// carry (they are all signed, except hop-by-hop ones, `user-agent` and `authorization`); `host`
/// comes from the URL. Returns the headers to add, lower-case: `authorization`,
/// `x-amz-content-sha256`, `x-amz-date` and, with a session token, `x-amz-security-token`; they
/// replace any the caller passed under those names.
pub fn sign_request(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    params: &SigningParams,
    credentials: &Credentials,
) -> Result<Vec<(String, String)>, SigV4Error> {
    sign_with(method, url, headers, params, credentials, &mut None)
}

fn sign_with(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    params: &SigningParams,
    credentials: &Credentials,
    cache: &mut Option<CachedKey>,
) -> Result<Vec<(String, String)>, SigV4Error> {
    let parts = UrlParts::parse(url)?;
    let time = check_inputs(params, credentials)?;
    let payload_hash = params.payload.hash();
    let amz_date = time.amz_date();

    let mut added: Vec<(String, String)> =
        vec![("x-amz-content-sha256".to_owned(), payload_hash.to_owned()), ("x-amz-date".to_owned(), amz_date.clone())];
    if let Some(token) = &credentials.session_token {
        added.push(("x-amz-security-token".to_owned(), token.expose().to_owned()));
    }
    let mut to_sign: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| {
            let skip = |list: &[&str]| list.iter().any(|n| n.eq_ignore_ascii_case(name));
            !skip(&UNSIGNED_HEADERS) && !skip(&SIGNER_HEADERS)
        })
        .cloned()
        .collect();
    to_sign.push(("host".to_owned(), parts.host_header()));
    to_sign.extend(added.iter().cloned());

    let canonical = canonical_request_of(method, &parts, &to_sign, payload_hash)?;
    let date_stamp = time.date_stamp();
    let scope = credential_scope(&date_stamp, &params.region, &params.service);
    let mac = keyed_mac(cache, &credentials.secret_key, &date_stamp, params);
    let signature = mac_hex(mac, &string_to_sign(&amz_date, &scope, &canonical.text));
    let authorization = format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={}, Signature={signature}",
        credentials.access_key, canonical.signed_headers
    );
    added.insert(0, ("authorization".to_owned(), authorization));
    Ok(added)
}

/// A presigned URL (query-parameter authentication): the URL's own query plus `X-Amz-Algorithm`,
/// `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders=host` (and
/// `X-Amz-Security-Token` with a session token), canonically encoded and sorted, then
/// `X-Amz-Signature`. The payload is always `UNSIGNED-PAYLOAD` (`params.payload` is not used).
/// The path is written in its canonical encoding, so the URL sent is the URL signed.
pub fn presign_url(
    method: &str,
    url: &str,
    params: &SigningParams,
    credentials: &Credentials,
    expires_seconds: u32,
) -> Result<String, SigV4Error> {
    presign_with(method, url, params, credentials, expires_seconds, &mut None)
}

fn presign_with(
    method: &str,
    url: &str,
    params: &SigningParams,
    credentials: &Credentials,
    expires_seconds: u32,
    cache: &mut Option<CachedKey>,
) -> Result<String, SigV4Error> {
    let parts = UrlParts::parse(url)?;
    let time = check_inputs(params, credentials)?;
    if !(1..=MAX_PRESIGN_EXPIRES).contains(&expires_seconds) {
        return Err(SigV4Error::InvalidExpires);
    }
    let amz_date = time.amz_date();
    let date_stamp = time.date_stamp();
    let scope = credential_scope(&date_stamp, &params.region, &params.service);

    let mut query = String::from(parts.query);
    let mut add = |key: &str, value: &str| {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(key);
        query.push('=');
        uri::uri_encode_into(value.as_bytes(), false, &mut query);
    };
    add("X-Amz-Algorithm", ALGORITHM);
    add("X-Amz-Credential", &format!("{}/{scope}", credentials.access_key));
    add("X-Amz-Date", &amz_date);
    add("X-Amz-Expires", &expires_seconds.to_string());
    if let Some(token) = &credentials.session_token {
        add("X-Amz-Security-Token", token.expose());
    }
    add("X-Amz-SignedHeaders", "host");
    let canonical_query = uri::canonical_query(&query)?;

    let signed_parts = UrlParts { query: &canonical_query, ..parts };
    let host = [("host".to_owned(), parts.host_header())];
    let canonical = canonical_request_of(method, &signed_parts, &host, UNSIGNED_PAYLOAD)?;
    let mac = keyed_mac(cache, &credentials.secret_key, &date_stamp, params);
    let signature = mac_hex(mac, &string_to_sign(&amz_date, &scope, &canonical.text));
    Ok(format!(
        "{}://{}{}?{canonical_query}&X-Amz-Signature={signature}",
        parts.scheme.to_ascii_lowercase(),
        parts.host_header(),
        uri::canonical_uri(parts.path),
    ))
}

/// The HMAC keyed with a derived signing key (its inner and outer pad blocks already hashed) and
/// the scope it is valid for; `Debug` shows the scope only.
#[derive(Clone)]
struct CachedKey {
    date_stamp: String,
    region: String,
    service: String,
    mac: Hmac<Sha256>,
}

impl fmt::Debug for CachedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CachedKey({}/{}/{}, ***)", self.date_stamp, self.region, self.service)
    }
}

/// The HMAC of the signing key for `date_stamp` and the params' region and service, derived again
/// only when the cache holds another scope.
fn keyed_mac(cache: &mut Option<CachedKey>, secret: &Secret, date_stamp: &str, params: &SigningParams) -> Hmac<Sha256> {
    if let Some(hit) = cache
        .as_ref()
        .filter(|c| c.date_stamp == date_stamp && c.region == params.region && c.service == params.service)
    {
        return hit.mac.clone();
    }
    let mac = signing_mac(&signing_key(secret, date_stamp, &params.region, &params.service));
    *cache = Some(CachedKey {
        date_stamp: date_stamp.to_owned(),
        region: params.region.clone(),
        service: params.service.clone(),
        mac: mac.clone(),
    });
    mac
}

/// HMAC-SHA256 keyed with a 32-byte key: zero-padded to the 64-byte block as RFC 2104 does, which
/// makes the infallible fixed-size constructor apply.
fn signing_mac(key: &[u8; 32]) -> Hmac<Sha256> {
    let mut block = [0u8; 64];
    block.iter_mut().zip(key).for_each(|(b, k)| *b = *k);
    <Hmac<Sha256> as KeyInit>::new(&block.into())
}

fn mac_hex(mut mac: Hmac<Sha256>, data: &str) -> String {
    mac.update(data.as_bytes());
    hex::lower(&mac.finalize().into_bytes())
}

/// Signs many requests with one set of credentials, deriving the signing key (four of the six
/// HMACs of a signature) and keying its HMAC once per date, region and service. Same results as
/// the free functions.
#[derive(Debug, Clone)]
pub struct Signer {
    credentials: Credentials,
    cached: Option<CachedKey>,
}

impl Signer {
    pub fn new(credentials: Credentials) -> Self {
        Signer { credentials, cached: None }
    }

    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// [`sign_request`] with this signer's credentials.
    pub fn sign_request(
        &mut self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        params: &SigningParams,
    ) -> Result<Vec<(String, String)>, SigV4Error> {
        sign_with(method, url, headers, params, &self.credentials, &mut self.cached)
    }

    /// [`presign_url`] with this signer's credentials.
    pub fn presign_url(
        &mut self,
        method: &str,
        url: &str,
        params: &SigningParams,
        expires_seconds: u32,
    ) -> Result<String, SigV4Error> {
        presign_with(method, url, params, &self.credentials, expires_seconds, &mut self.cached)
    }
}

fn check_inputs(params: &SigningParams, credentials: &Credentials) -> Result<UtcDateTime, SigV4Error> {
    let plain =
        |s: &str| !s.is_empty() && !s.bytes().any(|b| b == b'/' || b.is_ascii_whitespace() || b.is_ascii_control());
    if !plain(&credentials.access_key) {
        return Err(SigV4Error::InvalidAccessKey);
    }
    if !plain(&params.region) || !plain(&params.service) {
        return Err(SigV4Error::InvalidScope);
    }
    if let Payload::Sha256Hex(hex) = &params.payload {
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(SigV4Error::InvalidPayloadHash);
        }
    }
    if let Some(token) = &credentials.session_token {
        if token.expose().bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
            return Err(SigV4Error::InvalidHeader);
        }
    }
    UtcDateTime::from_unix(params.time).ok_or(SigV4Error::InvalidTime)
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::lower(&Sha256::digest(data))
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length, so `new_from_slice` cannot fail; the fallback keeps this total.
    match <Hmac<Sha256> as KeyInit>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0; 32],
    }
}
