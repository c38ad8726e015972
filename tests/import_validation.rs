//! Validation of the import input, rule by rule: every problem reported at once, with its path and code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::{json, Value};
use sqlserverflex_restore::api::import_request::ImportFromS3;
use sqlserverflex_restore::input::issue::{IssueCode, Issues};

const BUCKET: &str = "s3://object.storage.eu01.onstackit.cloud/my-bucket/backups/";

fn valid() -> Value {
    json!({
        "instanceId": "0b9e2cf1-7a2f-4c59-9c6f-6f6d4d0f6c11",
        "databaseName": "sales",
        "databaseOwner": "dbo_owner",
        "loggingGuid": "1",
        "s3": {"bucket": BUCKET, "accessKey": "AK", "secretKey": "SK",
               "files": [{"number": 1, "path": format!("{BUCKET}sales.bak")}]}
    })
}

fn check(value: &Value) -> (Option<ImportFromS3>, Issues) {
    let mut issues = Issues::default();
    let import = ImportFromS3::from_input(value, [1; 16], &mut issues);
    (import, issues)
}

fn errors(value: &Value) -> Vec<(String, IssueCode)> {
    check(value).1.errors.into_iter().map(|i| (i.path, i.code)).collect()
}

fn with(pointer: &str, replacement: Value) -> Value {
    let mut value = valid();
    *value.pointer_mut(pointer).unwrap() = replacement;
    value
}

fn files(paths: &[(Option<i64>, &str)]) -> Value {
    Value::Array(
        paths
            .iter()
            .map(|(n, p)| match n {
                Some(n) => json!({"number": n, "path": format!("{BUCKET}{p}")}),
                None => json!({"path": format!("{BUCKET}{p}")}),
            })
            .collect(),
    )
}

#[test]
fn the_valid_input_has_no_issues() {
    let (import, issues) = check(&valid());
    assert_eq!(issues, Issues::default());
    assert!(import.is_some());
}

#[test]
fn rule_table() {
    use IssueCode::*;
    let s3 = "/source/s3_details";
    let cases: Vec<(Value, &str, IssueCode)> = vec![
        (with("/instanceId", json!("abc")), "/instanceId", Format),
        (with("/databaseName", json!("")), "/database_name", Required),
        (with("/databaseName", json!("a-b")), "/database_name", Format),
        (with("/databaseName", json!("x".repeat(81))), "/database_name", TooLong),
        (with("/databaseName", json!("MODEL")), "/database_name", ReservedName),
        (with("/databaseName", json!("naïve")), "/database_name", Format),
        (with("/databaseName", json!(null)), "/database_name", Required),
        (with("/databaseName", json!(12)), "/database_name", Type),
        (with("/databaseOwner", json!("a\u{7}")), "/source/database_owner", Format),
        (with("/databaseOwner", json!("o".repeat(129))), "/source/database_owner", TooLong),
        (with("/loggingGuid", json!("")), "/source/logging_guid", Required),
        (with("/s3/bucket", json!("my-bucket")), "/source/s3_details/s3_bucket", Format),
        (with("/s3/bucket", json!("s3://host/")), "/source/s3_details/s3_bucket", Format),
        (with("/s3/accessKey", json!("")), "/source/s3_details/s3_access_key", Required),
        (with("/s3/secretKey", json!("a b")), "/source/s3_details/s3_access_secret", Format),
        (with("/s3/files", json!([])), "/source/s3_details/s3_files", Required),
        (with("/s3/files", json!({})), "/source/s3_details/s3_files", Type),
        (
            with("/s3/files/0/path", json!("s3://object.storage.eu01.onstackit.cloud/other/sales.bak")),
            "/source/s3_details/s3_files/0/file_path",
            NotInBucket,
        ),
        (with("/s3/files/0/path", json!("sales.bak")), "/source/s3_details/s3_files/0/file_path", Format),
        (with("/s3/files/0/number", json!(2)), "/source/s3_details/s3_files/0/file_number", Gap),
        (with("/s3/files/0/number", json!(0)), "/source/s3_details/s3_files/0/file_number", Gap),
        (with("/s3/files/0/number", json!(1.5)), "/source/s3_details/s3_files/0/file_number", Type),
        (with("/s3/files/0/number", json!(1e20)), "/source/s3_details/s3_files/0/file_number", Type),
        (
            with("/s3/files", files(&[(Some(1), "a.bak"), (Some(1), "b.bak")])),
            "/source/s3_details/s3_files/1/file_number",
            Duplicate,
        ),
        (
            with("/s3/files", files(&[(None, "a.bak"), (None, "a.bak")])),
            "/source/s3_details/s3_files/1/file_path",
            Duplicate,
        ),
        (with("/s3", json!("s3://x")), s3, Type),
    ];
    for (input, path, code) in cases {
        let got = errors(&input);
        assert!(got.contains(&(path.to_owned(), code)), "expected {path} {code:?} for {input}, got {got:?}");
        let (import, _) = check(&input);
        assert!(import.is_none() || !got.is_empty());
    }
}

