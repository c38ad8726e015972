//! The restore record: its JSON shape, and a fingerprint that names the same import across runs
//! without hashing any credential.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use sqlserverflex_restore::restore_record::{request_fingerprint, RecordTarget, RestoreRecord, RECORD_KIND};
use sqlserverflex_restore::waiter::{Outcome, Waiter, WaiterConfig};

const PATH: &str = "/v3/projects/p/regions/eu01/instances/i/restores";

fn body(secret: &str, guid: &str, files: &str) -> String {
    format!(
        r#"{{"database_name":"sales","source":{{"type":"EXTERNAL_S3","database_owner":"dbo","logging_guid":"{guid}","s3_details":{{"s3_bucket":"s3://h/b/","s3_access_key":"AK{secret}","s3_access_secret":"{secret}","s3_files":{files}}}}}}}"#
    )
}

#[test]
fn the_fingerprint_ignores_credentials_logging_guid_and_key_order() {
    let files = r#"[{"file_number":1,"file_path":"s3://h/b/sales.bak"}]"#;
    let a = request_fingerprint("POST", PATH, Some(&body("s3cr3t", "guid-1", files)));
    let b = request_fingerprint("POST", PATH, Some(&body("other", "guid-2", files)));
    assert_eq!(a, b);
    assert!(a.starts_with("sha256:") && a.len() == 7 + 64, "{a}");
    let reordered = r#"{"source":{"s3_details":{"s3_files":[{"file_path":"s3://h/b/sales.bak","file_number":1}],"s3_bucket":"s3://h/b/"},"database_owner":"dbo","type":"EXTERNAL_S3"},"database_name":"sales"}"#;
    assert_eq!(request_fingerprint("POST", PATH, Some(reordered)), a);
}

#[test]
fn the_fingerprint_tells_different_restores_apart() {
    let files = r#"[{"file_number":1,"file_path":"s3://h/b/sales.bak"}]"#;
    let base = request_fingerprint("POST", PATH, Some(&body("s", "g", files)));
    let other_file = request_fingerprint(
        "POST",
        PATH,
        Some(&body("s", "g", r#"[{"file_number":1,"file_path":"s3://h/b/hr.bak"}]"#)),
    );
    let other_instance = request_fingerprint("POST", &PATH.replace("/i/", "/j/"), Some(&body("s", "g", files)));
    let other_database = request_fingerprint("POST", PATH, Some(&body("s", "g", files).replace("sales\",", "hr\",")));
    for other in [other_file, other_instance, other_database] {
        assert_ne!(other, base);
    }
}

#[test]
fn a_record_is_plain_json_and_follows_its_wait() {
    let mut waiter = Waiter::new(WaiterConfig::default(), "sales", 1_000);
    let record = RestoreRecord {
        kind: RECORD_KIND.into(),
        v: 1,
        operation: "importFromS3".into(),
        target: RecordTarget {
            project_id: "p".into(),
            region: "eu01".into(),
            instance_id: "i".into(),
            database_name: "sales".into(),
        },
        accepted_at: "2026-12-02T08:00:00.000Z".into(),
        trace_id: Some("4bf92f3577b34da6a3ce929d0e0e4736".into()),
        traceparent: None,
        logging_guid: Some("guid".into()),
        input_fingerprint: request_fingerprint("POST", PATH, None),
        polls: 0,
        outcome: None,
        resume: waiter.state(),
    };
    let json = serde_json::to_value(&record).unwrap();
    assert_eq!(json["kind"], "sqlserverflex-restore/record");
    assert_eq!(json["target"]["databaseName"], "sales");
    assert_eq!(json["resume"]["kind"], "sqlserverflex-restore/wait");
    assert!(RestoreRecord::is_record(&json));
    assert!(!RestoreRecord::is_record(&json["resume"]));
    assert_eq!(RestoreRecord::from_json(&json, "record").unwrap(), record);
    let mut no_target = json.clone();
    no_target.as_object_mut().unwrap().remove("target");
    assert_eq!(RestoreRecord::from_json(&no_target, "record").unwrap_err(), "`record.target` is missing");

    waiter.observe_jobs(2_000, None, 0.5);
    waiter.observe_database(2_000, true, 0.5);
    let done = record.updated(waiter.state());
    assert_eq!((done.polls, done.outcome), (1, Some(Outcome::Succeeded)));
    assert_eq!(done.input_fingerprint, record.input_fingerprint);
}
