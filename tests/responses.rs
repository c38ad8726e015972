#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
//! Typed reading of the API's 200 bodies against the OpenAPI schemas (pkg-template/emulator/openapi;
//! ../shared/api where it lies beside the repository): the spec's
//! examples parse, every `required` property is enforced at its exact JSON pointer, wrong types are
//! named, unknown fields are ignored, and no input makes a parser panic.

use serde_json::{json, Map, Value};
use sqlserverflex_restore::api::responses::{
    parse_api_time, parse_backup, parse_backup_list, parse_database, parse_database_list, parse_instance,
    parse_restore_jobs, parse_user_list, Backup, BackupList, Database, DatabaseBackups, DatabaseList, DatabaseListItem,
    Instance, Network, Pagination, ParseError, RestoreJobs, RunningRestore, UserList, UserListItem,
};
use sqlserverflex_restore::api::version::ApiVersion;

// ---------------------------------------------------------------------------------------------
// The OpenAPI files, read at test time.

struct Spec {
    doc: Value,
    version: ApiVersion,
}

impl Spec {
    /// From ../shared/api beside the repository where it is there, else the copy the emulator bundles
    /// (tests/emulator/conformance.test.mjs checks they are equal): a clone elsewhere has no ../shared.
    fn load(version: ApiVersion) -> Spec {
        let name = format!("sqlserverflex-{}.json", version.path_segment());
        let shared = format!("{}/../shared/api/{name}", env!("CARGO_MANIFEST_DIR"));
        let bundled = format!("{}/pkg-template/emulator/openapi/{name}", env!("CARGO_MANIFEST_DIR"));
        let file = if std::path::Path::new(&shared).exists() { shared } else { bundled };
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
        Spec { doc: serde_json::from_str(&text).unwrap(), version }
    }

    fn both() -> [Spec; 2] {
        [Spec::load(ApiVersion::V3), Spec::load(ApiVersion::V3alpha1)]
    }

    fn named(&self, name: &str) -> &Value {
        self.doc["components"]["schemas"].get(name).unwrap_or_else(|| panic!("no schema {name}"))
    }

    /// Follows `$ref` and single-element `allOf` (how ListBackup wraps its properties in v3).
    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            return self.resolve(self.named(r.strip_prefix("#/components/schemas/").unwrap()));
        }
        if let Some([only]) = schema.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
            return self.resolve(only);
        }
        schema
    }

    fn type_of(&self, schema: &Value) -> &'static str {
        let s = self.resolve(schema);
        match s.get("type").and_then(Value::as_str) {
            Some("string") => "string",
            Some("integer") => "integer",
            Some("boolean") => "boolean",
            Some("array") => "array",
            Some("object") => "object",
            None if s.get("properties").is_some() => "object",
            other => panic!("unexpected schema type {other:?}"),
        }
    }

    /// A body built from the spec: `example`s where given, the first enum value, else a placeholder.
    /// Objects get every property; arrays one item.
    fn example(&self, schema: &Value) -> Value {
        let s = self.resolve(schema);
        if let Some(props) = s.get("properties").and_then(Value::as_object) {
            return Value::Object(props.iter().map(|(k, v)| (k.clone(), self.example(v))).collect());
        }
        if let Some(items) = s.get("items") {
            return json!([self.example(items)]);
        }
        if let Some(example) = s.get("example") {
            return example.clone();
        }
        if let Some(first) = s.get("enum").and_then(|e| e.get(0)) {
            return first.clone();
        }
        match self.type_of(s) {
            "string" => json!("text"),
            "integer" => json!(1),
            "boolean" => json!(true),
            "object" => json!({}),
            other => panic!("no example for {other}"),
        }
    }

    /// Every property (and array item) below `schema` with its pointer, type and whether it must be there.
    fn properties(&self, schema: &Value, path: &str, out: &mut Vec<Prop>) {
        let s = self.resolve(schema);
        if let Some(props) = s.get("properties").and_then(Value::as_object) {
            let required: Vec<&str> = s
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for (key, sub) in props {
                let p = format!("{path}/{key}");
                out.push(Prop {
                    path: p.clone(),
                    ty: self.type_of(sub),
                    required: required.contains(&key.as_str()),
                    item: false,
                });
                self.properties(sub, &p, out);
            }
        }
        if let Some(items) = s.get("items") {
            let p = format!("{path}/0");
            out.push(Prop { path: p.clone(), ty: self.type_of(items), required: true, item: true });
            self.properties(items, &p, out);
        }
    }
}

#[derive(Debug)]
struct Prop {
    path: String,
    ty: &'static str,
    required: bool,
    item: bool,
}

type Parser = fn(&str) -> Result<Value, ParseError>;

fn to_value<T: serde::Serialize>(r: Result<T, ParseError>) -> Result<Value, ParseError> {
    r.map(|v| serde_json::to_value(v).unwrap())
}

