//! Import from S3: `POST …/instances/{instanceId}/restores` with `source.type = "EXTERNAL_S3"`
//! (RestoreDatabaseFromBackupPayload in pkg-template/emulator/openapi/sqlserverflex-v3.json; example in docs/stackit-api.md).

use serde::Serialize;
use serde_json::Value;

use crate::api::config::ClientConfig;
use crate::api::urls::{api_headers, restores_url};
use crate::http::request::HttpRequest;
use crate::input::field_rules::{check_database_name, check_logging_guid, check_owner, check_uuid};
use crate::input::issue::{IssueCode, Issues, Location};
use crate::input::reader::ObjectReader;
use crate::s3::address::BucketAddress;
use crate::s3::fields::{in_bucket, parse_bucket, parse_object, read_credentials, MAX_FILES};
use crate::util::secret::Secret;
use crate::util::uuid::uuid_v4;

/// A checked import request (JS input `{ instanceId, databaseName, databaseOwner, loggingGuid?, s3 }`).
/// Serialises as the normalised input with the secret masked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportFromS3 {
    pub instance_id: String,
    pub database_name: String,
    pub database_owner: String,
    pub logging_guid: String,
    /// True when the caller gave none and a fresh UUID was generated (returned so logs can be correlated).
    pub logging_guid_generated: bool,
    pub s3: S3Source,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct S3Source {
    pub bucket: String,
    pub access_key: String,
    pub secret_key: Secret,
    pub files: Vec<S3File>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct S3File {
    pub number: i32,
    pub path: String,
}

/// Where each input field lands in the wire body: issues carry both.
pub mod at {
    use crate::input::issue::Location;

    pub fn instance_id() -> Location {
        Location::new("instanceId", "/instanceId")
    }
    pub fn database_name() -> Location {
        Location::new("databaseName", "/database_name")
    }
    pub fn database_owner() -> Location {
        Location::new("databaseOwner", "/source/database_owner")
    }
    pub fn logging_guid() -> Location {
        Location::new("loggingGuid", "/source/logging_guid")
    }
    pub fn s3() -> Location {
        Location::new("s3", "/source/s3_details")
    }
    pub fn bucket() -> Location {
        s3().child("bucket", "s3_bucket")
    }
    pub fn access_key() -> Location {
        s3().child("accessKey", "s3_access_key")
    }
    pub fn secret_key() -> Location {
        s3().child("secretKey", "s3_access_secret")
    }
    pub fn files() -> Location {
        s3().child("files", "s3_files")
    }
    pub fn file_number(i: usize) -> Location {
        files().index(i).child("number", "file_number")
    }
    pub fn file_path(i: usize) -> Location {
        files().index(i).child("path", "file_path")
    }
}

impl ImportFromS3 {
    /// Reads and checks the JS input; every problem goes to `issues` (errors block sending, warnings
    /// advise). `random` seeds the logging GUID when none is given. The result is normalised: bucket
    /// address with trailing slash, stripe numbers filled in.
    pub fn from_input(value: &Value, random: [u8; 16], issues: &mut Issues) -> Option<ImportFromS3> {
        let root = ObjectReader::new(Some(value), Location::new("", ""), issues);
        let instance_id = root.required_string("instanceId", &at::instance_id(), issues);
        let database_name = root.required_string("databaseName", &at::database_name(), issues);
        let database_owner = root.required_string("databaseOwner", &at::database_owner(), issues);
        let given_guid = root.optional_string("loggingGuid", &at::logging_guid(), issues);

        let s3 = ObjectReader::new(root.raw("s3"), at::s3(), issues);
        if !s3.is_present() && root.raw("s3").is_none() {
            issues.error(&at::s3(), IssueCode::Required, "is required");
        }
        let s3 = read_s3(&s3, issues);

        if let Some(id) = &instance_id {
            check_uuid(id, &at::instance_id(), issues);
        }
        if let Some(name) = &database_name {
            check_database_name(name, &at::database_name(), issues);
        }
        if let Some(owner) = &database_owner {
            check_owner(owner, &at::database_owner(), issues);
        }
        if let Some(guid) = &given_guid {
            check_logging_guid(guid, &at::logging_guid(), issues);
        }

        let (logging_guid, logging_guid_generated) = match given_guid {
            Some(guid) => (guid, false),
            None => (uuid_v4(random), true),
        };
        Some(ImportFromS3 {
            instance_id: instance_id?,
            database_name: database_name?,
            database_owner: database_owner?,
            logging_guid,
            logging_guid_generated,
            s3: s3?,
        })
    }

    /// The JSON body; the S3 secret is masked unless `reveal` (the wire body is the only revealed use).
    pub fn body_json(&self, reveal: bool) -> String {
        let body = WireBody {
            database_name: &self.database_name,
            source: WireSource {
                database_owner: &self.database_owner,
                logging_guid: &self.logging_guid,
                s3_details: WireS3Details {
                    s3_access_key: &self.s3.access_key,
                    s3_access_secret: self.s3.secret_key.shown(reveal),
                    s3_bucket: &self.s3.bucket,
                    s3_files: self
                        .s3
                        .files
                        .iter()
                        .map(|f| WireS3File { file_number: f.number, file_path: &f.path })
                        .collect(),
                },
                r#type: "EXTERNAL_S3",
            },
        };
        serde_json::to_string(&body).unwrap_or_default()
    }

    pub fn to_http_request(&self, config: &ClientConfig, reveal: bool) -> HttpRequest {
        HttpRequest {
            method: "POST",
            url: restores_url(config, &self.instance_id),
            headers: api_headers(config, reveal, true),
            body: Some(self.body_json(reveal)),
        }
    }
}

fn read_s3(s3: &ObjectReader<'_>, issues: &mut Issues) -> Option<S3Source> {
    let bucket_text = s3.required_string("bucket", &at::bucket(), issues);
    let (access_key, secret_key) = read_credentials(s3, &at::access_key(), &at::secret_key(), issues);
    let bucket = bucket_text.and_then(|text| parse_bucket(&text, &at::bucket(), true, issues));
    let files = read_files(s3, bucket.as_ref(), issues);
    if !s3.is_present() {
        return None;
    }
    Some(S3Source { bucket: bucket?.to_text(), access_key: access_key?, secret_key: secret_key?, files: files? })
}

fn read_files(s3: &ObjectReader<'_>, bucket: Option<&BucketAddress>, issues: &mut Issues) -> Option<Vec<S3File>> {
    if !s3.is_present() {
        return None;
    }
    let Some(items) = s3.optional_array("files", &at::files(), issues) else {
        if s3.raw("files").is_none() {
            issues.error(&at::files(), IssueCode::Required, "is required: at least one backup file");
        }
        return None;
    };
    if items.is_empty() {
        issues.error(&at::files(), IssueCode::Required, "must list at least one backup file");
    }
    if items.len() > MAX_FILES {
        issues.error(
            &at::files(),
            IssueCode::TooMany,
            format!("lists {} files; a striped backup has at most {MAX_FILES}", items.len()),
        );
    }
    let mut numbers: Vec<Option<i32>> = Vec::new();
    let mut paths: Vec<String> = Vec::new();
    let mut complete = true;
    // Read at most a little past the limit: the count is already reported, the rest adds nothing.
    for (i, item) in items.iter().enumerate().take(MAX_FILES.saturating_add(1)) {
        let file = ObjectReader::new(Some(item), at::files().index(i), issues);
        let path = file.required_string("path", &at::file_path(i), issues);
        if let Some(path) = &path {
            check_file_path(path, i, bucket, &paths, issues);
        }
        let number = file.optional_integer("number", &at::file_number(i), issues);
        numbers.push(number.and_then(|n| i32::try_from(n).ok()));
        match path {
            Some(path) => paths.push(path),
            None => complete = false,
        }
        if number.is_none() && file.raw("number").is_some() {
            complete = false;
        }
    }
    let numbers = fill_stripe_numbers(&numbers, issues);
    if !complete || numbers.len() != paths.len() {
        return None;
    }
    Some(numbers.into_iter().zip(paths).map(|(number, path)| S3File { number, path }).collect())
}

fn check_file_path(path: &str, i: usize, bucket: Option<&BucketAddress>, seen: &[String], issues: &mut Issues) {
    let at = at::file_path(i);
    if let Some(uri) = parse_object(path, &at, issues) {
        in_bucket(&uri, bucket, &at, issues);
        if !path.to_ascii_lowercase().ends_with(".bak") {
            issues.warning(&at, IssueCode::UnusualExtension, "does not end in .bak; is it a full database backup?");
        }
    }
    if seen.iter().any(|p| p == path) {
        issues.error(&at, IssueCode::Duplicate, "lists the same object twice");
    }
}

/// Stripe numbers must be exactly 1..N (the restore reads the files in that order). Given numbers are
/// kept; missing ones get the smallest unused numbers in list order.
fn fill_stripe_numbers(given: &[Option<i32>], issues: &mut Issues) -> Vec<i32> {
    let count = i32::try_from(given.len()).unwrap_or(i32::MAX);
    let mut used: Vec<i32> = Vec::with_capacity(given.len());
    for (i, number) in given.iter().enumerate() {
        let Some(n) = *number else { continue };
        if n < 1 || n > count {
            issues.error(
                &at::file_number(i),
                IssueCode::Gap,
                format!("is {n}; stripe numbers run from 1 to {count} (the number of files)"),
            );
        } else if used.contains(&n) {
            issues.error(&at::file_number(i), IssueCode::Duplicate, format!("{n} is used by another file"));
        }
        used.push(n);
    }
    let mut free = (1..=count).filter(|n| !used.contains(n));
    given.iter().map(|number| number.or_else(|| free.next()).unwrap_or(0)).collect()
}

// Field order as in STACKIT's documented import request.
#[derive(Serialize)]
struct WireBody<'a> {
    database_name: &'a str,
    source: WireSource<'a>,
}

#[derive(Serialize)]
struct WireSource<'a> {
    database_owner: &'a str,
    logging_guid: &'a str,
    s3_details: WireS3Details<'a>,
    r#type: &'static str,
}

#[derive(Serialize)]
struct WireS3Details<'a> {
    s3_access_key: &'a str,
    s3_access_secret: &'a str,
    s3_bucket: &'a str,
    s3_files: Vec<WireS3File<'a>>,
}

#[derive(Serialize)]
struct WireS3File<'a> {
    file_number: i32,
    file_path: &'a str,
}
