//! `GET …/instances/{instanceId}/restore-jobs` (OpenAPI specs in pkg-template/emulator/openapi: `ListCurrentRunningRestoreJobs`).
//!
//! A job has no id and no final state: it is listed while it runs (docs/stackit-api.md).

use serde::Serialize;

use super::reader::{int32, objects, read_body, string, ObjectAt, ParseError};
use crate::util::time::parse_api_time;

/// Schema `ListCurrentRunningRestoreJobs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreJobs {
    pub running_restores: Vec<RunningRestore>,
}

/// Schema `backup.runningRestore`. The wire names are snake_case; serialized here in camelCase.
/// The times are kept as sent (zone-less, e.g. `2023-09-25T12:17:30`); see [`parse_api_time`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunningRestore {
    pub command: String,
    pub database_name: String,
    pub estimated_completion_time: String,
    /// As sent; the spec documents 0..=100 (v3alpha1 `x-go-custom-tag`) but this does not enforce it.
    pub percent_complete: i32,
    pub start_time: String,
}

impl RunningRestore {
    /// `percent_complete` limited to 0..=100, for progress bars.
    pub fn percent_clamped(&self) -> u8 {
        u8::try_from(self.percent_complete.clamp(0, 100)).unwrap_or(100)
    }

    /// `start_time` as Unix milliseconds (zone-less read as UTC).
    pub fn start_time_ms(&self) -> Option<i64> {
        parse_api_time(&self.start_time)
    }

    /// `estimated_completion_time` as Unix milliseconds (zone-less read as UTC).
    pub fn estimated_completion_time_ms(&self) -> Option<i64> {
        parse_api_time(&self.estimated_completion_time)
    }
}

impl RestoreJobs {
    /// The running restore into `database_name` (exact match), if any.
    pub fn for_database(&self, database_name: &str) -> Option<&RunningRestore> {
        self.running_restores.iter().find(|job| job.database_name == database_name)
    }
}

/// Reads a 200 body of `GET …/restore-jobs`.
pub fn parse_restore_jobs(body: &str) -> Result<RestoreJobs, ParseError> {
    read_body(body, |root| {
        Ok(RestoreJobs { running_restores: root.required("runningRestores", |v, p| objects(v, p, running_restore))? })
    })
}

fn running_restore(o: &ObjectAt<'_>) -> Result<RunningRestore, ParseError> {
    Ok(RunningRestore {
        command: o.required("command", string)?,
        database_name: o.required("database_name", string)?,
        estimated_completion_time: o.required("estimated_completion_time", string)?,
        percent_complete: o.required("percent_complete", int32)?,
        start_time: o.required("start_time", string)?,
    })
}