/// One response schema and its parser.
struct Case {
    schema: &'static str,
    parse: Parser,
    /// Properties the parser deliberately does not read (pointer prefixes).
    unread: &'static [&'static str],
    /// Required by the schema but read as optional.
    lenient: &'static [&'static str],
}

fn cases(version: ApiVersion) -> Vec<Case> {
    let instance: Parser = match version {
        ApiVersion::V3 => |b| to_value(parse_instance(b, ApiVersion::V3)),
        ApiVersion::V3alpha1 => |b| to_value(parse_instance(b, ApiVersion::V3alpha1)),
    };
    vec![
        Case {
            schema: "ListCurrentRunningRestoreJobs",
            parse: |b| to_value(parse_restore_jobs(b)),
            unread: &[],
            lenient: &[],
        },
        Case { schema: "ListBackupResponse", parse: |b| to_value(parse_backup_list(b)), unread: &[], lenient: &[] },
        Case { schema: "GetBackupResponse", parse: |b| to_value(parse_backup(b)), unread: &[], lenient: &[] },
        Case {
            schema: "ListDatabasesResponse",
            parse: |b| to_value(parse_database_list(b)),
            unread: &[],
            lenient: &[],
        },
        Case { schema: "GetDatabaseResponse", parse: |b| to_value(parse_database(b)), unread: &[], lenient: &[] },
        Case {
            schema: "GetInstanceResponse",
            parse: instance,
            unread: &["/encryption", "/labels"],
            lenient: &["/version"],
        },
        Case { schema: "ListUserResponse", parse: |b| to_value(parse_user_list(b)), unread: &[], lenient: &[] },
    ]
}

fn is_under(path: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

fn example_body(spec: &Spec, case: &Case) -> Value {
    spec.example(spec.named(case.schema))
}

fn err_of(r: Result<Value, ParseError>) -> ParseError {
    match r {
        Err(e) => e,
        Ok(v) => panic!("expected an error, parsed {v}"),
    }
}

fn remove_at(body: &mut Value, path: &str) {
    let (parent, key) = path.rsplit_once('/').unwrap();
    body.pointer_mut(parent).unwrap().as_object_mut().unwrap().remove(key).unwrap();
}

fn set_at(body: &mut Value, path: &str, value: Value) {
    *body.pointer_mut(path).unwrap_or_else(|| panic!("no {path}")) = value;
}

fn an(ty: &str) -> &'static str {
    match ty {
        "string" => "a string",
        "integer" => "an integer",
        "boolean" => "a boolean",
        "array" => "an array",
        "object" => "an object",
        _ => unreachable!(),
    }
}

/// A value of another JSON type than `ty`, and that type's name as messages say it.
fn wrong_value(ty: &str) -> (Value, &'static str) {
    match ty {
        "string" => (json!(7), "a number"),
        "integer" => (json!("7"), "a string"),
        "boolean" => (json!("true"), "a string"),
        "array" => (json!({}), "an object"),
        "object" => (json!([]), "an array"),
        _ => unreachable!(),
    }
}

// ---------------------------------------------------------------------------------------------
// Driven by the spec: every schema, both versions.

