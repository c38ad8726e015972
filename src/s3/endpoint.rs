//! From a user's S3 address to where requests go: base URL, bucket, key and signing region.
//!
//! Forms understood (docs/stackit-api.md, `s3_bucket`):
//! - `s3://object.storage.eu01.onstackit.cloud/<bucket>/<key>` (STACKIT's docs), path-style;
//! - `https://<host>/<bucket>/<key>`, path-style, for any S3-compatible host;
//! - `http(s)://<bucket>.s3.<region>.amazonaws.com/<key>` (the OpenAPI example), virtual-hosted;
//!   also `<bucket>.s3.amazonaws.com`, `s3-<region>`, `s3.dualstack.<region>` and
//!   `<bucket>.object.storage.<region>.onstackit.cloud`.

use serde::Serialize;

use super::address::{BucketAddress, S3Uri, Scheme};
use super::error::S3RequestError;
use super::sigv4::uri::uri_encode_into;
use crate::http::url::{is_loopback_authority, strip_port};

/// Where the bucket name goes in request URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlStyle {
    /// `https://host/<bucket>/<key>`.
    Path,
    /// `https://<bucket>.host/<key>`: `base_url` already holds the bucket.
    VirtualHosted,
}

/// A bucket (and key or key prefix) reachable over HTTP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct S3Endpoint {
    /// `scheme://host[:port]`, no trailing slash; with [`UrlStyle::VirtualHosted`] the host names
    /// the bucket.
    pub base_url: String,
    pub bucket: String,
    /// The object key or key prefix, decoded (empty for a bare bucket).
    pub key: String,
    /// The SigV4 signing region.
    pub region: String,
    pub style: UrlStyle,
}

/// How to reach an address: an endpoint replacing its scheme and host (a local test server), a
/// signing region forced by the caller, and the region used when the host names none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointOptions {
    /// `https://host[:port]`, or `http://` to a loopback host only.
    pub endpoint_override: Option<String>,
    pub region_override: Option<String>,
    pub default_region: String,
}

impl Default for EndpointOptions {
    /// No override; `us-east-1` where the host names no region (the S3 convention, also MinIO's).
    fn default() -> Self {
        EndpointOptions { endpoint_override: None, region_override: None, default_region: "us-east-1".to_owned() }
    }
}

/// What a host name says about bucket and region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostInfo {
    /// The bucket of a virtual-hosted name (`<bucket>.s3.<region>.amazonaws.com`).
    pub bucket: Option<String>,
    pub region: Option<String>,
}

/// Reads bucket and region from AWS and STACKIT host names; other hosts give nothing.
pub fn host_info(host: &str) -> HostInfo {
    let host = strip_port(host).to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let join = |labels: &[&str]| (!labels.is_empty()).then(|| labels.join("."));

    if let Some(amazon) = labels.iter().position(|l| *l == "amazonaws") {
        let before = labels.get(..amazon).unwrap_or_default();
        let Some(s3) = before.iter().rposition(|l| *l == "s3" || l.starts_with("s3-")) else {
            return HostInfo::default();
        };
        let after = before.get(s3.saturating_add(1)..).unwrap_or_default();
        let label = before.get(s3).copied().unwrap_or_default();
        let region = match label.strip_prefix("s3-") {
            Some("external-1") => Some("us-east-1".to_owned()),
            Some("fips") | None => {
                let named = after.iter().find(|l| **l != "dualstack" && **l != "fips").map(|l| (*l).to_owned());
                named.or_else(|| Some("us-east-1".to_owned()))
            }
            Some(region) => Some(region.to_owned()),
        };
        return HostInfo { bucket: join(before.get(..s3).unwrap_or_default()), region };
    }

    if labels.len() >= 3 && labels.ends_with(&["onstackit", "cloud"]) {
        let before = labels.get(..labels.len().saturating_sub(2)).unwrap_or_default();
        let region = before.last().filter(|l| l.bytes().all(|b| b.is_ascii_alphanumeric())).map(|l| (*l).to_owned());
        let bucket = before
            .windows(2)
            .position(|w| w == ["object", "storage"])
            .and_then(|at| join(before.get(..at).unwrap_or_default()));
        return HostInfo { bucket, region };
    }
    HostInfo::default()
}

/// `https://host[:port]` (or `http://` to loopback), without path, query or credentials.
fn parse_endpoint_override(text: &str) -> Result<String, S3RequestError> {
    let uri = S3Uri::parse(text.trim()).map_err(|_| S3RequestError::InvalidEndpoint)?;
    if !uri.path.trim_end_matches('/').is_empty() {
        return Err(S3RequestError::InvalidEndpoint);
    }
    match uri.scheme {
        Scheme::Https => Ok(format!("https://{}", uri.host)),
        Scheme::Http if is_loopback_authority(&uri.host) => Ok(format!("http://{}", uri.host)),
        Scheme::Http => Err(S3RequestError::InsecureEndpoint),
        Scheme::S3 => Err(S3RequestError::InvalidEndpoint),
    }
}

