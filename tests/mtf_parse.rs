//! The backup-header parser reads back every field the fixture writer puts into a synthetic backup.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects, clippy::unwrap_used, clippy::panic)]

#[path = "support/mtf_writer.rs"]
mod mtf_writer;

use mtf_writer::{fake_bak, fake_bak_with_pages, header, header_bytes, FixtureSpec};
use sqlserverflex_restore::backup::mtf::{inspect, BackupHeader, BackupKind, BackupType, FileType, ProblemCode};

fn clean(spec: &FixtureSpec) -> BackupHeader {
    let parsed = inspect(&header_bytes(spec));
    assert!(parsed.problems.is_empty(), "unexpected problems for {spec:?}: {:#?}", parsed.problems);
    assert!(parsed.checksums_valid);
    parsed
}

#[test]
fn reads_every_field_of_a_default_full_backup() {
    let spec = FixtureSpec::default();
    let fixture = header(&spec);
    let parsed = inspect(&fixture.bytes);
    assert!(parsed.problems.is_empty(), "{:#?}", parsed.problems);
    assert_eq!(parsed.kind, BackupKind::Mtf);
    assert_eq!(parsed.backup_type, Some(BackupType::Full));
    assert_eq!(parsed.database_name.as_deref(), Some("SalesDb"));
    assert_eq!(parsed.server_name.as_deref(), Some("SQL01\\PROD"));
    assert_eq!(parsed.database_version, Some(957));
    assert_eq!(parsed.sql_server_version.as_deref(), Some("2022"));
    assert_eq!(parsed.compatibility_level, Some(160));
    assert_eq!(parsed.collation_id, Some(872_468_488));
    assert_eq!(parsed.lcid, Some(1033));
    assert_eq!(parsed.backup_name.as_deref(), Some("SalesDb-Full Database Backup"));
    assert_eq!(parsed.backup_date.as_deref(), Some("2024-05-17T13:45:30"));
    assert_eq!(parsed.block_size, Some(1024));
    assert_eq!(parsed.media_set_guid.as_deref(), Some("00112233-4455-6677-8899-aabbccddeeff"));
    assert_eq!(parsed.backup_set_guid.as_deref(), Some("12345678-9abc-def0-0123-456789abcdef"));
    assert_eq!(parsed.family_count, Some(1));
    assert_eq!(parsed.family_sequence, Some(1));
    assert!(!parsed.password_protected);
    assert_eq!(parsed.software_name.as_deref(), Some("Microsoft SQL Server"));
    assert!(parsed.checksums_valid);
}

#[test]
fn walks_the_blocks_at_the_observed_offsets() {
    // The doc: with 1024-byte logical blocks and a 1×512 soft filemark, TAPE 0, SFMB 1024, SSET 1536,
    // MSCI 3584.
    let parsed = clean(&FixtureSpec::default());
    let walked: Vec<(&str, u64, bool)> =
        parsed.blocks.iter().map(|b| (b.block_type.as_str(), b.offset, b.checksum_ok)).collect();
    assert_eq!(
        walked,
        [
            ("TAPE", 0, true),
            ("SFMB", 1024, true),
            ("SSET", 1536, true),
            ("VOLB", 2560, true),
            ("MSCI", 3584, true),
            ("MSDA", 6656, true),
        ]
    );
}

#[test]
fn block_offsets_match_the_writer_for_every_block_size() {
    for (block_size, units) in [(512, 1), (1024, 1), (4096, 8), (4096, 1), (512, 8), (65535 / 512 * 512, 2)] {
        let spec = FixtureSpec { block_size, soft_filemark_units: units, ..FixtureSpec::default() };
        let fixture = header(&spec);
        let parsed = inspect(&fixture.bytes);
        assert!(parsed.problems.is_empty(), "{block_size}/{units}: {:#?}", parsed.problems);
        let expected: Vec<(String, u64)> =
            fixture.blocks.iter().map(|b| (b.block_type.to_owned(), b.offset as u64)).collect();
        let walked: Vec<(String, u64)> = parsed.blocks.iter().map(|b| (b.block_type.clone(), b.offset)).collect();
        assert_eq!(walked, expected, "block size {block_size}, soft filemark {units}×512");
        assert_eq!(parsed.block_size, Some(u32::from(block_size)));
        assert_eq!(parsed.database_name.as_deref(), Some("SalesDb"));
    }
}

