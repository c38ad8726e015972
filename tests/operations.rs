//! Golden request data for every operation in both API generations (docs/stackit-api.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::{json, Value};
use sqlserverflex_restore::api::operation::check;

const P: &str = "df727477-8991-486c-a3ed-d11d9d9beb1c";
const I: &str = "0b9e2cf1-7a2f-4c59-9c6f-6f6d4d0f6c11";

fn build(version: &str, operation: &str, input: Value) -> (String, String, Option<String>) {
    let config = json!({"projectId": P, "region": "eu01", "apiVersion": version, "token": "t"});
    let checked = check(operation, Some(&config), &input, [0; 16]);
    assert!(checked.issues.errors.is_empty(), "{operation}: {:?}", checked.issues);
    let request = checked.input.unwrap().to_http_request(&checked.config.unwrap(), true);
    (request.method.to_owned(), request.url, request.body)
}

#[test]
fn every_operation_in_both_versions() {
    for (version, host) in [("v3", "api"), ("v3alpha1", "api.eu01")] {
        let base = format!(
            "https://mssql-flex-service.{host}.stackit.cloud/{version}/projects/{P}/regions/eu01/instances/{I}"
        );
        let cases: Vec<(&str, Value, &str, String, Option<Value>)> = vec![
            (
                "restoreFromBackup",
                json!({"instanceId": I, "databaseName": "sales"}),
                "POST",
                format!("{base}/restores"),
                Some(json!({"database_name": "sales", "source": {"type": "BACKUP"}})),
            ),
            (
                "restorePointInTime",
                json!({"instanceId": I, "databaseName": "sales", "name": "sales_noon", "restoreDateTime": "2024-05-01T12:00:00Z"}),
                "POST",
                format!("{base}/backups/databases/sales/restores"),
                Some(json!({"name": "sales_noon", "restoreDateTime": "2024-05-01T12:00:00Z"})),
            ),
            ("listRestoreJobs", json!({"instanceId": I}), "GET", format!("{base}/restore-jobs"), None),
            (
                "listBackups",
                json!({"instanceId": I, "page": 3, "size": 10, "sort": "size.asc"}),
                "GET",
                format!("{base}/backups?page=3&size=10&sort=size.asc"),
                None,
            ),
            ("listBackups", json!({"instanceId": I}), "GET", format!("{base}/backups"), None),
            (
                "getBackup",
                json!({"instanceId": I, "backupId": "9007199254740993"}),
                "GET",
                format!("{base}/backups/9007199254740993"),
                None,
            ),
            (
                "listDatabases",
                json!({"instanceId": I, "sort": "database_name.asc"}),
                "GET",
                format!("{base}/databases?sort=database_name.asc"),
                None,
            ),
            (
                "getDatabase",
                json!({"instanceId": I, "databaseName": "a b/c"}),
                "GET",
                format!("{base}/databases/a%20b%2Fc"),
                None,
            ),
            ("getInstance", json!({"instanceId": I}), "GET", base.clone(), None),
            (
                "listUsers",
                json!({"instanceId": I, "page": 1, "size": 1000}),
                "GET",
                format!("{base}/users?page=1&size=1000"),
                None,
            ),
        ];
        for (operation, input, method, url, body) in cases {
            let (got_method, got_url, got_body) = build(version, operation, input);
            assert_eq!((got_method.as_str(), got_url.as_str()), (method, url.as_str()), "{version} {operation}");
            assert_eq!(got_body.map(|b| serde_json::from_str::<Value>(&b).unwrap()), body, "{version} {operation}");
        }
    }
}

#[test]
fn read_and_restore_input_problems() {
    let config = json!({"projectId": P, "region": "eu01"});
    for (operation, input, path) in [
        ("getBackup", json!({"instanceId": I, "backupId": -1}), "/backupId"),
        ("getBackup", json!({"instanceId": I, "backupId": "12a"}), "/backupId"),
        ("listBackups", json!({"instanceId": I, "sort": "name"}), "/sort"),
        ("listBackups", json!({"instanceId": I, "size": 0}), "/size"),
        ("getDatabase", json!({"instanceId": I, "databaseName": ""}), "/databaseName"),
        (
            "restorePointInTime",
            json!({"instanceId": I, "databaseName": "a", "name": "b", "restoreDateTime": "2024-05-01T12:00:00"}),
            "/restoreDateTime",
        ),
        (
            "restorePointInTime",
            json!({"instanceId": I, "databaseName": "a", "name": "A", "restoreDateTime": "2024-05-01T12:00:00Z"}),
            "/name",
        ),
        ("restoreFromBackup", json!({"instanceId": I, "databaseName": "msdb"}), "/database_name"),
        ("getInstance", json!({"instanceId": "nope"}), "/instanceId"),
    ] {
        let checked = check(operation, Some(&config), &input, [0; 16]);
        let paths: Vec<&str> = checked.issues.errors.iter().map(|e| e.path.as_str()).collect();
        assert!(paths.contains(&path), "{operation} {input}: {paths:?}");
    }
}
