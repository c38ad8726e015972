//! Every operation the package offers, by its JS name: read the input, check it, build the request.

use serde::Serialize;
use serde_json::Value;

use crate::api::config::ClientConfig;
use crate::api::import_request::ImportFromS3;
use crate::api::read_requests::{ReadOperation, ReadRequest};
use crate::api::restore_requests::{PointInTimeRestore, RestoreFromBackup};
use crate::http::request::HttpRequest;
use crate::input::issue::{IssueCode, Issues, Location};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    ImportFromS3,
    RestoreFromBackup,
    RestorePointInTime,
    Read(ReadOperation),
}

impl Operation {
    pub fn parse(name: &str) -> Option<Operation> {
        match name {
            "importFromS3" => Some(Operation::ImportFromS3),
            "restoreFromBackup" => Some(Operation::RestoreFromBackup),
            "restorePointInTime" => Some(Operation::RestorePointInTime),
            other => ReadOperation::parse(other).map(Operation::Read),
        }
    }

    /// Restore triggers are not idempotent: never retried blindly.
    pub fn is_trigger(self) -> bool {
        !matches!(self, Operation::Read(_))
    }
}

/// A checked operation input. Serialises as the normalised input (secrets masked).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum OperationInput {
    Import(ImportFromS3),
    Backup(RestoreFromBackup),
    PointInTime(PointInTimeRestore),
    #[serde(skip)]
    Read(ReadRequest),
}

impl OperationInput {
    pub fn read(operation: Operation, value: &Value, random: [u8; 16], issues: &mut Issues) -> Option<OperationInput> {
        match operation {
            Operation::ImportFromS3 => ImportFromS3::from_input(value, random, issues).map(OperationInput::Import),
            Operation::RestoreFromBackup => RestoreFromBackup::from_input(value, issues).map(OperationInput::Backup),
            Operation::RestorePointInTime => {
                PointInTimeRestore::from_input(value, issues).map(OperationInput::PointInTime)
            }
            Operation::Read(read) => ReadRequest::from_input(read, value, issues).map(OperationInput::Read),
        }
    }

    pub fn to_http_request(&self, config: &ClientConfig, reveal: bool) -> HttpRequest {
        match self {
            OperationInput::Import(import) => import.to_http_request(config, reveal),
            OperationInput::Backup(backup) => backup.to_http_request(config, reveal),
            OperationInput::PointInTime(pitr) => pitr.to_http_request(config, reveal),
            OperationInput::Read(read) => read.to_http_request(config, reveal),
        }
    }

    pub fn instance_id(&self) -> Option<&str> {
        Some(match self {
            OperationInput::Import(import) => &import.instance_id,
            OperationInput::Backup(backup) => &backup.instance_id,
            OperationInput::PointInTime(pitr) => &pitr.instance_id,
            OperationInput::Read(read) => &read.instance_id,
        })
    }

    /// The database a trigger creates (for the exactly-once check and the waiter).
    pub fn target_database(&self) -> Option<&str> {
        match self {
            OperationInput::Import(import) => Some(&import.database_name),
            OperationInput::Backup(backup) => Some(&backup.database_name),
            OperationInput::PointInTime(pitr) => Some(&pitr.name),
            OperationInput::Read(_) => None,
        }
    }
}

/// Config and input both checked; `None` config means "validate the input alone".
pub struct Checked {
    pub config: Option<ClientConfig>,
    pub input: Option<OperationInput>,
    pub issues: Issues,
}

pub fn check(operation_name: &str, config: Option<&Value>, input: &Value, random: [u8; 16]) -> Checked {
    let mut issues = Issues::default();
    let config = config.and_then(|c| ClientConfig::from_input(c, &mut issues));
    let input = match Operation::parse(operation_name) {
        Some(operation) => OperationInput::read(operation, input, random, &mut issues),
        None => {
            issues.error(
                &Location::new("operation", ""),
                IssueCode::Unknown,
                format!("unknown operation {operation_name:?}"),
            );
            None
        }
    };
    Checked { config, input, issues }
}