#[test]
fn four_kib_blocks_like_sql_server_2022() {
    let spec = FixtureSpec { block_size: 4096, soft_filemark_units: 8, ..FixtureSpec::default() };
    let fixture = header(&spec);
    assert_eq!(fixture.block("SFMB").offset, 4096);
    assert_eq!(fixture.block("SSET").offset, 8192);
    let parsed = clean(&spec);
    assert_eq!(parsed.block_size, Some(4096));
    assert_eq!(parsed.backup_type, Some(BackupType::Full));
    assert_eq!(parsed.sql_server_version.as_deref(), Some("2022"));
}

#[test]
fn full_differential_and_log() {
    for backup_type in [BackupType::Full, BackupType::Differential, BackupType::Log] {
        let parsed = clean(&FixtureSpec { backup_type, ..FixtureSpec::default() });
        assert_eq!(parsed.backup_type, Some(backup_type));
        let last = parsed.blocks.last().map(|b| b.block_type.as_str());
        let expected_last = if backup_type == BackupType::Log { "MSTL" } else { "MSDA" };
        assert_eq!(last, Some(expected_last));
    }
}

#[test]
fn sql_server_releases_from_the_database_version() {
    for (version, release) in
        [(957, "2022"), (904, "2019"), (869, "2017"), (852, "2016"), (782, "2014"), (706, "2012"), (661, "2008 R2")]
    {
        let parsed = clean(&FixtureSpec { database_version: version, ..FixtureSpec::default() });
        assert_eq!(parsed.database_version, Some(version));
        assert_eq!(parsed.sql_server_version.as_deref(), Some(release), "version {version}");
    }
}

#[test]
fn an_unknown_database_version_is_reported_but_kept() {
    let parsed = inspect(&header_bytes(&FixtureSpec { database_version: 999, ..FixtureSpec::default() }));
    assert_eq!(parsed.database_version, Some(999));
    assert_eq!(parsed.sql_server_version, None);
    let codes: Vec<_> = parsed.problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, [ProblemCode::UnknownDatabaseVersion]);
    assert_eq!(parsed.database_name.as_deref(), Some("SalesDb"));
}

#[test]
fn every_parameter_round_trips() {
    let spec = FixtureSpec {
        backup_type: BackupType::Differential,
        database_name: "Lagerbestände_日本".to_owned(),
        server_name: "db-host-7\\INST2".to_owned(),
        database_version: 904,
        compatibility_level: 150,
        collation_id: 0x0030_d008,
        lcid: 1031,
        backup_name: "nightly diff".to_owned(),
        software_name: "Microsoft SQL Server".to_owned(),
        block_size: 512,
        soft_filemark_units: 2,
        media_set_guid: [0xa0, 0xa1, 0xa2, 0xa3, 0xb0, 0xb1, 0xc0, 0xc1, 1, 2, 3, 4, 5, 6, 7, 8],
        backup_set_guid: [0xff; 16],
        family_count: 4,
        family_sequence: 3,
        password_protected: true,
        backup_date: (2019, 12, 31, 23, 59, 59),
        ansi_strings: false,
        sset_attributes: None,
        sset_block_attributes: 0,
        files: vec![
            mtf_writer::FixtureFile::data("Lager", 3 << 30),
            mtf_writer::FixtureFile::data("Lager_2", 24 << 20),
            mtf_writer::FixtureFile::log("Lager", 512 << 20),
        ],
    };
    let parsed = clean(&spec);
    let files: Vec<_> = parsed
        .files
        .iter()
        .map(|f| (f.file_id, f.logical_name.as_deref().unwrap(), f.file_type, f.size.unwrap()))
        .collect();
    assert_eq!(
        files,
        [
            (Some(1), "Lager", FileType::Data, 3 << 30),
            (Some(2), "Lager_2", FileType::Data, 24 << 20),
            (Some(3), "Lager_log", FileType::Log, 512 << 20),
        ]
    );
    assert_eq!(parsed.files[2].physical_name.as_deref(), Some("C:\\Data\\Lager_log.ldf"));
    assert_eq!(parsed.restore_size(), Some((3 << 30) + (24 << 20) + (512 << 20)));
    assert_eq!(parsed.backup_type, Some(BackupType::Differential));
    assert_eq!(parsed.database_name.as_deref(), Some("Lagerbestände_日本"));
    assert_eq!(parsed.server_name.as_deref(), Some("db-host-7\\INST2"));
    assert_eq!(parsed.database_version, Some(904));
    assert_eq!(parsed.sql_server_version.as_deref(), Some("2019"));
    assert_eq!(parsed.compatibility_level, Some(150));
    assert_eq!(parsed.collation_id, Some(0x0030_d008));
    assert_eq!(parsed.lcid, Some(1031));
    assert_eq!(parsed.backup_name.as_deref(), Some("nightly diff"));
    assert_eq!(parsed.block_size, Some(512));
    assert_eq!(parsed.media_set_guid.as_deref(), Some("a3a2a1a0-b1b0-c1c0-0102-030405060708"));
    assert_eq!(parsed.media_set_guid, Some(mtf_writer::guid_text(&spec.media_set_guid)));
    assert_eq!(parsed.backup_set_guid.as_deref(), Some("ffffffff-ffff-ffff-ffff-ffffffffffff"));
    assert_eq!(parsed.family_count, Some(4));
    assert_eq!(parsed.family_sequence, Some(3));
    assert!(parsed.password_protected);
    assert_eq!(parsed.backup_date.as_deref(), Some("2019-12-31T23:59:59"));
}

