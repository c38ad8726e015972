//! S3 addresses as users write them: `s3://host/bucket/prefix/` (STACKIT's docs) or
//! `http(s)://host/…` (the OpenAPI example `http://<bucket>.s3.eu-central-1.amazonaws.com/`).

use crate::http::url::is_loopback_authority;

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

    /// Plain `http://` to another machine: whoever reads it (the restore service) would send the S3
    /// keys and the backup unencrypted.
    pub fn is_insecure(&self) -> bool {
        self.0.scheme == Scheme::Http && !is_loopback_authority(&self.0.host)
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

/// The address of the object `name` inside the bucket address `bucket` (as the user wrote it, or
/// `BucketAddress::to_text`): one rule for naming objects, written once. `bucket` gets the trailing
/// `/` it lacks; `name` is appended as it is (a name or a key below the bucket path).
pub fn object_path(bucket: &str, name: &str) -> String {
    let slash = if bucket.ends_with('/') { "" } else { "/" };
    format!("{bucket}{slash}{name}")
}

/// Why a file name cannot be an uploaded object's name, with a name that can: `None` when it can.
///
/// One rule for the names `upload` gives objects: letters, digits and `- _ . ( )` only (within
/// Amazon's documented "safe characters" for object keys). Anything else would have to be
/// percent-encoded in the `s3://` path the restore service reads, and how that service decodes a path
/// is not documented; so such names are refused before anything is sent, never stored under a key
/// the import may not find.
pub fn unsafe_object_name(name: &str) -> Option<String> {
    if name.bytes().all(is_safe_name_byte) && !name.is_empty() && name != "." && name != ".." {
        return None;
    }
    let mut suggestion = String::with_capacity(name.len());
    for c in name.chars() {
        let replacement = match c {
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'Ä' => "Ae",
            'Ö' => "Oe",
            'Ü' => "Ue",
            'ß' => "ss",
            c if c.is_ascii() && is_safe_name_byte(c as u8) => {
                suggestion.push(c);
                continue;
            }
            _ => "_",
        };
        if !(replacement == "_" && suggestion.ends_with('_')) {
            suggestion.push_str(replacement);
        }
    }
    let suggestion = suggestion.trim_matches('_');
    let suggestion = if suggestion.trim_matches('.').is_empty() { "backup.bak" } else { suggestion };
    Some(format!(
        "\"{name}\" cannot be an object name: use only letters, digits and - _ . ( ), e.g. \"{suggestion}\" (rename the file, or give the name with {{ name, source }})"
    ))
}

fn is_safe_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.()".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_paths_join_bucket_and_name_with_one_slash() {
        assert_eq!(object_path("s3://host/bucket/backups/", "db.bak"), "s3://host/bucket/backups/db.bak");
        assert_eq!(object_path("s3://host/bucket/backups", "db.bak"), "s3://host/bucket/backups/db.bak");
        assert_eq!(object_path("s3://host/bucket/", "2024/db.bak"), "s3://host/bucket/2024/db.bak");
        assert_eq!(object_path("", "db.bak"), "/db.bak");
        let bucket = BucketAddress::parse("https://Bucket.s3.amazonaws.com").unwrap();
        assert_eq!(object_path(&bucket.to_text(), "db.bak"), "https://bucket.s3.amazonaws.com/db.bak");
    }

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

#[cfg(test)]
mod name_tests {
    use super::*;

    #[test]
    fn upload_names_are_safe_or_refused_with_a_suggestion() {
        for ok in ["db.bak", "Sales_DB-(1_of_2).bak", "a.b.c", "X1"] {
            assert_eq!(unsafe_object_name(ok), None, "{ok}");
        }
        let refused = |name: &str| unsafe_object_name(name).unwrap_or_default();
        assert!(refused("Sales DB (1 of 2).bak").contains("e.g. \"Sales_DB_(1_of_2).bak\""));
        assert!(refused("großes Backup #1.bak").contains("e.g. \"grosses_Backup_1.bak\""));
        assert!(refused("Müller+Söhne%20.bak").contains("e.g. \"Mueller_Soehne_20.bak\""));
        for bad in ["a?b.bak", "a#b.bak", "a+b.bak", "a%b.bak", "a b", "ü.bak", "", ".", "..", "日本.bak"] {
            let message = refused(bad);
            assert!(message.contains("use only letters, digits"), "{bad}: {message}");
            let suggestion = message.split("e.g. \"").nth(1).and_then(|s| s.split('"').next()).unwrap();
            assert_eq!(unsafe_object_name(suggestion), None, "{bad} → {suggestion}");
        }
    }
}
