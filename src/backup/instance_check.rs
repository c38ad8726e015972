//! Will this instance accept this restore? Judges what the instance reads returned (instance, target
//! database, logins, running restores) together with the backup's facts, as findings for the same
//! preflight report. Pure: the bindings make the reads, concurrently and through the client.

use serde::Serialize;
use serde_json::Value;

use crate::api::responses::{Instance, RestoreJobs};
use crate::backup::mtf;
use crate::backup::preflight::{Collector, Finding, FindingCode, Severity};
use crate::input::field_rules::read_instance_id;
use crate::input::issue::{IssueCode, Issues, Location};
use crate::input::reader::ObjectReader;

/// Storage sizes are given in GB; taken as GiB, the larger reading, so the warning never comes early.
const BYTES_PER_GB: u64 = 1 << 30;

/// What the client's preflight checks on the instance: `{ instanceId, databaseName, databaseOwner? }`
/// (its `s3`, if any, is the backup preflight's input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckTarget {
    pub instance_id: String,
    pub database_name: String,
    pub owner: Option<String>,
}

impl CheckTarget {
    /// Reads the fields; every problem goes to `issues`. `None` when a required one is missing (the
    /// caller still refuses on any error in `issues`, also ones it finds after this).
    pub fn from_input(value: &Value, issues: &mut Issues) -> Option<CheckTarget> {
        let root = ObjectReader::new(Some(value), Location::new("", ""), issues);
        let instance_id = read_instance_id(&root, issues);
        let database_name =
            root.required_string("databaseName", &Location::new("databaseName", "/databaseName"), issues);
        let owner = root.optional_string("databaseOwner", &Location::new("databaseOwner", "/databaseOwner"), issues);
        Some(CheckTarget { instance_id: instance_id?, database_name: database_name?, owner })
    }
}

/// The checks, each skippable by name (`skip: ["storage", …]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Check {
    /// `GET …/instances/{id}`: exists and READY.
    Instance,
    /// `GET …/databases/{name}`: the target does not exist yet.
    Database,
    /// `GET …/users` (all pages): the owner is a login.
    Owner,
    /// `GET …/restore-jobs`: no restore of the target running.
    RestoreJobs,
    /// The backup's database version against the instance's SQL Server version.
    Version,
    /// The backup set's size against the instance's storage.
    Storage,
}

impl Check {
    pub const ALL: [Check; 6] =
        [Check::Instance, Check::Database, Check::Owner, Check::RestoreJobs, Check::Version, Check::Storage];

    pub fn name(self) -> &'static str {
        match self {
            Check::Instance => "instance",
            Check::Database => "database",
            Check::Owner => "owner",
            Check::RestoreJobs => "restoreJobs",
            Check::Version => "version",
            Check::Storage => "storage",
        }
    }

    pub fn parse(name: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The entries of the client preflight's `skip` list (`None` for one that is not a string): the
    /// checks to skip, and whether `backup` (the S3 preflight) is skipped. A bad entry is an issue at `at`.
    pub fn parse_skips(
        names: impl IntoIterator<Item = Option<String>>,
        at: &Location,
        issues: &mut Issues,
    ) -> (Vec<Check>, bool) {
        let (mut checks, mut backup) = (Vec::new(), false);
        for name in names {
            match name.as_deref() {
                Some("backup") => backup = true,
                Some(text) if Check::parse(text).is_some() => checks.extend(Check::parse(text)),
                _ => issues.error(
                    at,
                    IssueCode::Format,
                    "names one of backup, instance, database, owner, restoreJobs, version, storage",
                ),
            }
        }
        (checks, backup)
    }

    /// The IAM permission of the call behind the check (the OpenAPI specs' `x-stackit-authorization`).
    pub fn permission(self) -> &'static str {
        match self {
            Check::Instance | Check::Version | Check::Storage => "sqlserver-flex.instance.get",
            Check::Database => "sqlserver-flex.database.get",
            Check::Owner => "sqlserver-flex.user.list",
            Check::RestoreJobs => "sqlserver-flex.restore.list",
        }
    }
}

/// How one read ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Read<T> {
    /// Not made: every check needing it was skipped.
    Skipped,
    Done(T),
    /// 404.
    NotFound,
    /// 403: the caller lacks the permission.
    Forbidden,
    /// Anything else (network, timeout, 5xx after retries, 401, a malformed answer).
    Failed(String),
}

/// Everything the judging needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Observations {
    pub instance_id: String,
    pub database_name: String,
    /// `None` for restores that name no owner.
    pub owner: Option<String>,
    pub instance: Read<Instance>,
    /// `Done(())` = the database exists.
    pub database: Read<()>,
    /// Every login name, from all pages.
    pub logins: Read<Vec<Login>>,
    pub restore_jobs: Read<RestoreJobs>,
    /// From the backup report, when a backup was checked.
    pub database_version: Option<u16>,
    pub backup_size: Option<u64>,
    /// The total size of the database files the backup lists, when known (`Report::restore_size`).
    pub restore_size: Option<u64>,
    pub skipped: Vec<Check>,
}

