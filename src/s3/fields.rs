//! The S3 fields users give, read the same way wherever they appear (the import's `s3`, the
//! preflight's `s3`): the access key pair, the bucket address, object addresses inside it, and how
//! many files one restore may name. Each caller keeps its own locations (wire paths or `/s3/…`), so
//! issue paths and texts are those of the caller.

use crate::input::field_rules::check_credential;
use crate::input::issue::{IssueCode, Issues, Location};
use crate::input::reader::ObjectReader;
use crate::util::secret::Secret;

use super::address::{BucketAddress, S3Uri};

/// SQL Server 2022 `RESTORE … FROM URL` takes at most 64 URLs (docs/stackit-api.md).
pub const MAX_FILES: usize = 64;

/// `accessKey` and `secretKey` of `s3`, both required and checked as credentials.
pub fn read_credentials(
    s3: &ObjectReader<'_>,
    key_at: &Location,
    secret_at: &Location,
    issues: &mut Issues,
) -> (Option<String>, Option<Secret>) {
    let access_key = s3.required_string("accessKey", key_at, issues);
    let secret_key = s3.required_secret("secretKey", secret_at, issues);
    if let Some(key) = &access_key {
        check_credential(key, key_at, issues);
    }
    if let Some(secret) = &secret_key {
        check_credential(secret.expose(), secret_at, issues);
    }
    (access_key, secret_key)
}

/// The bucket address `text`, or an issue saying why it is none. `warn_insecure`: plain `http://` to
/// another machine is also a warning (where the restore service, not this client, reads the bucket).
pub fn parse_bucket(text: &str, at: &Location, warn_insecure: bool, issues: &mut Issues) -> Option<BucketAddress> {
    match BucketAddress::parse(text) {
        Ok(address) => {
            if warn_insecure && address.is_insecure() {
                issues.warning(
                    at,
                    IssueCode::Insecure,
                    "is plain http://: the restore service would send the S3 keys and the backup unencrypted; use https:// or s3://",
                );
            }
            Some(address)
        }
        Err(message) => {
            issues.error(at, IssueCode::Format, message);
            None
        }
    }
}

/// An object's address, or an issue saying why `path` is none.
pub fn parse_object(path: &str, at: &Location, issues: &mut Issues) -> Option<S3Uri> {
    S3Uri::parse(path).map_err(|message| issues.error(at, IssueCode::Format, message)).ok()
}

/// Whether `object` lies inside `bucket` (true when no bucket is known); an issue when it does not.
pub fn in_bucket(object: &S3Uri, bucket: Option<&BucketAddress>, at: &Location, issues: &mut Issues) -> bool {
    let Some(bucket) = bucket else { return true };
    if bucket.relative_key(object).is_some() {
        return true;
    }
    issues.error(at, IssueCode::NotInBucket, format!("must be a full URI of an object inside {}", bucket.to_text()));
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes(issues: &Issues) -> Vec<(String, IssueCode)> {
        issues.errors.iter().chain(&issues.warnings).map(|i| (i.path.clone(), i.code)).collect()
    }

    #[test]
    fn credentials_are_required_and_checked() {
        let at = |name: &str| Location::new(name, format!("/s3/{name}"));
        let read = |value: serde_json::Value| {
            let mut issues = Issues::default();
            let s3 = ObjectReader::new(Some(&value), Location::new("s3", "/s3"), &mut issues);
            let (key, secret) = read_credentials(&s3, &at("accessKey"), &at("secretKey"), &mut issues);
            (key, secret.map(|s| s.expose().to_owned()), codes(&issues))
        };
        assert_eq!(read(json!({"accessKey": "AK", "secretKey": "SK"})), (Some("AK".into()), Some("SK".into()), vec![]));
        let (key, secret, found) = read(json!({}));
        assert_eq!((key, secret), (None, None));
        assert_eq!(
            found,
            vec![("/s3/accessKey".into(), IssueCode::Required), ("/s3/secretKey".into(), IssueCode::Required)]
        );
    }

    #[test]
    fn buckets_warn_about_plain_http_only_when_asked() {
        let at = Location::new("bucket", "/s3/bucket");
        for (warn, expected) in [(true, vec![("/s3/bucket".to_owned(), IssueCode::Insecure)]), (false, vec![])] {
            let mut issues = Issues::default();
            assert!(parse_bucket("http://example.com/bucket/", &at, warn, &mut issues).is_some());
            assert_eq!(codes(&issues), expected);
        }
        let mut issues = Issues::default();
        assert!(parse_bucket("s3://host/", &at, true, &mut issues).is_none());
        assert_eq!(codes(&issues), vec![("/s3/bucket".to_owned(), IssueCode::Format)]);
    }

    #[test]
    fn objects_must_lie_inside_the_bucket() {
        let at = Location::new("path", "/s3/files/0/path");
        let bucket = BucketAddress::parse("s3://host/bucket/backups/").ok();
        let mut issues = Issues::default();
        let inside = parse_object("s3://host/bucket/backups/db.bak", &at, &mut issues).unwrap();
        assert!(in_bucket(&inside, bucket.as_ref(), &at, &mut issues));
        let outside = parse_object("s3://host/other/db.bak", &at, &mut issues).unwrap();
        assert!(in_bucket(&outside, None, &at, &mut issues));
        assert!(issues.errors.is_empty());
        assert!(!in_bucket(&outside, bucket.as_ref(), &at, &mut issues));
        assert_eq!(
            issues.errors.first().map(|i| i.message.as_str()),
            Some("must be a full URI of an object inside s3://host/bucket/backups/")
        );
        assert!(parse_object("nope", &at, &mut issues).is_none());
        assert_eq!(codes(&issues).last(), Some(&("/s3/files/0/path".to_owned(), IssueCode::Format)));
    }
}
