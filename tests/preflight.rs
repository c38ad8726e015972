//! The preflight verdict from synthetic backups (fixture writer): every finding code, the stripe
//! order, and discovery of the newest complete full set.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

#[path = "support/mtf_writer.rs"]
mod mtf_writer;

use mtf_writer::{compressed_bak, fake_bak, striped_set, FixtureSpec};
use sqlserverflex_restore::backup::mtf::{inspect, BackupKind, BackupType};
use sqlserverflex_restore::backup::preflight::{
    assess, discover, FileProbe, FindingCode, Probe, SetProbe, Severity, TailProbe, Verdict,
};

const HEADER_BYTES: usize = 65_536;

/// A stored object read as the preflight reads it by default: its first and last 64 KiB, and 64 KiB
/// at each later backup set the filemark table lists.
fn read(path: &str, number: Option<i32>, bytes: &[u8]) -> FileProbe {
    let header = inspect(&bytes[..bytes.len().min(HEADER_BYTES)]);
    let start = bytes.len().saturating_sub(HEADER_BYTES);
    let tail = TailProbe::read(&bytes[start..], start as u64, Some(bytes.len() as u64), None);
    let later_sets = tail
        .later_set_starts(&header)
        .into_iter()
        .map(|(position, offset)| {
            let from = (offset as usize).min(bytes.len());
            SetProbe::read(position, offset, &bytes[from..(from + HEADER_BYTES).min(bytes.len())], &header)
        })
        .collect();
    let tail = (header.kind == BackupKind::Mtf).then_some(tail);
    FileProbe {
        path: path.to_owned(),
        number,
        probe: Probe::Read { size: Some(bytes.len() as u64), etag: None, header: Box::new(header), tail, later_sets },
    }
}

fn codes(report: &sqlserverflex_restore::backup::preflight::Report) -> Vec<(FindingCode, Severity)> {
    report.findings.iter().map(|f| (f.code, f.severity)).collect()
}

#[test]
fn a_plain_full_backup_is_ok() {
    let bytes = fake_bak(&FixtureSpec::default());
    let report = assess(&[read("s3://h/b/db.bak", Some(1), &bytes)], Some("SalesDb"));
    assert_eq!(report.verdict, Verdict::Ok, "{:?}", report.findings);
    assert_eq!(report.files_in_order.as_ref().map(Vec::len), Some(1));
    assert_eq!(report.total_size, bytes.len() as u64);
    // The default fixture lists a 100 MiB data file and an 8 MiB log: what a restore allocates.
    assert_eq!(report.restore_size, Some(108 << 20));
    assert_eq!(report.files[0].restore_size, Some(108 << 20));
    assert_eq!(report.database_version, Some(957));
}

#[test]
fn single_file_problems() {
    let log = fake_bak(&FixtureSpec { backup_type: BackupType::Log, ..FixtureSpec::default() });
    let diff = fake_bak(&FixtureSpec { backup_type: BackupType::Differential, ..FixtureSpec::default() });
    let password = fake_bak(&FixtureSpec { password_protected: true, ..FixtureSpec::default() });
    let cases: Vec<(Vec<u8>, FindingCode, Severity)> = vec![
        (log, FindingCode::LogBackup, Severity::Error),
        (diff, FindingCode::DifferentialWithoutFull, Severity::Error),
        (password, FindingCode::PasswordProtected, Severity::Error),
        (compressed_bak(4096), FindingCode::EncryptedOrUnreadable, Severity::Error),
        (b"PK\x03\x04 a zip file".to_vec(), FindingCode::NotSqlBackup, Severity::Error),
    ];
    for (bytes, code, severity) in cases {
        let report = assess(&[read("s3://h/b/x.bak", Some(1), &bytes)], None);
        assert!(codes(&report).contains(&(code, severity)), "{code:?}: {:?}", report.findings);
        let expected = if severity == Severity::Error { Verdict::Error } else { Verdict::Warning };
        assert_eq!(report.verdict, expected);
    }
}

#[test]
fn unreadable_objects() {
    let probes = [
        FileProbe { path: "s3://h/b/1.bak".into(), number: Some(1), probe: Probe::Missing },
        FileProbe {
            path: "s3://h/b/2.bak".into(),
            number: Some(2),
            probe: Probe::AccessDenied { message: "SignatureDoesNotMatch".into() },
        },
        FileProbe { path: "s3://h/b/3.bak".into(), number: Some(3), probe: Probe::Failed { message: "CORS".into() } },
    ];
    let report = assess(&probes, None);
    let found: Vec<FindingCode> = report.findings.iter().map(|f| f.code).collect();
    assert_eq!(found, vec![FindingCode::ObjectMissing, FindingCode::AccessDenied, FindingCode::ReadFailed]);
    assert_eq!(report.verdict, Verdict::Error);
    assert!(report.files_in_order.is_none());
}

#[test]
fn a_striped_set_with_a_member_missing() {
    let spec = FixtureSpec::default();
    let stripes = striped_set(&spec, 3);
    let report =
        assess(&[read("s3://h/b/s1.bak", Some(1), &stripes[0]), read("s3://h/b/s3.bak", Some(2), &stripes[2])], None);
    let missing = report.findings.iter().find(|f| f.code == FindingCode::StripeMissing).unwrap();
    assert_eq!(missing.message, "the backup is striped over 3 files; have 1, 3, missing 2");
    assert_eq!(report.verdict, Verdict::Error);
}

