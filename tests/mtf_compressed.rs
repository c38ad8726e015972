//! The real compressed backup in `tests/fixtures/` (SQL Server 2016, `TutorialDB`; see its NOTICE) is
//! read completely: every fact a plain backup reports, its file list, and the filemark table at its
//! end. Also: what is not a readable compressed backup is an error, never a panic.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects, clippy::unwrap_used, clippy::panic)]

use sqlserverflex_restore::backup::mtf::{
    filemarks, inspect, inspect_set, BackupKind, BackupType, FileType, ProblemCode,
};

const HEADER_BYTES: usize = 65_536;

fn fixture() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/TutorialDB-compressed.bak")).unwrap()
}

#[test]
fn the_real_compressed_backup_reads_like_a_plain_one() {
    let bytes = fixture();
    let header = inspect(&bytes[..HEADER_BYTES]);
    assert_eq!(header.kind, BackupKind::Mtf);
    assert!(header.compressed);
    assert!(header.problems.is_empty(), "{:?}", header.problems);
    assert!(header.checksums_valid);
    assert_eq!(header.backup_type, Some(BackupType::Full));
    assert_eq!(header.database_name.as_deref(), Some("TutorialDB"));
    assert_eq!(header.server_name.as_deref(), Some("NELLIELAPTOP"));
    assert_eq!(header.database_version, Some(852));
    assert_eq!(header.sql_server_version.as_deref(), Some("2016"));
    assert_eq!(header.compatibility_level, Some(130));
    assert_eq!(header.collation_id, Some(13_632_521));
    assert_eq!(header.lcid, Some(1033));
    assert_eq!(header.backup_name.as_deref(), Some("TutorialDB-Full Database Backup"));
    assert_eq!(header.backup_date.as_deref(), Some("2016-11-09T15:27:49"));
    assert_eq!(header.media_set_guid.as_deref(), Some("3c88c9b5-515b-49ee-aed9-e22aff0a1708"));
    assert_eq!(header.backup_set_guid.as_deref(), Some("41a43d77-6a7a-4403-983f-5ab7e68a087b"));
    assert_eq!((header.family_count, header.family_sequence), (Some(1), Some(1)));
    assert_eq!((header.block_size, header.filemark_size), (Some(1024), Some(512)));
    assert_eq!(header.software_name.as_deref(), Some("Microsoft SQL Server"));
    let blocks: Vec<&str> = header.blocks.iter().map(|b| b.block_type.as_str()).collect();
    assert_eq!(blocks, ["TAPE", "SFMB", "SSET", "VOLB", "MSCI", "MSDA"]);
}

#[test]
fn the_file_list_reads_back_sql_server_2016_defaults() {
    let header = inspect(&fixture()[..HEADER_BYTES]);
    let files: Vec<_> =
        header.files.iter().map(|f| (f.file_id, f.logical_name.as_deref(), f.file_type, f.size)).collect();
    assert_eq!(
        files,
        [
            (Some(1), Some("TutorialDB"), FileType::Data, Some(8 << 20)),
            (Some(2), Some("TutorialDB_log"), FileType::Log, Some(8 << 20)),
        ]
    );
    assert!(header.files[0].physical_name.as_deref().unwrap().ends_with("\\MSSQL\\DATA\\TutorialDB.mdf"));
    assert_eq!(header.restore_size(), Some(16 << 20));
}

#[test]
fn the_tail_counts_one_backup_set_whose_header_reads_again() {
    let bytes = fixture();
    let marks = filemarks(&bytes[bytes.len() - HEADER_BYTES..]).unwrap();
    assert_eq!((marks.used, marks.backup_sets()), (2, 1));
    assert_eq!(marks.offsets, [0x400, 0x68c00]);
    let starts = marks.set_starts(512);
    assert_eq!(starts, [0x600]);
    let at = starts[0] as usize;
    let set = inspect_set(&bytes[at..at + HEADER_BYTES], true, Some(512));
    assert!(set.compressed && set.problems.is_empty(), "{:?}", set.problems);
    assert_eq!(set.database_name.as_deref(), Some("TutorialDB"));
    assert_eq!(set.backup_type, Some(BackupType::Full));
    assert_eq!(set.files.len(), 2);
}

