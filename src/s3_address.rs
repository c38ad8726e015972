//! S3 addresses as users write them: `s3://host/bucket/prefix/` (STACKIT's docs) or
//! `http(s)://host/…` (the OpenAPI example `http://<bucket>.s3.eu-central-1.amazonaws.com/`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    S3,
    Http,
    Https,
}

impl Scheme {
    fn as_str(self) -> &'static str {
        match self {
            Scheme::S3 => "s3",
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
}

/// `scheme://host/path`: host lower-cased, path without the leading slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Uri {
    pub scheme: Scheme,
    pub host: String,
    pub path: String,
}

impl S3Uri {
    pub fn parse(text: &str) -> Result<S3Uri, &'static str> {
        let (scheme, rest) = text.split_once("://").ok_or("must be a URI like s3://host/bucket/path/")?;
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "s3" => Scheme::S3,
            "http" => Scheme::Http,
            "https" => Scheme::Https,
            _ => return Err("must start with s3://, https:// or http://"),
        };
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        if host.is_empty() {
            return Err("must name a host, like s3://object.storage.eu01.onstackit.cloud/bucket/");
        }
        if host.contains('@') || !host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b)) {
            return Err("has an invalid host");
        }
        if text.bytes().any(|b| b.is_ascii_control() || b == b' ' || b == b'?' || b == b'#') {
            return Err("must not contain spaces, control characters, '?' or '#'");
        }
        Ok(S3Uri { scheme, host: host.to_ascii_lowercase(), path: path.to_owned() })
    }

    pub fn to_text(&self) -> String {
        format!("{}://{}/{}", self.scheme.as_str(), self.host, self.path)
    }
}

/// A bucket address, normalised to end in `/`. For `s3://` it must name the bucket (first path segment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketAddress(S3Uri);

impl BucketAddress {
    pub fn parse(text: &str) -> Result<BucketAddress, &'static str> {
        let mut uri = S3Uri::parse(text.trim())?;
        if uri.scheme == Scheme::S3 && uri.path.trim_matches('/').is_empty() {
            return Err("must name the bucket after the host: s3://host/bucket/");
        }
        if uri.path.contains("//") {
            return Err("must not contain empty path segments ('//')");
        }
        if !uri.path.is_empty() && !uri.path.ends_with('/') {
            uri.path.push('/');
        }
        Ok(BucketAddress(uri))
    }

    pub fn to_text(&self) -> String {
        self.0.to_text()
    }

    /// The object key relative to this address when `file` lies inside it (same scheme and host,
    /// path below the bucket path), else `None`.
    pub fn relative_key<'a>(&self, file: &'a S3Uri) -> Option<&'a str> {
        if file.scheme != self.0.scheme || file.host != self.0.host {
            return None;
        }
        let key = file.path.strip_prefix(self.0.path.as_str())?;
        (!key.is_empty() && !key.ends_with('/')).then_some(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_the_trailing_slash_and_host_case() {
        let b = BucketAddress::parse("s3://Object.Storage.eu01.onstackit.cloud/bucket/path").unwrap();
        assert_eq!(b.to_text(), "s3://object.storage.eu01.onstackit.cloud/bucket/path/");
        let b = BucketAddress::parse("http://bucket.s3.eu-central-1.amazonaws.com").unwrap();
        assert_eq!(b.to_text(), "http://bucket.s3.eu-central-1.amazonaws.com/");
    }

    #[test]
    fn rejects_addresses_without_host_or_bucket() {
        for bad in [
            "",
            "bucket/path",
            "s3://",
            "s3:///bucket/",
            "s3://host",
            "s3://host/",
            "ftp://h/b/",
            "s3://h/b//c/",
            "s3://u@h/b/",
            "s3://h/b c/",
        ] {
            assert!(BucketAddress::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn files_must_lie_inside_the_bucket_address() {
        let b = BucketAddress::parse("s3://h/bucket/backups/").unwrap();
        let key = |f: &str| S3Uri::parse(f).ok().and_then(|u| b.relative_key(&u).map(str::to_owned));
        assert_eq!(key("s3://h/bucket/backups/db.bak").as_deref(), Some("db.bak"));
        assert_eq!(key("s3://H/bucket/backups/sub/db.bak").as_deref(), Some("sub/db.bak"));
        assert_eq!(key("s3://h/bucket/other/db.bak"), None);
        assert_eq!(key("s3://h/bucket/backupsX/db.bak"), None);
        assert_eq!(key("s3://other/bucket/backups/db.bak"), None);
        assert_eq!(key("https://h/bucket/backups/db.bak"), None);
        assert_eq!(key("s3://h/bucket/backups/"), None);
    }
}