#[test]
fn file_numbers_are_corrected_from_the_family_sequence() {
    let stripes = striped_set(&FixtureSpec::default(), 3);
    let probes = [
        read("s3://h/b/c.bak", Some(1), &stripes[2]),
        read("s3://h/b/a.bak", Some(2), &stripes[0]),
        read("s3://h/b/b.bak", Some(3), &stripes[1]),
    ];
    let report = assess(&probes, None);
    assert!(codes(&report).contains(&(FindingCode::FileOrderCorrected, Severity::Warning)));
    let order: Vec<(i32, &str)> =
        report.files_in_order.as_ref().unwrap().iter().map(|f| (f.number, f.path.as_str())).collect();
    assert_eq!(order, vec![(1, "s3://h/b/a.bak"), (2, "s3://h/b/b.bak"), (3, "s3://h/b/c.bak")]);
}

#[test]
fn files_of_different_backups_are_mixed_media_sets() {
    let a = fake_bak(&FixtureSpec::default());
    let mut other = FixtureSpec::default();
    other.media_set_guid[0] = 0x99;
    other.backup_set_guid[0] = 0x99;
    let b = fake_bak(&FixtureSpec { family_count: 2, family_sequence: 2, ..other });
    let report = assess(&[read("s3://h/b/a.bak", Some(1), &a), read("s3://h/b/b.bak", Some(2), &b)], None);
    assert!(codes(&report).contains(&(FindingCode::MixedMediaSets, Severity::Error)));
}

#[test]
fn a_different_database_name_is_information_only() {
    let report = assess(&[read("s3://h/b/db.bak", Some(1), &fake_bak(&FixtureSpec::default()))], Some("Reporting"));
    assert_eq!(codes(&report), vec![(FindingCode::DatabaseNameDiffers, Severity::Info)]);
    assert_eq!(report.verdict, Verdict::Ok);
}

#[test]
fn discovery_proposes_the_newest_complete_full_set() {
    let old = FixtureSpec { backup_date: (2024, 1, 1, 0, 0, 0), ..FixtureSpec::default() };
    let mut newer = FixtureSpec { backup_date: (2024, 6, 1, 0, 0, 0), ..FixtureSpec::default() };
    newer.media_set_guid[0] = 0x42;
    newer.backup_set_guid[0] = 0x42;
    let mut newest_incomplete = FixtureSpec { backup_date: (2024, 9, 1, 0, 0, 0), ..FixtureSpec::default() };
    newest_incomplete.media_set_guid[0] = 0x43;
    newest_incomplete.backup_set_guid[0] = 0x43;
    let log = FixtureSpec {
        backup_type: BackupType::Log,
        backup_date: (2024, 12, 1, 0, 0, 0),
        media_set_guid: [7; 16],
        ..FixtureSpec::default()
    };
    let old_set = striped_set(&old, 2);
    let new_set = striped_set(&newer, 2);
    let incomplete = striped_set(&newest_incomplete, 3);
    let probes = vec![
        read("s3://h/b/old-1.bak", None, &old_set[0]),
        read("s3://h/b/old-2.bak", None, &old_set[1]),
        read("s3://h/b/new-2.bak", None, &new_set[1]),
        read("s3://h/b/new-1.bak", None, &new_set[0]),
        read("s3://h/b/x-1.bak", None, &incomplete[0]),
        read("s3://h/b/log.bak", None, &fake_bak(&log)),
        read("s3://h/b/junk.bak", None, b"nope"),
    ];
    let discovery = discover(&probes);
    assert_eq!(discovery.sets.len(), 4);
    let proposal: Vec<(i32, &str)> =
        discovery.proposal.as_ref().unwrap().iter().map(|f| (f.number, f.path.as_str())).collect();
    assert_eq!(proposal, vec![(1, "s3://h/b/new-1.bak"), (2, "s3://h/b/new-2.bak")]);
}

fn with_tail(path: &str, bytes: &[u8], stored: &[u8]) -> FileProbe {
    let start = stored.len().saturating_sub(65_536);
    let tail = &stored[start..];
    FileProbe {
        path: path.to_owned(),
        number: Some(1),
        probe: Probe::Read {
            size: Some(bytes.len() as u64),
            etag: Some("a".to_owned()),
            header: Box::new(inspect(bytes)),
            tail: Some(TailProbe::read(
                tail,
                start as u64,
                Some(stored.len() as u64),
                Some(if stored.len() == bytes.len() { "a" } else { "b" }.to_owned()),
            )),
            later_sets: Vec::new(),
        },
    }
}

#[test]
fn the_tail_shows_a_complete_or_a_cut_file() {
    let whole = mtf_writer::fake_bak_with_pages(&FixtureSpec::default(), 64).bytes;
    let complete = assess(&[with_tail("s3://h/b/db.bak", &whole, &whole)], None);
    assert_eq!(complete.verdict, Verdict::Ok, "{:?}", complete.findings);
    assert!(complete.files[0].tail.as_ref().unwrap().end_of_set_offset.is_some());

    let cut = &whole[..whole.len() - 4096];
    let truncated = assess(&[with_tail("s3://h/b/db.bak", cut, cut)], None);
    assert_eq!(codes(&truncated), vec![(FindingCode::EndOfSetMissing, Severity::Warning)]);

    let changed = assess(&[with_tail("s3://h/b/db.bak", cut, &whole)], None);
    assert_eq!(codes(&changed), vec![(FindingCode::ObjectChanged, Severity::Warning)]);
}