#[test]
fn the_cases_cover_every_operation_of_the_restore_client() {
    for spec in Spec::both() {
        let names: Vec<&str> = cases(spec.version).iter().map(|c| c.schema).collect();
        for op in [
            "/restore-jobs",
            "/backups",
            "/backups/{backupId}",
            "/databases",
            "/databases/{databaseName}",
            "/users",
            "",
        ] {
            let path = format!(
                "/{}/projects/{{projectId}}/regions/{{region}}/instances/{{instanceId}}{op}",
                spec.version.path_segment()
            );
            let schema = spec.doc["paths"][&path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["$ref"]
                .as_str()
                .unwrap_or_else(|| panic!("{path}"));
            let name = schema.strip_prefix("#/components/schemas/").unwrap();
            assert!(names.contains(&name), "{path} → {name} has no parser");
        }
    }
}

#[test]
fn the_spec_examples_parse() {
    for spec in Spec::both() {
        for case in cases(spec.version) {
            let body = example_body(&spec, &case);
            let parsed =
                (case.parse)(&body.to_string()).unwrap_or_else(|e| panic!("{} {:?}: {e}", case.schema, spec.version));
            assert!(parsed.is_object(), "{}", case.schema);
        }
    }
}

#[test]
fn every_required_property_is_enforced_at_its_exact_path() {
    for spec in Spec::both() {
        for case in cases(spec.version) {
            let mut props = Vec::new();
            spec.properties(spec.named(case.schema), "", &mut props);
            let required: Vec<&Prop> = props
                .iter()
                .filter(|p| {
                    p.required && !p.item && !is_under(&p.path, case.unread) && !is_under(&p.path, case.lenient)
                })
                .collect();
            assert!(!required.is_empty(), "{}", case.schema);
            for prop in required {
                let mut body = example_body(&spec, &case);
                remove_at(&mut body, &prop.path);
                let e = err_of((case.parse)(&body.to_string()));
                assert_eq!(
                    (e.path.as_str(), e.message.as_str()),
                    (prop.path.as_str(), "is required"),
                    "{} {:?}",
                    case.schema,
                    spec.version
                );

                let mut body = example_body(&spec, &case);
                set_at(&mut body, &prop.path, Value::Null);
                let e = err_of((case.parse)(&body.to_string()));
                assert_eq!(e.path, prop.path, "{}", case.schema);
                assert_eq!(e.message, format!("must be {}, got null", an(prop.ty)), "{} {}", case.schema, prop.path);
            }
        }
    }
}

#[test]
fn optional_properties_may_be_absent_or_null() {
    for spec in Spec::both() {
        for case in cases(spec.version) {
            let mut props = Vec::new();
            spec.properties(spec.named(case.schema), "", &mut props);
            for prop in props.iter().filter(|p| {
                !p.item && (!p.required || is_under(&p.path, case.lenient) || is_under(&p.path, case.unread))
            }) {
                let mut body = example_body(&spec, &case);
                if body.pointer(&prop.path).is_none() {
                    continue; // its parent was removed already
                }
                set_at(&mut body, &prop.path, Value::Null);
                (case.parse)(&body.to_string()).unwrap_or_else(|e| panic!("{} {} null: {e}", case.schema, prop.path));
                remove_at(&mut body, &prop.path);
                (case.parse)(&body.to_string()).unwrap_or_else(|e| panic!("{} {} absent: {e}", case.schema, prop.path));
            }
        }
    }
}

#[test]
fn wrong_types_are_named_at_their_exact_path() {
    let mut checked = 0;
    for spec in Spec::both() {
        for case in cases(spec.version) {
            let mut props = Vec::new();
            spec.properties(spec.named(case.schema), "", &mut props);
            for prop in props.iter().filter(|p| !is_under(&p.path, case.unread)) {
                let mut body = example_body(&spec, &case);
                let (value, got) = wrong_value(prop.ty);
                set_at(&mut body, &prop.path, value);
                let e = err_of((case.parse)(&body.to_string()));
                assert_eq!(e.path, prop.path, "{} {:?}", case.schema, spec.version);
                assert_eq!(e.message, format!("must be {}, got {got}", an(prop.ty)), "{} {}", case.schema, prop.path);
                checked += 1;
            }
        }
    }
    assert!(checked > 80, "{checked}");
}

#[test]
fn unknown_fields_are_ignored_at_every_level() {
    fn add_unknown(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.values_mut().for_each(add_unknown);
                map.insert("zzAddedLater".into(), json!({"nested": [1, "two", null], "flag": true}));
                map.insert("Command".into(), json!(42)); // keys are case-sensitive
            }
            Value::Array(items) => items.iter_mut().for_each(add_unknown),
            _ => {}
        }
    }
    for spec in Spec::both() {
        for case in cases(spec.version) {
            let body = example_body(&spec, &case);
            let expected = (case.parse)(&body.to_string()).unwrap();
            let mut extended = body.clone();
            add_unknown(&mut extended);
            // acl items are strings, so the extension only touched objects.
            assert_eq!((case.parse)(&extended.to_string()), Ok(expected), "{}", case.schema);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Each parser with the spec's example values, spelled out.

const PAGE: &str = r#"{"page":2,"size":25,"sort":"name.asc","totalPages":3,"totalRows":61}"#;

fn page() -> Pagination {
    Pagination { page: 2, size: 25, sort: "name.asc".into(), total_pages: 3, total_rows: 61 }
}

#[test]
fn restore_jobs() {
    let body = r#"{"runningRestores":[{"command":"RESTORE DATABASE","database_name":"Peter_PAN",
        "estimated_completion_time":"2023-09-25T12:17:30","percent_complete":20,"start_time":"2023-09-25T12:14:48"}]}"#;
    let jobs = parse_restore_jobs(body).unwrap();
    let job = RunningRestore {
        command: "RESTORE DATABASE".into(),
        database_name: "Peter_PAN".into(),
        estimated_completion_time: "2023-09-25T12:17:30".into(),
        percent_complete: 20,
        start_time: "2023-09-25T12:14:48".into(),
    };
    assert_eq!(jobs, RestoreJobs { running_restores: vec![job.clone()] });
    assert_eq!(jobs.for_database("Peter_PAN"), Some(&job));
    assert_eq!(jobs.for_database("peter_pan"), None);
    assert_eq!(job.estimated_completion_time_ms(), Some(1_695_644_250_000));
    assert_eq!(job.start_time_ms(), Some(1_695_644_250_000 - 162_000));
    assert_eq!(job.percent_clamped(), 20);
    assert_eq!(
        serde_json::to_value(&jobs).unwrap(),
        json!({"runningRestores": [{"command": "RESTORE DATABASE", "databaseName": "Peter_PAN",
            "estimatedCompletionTime": "2023-09-25T12:17:30", "percentComplete": 20, "startTime": "2023-09-25T12:14:48"}]})
    );
    assert_eq!(parse_restore_jobs(r#"{"runningRestores":[]}"#).unwrap().running_restores, vec![]);
}

#[test]
fn percent_complete_is_kept_as_sent_but_must_be_an_int32() {
    let with = |p: &str| {
        parse_restore_jobs(&format!(
            r#"{{"runningRestores":[{{"command":"c","database_name":"d","estimated_completion_time":"t","percent_complete":{p},"start_time":"t"}}]}}"#
        ))
    };
    let first = |r: Result<RestoreJobs, ParseError>| r.unwrap().running_restores[0].clone();
    assert_eq!(first(with("150")).percent_complete, 150);
    assert_eq!(first(with("150")).percent_clamped(), 100);
    assert_eq!(first(with("-5")).percent_clamped(), 0);
    assert_eq!(first(with("20.0")).percent_complete, 20);
    let e = with("20.5").unwrap_err();
    assert_eq!(
        e,
        ParseError::new("/runningRestores/0/percent_complete", "must be an integer, got a number with a fraction")
    );
    let e = with("2147483648").unwrap_err();
    assert_eq!(
        e,
        ParseError::new("/runningRestores/0/percent_complete", "must be a 32-bit integer, got a number out of range")
    );
    let e = with("\"20\"").unwrap_err();
    assert_eq!(
        e.to_string(),
        "unexpected response body at /runningRestores/0/percent_complete: must be an integer, got a string"
    );
}

#[test]
fn the_error_path_indexes_the_failing_item() {
    let good =
        r#"{"command":"c","database_name":"d","estimated_completion_time":"t","percent_complete":1,"start_time":"t"}"#;
    let bad = r#"{"command":"c","database_name":"d","estimated_completion_time":"t","percent_complete":"x","start_time":"t"}"#;
    let body = format!(r#"{{"runningRestores":[{good},{good},{bad}]}}"#);
    assert_eq!(parse_restore_jobs(&body).unwrap_err().path, "/runningRestores/2/percent_complete");
    let body = format!(r#"{{"runningRestores":[{good},"nope"]}}"#);
    assert_eq!(
        parse_restore_jobs(&body).unwrap_err(),
        ParseError::new("/runningRestores/1", "must be an object, got a string")
    );
}

fn backup_json(id: i64) -> String {
    format!(
        r#"{{"id":{id},"name":"0000002B0000000000000083","completionTime":"2023-12-14T23:25:03Z",
        "retainedUntil":"2023-12-30T23:25:05Z","size":8394655,"type":"AUTOMATED"}}"#
    )
}

fn backup(id: i64) -> Backup {
    Backup {
        id,
        name: "0000002B0000000000000083".into(),
        completion_time: "2023-12-14T23:25:03Z".into(),
        retained_until: "2023-12-30T23:25:05Z".into(),
        size: 8_394_655,
        kind: "AUTOMATED".into(),
    }
}

#[test]
fn backups() {
    let b = parse_backup(&backup_json(1)).unwrap();
    assert_eq!(b, backup(1));
    assert_eq!(parse_api_time(&b.completion_time), Some(1_702_596_303_000));
    let v = serde_json::to_value(&b).unwrap();
    assert_eq!(v["type"], "AUTOMATED");
    assert_eq!(v["completionTime"], "2023-12-14T23:25:03Z");
    assert_eq!(v["retainedUntil"], "2023-12-30T23:25:05Z");

    let body = format!(
        r#"{{"backups":[{{"databaseName":"lummerland","backups":[{},{}]}},{{"databaseName":"empty","backups":[]}}],"pagination":{PAGE}}}"#,
        backup_json(1),
        backup_json(9_007_199_254_740_993)
    );
    let list = parse_backup_list(&body).unwrap();
    assert_eq!(
        list,
        BackupList {
            backups: vec![
                DatabaseBackups {
                    database_name: "lummerland".into(),
                    backups: vec![backup(1), backup(9_007_199_254_740_993)]
                },
                DatabaseBackups { database_name: "empty".into(), backups: vec![] },
            ],
            pagination: page(),
        }
    );
    let v = serde_json::to_value(&list).unwrap();
    assert_eq!(v["backups"][0]["databaseName"], "lummerland");
    assert_eq!(v["pagination"], json!({"page": 2, "size": 25, "sort": "name.asc", "totalPages": 3, "totalRows": 61}));

    let body = format!(
        r#"{{"backups":[{{"databaseName":"x","backups":[{},{{"id":2}}]}}],"pagination":{PAGE}}}"#,
        backup_json(1)
    );
    assert_eq!(parse_backup_list(&body).unwrap_err(), ParseError::new("/backups/0/backups/1/name", "is required"));
}

#[test]
fn databases() {
    let body =
        r#"{"id":1,"name":"MyDatabase","collationName":"Albanian_BIN","compatibilityLevel":160,"owner":"MyUser"}"#;
    let db = parse_database(body).unwrap();
    assert_eq!(
        db,
        Database {
            id: 1,
            name: "MyDatabase".into(),
            collation_name: "Albanian_BIN".into(),
            compatibility_level: 160,
            owner: "MyUser".into()
        }
    );
    assert_eq!(
        serde_json::to_value(&db).unwrap(),
        json!({"id": 1, "name": "MyDatabase", "collationName": "Albanian_BIN", "compatibilityLevel": 160, "owner": "MyUser"})
    );

    let body = format!(
        r#"{{"databases":[{{"id":1,"name":"MyDatabase","created":"2003-04-08T09:13:36.39Z","owner":"MyUser"}}],"pagination":{PAGE}}}"#
    );
    let list = parse_database_list(&body).unwrap();
    assert_eq!(
        list,
        DatabaseList {
            databases: vec![DatabaseListItem {
                id: 1,
                name: "MyDatabase".into(),
                created: "2003-04-08T09:13:36.39Z".into(),
                owner: "MyUser".into()
            }],
            pagination: page(),
        }
    );
    assert_eq!(parse_api_time(&list.databases[0].created), Some(1_049_793_216_390));
    let e = parse_database_list(r#"{"databases":[]}"#).unwrap_err();
    assert_eq!(e, ParseError::new("/pagination", "is required"));
    let e = parse_database_list(r#"{"databases":[],"pagination":{"page":1,"size":1,"sort":"s","totalPages":1}}"#)
        .unwrap_err();
    assert_eq!(e, ParseError::new("/pagination/totalRows", "is required"));
}

#[test]
fn users() {
    let body = format!(r#"{{"users":[{{"id":1,"username":"myUser","status":"ACTIVE"}}],"pagination":{PAGE}}}"#);
    let list = parse_user_list(&body).unwrap();
    assert_eq!(
        list,
        UserList {
            users: vec![UserListItem { id: 1, username: "myUser".into(), status: "ACTIVE".into() }],
            pagination: page()
        }
    );
    assert_eq!(
        serde_json::to_value(&list).unwrap()["users"][0],
        json!({"id": 1, "username": "myUser", "status": "ACTIVE"})
    );
}

fn instance_json(state_key: &str) -> Value {
    json!({
        "id": "df727477-8991-486c-a3ed-d11d9d9beb1c",
        "name": "mssql-instance",
        state_key: "READY",
        "flavorId": "4.16-Single",
        "edition": "EnterpriseCore",
        "replicas": 1,
        "version": "2022",
        "storage": {"class": "premium-perf2-stackit", "size": 10},
        "backupSchedule": "6 6 * * *",
        "isDeletable": true,
        "retentionDays": 64,
        "network": {"accessScope": "PUBLIC", "acl": ["198.51.100.0/24"], "instanceAddress": "10.0.0.2", "routerAddress": "10.0.0.1"},
        "encryption": {"kekKeyId": "b710a4d0-6694-4cd3-b55d-16446375174e"},
    })
}

fn expected_instance() -> Instance {
    Instance {
        id: "df727477-8991-486c-a3ed-d11d9d9beb1c".into(),
        name: "mssql-instance".into(),
        state: "READY".into(),
        flavor_id: "4.16-Single".into(),
        edition: "EnterpriseCore".into(),
        replicas: 1,
        version: Some("2022".into()),
        storage_class: Some("premium-perf2-stackit".into()),
        storage_size_gb: Some(10),
        backup_schedule: "6 6 * * *".into(),
        is_deletable: true,
        retention_days: 64,
        network: Network {
            access_scope: Some("PUBLIC".into()),
            acl: Some(vec!["198.51.100.0/24".into()]),
            instance_address: Some("10.0.0.2".into()),
            router_address: Some("10.0.0.1".into()),
        },
    }
}

#[test]
fn instance_state_comes_from_the_versions_own_field() {
    let mut v3 = instance_json("state");
    v3["labels"] = json!({"team": "backend", "empty": null});
    let instance = parse_instance(&v3.to_string(), ApiVersion::V3).unwrap();
    assert_eq!(instance, expected_instance());
    assert!(instance.is_ready());
    assert_eq!(parse_instance(&instance_json("status").to_string(), ApiVersion::V3alpha1), Ok(expected_instance()));

    // The other version's field does not count.
    assert_eq!(
        parse_instance(&instance_json("status").to_string(), ApiVersion::V3),
        Err(ParseError::new("/state", "is required"))
    );
    assert_eq!(
        parse_instance(&instance_json("state").to_string(), ApiVersion::V3alpha1),
        Err(ParseError::new("/status", "is required"))
    );

    let mut progressing = instance_json("state");
    progressing["state"] = json!("SOMETHING_NEW");
    let instance = parse_instance(&progressing.to_string(), ApiVersion::V3).unwrap();
    assert_eq!(instance.state, "SOMETHING_NEW");
    assert!(!instance.is_ready());
}

#[test]
fn instance_optional_parts() {
    let mut body = instance_json("state");
    body["storage"] = json!({});
    body["network"] = json!({});
    body.as_object_mut().unwrap().remove("version");
    let instance = parse_instance(&body.to_string(), ApiVersion::V3).unwrap();
    assert_eq!((instance.storage_class, instance.storage_size_gb, instance.version), (None, None, None));
    assert_eq!(
        instance.network,
        Network { access_scope: None, acl: None, instance_address: None, router_address: None }
    );

    let v = serde_json::to_value(expected_instance()).unwrap();
    for key in [
        "flavorId",
        "storageClass",
        "storageSizeGb",
        "backupSchedule",
        "isDeletable",
        "retentionDays",
        "state",
        "version",
    ] {
        assert!(v.get(key).is_some(), "{key} in {v}");
    }
    assert_eq!(v["network"]["instanceAddress"], "10.0.0.2");

    let mut body = instance_json("state");
    body["storage"]["size"] = json!(10.5);
    assert_eq!(
        parse_instance(&body.to_string(), ApiVersion::V3),
        Err(ParseError::new("/storage/size", "must be an integer, got a number with a fraction"))
    );
    let mut body = instance_json("state");
    body["network"]["acl"] = json!(["198.51.100.0/24", null]);
    assert_eq!(
        parse_instance(&body.to_string(), ApiVersion::V3),
        Err(ParseError::new("/network/acl/1", "must be a string, got null"))
    );
}

// ---------------------------------------------------------------------------------------------
// Bodies that are not JSON, not an object, empty, huge or deep.

fn all_parsers() -> Vec<Parser> {
    let mut all: Vec<Parser> = cases(ApiVersion::V3).into_iter().map(|c| c.parse).collect();
    all.push(|b| to_value(parse_instance(b, ApiVersion::V3alpha1)));
    all
}

#[test]
fn invalid_json_names_line_and_column() {
    for parse in all_parsers() {
        let e = parse("{\n  \"runningRestores\": [,]\n}").unwrap_err();
        assert_eq!(e.path, "");
        assert!(e.message.starts_with("is not valid JSON: "), "{}", e.message);
        assert!(e.message.contains("line 2 column"), "{}", e.message);
        let e = parse("{} trailing").unwrap_err();
        assert!(e.message.contains("trailing characters at line 1 column 4"), "{}", e.message);
        assert_eq!(parse("<html>502</html>").unwrap_err().path, "");
    }
}

#[test]
fn an_empty_body_or_a_non_object_is_an_error_at_the_root() {
    for parse in all_parsers() {
        for body in ["", "   \r\n\t"] {
            assert_eq!(parse(body), Err(ParseError::new("", "is empty, expected a JSON object")));
        }
        assert_eq!(parse("[]"), Err(ParseError::new("", "must be an object, got an array")));
        assert_eq!(parse("null"), Err(ParseError::new("", "must be an object, got null")));
        assert_eq!(parse("\"x\""), Err(ParseError::new("", "must be an object, got a string")));
        assert_eq!(parse("{}").unwrap_err().message, "is required");
    }
}

#[test]
fn messages_never_echo_body_values() {
    let marker = "S3CR3T-do-not-echo";
    let bodies = [
        format!(r#"{{"runningRestores":"{marker}"}}"#),
        format!(r#"{{"runningRestores":[{{"command":"{marker}","database_name":1}}]}}"#),
        format!(r#"{{"{marker}":1,"runningRestores":[{{"{marker}":2}}]}}"#),
        format!(r#"{{"runningRestores":["{marker}\q"]}}"#),
        format!(r#"{{"runningRestores":[{marker}]}}"#),
        marker.to_owned(),
    ];
    for body in &bodies {
        for parse in all_parsers() {
            let e = parse(body).unwrap_err();
            assert!(!e.message.contains(marker) && !e.path.contains(marker), "{e}");
            assert!(e.message.len() < 120, "{e}");
        }
    }
}

#[test]
fn deep_input_hits_the_recursion_limit_instead_of_the_stack() {
    let deep = "[".repeat(200_000);
    for parse in all_parsers() {
        let e = parse(&deep).unwrap_err();
        assert_eq!(e.path, "");
        assert!(e.message.contains("recursion limit exceeded"), "{}", e.message);
    }
    // Deep nesting inside an unknown field: still an error, never a crash.
    let body = format!(r#"{{"runningRestores":[],"x":{}{}}}"#, "{\"a\":".repeat(100_000), "1");
    assert!(parse_restore_jobs(&body).unwrap_err().message.contains("recursion limit exceeded"));
    // Moderate nesting in an unknown field is fine.
    let body = format!(r#"{{"runningRestores":[],"x":{}1{}}}"#, "[".repeat(100), "]".repeat(100));
    assert_eq!(parse_restore_jobs(&body), Ok(RestoreJobs { running_restores: vec![] }));
}

#[test]
fn huge_input_parses() {
    let job = r#"{"command":"RESTORE DATABASE","database_name":"d","estimated_completion_time":"2023-09-25T12:17:30","percent_complete":20,"start_time":"2023-09-25T12:14:48"}"#;
    let body = format!(r#"{{"runningRestores":[{}]}}"#, vec![job; 50_000].join(","));
    assert_eq!(parse_restore_jobs(&body).unwrap().running_restores.len(), 50_000);

    let long_name = "n".repeat(5_000_000);
    let body = format!(r#"{{"id":1,"name":"{long_name}","collationName":"c","compatibilityLevel":160,"owner":"o"}}"#);
    assert_eq!(parse_database(&body).unwrap().name.len(), 5_000_000);
    let e = parse_database(&body.replace("\"owner\":\"o\"", "\"owner\":7")).unwrap_err();
    assert_eq!(e, ParseError::new("/owner", "must be a string, got a number"));
}

// ---------------------------------------------------------------------------------------------
// Timestamps.

#[test]
fn api_times() {
    const T: i64 = 1_695_644_250_000; // 2023-09-25T12:17:30Z
    let valid: &[(&str, i64)] = &[
        ("1970-01-01T00:00:00Z", 0),
        ("1970-01-01T00:00:00", 0),
        ("1969-12-31T23:59:59Z", -1_000),
        ("2023-09-25T12:17:30", T),
        ("2023-09-25T12:17:30Z", T),
        ("2023-09-25t12:17:30z", T),
        ("2023-09-25 12:17:30", T),
        ("2023-09-25T12:17:30+00:00", T),
        ("2023-09-25T12:17:30-00:00", T),
        ("2023-09-25T14:17:30+02:00", T),
        ("2023-09-25T07:47:30-04:30", T),
        ("2023-09-26T12:16:30+23:59", T),
        ("2023-09-25T12:17:30.5", T + 500),
        ("2023-09-25T12:17:30.39Z", T + 390),
        ("2023-09-25T12:17:30.123Z", T + 123),
        ("2023-09-25T12:17:30.123456789Z", T + 123),
        ("2023-09-25T12:17:30.999999999999999999999+00:00", T + 999),
        ("2023-09-25T12:17:30.000", T),
        ("2023-12-14T23:25:03Z", 1_702_596_303_000),
        ("2003-04-08T09:13:36.39Z", 1_049_793_216_390),
        ("2024-02-29T00:00:00Z", 1_709_164_800_000),
        ("2000-02-29T00:00:00Z", 951_782_400_000),
        ("0001-01-01T00:00:00Z", -62_135_596_800_000),
        ("0000-01-01T00:00:00Z", -62_167_219_200_000),
        ("0000-01-01T00:00:00+23:59", -62_167_219_200_000 - 86_340_000),
        ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
        ("9999-12-31T23:59:59.999-23:59", 253_402_300_799_999 + 86_340_000),
    ];
    for (text, ms) in valid {
        assert_eq!(parse_api_time(text), Some(*ms), "{text}");
    }
    let invalid = [
        "",
        "2023-02-30T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2023-04-31T00:00:00Z",
        "2023-13-01T00:00:00Z",
        "2023-00-10T00:00:00Z",
        "2023-01-00T00:00:00Z",
        "2023-01-32T00:00:00Z",
        "2023-09-25T24:00:00Z",
        "2023-09-25T12:60:00Z",
        "2023-09-25T12:17:60Z",
        "2023-09-25",
        "2023-09-25T12:17",
        "2023-9-25T12:17:30",
        "2023-09-25T12:17:3",
        "10000-01-01T00:00:00Z",
        "-2023-01-01T00:00:00Z",
        "+2023-01-01T00:00:00Z",
        "2023-09-25X12:17:30",
        "2023-09-25T12:17:30.",
        "2023-09-25T12:17:30.Z",
        "2023-09-25T12:17:30+0200",
        "2023-09-25T12:17:30+02",
        "2023-09-25T12:17:30+24:00",
        "2023-09-25T12:17:30+02:60",
        "2023-09-25T12:17:30 +02:00",
        "2023-09-25T12:17:30Zjunk",
        "2023-09-25T12:17:30Z ",
        " 2023-09-25T12:17:30Z",
        "2023-09-25T12:17:30GMT",
        "２０２３-09-25T12:17:30Z",
        "2023-09-25T12:17:30\u{0}",
        "2023-09-25T1a:17:30Z",
        "1695644250000",
    ];
    for text in invalid {
        assert_eq!(parse_api_time(text), None, "{text:?}");
    }
}

#[test]
fn api_times_agree_day_by_day_over_four_centuries() {
    // Consecutive dates are exactly one day apart, across month ends and leap days (1600–2400).
    let mut previous = parse_api_time("1599-12-31T00:00:00Z").unwrap();
    let mut days = 0;
    for year in 1600..2400 {
        for month in 1..=12 {
            for day in 1..=31 {
                let text = format!("{year:04}-{month:02}-{day:02}T00:00:00Z");
                let Some(ms) = parse_api_time(&text) else {
                    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
                    let len = match month {
                        2 if leap => 29,
                        2 => 28,
                        4 | 6 | 9 | 11 => 30,
                        _ => 31,
                    };
                    assert!(day > len, "{text} rejected");
                    continue;
                };
                assert_eq!(ms - previous, 86_400_000, "{text}");
                previous = ms;
                days += 1;
            }
        }
    }
    assert_eq!(days, 800 * 365 + 194); // 194 leap days in 1600..2400
}

// ---------------------------------------------------------------------------------------------
// Random mutations of valid bodies never panic.

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| pointers(v, format!("{at}/{k}"), out)),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| pointers(v, format!("{at}/{i}"), out)),
        _ => {}
    }
    out.push(at);
}

fn random_value(rng: &mut XorShift) -> Value {
    match rng.below(16) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(i64::MIN),
        3 => json!(u64::MAX),
        4 => json!(-0.0),
        5 => json!(1e308),
        6 => json!(2.5),
        7 => json!(""),
        8 => json!("2023-02-30T00:00:00"),
        9 => json!([]),
        10 => json!({}),
        11 => json!([null, {}, []]),
        12 => json!(i32::MAX as i64 + 1),
        13 => json!("\u{0}\u{feff}\u{10ffff}"),
        14 => Value::Object(Map::from_iter([("runningRestores".to_owned(), json!([{}]))])),
        _ => json!(rng.next() as i64),
    }
}

fn mutate(rng: &mut XorShift, body: &Value) -> String {
    const ALPHABET: &[char] = &[
        '{', '}', '[', ']', '"', ',', ':', '0', '9', '-', '.', 'e', 'E', '+', '\\', 'u', ' ', 'n', 't', 'é', '\u{0}',
        '𝄞',
    ];
    match rng.below(3) {
        0 => {
            // Structural: replace or remove one node.
            let mut value = body.clone();
            let mut all = Vec::new();
            pointers(&value, String::new(), &mut all);
            let target = all[rng.below(all.len())].clone();
            if !target.is_empty() && rng.below(3) == 0 {
                let (parent, key) = target.rsplit_once('/').unwrap();
                match value.pointer_mut(parent).unwrap() {
                    Value::Object(map) => {
                        map.remove(key);
                    }
                    Value::Array(items) => {
                        items.remove(key.parse().unwrap());
                    }
                    _ => unreachable!(),
                }
            } else {
                *value.pointer_mut(&target).unwrap() = random_value(rng);
            }
            value.to_string()
        }
        1 => {
            // Textual: a few character edits.
            let mut chars: Vec<char> = body.to_string().chars().collect();
            for _ in 0..=rng.below(4) {
                let at = rng.below(chars.len() + 1);
                let c = ALPHABET[rng.below(ALPHABET.len())];
                match rng.below(3) {
                    0 if at < chars.len() => chars[at] = c,
                    1 if at < chars.len() => {
                        chars.remove(at);
                    }
                    _ => chars.insert(at, c),
                }
            }
            chars.into_iter().collect()
        }
        _ => {
            // Truncation.
            let chars: Vec<char> = body.to_string().chars().collect();
            chars[..rng.below(chars.len() + 1)].iter().collect()
        }
    }
}

#[test]
fn random_mutations_never_panic() {
    let mut bodies = Vec::new();
    for spec in Spec::both() {
        for case in cases(spec.version) {
            bodies.push(example_body(&spec, &case));
        }
    }
    let parsers = all_parsers();
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let (mut ok, mut failed) = (0, 0);
    for _ in 0..4_000 {
        let base = &bodies[rng.below(bodies.len())];
        let text = mutate(&mut rng, base);
        for parse in &parsers {
            match parse(&text) {
                Ok(_) => ok += 1,
                Err(e) => {
                    failed += 1;
                    assert!(e.path.is_empty() || e.path.starts_with('/'), "{e}");
                    assert!(e.message.len() < 200, "{e}");
                }
            }
        }
    }
    assert!(ok > 100 && failed > 1_000, "ok {ok}, failed {failed}");
}

#[test]
fn random_time_strings_never_panic() {
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    const ALPHABET: &[char] = &['0', '1', '2', '9', '-', ':', 'T', 'Z', '+', '.', ' ', 'é', '٣'];
    let mut parsed = 0;
    for _ in 0..20_000 {
        let mut chars: Vec<char> = "2024-02-29T23:59:59.999+23:59".chars().collect();
        for _ in 0..=rng.below(3) {
            let at = rng.below(chars.len());
            match rng.below(3) {
                0 => chars[at] = ALPHABET[rng.below(ALPHABET.len())],
                1 => {
                    chars.remove(at);
                }
                _ => chars.insert(at, ALPHABET[rng.below(ALPHABET.len())]),
            }
        }
        let text: String = chars.into_iter().collect();
        if parse_api_time(&text).is_some() {
            parsed += 1;
        }
    }
    assert!(parsed > 100, "{parsed}");
}