#[test]
fn stripes_of_one_set_share_both_guids_and_differ_in_sequence() {
    let stripes: Vec<BackupHeader> =
        mtf_writer::striped_set(&FixtureSpec::default(), 3).iter().map(|bytes| inspect(bytes)).collect();
    assert_eq!(stripes.len(), 3);
    for (i, stripe) in stripes.iter().enumerate() {
        assert!(stripe.problems.is_empty(), "{:#?}", stripe.problems);
        assert_eq!(stripe.family_count, Some(3));
        assert_eq!(stripe.family_sequence, Some(i as u16 + 1));
        assert_eq!(stripe.media_set_guid, stripes[0].media_set_guid);
        assert_eq!(stripe.backup_set_guid, stripes[0].backup_set_guid);
        assert_eq!(stripe.database_name, stripes[0].database_name);
    }
}

#[test]
fn password_protected_media() {
    assert!(clean(&FixtureSpec { password_protected: true, ..FixtureSpec::default() }).password_protected);
    assert!(!clean(&FixtureSpec::default()).password_protected);
}

#[test]
fn ansi_block_strings() {
    let spec = FixtureSpec { ansi_strings: true, backup_name: "Sicherung März".to_owned(), ..FixtureSpec::default() };
    let parsed = clean(&spec);
    assert_eq!(parsed.backup_name.as_deref(), Some("Sicherung März"));
    assert_eq!(parsed.software_name.as_deref(), Some("Microsoft SQL Server"));
    // SCIN strings are UTF-16 regardless of the DBLK string type.
    assert_eq!(parsed.database_name.as_deref(), Some("SalesDb"));
}

#[test]
fn unmapped_sset_attributes_leave_the_type_unknown() {
    // Copy-only is not mapped yet (the doc); a data backup without 0x4/0x8 is reported, not guessed.
    let parsed = inspect(&header_bytes(&FixtureSpec { sset_attributes: Some(0x2), ..FixtureSpec::default() }));
    assert_eq!(parsed.backup_type, None);
    assert!(parsed.has_problem(ProblemCode::UnknownBackupType));
    assert_eq!(parsed.database_name.as_deref(), Some("SalesDb"));
    // A log backup is a log backup whatever the SSET says.
    let log = inspect(&header_bytes(&FixtureSpec {
        backup_type: BackupType::Log,
        sset_attributes: Some(0),
        ..FixtureSpec::default()
    }));
    assert_eq!(log.backup_type, Some(BackupType::Log));
    assert!(log.problems.is_empty());
}

#[test]
fn mtf_encryption_attribute_is_reported() {
    let parsed = inspect(&header_bytes(&FixtureSpec { sset_block_attributes: 1 << 17, ..FixtureSpec::default() }));
    let codes: Vec<_> = parsed.problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, [ProblemCode::MtfEncrypted]);
    assert_eq!(parsed.problems[0].offset, Some(1536));
}

