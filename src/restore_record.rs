//! The record of an accepted restore: what was asked (operation, target, a fingerprint of the input),
//! when the service accepted it, the ids that tie it to the service's logs (trace id, traceparent,
//! logging GUID), how the wait stands (polls, outcome, the waiter's resumable state). Plain JSON with
//! no secret, so it can be written to a file (`--record`), a database row or a workflow step, and
//! given back later to follow or audit the restore.

use serde::Serialize;
use serde_json::Value;

use crate::api::config::ClientConfig;
use crate::api::error::Accepted;
use crate::api::operation::OperationInput;
use crate::input::shape::Shape;
use crate::s3::sigv4::sha256_hex;
use crate::waiter::{Outcome, WaitState, Waiter, WaiterConfig};

pub const RECORD_KIND: &str = "sqlserverflex-restore/record";
pub const RECORD_VERSION: u32 = 1;

/// Body fields left out of the fingerprint: credentials (never hashed: a hash of a short secret
/// can be brute-forced) and the logging GUID (generated afresh when not given, so it would make
/// the same import look new on every run).
const UNHASHED_FIELDS: [&str; 3] = ["s3_access_key", "s3_access_secret", "logging_guid"];

/// Which database of which instance a restore creates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordTarget {
    pub project_id: String,
    pub region: String,
    pub instance_id: String,
    pub database_name: String,
}

/// See the module docs. `outcome` stays `None` until a check or wait sees the end.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreRecord {
    pub kind: String,
    pub v: u32,
    /// `importFromS3`, `restoreFromBackup` or `restorePointInTime`.
    pub operation: String,
    pub target: RecordTarget,
    /// RFC 3339 (UTC) of the 202.
    pub accepted_at: String,
    pub trace_id: Option<String>,
    pub traceparent: Option<String>,
    pub logging_guid: Option<String>,
    /// `sha256:` + hex of the request without credentials and logging GUID ([`request_fingerprint`]).
    pub input_fingerprint: String,
    pub polls: u32,
    pub outcome: Option<Outcome>,
    /// The waiter's state, for `checkRestore`/`waitForRestore` to continue from.
    pub resume: WaitState,
}

impl RestoreRecord {
    /// The record of a restore the service just accepted (`None` for a read). `now_ms` starts its
    /// wait; `accepted_at` is the same instant in RFC 3339 (the caller's clock formats it).
    pub fn for_accepted(
        config: &ClientConfig,
        input: &OperationInput,
        accepted: &Accepted,
        now_ms: i64,
        accepted_at: String,
    ) -> Option<RestoreRecord> {
        let (operation, logging_guid) = match input {
            OperationInput::Import(import) => ("importFromS3", Some(import.logging_guid.clone())),
            OperationInput::Backup(_) => ("restoreFromBackup", None),
            OperationInput::PointInTime(_) => ("restorePointInTime", None),
            OperationInput::Read(_) => return None,
        };
        let database_name = input.target_database()?.to_owned();
        // Credentials masked: the fingerprint leaves them out anyway, and nothing here holds one.
        let request = input.to_http_request(config, false);
        let wait = Waiter::new(WaiterConfig::default(), database_name.clone(), now_ms);
        Some(RestoreRecord {
            kind: RECORD_KIND.to_owned(),
            v: RECORD_VERSION,
            operation: operation.to_owned(),
            target: RecordTarget {
                project_id: config.project_id.clone(),
                region: config.region.clone(),
                instance_id: input.instance_id()?.to_owned(),
                database_name,
            },
            accepted_at,
            trace_id: accepted.trace_id.clone(),
            traceparent: accepted.traceparent.clone(),
            logging_guid,
            input_fingerprint: request_fingerprint(request.method, &request.url, request.body.as_deref()),
            polls: 0,
            outcome: None,
            resume: wait.state(),
        })
    }

    /// The record after a check or wait reached `state`.
    pub fn updated(&self, state: WaitState) -> RestoreRecord {
        RestoreRecord { polls: state.polls, outcome: state.outcome(), resume: state, ..self.clone() }
    }

    /// The record as written to JSON; `path` names it in errors. Strict like [`WaitState::from_json`].
    pub fn from_json(value: &Value, path: &str) -> Result<RestoreRecord, String> {
        let shape = Shape::of(value, path)?.only(&[
            "kind",
            "v",
            "operation",
            "target",
            "acceptedAt",
            "traceId",
            "traceparent",
            "loggingGuid",
            "inputFingerprint",
            "polls",
            "outcome",
            "resume",
        ])?;
        let target = shape.need("target", shape.object("target")?)?.only(&[
            "projectId",
            "region",
            "instanceId",
            "databaseName",
        ])?;
        let text = |shape: &Shape<'_>, key: &str| shape.need(key, shape.string(key)?);
        Ok(RestoreRecord {
            kind: text(&shape, "kind")?,
            v: shape.need("v", shape.int("v")?)?,
            operation: text(&shape, "operation")?,
            target: RecordTarget {
                project_id: text(&target, "projectId")?,
                region: text(&target, "region")?,
                instance_id: text(&target, "instanceId")?,
                database_name: text(&target, "databaseName")?,
            },
            accepted_at: text(&shape, "acceptedAt")?,
            trace_id: shape.string("traceId")?,
            traceparent: shape.string("traceparent")?,
            logging_guid: shape.string("loggingGuid")?,
            input_fingerprint: text(&shape, "inputFingerprint")?,
            polls: shape.need("polls", shape.int("polls")?)?,
            outcome: Outcome::read(&shape, "outcome")?,
            resume: shape.need("resume", shape.with("resume", WaitState::from_json)?)?,
        })
    }

    /// Whether `value` is (the JSON of) a record rather than a bare wait state.
    pub fn is_record(value: &Value) -> bool {
        value.get("kind").and_then(Value::as_str) == Some(RECORD_KIND)
    }
}

/// A stable fingerprint of a restore request: the same operation on the same target with the same
/// backup files gives the same value across runs and machines, whatever the credentials. `url` is
/// the request's URL or path (the host is left out: v3 and its emulator are the same restore);
/// `body` the JSON body as sent.
pub fn request_fingerprint(method: &str, url: &str, body: Option<&str>) -> String {
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').and_then(|slash| rest.get(slash..)).unwrap_or("/"),
        None => url,
    };
    let mut canonical = format!("{method} {path}\n");
    if let Some(body) = body {
        match serde_json::from_str::<Value>(body) {
            Ok(mut value) => {
                strip(&mut value);
                // serde_json's map keeps keys sorted: the text does not depend on the input's key order.
                canonical.push_str(&value.to_string());
            }
            Err(_) => canonical.push_str(body),
        }
    }
    format!("sha256:{}", sha256_hex(canonical.as_bytes()))
}

fn strip(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|key, _| !UNHASHED_FIELDS.contains(&key.as_str()));
            map.values_mut().for_each(strip);
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}