#[test]
fn a_record_that_does_not_decode_is_encrypted_or_unreadable() {
    let mut bytes = fixture()[..HEADER_BYTES].to_vec();
    // The first record's Huffman table (after its 28-byte header at 0x1E0): every symbol 1 bit long.
    bytes[0x1E0 + 28..0x1E0 + 28 + 256].fill(0x11);
    let header = inspect(&bytes);
    assert_eq!(header.kind, BackupKind::EncryptedOrUnreadable);
    assert!(!header.compressed);
    let problem = &header.problems[0];
    assert_eq!(problem.code, ProblemCode::EncryptedOrUnreadable);
    assert_eq!(problem.offset, Some(0x1E0));
    assert!(problem.message.contains("LZ77+Huffman") && problem.message.contains("encrypted"), "{}", problem.message);

    // A record tag that is none of data, padding or end.
    let mut bytes = fixture()[..HEADER_BYTES].to_vec();
    bytes[0x1E0] = 0x77;
    assert_eq!(inspect(&bytes).kind, BackupKind::EncryptedOrUnreadable);

    // Records that decode, but not into a TAPE block: the first record's decoded bytes are not MTF.
    let mut bytes = fixture()[..HEADER_BYTES].to_vec();
    bytes[0x1E0..0x1E0 + 28 + 354].copy_from_slice(&literal_record(b"NOPE", 1024));
    let header = inspect(&bytes);
    assert_eq!(header.kind, BackupKind::EncryptedOrUnreadable);
    assert!(header.problems[0].message.contains("not into MTF blocks"), "{}", header.problems[0].message);
}

/// A data record of exactly `28 + 354` bytes (the first record's size in the fixture) that decodes to
/// `size` bytes starting with `text`, then zeros: 9-bit literals and one long run of zeros.
fn literal_record(text: &[u8], size: usize) -> Vec<u8> {
    let mut bits: Vec<bool> = Vec::new();
    let mut push = |value: u32, width: u32| bits.extend((0..width).rev().map(|i| (value >> i) & 1 == 1));
    for byte in text {
        push(u32::from(*byte), 9);
    }
    push(0, 9); // one zero byte
                // A match of the rest at offset 1: symbol 256 + (0 << 4) + 15, then raw length bytes.
    push(256 + 15, 9);
    let mut words: Vec<u8> = Vec::new();
    while !bits.len().is_multiple_of(16) {
        bits.push(false);
    }
    for word in bits.chunks(16) {
        let value = word.iter().fold(0u16, |acc, b| (acc << 1) | u16::from(*b));
        words.extend(value.to_le_bytes());
    }
    let rest = size - text.len() - 1;
    // Decoder: after the symbol it has loaded max(2, ceil(bits/16)+1) words, then reads the raw bytes.
    let loaded = (bits.len() / 16 + 1).max(2);
    while words.len() < loaded * 2 {
        words.extend([0, 0]);
    }
    words.push(255);
    words.extend(u16::try_from(rest - 3).unwrap().to_le_bytes());
    let mut payload = vec![0x99u8; 256];
    payload.extend(words);
    payload.extend([0u8; 4]);
    let payload_len = 354;
    assert!(payload.len() <= payload_len);
    payload.resize(payload_len, 0);
    let tag = 0x21u32 | (((size / 512) as u32) << 8) | ((payload_len as u32) << 16);
    let mut record = tag.to_le_bytes().to_vec();
    record.extend([0u8; 24]);
    record.extend(payload);
    record
}

#[test]
fn every_cut_and_every_flipped_byte_of_the_compressed_header_is_a_value() {
    let bytes = fixture();
    let head = &bytes[..12 * 1024];
    for cut in (0..head.len()).step_by(97) {
        let header = inspect(&head[..cut]);
        assert!(serde_json::to_string(&header).is_ok());
        assert!(!header.problems.is_empty() || cut == 0 || header.kind == BackupKind::Mtf);
    }
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..400 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let mut mutated = head.to_vec();
        let at = (state % mutated.len() as u64) as usize;
        mutated[at] ^= 1 << (state >> 60 & 7);
        let header = inspect(&mutated);
        assert!(serde_json::to_string(&header).is_ok());
    }
}