#[test]
fn a_whole_fake_bak_parses_like_its_header() {
    for backup_type in [BackupType::Full, BackupType::Differential, BackupType::Log] {
        let spec = FixtureSpec { backup_type, ..FixtureSpec::default() };
        let whole = fake_bak(&spec);
        assert!(whole.len() > header_bytes(&spec).len() + 4 * 8192);
        assert_eq!(inspect(&whole), clean(&spec));
        // The preflight reads only the first 64 KiB.
        let big = fake_bak_with_pages(&spec, 16).bytes;
        assert!(big.len() > 65536);
        assert_eq!(inspect(&big[..65536]), clean(&spec));
    }
}

#[test]
fn unreadable_compressed_backups_are_recognised() {
    let parsed = inspect(&mtf_writer::compressed_bak(65536));
    assert_eq!(parsed.kind, BackupKind::EncryptedOrUnreadable);
    assert!(!parsed.compressed);
    assert_eq!(parsed.backup_type, None);
    assert!(parsed.blocks.is_empty());
    assert!(!parsed.checksums_valid);
    let codes: Vec<_> = parsed.problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, [ProblemCode::EncryptedOrUnreadable]);
}

#[test]
fn random_bytes_are_not_a_sql_backup() {
    let mut rng = mtf_writer::XorShift::new(42);
    for len in [4, 7, 8, 100, 65536] {
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        if bytes.starts_with(b"T") || bytes.starts_with(b"M") {
            bytes[0] = b'X';
        }
        let parsed = inspect(&bytes);
        assert_eq!(parsed.kind, BackupKind::NotSqlBackup, "{len} bytes");
        assert!(parsed.has_problem(ProblemCode::NotSqlBackup));
        assert_eq!(parsed.database_name, None);
    }
    assert_eq!(inspect(b"<?xml version=\"1.0\"?>").kind, BackupKind::NotSqlBackup);
}

#[test]
fn too_few_bytes_to_tell() {
    for bytes in [&b""[..], b"T", b"TAP", b"MSSQLBA"] {
        let parsed = inspect(bytes);
        assert_eq!(parsed.kind, BackupKind::Truncated, "{bytes:?}");
        assert!(parsed.has_problem(ProblemCode::Truncated));
    }
}

#[test]
fn serialises_with_stable_camel_case_names_and_screaming_enums() {
    let parsed = clean(&FixtureSpec { backup_type: BackupType::Differential, ..FixtureSpec::default() });
    let json = serde_json::to_value(&parsed).unwrap();
    assert_eq!(json["kind"], "MTF");
    assert_eq!(json["backupType"], "DIFFERENTIAL");
    assert_eq!(json["databaseName"], "SalesDb");
    assert_eq!(json["sqlServerVersion"], "2022");
    assert_eq!(json["mediaSetGuid"], "00112233-4455-6677-8899-aabbccddeeff");
    assert_eq!(json["familyCount"], 1);
    assert_eq!(json["passwordProtected"], false);
    assert_eq!(json["checksumsValid"], true);
    assert_eq!(json["compressed"], false);
    assert_eq!(json["files"][1]["fileType"], "LOG");
    assert_eq!(json["files"][0]["logicalName"], "SalesDb");
    assert_eq!(json["blocks"][0], serde_json::json!({"blockType": "TAPE", "offset": 0, "checksumOk": true}));
    assert_eq!(json["problems"], serde_json::json!([]));

    let log =
        serde_json::to_value(clean(&FixtureSpec { backup_type: BackupType::Log, ..FixtureSpec::default() })).unwrap();
    assert_eq!(log["backupType"], "LOG");
    let bad = serde_json::to_value(inspect(b"MSSQLBAK")).unwrap();
    assert_eq!(bad["kind"], "ENCRYPTED_OR_UNREADABLE");
    assert_eq!(bad["compressed"], false);
    assert_eq!(bad["problems"][0]["code"], "ENCRYPTED_OR_UNREADABLE");
    // Where the first record should start: right after the 480-byte file header.
    assert_eq!(bad["problems"][0]["offset"], 480);
    assert_eq!(serde_json::to_value(inspect(b"nope")).unwrap()["kind"], "NOT_SQL_BACKUP");
    assert_eq!(serde_json::to_value(inspect(b"")).unwrap()["kind"], "TRUNCATED");
}
