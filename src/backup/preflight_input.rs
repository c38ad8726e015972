//! The preflight's input `{ s3: { bucket, accessKey, secretKey, files?, endpoint?, region? }, databaseName? }`:
//! which objects to read (the listed files, or every `.bak` under the bucket address) and how to sign.

use serde_json::Value;

use crate::input::issue::{IssueCode, Issues, Location};
use crate::input::reader::ObjectReader;
use crate::s3::address::{object_path, BucketAddress};
use crate::s3::fields::{in_bucket, parse_bucket, parse_object, read_credentials, MAX_FILES};
use crate::s3::sigv4::Credentials;
use crate::s3::{EndpointOptions, S3Endpoint};
use crate::util::secret::Secret;

/// STACKIT object storage signs with the region `eu01`; other hosts name theirs (`s3::host_info`).
const DEFAULT_SIGNING_REGION: &str = "eu01";

#[derive(Debug, Clone)]
pub struct PreflightTarget {
    /// The address the user wrote (kept for messages and the proposed `s3_files`).
    pub path: String,
    pub number: Option<i32>,
    pub endpoint: S3Endpoint,
}

#[derive(Debug, Clone)]
pub struct PreflightInput {
    pub credentials: Credentials,
    pub bucket: BucketAddress,
    /// Where to list when no files are given: the bucket address itself.
    pub listing: S3Endpoint,
    pub files: Option<Vec<PreflightTarget>>,
    pub database_name: Option<String>,
    pub options: EndpointOptions,
}

impl PreflightInput {
    pub fn from_input(value: &Value, issues: &mut Issues) -> Option<PreflightInput> {
        let root = ObjectReader::new(Some(value), Location::new("", ""), issues);
        let database_name =
            root.optional_string("databaseName", &Location::new("databaseName", "/databaseName"), issues);
        let s3_at = Location::new("s3", "/s3");
        if root.raw("s3").is_none() {
            issues.error(&s3_at, IssueCode::Required, "is required: { bucket, accessKey, secretKey, files? }");
            return None;
        }
        let s3 = ObjectReader::new(root.raw("s3"), s3_at.clone(), issues);
        let at = |name: &str| s3_at.child(name, name);
        let (access_key, secret_key) = read_credentials(&s3, &at("accessKey"), &at("secretKey"), issues);
        let options = EndpointOptions {
            endpoint_override: s3.optional_string("endpoint", &at("endpoint"), issues),
            region_override: s3.optional_string("region", &at("region"), issues),
            default_region: DEFAULT_SIGNING_REGION.to_owned(),
        };
        let bucket = s3
            .required_string("bucket", &at("bucket"), issues)
            .and_then(|text| parse_bucket(&text, &at("bucket"), false, issues));
        let listing = bucket.as_ref().and_then(|b| match S3Endpoint::from_bucket_address(b, &options) {
            Ok(endpoint) => Some(endpoint),
            Err(e) => {
                issues.error(&at("bucket"), IssueCode::Format, e.message());
                None
            }
        });
        let files = match s3.optional_array("files", &at("files"), issues) {
            None => Some(None),
            Some(items) => read_targets(items, bucket.as_ref(), &options, &at("files"), issues).map(Some),
        };
        Some(PreflightInput {
            credentials: Credentials::new(access_key?, secret_key.unwrap_or_else(|| Secret::new(""))),
            bucket: bucket?,
            listing: listing?,
            files: files?,
            database_name,
            options,
        })
    }
}

fn read_targets(
    items: &[Value],
    bucket: Option<&BucketAddress>,
    options: &EndpointOptions,
    at: &Location,
    issues: &mut Issues,
) -> Option<Vec<PreflightTarget>> {
    if items.is_empty() {
        issues.error(
            at,
            IssueCode::Required,
            "must list at least one file (or omit it to discover the backups under the bucket address)",
        );
    }
    let mut targets = Vec::new();
    for (i, item) in items.iter().enumerate().take(MAX_FILES.saturating_add(1)) {
        let file_at = at.index(i);
        let file = ObjectReader::new(Some(item), file_at.clone(), issues);
        let path_at = file_at.child("path", "path");
        let number = file
            .optional_integer("number", &file_at.child("number", "number"), issues)
            .and_then(|n| i32::try_from(n).ok());
        let Some(path) = file.required_string("path", &path_at, issues) else { continue };
        let Some(uri) = parse_object(&path, &path_at, issues) else { continue };
        if !in_bucket(&uri, bucket, &path_at, issues) {
            continue;
        }
        match S3Endpoint::from_uri(&uri, options) {
            Ok(endpoint) => targets.push(PreflightTarget { path, number, endpoint }),
            Err(e) => issues.error(&path_at, IssueCode::Format, e.message()),
        }
    }
    (targets.len() == items.len()).then_some(targets)
}

/// The path a discovered key gets in `s3_files`: the bucket address's scheme and host, the key below the bucket.
pub fn path_for_key(input: &PreflightInput, key: &str) -> String {
    let relative = key.strip_prefix(input.listing.key.as_str()).unwrap_or(key);
    object_path(&input.bucket.to_text(), relative)
}
