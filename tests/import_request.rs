//! The documented import (docs/stackit-api.md) built by the core: exact URL, headers and body.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::{json, Value};
use sqlserverflex_restore::api::config::ClientConfig;
use sqlserverflex_restore::api::import_request::ImportFromS3;
use sqlserverflex_restore::input::issue::{IssueCode, Issues};

const PROJECT: &str = "df727477-8991-486c-a3ed-d11d9d9beb1c";
const INSTANCE: &str = "0b9e2cf1-7a2f-4c59-9c6f-6f6d4d0f6c11";
const SECRET: &str = "S3CR3T-d0-not-leak";
const TOKEN: &str = "T0KEN-d0-not-leak";
const BUCKET: &str = "s3://object.storage.eu01.onstackit.cloud/my-bucket/backups/";

fn config(version: &str) -> ClientConfig {
    let mut issues = Issues::default();
    let cfg = ClientConfig::from_input(
        &json!({"projectId": PROJECT, "region": "eu01", "apiVersion": version, "token": TOKEN}),
        &mut issues,
    );
    assert!(issues.errors.is_empty(), "{issues:?}");
    cfg.unwrap()
}

fn input() -> Value {
    json!({
        "instanceId": INSTANCE,
        "databaseName": "sales",
        "databaseOwner": "dbo_owner",
        "loggingGuid": "1",
        "s3": {
            "bucket": BUCKET,
            "accessKey": "AKIAEXAMPLE",
            "secretKey": SECRET,
            "files": [{"number": 1, "path": format!("{BUCKET}file.bak")}]
        }
    })
}

fn import(value: &Value) -> (Option<ImportFromS3>, Issues) {
    let mut issues = Issues::default();
    let import = ImportFromS3::from_input(value, [7; 16], &mut issues);
    (import, issues)
}

#[test]
fn v3alpha1_request_equals_the_documented_call() {
    let (import, issues) = import(&input());
    assert!(issues.errors.is_empty(), "{issues:?}");
    let request = import.unwrap().to_http_request(&config("v3alpha1"), true);
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.url,
        format!("https://mssql-flex-service.api.eu01.stackit.cloud/v3alpha1/projects/{PROJECT}/regions/eu01/instances/{INSTANCE}/restores")
    );
    assert_eq!(request.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(request.header("content-type"), Some("application/json"));
    let expected = format!(
        r#"{{"database_name":"sales","source":{{"database_owner":"dbo_owner","logging_guid":"1","s3_details":{{"s3_access_key":"AKIAEXAMPLE","s3_access_secret":"{SECRET}","s3_bucket":"{BUCKET}","s3_files":[{{"file_number":1,"file_path":"{BUCKET}file.bak"}}]}},"type":"EXTERNAL_S3"}}}}"#
    );
    assert_eq!(request.body.as_deref(), Some(expected.as_str()));
}

#[test]
fn v3_request_uses_the_global_host_and_the_same_body() {
    let (import, _) = import(&input());
    let import = import.unwrap();
    let v3 = import.to_http_request(&config("v3"), true);
    let alpha = import.to_http_request(&config("v3alpha1"), true);
    assert_eq!(
        v3.url,
        format!("https://mssql-flex-service.api.stackit.cloud/v3/projects/{PROJECT}/regions/eu01/instances/{INSTANCE}/restores")
    );
    assert_eq!(v3.body, alpha.body);
}

#[test]
fn masked_request_hides_token_and_secret_everywhere() {
    let (import, _) = import(&input());
    let import = import.unwrap();
    let masked = import.to_http_request(&config("v3"), false);
    let dump = format!("{}{:?}{}", serde_json::to_string(&masked).unwrap(), masked, masked.url);
    assert!(!dump.contains(SECRET) && !dump.contains(TOKEN), "{dump}");
    assert_eq!(masked.header("authorization"), Some("Bearer ***"));
    assert!(masked.body.unwrap().contains(r#""s3_access_secret":"***""#));
    let revealed = import.to_http_request(&config("v3"), true);
    let debug = format!("{revealed:?}{import:?}");
    assert!(!debug.contains(SECRET) && !debug.contains(TOKEN), "{debug}");
}

#[test]
fn missing_logging_guid_is_generated_as_uuid_v4() {
    let mut value = input();
    value["loggingGuid"] = Value::Null;
    let (import, _) = import(&value);
    let import = import.unwrap();
    assert!(import.logging_guid_generated);
    assert_eq!(import.logging_guid, "07070707-0707-4707-8707-070707070707");
}

#[test]
fn file_numbers_default_to_list_position() {
    let mut value = input();
    value["s3"]["files"] = json!([{"path": format!("{BUCKET}a.bak")}, {"path": format!("{BUCKET}b.bak")}]);
    let (import, _) = import(&value);
    let numbers: Vec<i32> = import.unwrap().s3.files.iter().map(|f| f.number).collect();
    assert_eq!(numbers, vec![1, 2]);
}

#[test]
fn reports_every_missing_or_mistyped_field_with_paths() {
    let value = json!({
        "instanceId": 42,
        "databaseOwner": "",
        "s3": {"bucket": BUCKET, "secretKey": ["x"], "files": [{"number": "one", "path": 5}]}
    });
    let (import, issues) = import(&value);
    assert!(import.is_none());
    let got: Vec<(&str, &str, IssueCode)> =
        issues.errors.iter().map(|i| (i.path.as_str(), i.field.as_str(), i.code)).collect();
    assert_eq!(
        got,
        vec![
            ("/instanceId", "instanceId", IssueCode::Type),
            ("/database_name", "databaseName", IssueCode::Required),
            ("/source/s3_details/s3_access_key", "s3.accessKey", IssueCode::Required),
            ("/source/s3_details/s3_access_secret", "s3.secretKey", IssueCode::Type),
            ("/source/s3_details/s3_files/0/file_path", "s3.files[0].path", IssueCode::Type),
            ("/source/s3_details/s3_files/0/file_number", "s3.files[0].number", IssueCode::Type),
            ("/source/database_owner", "databaseOwner", IssueCode::Required),
        ]
    );
}

#[test]
fn missing_s3_and_non_object_input_are_errors_not_panics() {
    for value in [json!({}), json!(null), json!([1, 2]), json!("x"), json!({"s3": 5}), json!({"s3": {"files": []}})] {
        let (import, issues) = import(&value);
        assert!(import.is_none(), "{value}");
        assert!(!issues.errors.is_empty(), "{value}");
    }
}
