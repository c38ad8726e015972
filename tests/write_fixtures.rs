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

use mtf_writer::{
    compress_bak, encrypted_like_bak, fake_bak_with_pages, multi_set_bak, striped_set, FixtureFile, FixtureSpec,
};
use sqlserverflex_restore::backup::mtf::{inspect, BackupKind, BackupType};

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
    // A compressed full backup (what production servers write), and an MSSQLBAK file whose record
    // does not decode (the stand-in for WITH ENCRYPTION).
    let compressed = FixtureSpec { media_set_guid: [0xf1; 16], backup_set_guid: [0xf1; 16], ..full.clone() };
    files.push(("single/compressed.bak".to_owned(), compress_bak(&fake_bak_with_pages(&compressed, 64).bytes, 512)));
    files.push(("single/encrypted.bak".to_owned(), encrypted_like_bak(8192)));
    files.extend(production_fixtures(&full));
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

/// Backups as production servers write them: compressed (stripes with 4 KiB blocks, differential,
/// log), several sets in one file (plain and compressed), a SQL Server 2005 backup, a system
/// database, and a database whose files are far larger than its backup.
fn production_fixtures(full: &FixtureSpec) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let spec = |tag: u8, f: &dyn Fn(&mut FixtureSpec)| {
        let mut spec = FixtureSpec { media_set_guid: [tag; 16], backup_set_guid: [tag; 16], ..full.clone() };
        f(&mut spec);
        spec
    };
    let four_k = spec(0x41, &|s| {
        s.block_size = 4096;
        s.soft_filemark_units = 8;
    });
    for (i, bytes) in striped_set(&four_k, 2).into_iter().enumerate() {
        files.push((format!("production/compressed-4k-{}of2.bak", i + 1), compress_bak(&bytes, 4096)));
    }
    for (name, backup_type, tag) in [("diff", BackupType::Differential, 0x42), ("log", BackupType::Log, 0x43)] {
        let spec = spec(tag, &|s| s.backup_type = backup_type);
        files.push((
            format!("production/compressed-{name}.bak"),
            compress_bak(&fake_bak_with_pages(&spec, 16).bytes, 512),
        ));
    }
    // Appended sets (BACKUP … WITH NOINIT): the import restores set 1, the oldest.
    let set = |tag: u8, backup_type: BackupType, month: u8| {
        spec(tag, &|s| {
            s.backup_type = backup_type;
            s.backup_date = (2024, month, 1, 22, 0, 0);
        })
    };
    let two = [set(0x51, BackupType::Full, 1), set(0x52, BackupType::Full, 2)];
    files.push(("production/appended-2sets.bak".to_owned(), multi_set_bak(&two, 16).bytes));
    let six = [
        set(0x61, BackupType::Full, 1),
        set(0x62, BackupType::Differential, 2),
        set(0x63, BackupType::Log, 3),
        set(0x64, BackupType::Log, 4),
        set(0x65, BackupType::Full, 5),
        set(0x66, BackupType::Differential, 6),
    ];
    files.push(("production/appended-6sets.bak".to_owned(), multi_set_bak(&six, 16).bytes));
    files.push(("production/appended-compressed.bak".to_owned(), compress_bak(&multi_set_bak(&two, 16).bytes, 512)));
    let old = spec(0x71, &|s| s.database_version = 611);
    files.push(("production/sql2005.bak".to_owned(), fake_bak_with_pages(&old, 4).bytes));
    let master = spec(0x72, &|s| s.database_name = "master".to_owned());
    files.push(("production/master.bak".to_owned(), fake_bak_with_pages(&master, 4).bytes));
    // A 600 KiB backup of a database whose data file takes 100 GiB: the restore needs the files' size.
    let big =
        spec(0x73, &|s| s.files = vec![FixtureFile::data("SalesDb", 100 << 30), FixtureFile::log("SalesDb", 2 << 30)]);
    files.push(("production/big-files.bak".to_owned(), fake_bak_with_pages(&big, 64).bytes));
    files
}

#[test]
fn fixtures_parse_back_and_are_written_when_asked() {
    let files = fixtures();
    for (name, bytes) in &files {
        let header = inspect(bytes);
        let expected = if name.contains("encrypted") {
            BackupKind::EncryptedOrUnreadable
        } else if name.contains("not-a-backup") {
            BackupKind::NotSqlBackup
        } else {
            BackupKind::Mtf
        };
        assert_eq!(header.kind, expected, "{name}");
        assert_eq!(header.compressed, name.contains("compressed"), "{name}");
    }
    if let Ok(dir) = std::env::var("SSFR_FIXTURE_DIR") {
        for (name, bytes) in &files {
            let path = std::path::Path::new(&dir).join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
    }
}