impl S3Endpoint {
    /// The endpoint of an object or prefix address (`s3://host/bucket/key`, `https://…`).
    /// `s3://` paths are taken literally; `http(s)://` paths are percent-decoded. Plain `http://`
    /// becomes `https://` unless the host is loopback: credentials-signed requests and backup
    /// contents do not travel unencrypted.
    pub fn from_uri(uri: &S3Uri, options: &EndpointOptions) -> Result<S3Endpoint, S3RequestError> {
        let info = host_info(&uri.host);
        let path = match uri.scheme {
            Scheme::S3 => uri.path.clone(),
            Scheme::Http | Scheme::Https => String::from_utf8(crate::s3::sigv4::uri::percent_decode(&uri.path))
                .map_err(|_| S3RequestError::InvalidAddress("has a path that is not UTF-8 once decoded"))?,
        };
        let (bucket, key, style) = match &info.bucket {
            Some(bucket) => (bucket.clone(), path, UrlStyle::VirtualHosted),
            None => {
                let (bucket, key) = path.split_once('/').unwrap_or((path.as_str(), ""));
                (bucket.to_owned(), key.to_owned(), UrlStyle::Path)
            }
        };
        if bucket.is_empty() {
            return Err(S3RequestError::MissingBucket);
        }
        let secure = uri.scheme != Scheme::Http || !is_loopback_authority(&uri.host);
        let (base_url, style) = match &options.endpoint_override {
            Some(endpoint) => (parse_endpoint_override(endpoint)?, UrlStyle::Path),
            None => (format!("{}://{}", if secure { "https" } else { "http" }, uri.host), style),
        };
        let region = options
            .region_override
            .clone()
            .filter(|r| !r.trim().is_empty())
            .or(info.region)
            .unwrap_or_else(|| options.default_region.clone());
        let region = region.trim().to_owned();
        if region.is_empty() {
            return Err(S3RequestError::MissingRegion);
        }
        Ok(S3Endpoint { base_url, bucket, key, region, style })
    }

    /// Parses `text` as an object address and derives its endpoint.
    pub fn parse(text: &str, options: &EndpointOptions) -> Result<S3Endpoint, S3RequestError> {
        let uri = S3Uri::parse(text.trim()).map_err(S3RequestError::InvalidAddress)?;
        S3Endpoint::from_uri(&uri, options)
    }

    /// The endpoint of a bucket address; `key` is its prefix (`backups/` or empty).
    pub fn from_bucket_address(
        address: &BucketAddress,
        options: &EndpointOptions,
    ) -> Result<S3Endpoint, S3RequestError> {
        S3Endpoint::parse(&address.to_text(), options)
    }

    /// The same bucket with another key.
    pub fn with_key(&self, key: impl Into<String>) -> S3Endpoint {
        S3Endpoint { key: key.into(), ..self.clone() }
    }

    /// The object `name` under this address (a bucket address: its key is empty or a prefix ending
    /// in `/`): the key is the prefix followed by the name, as [`object_path`] names its address.
    ///
    /// [`object_path`]: crate::s3::address::object_path
    pub fn child(&self, name: &str) -> S3Endpoint {
        self.with_key(format!("{}{name}", self.key))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regions_and_buckets_from_hosts() {
        let info = |h: &str| {
            let i = host_info(h);
            (i.bucket, i.region)
        };
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(info("object.storage.eu01.onstackit.cloud"), (None, some("eu01")));
        assert_eq!(info("b.object.storage.eu01.onstackit.cloud:443"), (some("b"), some("eu01")));
        assert_eq!(info("s3.amazonaws.com"), (None, some("us-east-1")));
        assert_eq!(info("s3.eu-central-1.amazonaws.com"), (None, some("eu-central-1")));
        assert_eq!(info("my.bucket.s3.eu-central-1.amazonaws.com"), (some("my.bucket"), some("eu-central-1")));
        assert_eq!(info("bucket.s3.amazonaws.com"), (some("bucket"), some("us-east-1")));
        assert_eq!(info("bucket.s3-eu-west-1.amazonaws.com"), (some("bucket"), some("eu-west-1")));
        assert_eq!(info("bucket.s3-external-1.amazonaws.com"), (some("bucket"), some("us-east-1")));
        assert_eq!(info("s3.dualstack.ap-south-1.amazonaws.com"), (None, some("ap-south-1")));
        assert_eq!(info("s3-fips.us-gov-west-1.amazonaws.com"), (None, some("us-gov-west-1")));
        assert_eq!(info("s3-logs.s3.eu-central-1.amazonaws.com"), (some("s3-logs"), some("eu-central-1")));
        assert_eq!(info("ec2.amazonaws.com"), (None, None));
        assert_eq!(info("127.0.0.1:9000"), (None, None));
        assert_eq!(info("minio.local"), (None, None));
        assert_eq!(info("[::1]:9000"), (None, None));
    }
}
