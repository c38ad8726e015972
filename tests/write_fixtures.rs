//! Writes synthetic `.bak` files (from the documented MTF layout, via the fixture writer) for the JS
//! preflight tests and benchmarks: into `$SSFR_FIXTURE_DIR` when set. Checks each file parses back.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

#[path = "support/mtf_writer.rs"]
mod mtf_writer;

use mtf_writer::{compressed_bak, fake_bak_with_pages, striped_set, FixtureSpec};
use sqlserverflex_restore::mtf::{inspect, BackupKind, BackupType};

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let full = FixtureSpec { backup_date: (2024, 3, 1, 8, 0, 0), ..FixtureSpec::default() };
    files.push(("single/full.bak".to_owned(), fake_bak_with_pages(&full, 64).bytes));

    let mut newer = FixtureSpec { backup_date: (2024, 6, 1, 8, 0, 0), ..FixtureSpec::default() };
    newer.media_set_guid[0] = 0xa1;
    newer.backup_set_guid[0] = 0xa1;
    for (i, bytes) in striped_set(&newer, 3).into_iter().enumerate() {
        files.push((format!("striped/sales-{}of3.bak", i + 1), bytes));
    }
    let mut older = FixtureSpec { backup_date: (2024, 1, 1, 8, 0, 0), ..FixtureSpec::default() };
    older.media_set_guid[0] = 0xb2;
    older.backup_set_guid[0] = 0xb2;
    for (i, bytes) in striped_set(&older, 2).into_iter().enumerate() {
        files.push((format!("striped/old-{}of2.bak", i + 1), bytes));
    }
    let log = FixtureSpec {
        backup_type: BackupType::Log,
        media_set_guid: [0xc3; 16],
        backup_set_guid: [0xc3; 16],
        ..FixtureSpec::default()
    };
    files.push(("single/log.bak".to_owned(), fake_bak_with_pages(&log, 4).bytes));
    files.push(("single/compressed.bak".to_owned(), compressed_bak(8192)));
    // For the tail and instance checks: a full backup cut short (no ESET at its end), and one of a
    // database version newer than SQL Server 2022 reads.
    let mut cut = fake_bak_with_pages(&full, 64).bytes;
    cut.truncate(cut.len() - 4096);
    files.push(("checks/truncated.bak".to_owned(), cut));
    let future =
        FixtureSpec { database_version: 998, media_set_guid: [0xe5; 16], backup_set_guid: [0xe5; 16], ..full.clone() };
    files.push(("checks/future.bak".to_owned(), fake_bak_with_pages(&future, 4).bytes));
    files.push(("single/not-a-backup.bak".to_owned(), b"PK\x03\x04 this is a zip".to_vec()));
    // 64 stripes of one set, for the preflight benchmark.
    let mut wide = FixtureSpec { backup_date: (2024, 9, 1, 8, 0, 0), ..FixtureSpec::default() };
    wide.media_set_guid[0] = 0xd4;
    wide.backup_set_guid[0] = 0xd4;
    for (i, bytes) in striped_set(&wide, 64).into_iter().enumerate() {
        files.push((format!("wide/wide-{:02}of64.bak", i + 1), bytes));
    }
    files
}

#[test]
fn fixtures_parse_back_and_are_written_when_asked() {
    let files = fixtures();
    for (name, bytes) in &files {
        let header = inspect(bytes);
        let expected = if name.contains("compressed") {
            BackupKind::EncryptedOrUnreadable
        } else if name.contains("not-a-backup") {
            BackupKind::NotSqlBackup
        } else {
            BackupKind::Mtf
        };
        assert_eq!(header.kind, expected, "{name}");
    }
    if let Ok(dir) = std::env::var("SSFR_FIXTURE_DIR") {
        for (name, bytes) in &files {
            let path = std::path::Path::new(&dir).join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    }
}