#[test]
fn reports_all_errors_at_once() {
    let input = json!({
        "instanceId": "x", "databaseName": "tempdb", "databaseOwner": "",
        "s3": {"bucket": "nope", "accessKey": " ", "secretKey": "", "files": [{"path": 1}, {"number": "2", "path": "s3://h/b/x.bak"}]}
    });
    let got = errors(&input);
    assert!(got.len() >= 8, "{got:?}");
}

#[test]
fn more_than_64_files_is_too_many() {
    let many: Vec<(Option<i64>, String)> = (1..=65).map(|i| (Some(i), format!("s{i}.bak"))).collect();
    let refs: Vec<(Option<i64>, &str)> = many.iter().map(|(n, p)| (*n, p.as_str())).collect();
    let got = errors(&with("/s3/files", files(&refs)));
    assert!(got.contains(&("/source/s3_details/s3_files".to_owned(), IssueCode::TooMany)), "{got:?}");
    let ok: Vec<(Option<i64>, &str)> = refs.iter().take(64).copied().collect();
    assert_eq!(errors(&with("/s3/files", files(&ok))), vec![]);
}

#[test]
fn missing_numbers_are_filled_in_order_around_given_ones() {
    let (import, issues) = check(&with("/s3/files", files(&[(None, "a.bak"), (Some(1), "b.bak"), (None, "c.bak")])));
    assert!(issues.errors.is_empty(), "{issues:?}");
    let numbers: Vec<(i32, String)> = import.unwrap().s3.files.into_iter().map(|f| (f.number, f.path)).collect();
    assert_eq!(
        numbers,
        vec![(2, format!("{BUCKET}a.bak")), (1, format!("{BUCKET}b.bak")), (3, format!("{BUCKET}c.bak"))]
    );
}

#[test]
fn bucket_address_is_normalised_with_trailing_slash() {
    let (import, issues) =
        check(&with("/s3/bucket", json!("s3://object.storage.eu01.onstackit.cloud/my-bucket/backups")));
    assert!(issues.errors.is_empty(), "{issues:?}");
    assert_eq!(import.unwrap().s3.bucket, BUCKET);
}

#[test]
fn the_spec_form_http_bucket_is_accepted() {
    let mut input = with("/s3/bucket", json!("http://my-bucket.s3.eu-central-1.amazonaws.com/"));
    *input.pointer_mut("/s3/files/0/path").unwrap() = json!("http://my-bucket.s3.eu-central-1.amazonaws.com/db.bak");
    assert_eq!(errors(&input), vec![]);
    // Accepted, but the keys would then travel unencrypted: a warning says so (loopback excepted).
    let (_, issues) = check(&input);
    let warnings: Vec<(IssueCode, &str)> = issues.warnings.iter().map(|w| (w.code, w.path.as_str())).collect();
    assert_eq!(warnings, vec![(IssueCode::Insecure, "/source/s3_details/s3_bucket")]);
    assert!(issues.warnings[0].message.contains("unencrypted"), "{}", issues.warnings[0].message);
    for local in ["http://127.0.0.1:9000/bucket/", "http://localhost/bucket/", "https://my-bucket.example/"] {
        let mut input = with("/s3/bucket", json!(local));
        *input.pointer_mut("/s3/files/0/path").unwrap() = json!(format!("{local}db.bak"));
        let (_, issues) = check(&input);
        assert!(issues.errors.is_empty() && issues.warnings.is_empty(), "{local}: {issues:?}");
    }
}

#[test]
fn a_file_without_bak_suffix_is_a_warning_not_an_error() {
    let (import, issues) = check(&with("/s3/files/0/path", json!(format!("{BUCKET}sales.trn"))));
    assert!(import.is_some());
    assert!(issues.errors.is_empty());
    assert_eq!(issues.warnings.len(), 1);
    assert_eq!(issues.warnings[0].code, IssueCode::UnusualExtension);
    let (_, issues) = check(&with("/s3/files/0/path", json!(format!("{BUCKET}SALES.BAK"))));
    assert!(issues.warnings.is_empty());
}

#[test]
fn hostile_values_never_panic() {
    let big = "x".repeat(1_000_000);
    for value in [
        json!(null),
        json!(true),
        json!(1),
        json!([]),
        json!({"s3": []}),
        json!({"s3": {"files": [null, 1, "x", []]}}),
        json!({"databaseName": big, "databaseOwner": big, "s3": {"bucket": big, "files": [{"path": big, "number": i64::MAX}]}}),
        json!({"s3": {"files": [{"number": -9_223_372_036_854_775_807_i64, "path": "s3://h/b/x"}]}}),
        json!({"databaseName": "\u{0}\u{FFFF}\u{10FFFF}", "s3": {"bucket": "s3://\u{0}/b/"}}),
    ] {
        let (_, issues) = check(&value);
        assert!(!issues.errors.is_empty());
    }
}