/// A login of the instance (`GET …/users`): its name and `status` (free text in the spec, `ACTIVE`
/// in its example).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    pub name: String,
    pub status: String,
}

impl Login {
    /// Not ready yet: a status other than `ACTIVE` (STACKIT's own Terraform provider waits for a new
    /// user's status to settle before using it, docs/stackit-api.md "Errors"). An empty status says nothing.
    pub fn is_pending(&self) -> bool {
        !self.status.is_empty() && !self.status.eq_ignore_ascii_case("ACTIVE")
    }
}

/// What became of one check, for a report table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckOutcome {
    pub check: Check,
    /// `passed`, `problem` (a finding says what), `skipped`, `unavailable` (the read failed or
    /// the facts are missing).
    pub status: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceCheck {
    pub findings: Vec<Finding>,
    pub checks: Vec<CheckOutcome>,
}

/// Judges the reads; a failed read yields its own finding and never hides the other checks.
pub fn judge(o: &Observations) -> InstanceCheck {
    let mut findings = Collector(Vec::new());
    let mut checks = Vec::new();
    let instance_missing = o.instance == Read::NotFound;
    for check in Check::ALL {
        let status = if o.skipped.contains(&check) {
            "skipped"
        } else if instance_missing && check != Check::Instance {
            // Every instance-scoped read answers 404 then: nothing more to learn.
            "unavailable"
        } else {
            let before = findings.0.len();
            let ran = judge_one(check, o, &mut findings);
            match (ran, findings.0.len() > before) {
                (false, _) => "unavailable",
                (true, true) => "problem",
                (true, false) => "passed",
            }
        };
        checks.push(CheckOutcome { check, status });
    }
    InstanceCheck { findings: findings.0, checks }
}

/// Adds the check's findings; `false` when it could not be judged.
fn judge_one(check: Check, o: &Observations, findings: &mut Collector) -> bool {
    match check {
        Check::Instance => read_or_report(check, &o.instance, "the instance", findings, |instance, f| {
            if !instance.is_ready() {
                f.add(
                    FindingCode::InstanceNotReady,
                    Severity::Error,
                    format!("instance {} is {}: a restore needs it READY", instance.name, instance.state),
                    None,
                );
            }
        }),
        Check::Database => match &o.database {
            Read::NotFound => true,
            other => read_or_report(check, other, "the target database", findings, |(), f| {
                f.add(
                    FindingCode::DatabaseExists,
                    Severity::Error,
                    format!(
                        "database {} already exists on the instance: a restore creates a new database",
                        o.database_name
                    ),
                    None,
                );
            }),
        },
        Check::Owner => {
            let Some(owner) = &o.owner else { return false };
            read_or_report(check, &o.logins, "the logins", findings, |logins, f| {
                match logins.iter().find(|l| l.name.eq_ignore_ascii_case(owner)) {
                    None => f.add(
                        FindingCode::OwnerNotFound,
                        Severity::Error,
                        format!("the owner {owner} is not a login of the instance ({} logins)", logins.len()),
                        None,
                    ),
                    Some(login) if login.is_pending() => f.add(
                        FindingCode::OwnerNotReady,
                        Severity::Warning,
                        format!(
                            "the owner login {} is {}, not ACTIVE yet: a restore may fail until it is ready",
                            login.name, login.status
                        ),
                        None,
                    ),
                    Some(_) => {}
                }
            })
        }
        Check::RestoreJobs => read_or_report(check, &o.restore_jobs, "the running restores", findings, |jobs, f| {
            // Database names compare case-insensitively on SQL Server (default collations).
            let running = jobs.running_restores.iter().find(|j| j.database_name.eq_ignore_ascii_case(&o.database_name));
            if let Some(job) = running {
                f.add(
                    FindingCode::RestoreAlreadyRunning,
                    Severity::Error,
                    format!("a restore of {} is already running ({} % done)", job.database_name, job.percent_clamped()),
                    None,
                );
            }
        }),
        Check::Version => judge_version(o, findings),
        Check::Storage => judge_storage(o, findings),
    }
}

