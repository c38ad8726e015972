//! The instance checks: every finding from the reads' outcomes, skipping, and a failed or refused
//! read that never hides the other checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use sqlserverflex_restore::api::responses::{parse_instance, parse_restore_jobs, Instance};
use sqlserverflex_restore::api::version::ApiVersion;
use sqlserverflex_restore::backup::instance_check::{judge, Check, Login, Observations, Read};
use sqlserverflex_restore::backup::preflight::{assess, FindingCode, Severity, Verdict};

fn instance(state: &str, version: &str, storage_gb: i64) -> Instance {
    let body = format!(
        r#"{{"id":"i","name":"sql","state":"{state}","flavorId":"f","edition":"Standard","replicas":1,"version":"{version}",
        "storage":{{"class":"premium","size":{storage_gb}}},"backupSchedule":"0 3 * * *","isDeletable":true,"retentionDays":32,"network":{{}}}}"#
    );
    parse_instance(&body, ApiVersion::V3).unwrap()
}

fn login(name: &str, status: &str) -> Login {
    Login { name: name.to_owned(), status: status.to_owned() }
}

fn healthy() -> Observations {
    Observations {
        instance_id: "i".to_owned(),
        database_name: "sales".to_owned(),
        owner: Some("app_owner".to_owned()),
        instance: Read::Done(instance("READY", "2022", 40)),
        database: Read::NotFound,
        logins: Read::Done(vec![login("sa_admin", "ACTIVE"), login("APP_OWNER", "ACTIVE")]),
        restore_jobs: Read::Done(parse_restore_jobs(r#"{"runningRestores":[]}"#).unwrap()),
        database_version: Some(957),
        backup_size: Some(5 << 30),
        restore_size: None,
        skipped: Vec::new(),
    }
}

fn codes(o: &Observations) -> Vec<(FindingCode, Severity)> {
    judge(o).findings.iter().map(|f| (f.code, f.severity)).collect()
}

#[test]
fn a_ready_instance_passes_every_check() {
    let result = judge(&healthy());
    assert!(result.findings.is_empty(), "{:?}", result.findings);
    assert!(result.checks.iter().all(|c| c.status == "passed"), "{:?}", result.checks);
}

#[test]
fn each_problem_has_its_finding() {
    use FindingCode::*;
    let running = parse_restore_jobs(
        r#"{"runningRestores":[{"command":"RESTORE DATABASE","database_name":"SALES","estimated_completion_time":"2024-01-01T10:00:00","percent_complete":40,"start_time":"2024-01-01T09:00:00"}]}"#,
    )
    .unwrap();
    let cases: Vec<(Observations, FindingCode, Severity)> = vec![
        (
            Observations { instance: Read::Done(instance("PROGRESSING", "2022", 40)), ..healthy() },
            InstanceNotReady,
            Severity::Error,
        ),
        (Observations { database: Read::Done(()), ..healthy() }, DatabaseExists, Severity::Error),
        (Observations { owner: Some("nobody".to_owned()), ..healthy() }, OwnerNotFound, Severity::Error),
        (Observations { restore_jobs: Read::Done(running), ..healthy() }, RestoreAlreadyRunning, Severity::Error),
        (Observations { database_version: Some(998), ..healthy() }, BackupNewerThanInstance, Severity::Error),
        (Observations { backup_size: Some(41 << 30), ..healthy() }, StorageTooSmall, Severity::Warning),
        (Observations { restore_size: Some(41 << 30), ..healthy() }, StorageTooSmall, Severity::Warning),
        (Observations { database_version: Some(611), ..healthy() }, BackupTooOld, Severity::Error),
        (Observations { logins: Read::Forbidden, ..healthy() }, MissingPermission, Severity::Warning),
        (
            Observations { restore_jobs: Read::Failed("timeout".to_owned()), ..healthy() },
            CheckFailed,
            Severity::Warning,
        ),
    ];
    for (observations, code, severity) in cases {
        assert_eq!(codes(&observations), vec![(code, severity)], "{code:?}");
    }
}

#[test]
fn a_missing_instance_is_one_finding() {
    let o = Observations { instance: Read::NotFound, database: Read::NotFound, logins: Read::NotFound, ..healthy() };
    assert_eq!(codes(&o), vec![(FindingCode::InstanceNotFound, Severity::Error)]);
}

#[test]
fn a_refused_read_names_its_permission_and_the_others_still_run() {
    let o = Observations { database: Read::Forbidden, owner: Some("ghost".to_owned()), ..healthy() };
    let result = judge(&o);
    let permission = result.findings.iter().find(|f| f.code == FindingCode::MissingPermission).unwrap();
    assert!(permission.message.contains("sqlserver-flex.database.get"), "{}", permission.message);
    assert!(result.findings.iter().any(|f| f.code == FindingCode::OwnerNotFound));
    let status = |check| result.checks.iter().find(|c| c.check == check).unwrap().status;
    assert_eq!(status(Check::Database), "unavailable");
    assert_eq!(status(Check::Owner), "problem");
    assert_eq!(status(Check::Instance), "passed");
}

#[test]
fn skipped_checks_report_nothing() {
    let o = Observations {
        instance: Read::Skipped,
        database: Read::Done(()),
        skipped: vec![Check::Instance, Check::Version, Check::Storage, Check::Database],
        ..healthy()
    };
    assert!(codes(&o).is_empty());
    assert_eq!(Check::parse("restoreJobs"), Some(Check::RestoreJobs));
    assert_eq!(Check::parse("nope"), None);
}

#[test]
fn an_unknown_release_or_missing_facts_skip_the_version_and_storage_checks() {
    let o = Observations {
        instance: Read::Done(instance("READY", "2031", 1)),
        database_version: Some(999),
        backup_size: None,
        ..healthy()
    };
    let result = judge(&o);
    assert!(result.findings.is_empty(), "{:?}", result.findings);
    let status = |check| result.checks.iter().find(|c| c.check == check).unwrap().status;
    assert_eq!(status(Check::Version), "unavailable");
    assert_eq!(status(Check::Storage), "unavailable");
}

#[test]
fn instance_findings_join_the_backup_report_and_its_verdict() {
    let report = assess(&[], None);
    assert_eq!(report.verdict, Verdict::Ok);
    let findings = judge(&Observations { database: Read::Done(()), ..healthy() }).findings;
    let merged = report.with_findings(findings);
    assert_eq!(merged.verdict, Verdict::Error);
    assert_eq!(merged.findings[0].code, FindingCode::DatabaseExists);
}

#[test]
fn storage_is_judged_by_the_database_files_when_the_header_lists_them() {
    // A 2 GB backup of a database whose files take 100 GB does not fit 40 GB …
    let big_files = Observations { backup_size: Some(2 << 30), restore_size: Some(100 << 30), ..healthy() };
    let result = judge(&big_files);
    let finding = result.findings.iter().find(|f| f.code == FindingCode::StorageTooSmall).unwrap();
    assert!(finding.message.contains("database files of 107374182400 bytes"), "{}", finding.message);
    // … while a large backup whose files fit passes: the files, not the backup, are what is allocated.
    let fits = Observations { backup_size: Some(41 << 30), restore_size: Some(30 << 30), ..healthy() };
    assert!(codes(&fits).is_empty());
    // Without the file sizes the backup size is compared, and the message says so.
    let unknown = Observations { backup_size: Some(41 << 30), restore_size: None, ..healthy() };
    let message = judge(&unknown).findings.into_iter().next().unwrap().message;
    assert!(message.contains("could not be read from the header"), "{message}");
}

#[test]
fn an_instance_finding_replaces_the_backups_own_of_the_same_code() {
    // The backup preflight judges a SQL Server 2005 backup against every release STACKIT offers; the
    // instance check knows the instance's release, and its finding takes the place of the first.
    let mut backup = assess(&[], None);
    backup.findings.push(sqlserverflex_restore::backup::preflight::Finding {
        code: FindingCode::BackupTooOld,
        severity: Severity::Error,
        message: "generic".to_owned(),
        path: Some("s3://h/b/old.bak".to_owned()),
    });
    let instance = judge(&Observations { database_version: Some(611), ..healthy() }).findings;
    let merged = backup.with_findings(instance);
    let too_old: Vec<&str> =
        merged.findings.iter().filter(|f| f.code == FindingCode::BackupTooOld).map(|f| f.message.as_str()).collect();
    assert_eq!(too_old.len(), 1);
    assert!(too_old[0].contains("SQL Server 2022"), "{}", too_old[0]);
}

#[test]
fn an_owner_login_that_is_not_active_yet_is_a_warning() {
    for status in ["PENDING", "CREATING", "locked"] {
        let o = Observations { logins: Read::Done(vec![login("app_owner", status)]), ..healthy() };
        let found = judge(&o);
        assert_eq!(codes(&o), vec![(FindingCode::OwnerNotReady, Severity::Warning)], "{status}");
        assert!(found.findings[0].message.contains(&format!("is {status}, not ACTIVE yet")));
    }
    for status in ["ACTIVE", "active", ""] {
        let o = Observations { logins: Read::Done(vec![login("app_owner", status)]), ..healthy() };
        assert_eq!(codes(&o), vec![], "{status:?} is ready (or says nothing)");
    }
}