/// Runs `judge` on a finished read, or reports why the check could not run.
fn read_or_report<T>(
    check: Check,
    read: &Read<T>,
    what: &str,
    findings: &mut Collector,
    judge: impl FnOnce(&T, &mut Collector),
) -> bool {
    match read {
        Read::Done(value) => {
            judge(value, findings);
            true
        }
        Read::Skipped => false,
        Read::NotFound if check == Check::Instance => {
            findings.add(
                FindingCode::InstanceNotFound,
                Severity::Error,
                "the instance does not exist in this project and region".to_owned(),
                None,
            );
            true
        }
        Read::NotFound => {
            findings.add(
                FindingCode::CheckFailed,
                Severity::Warning,
                format!("{what} could not be read (404); the {} check was not done", check.name()),
                None,
            );
            false
        }
        Read::Forbidden => {
            findings.add(
                FindingCode::MissingPermission,
                Severity::Warning,
                format!(
                    "reading {what} was refused (403): the {} check needs the permission {}",
                    check.name(),
                    check.permission()
                ),
                None,
            );
            false
        }
        Read::Failed(message) => {
            findings.add(
                FindingCode::CheckFailed,
                Severity::Warning,
                format!("{what} could not be read: {message}; the {} check was not done", check.name()),
                None,
            );
            false
        }
    }
}

/// A release reads backups of its own and older database versions only, back to SQL Server 2008.
fn judge_version(o: &Observations, findings: &mut Collector) -> bool {
    let Read::Done(instance) = &o.instance else { return false };
    let (Some(release), Some(version)) = (instance.version.as_deref(), o.database_version) else { return false };
    if version < mtf::OLDEST_RESTORABLE_VERSION {
        findings.add(
            FindingCode::BackupTooOld,
            Severity::Error,
            format!(
                "the backup has database version {version}, older than SQL Server {release} restores (SQL Server 2008, version {}, on); restore it on an intermediate server and back it up again",
                mtf::OLDEST_RESTORABLE_VERSION
            ),
            None,
        );
        return true;
    }
    let Some(newest) = mtf::newest_database_version(release) else { return false };
    if version > newest {
        findings.add(
            FindingCode::BackupNewerThanInstance,
            Severity::Error,
            format!(
                "the backup has database version {version}, newer than SQL Server {release} reads (up to {newest})"
            ),
            None,
        );
    }
    true
}

/// A restore creates the database files at their sizes when backed up, free space included, so the
/// files' total (from the header's file list) must fit the storage. Without that list, the backup's
/// own size is the lower bound compared. A warning: the storage may be resized first.
fn judge_storage(o: &Observations, findings: &mut Collector) -> bool {
    let Read::Done(instance) = &o.instance else { return false };
    let Some(gb) = instance.storage_size_gb else { return false };
    let capacity = u64::try_from(gb).unwrap_or(0).saturating_mul(BYTES_PER_GB);
    let message = match (o.restore_size.filter(|s| *s > 0), o.backup_size.filter(|s| *s > 0)) {
        (Some(files), _) if files > capacity => format!(
            "the restore creates database files of {files} bytes in all (their sizes when backed up), more than the instance's storage of {gb} GB"
        ),
        (Some(_), _) => return true,
        (None, Some(backup)) if backup > capacity => format!(
            "the backup set is {backup} bytes, more than the instance's storage of {gb} GB (the database files' sizes could not be read from the header, so the backup size was compared; the restore needs at least that much)"
        ),
        (None, Some(_)) => return true,
        (None, None) => return false,
    };
    findings.add(FindingCode::StorageTooSmall, Severity::Warning, message, None);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_targets_need_an_instance_and_a_database() {
        let read = |value: serde_json::Value| {
            let mut issues = Issues::default();
            let target = CheckTarget::from_input(&value, &mut issues);
            (target, issues.errors.iter().map(|i| (i.path.clone(), i.code)).collect::<Vec<_>>())
        };
        let id = "df727477-8991-486c-a3ed-d11d9d9beb1c";
        assert_eq!(
            read(serde_json::json!({ "instanceId": id, "databaseName": "db", "databaseOwner": "dbo" })),
            (
                Some(CheckTarget {
                    instance_id: id.to_owned(),
                    database_name: "db".to_owned(),
                    owner: Some("dbo".to_owned())
                }),
                vec![]
            )
        );
        assert_eq!(
            read(serde_json::json!({ "databaseOwner": 5 })),
            (
                None,
                vec![
                    ("/instanceId".to_owned(), IssueCode::Required),
                    ("/databaseName".to_owned(), IssueCode::Required),
                    ("/databaseOwner".to_owned(), IssueCode::Type)
                ]
            )
        );
    }

    #[test]
    fn skips_name_checks_or_the_backup() {
        let at = Location::new("skip", "/skip");
        let mut issues = Issues::default();
        let names = ["storage", "backup", "restoreJobs"].map(|n| Some(n.to_owned()));
        assert_eq!(Check::parse_skips(names, &at, &mut issues), (vec![Check::Storage, Check::RestoreJobs], true));
        assert!(issues.errors.is_empty());
        assert_eq!(Check::parse_skips([Some("nope".to_owned()), None], &at, &mut issues), (vec![], false));
        let found: Vec<_> = issues.errors.iter().map(|i| (i.path.as_str(), i.code)).collect();
        assert_eq!(found, vec![("/skip", IssueCode::Format), ("/skip", IssueCode::Format)]);
    }
}
