//! The backup-header parser never panics and reports what is wrong: truncation, bad checksums,
//! lengths and offsets pointing past the end, huge strings, and random corruption.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects, clippy::unwrap_used, clippy::panic)]

#[path = "support/mtf_writer.rs"]
mod mtf_writer;

use mtf_writer::{
    fake_bak_with_pages, fix_dblk_checksum, fix_stream_checksum, header, put_u16, put_u32, put_u64, Fixture,
    FixtureSpec, XorShift,
};
use sqlserverflex_restore::backup::mtf::{inspect, BackupHeader, BackupKind, BackupType, ProblemCode};

fn codes(parsed: &BackupHeader) -> Vec<ProblemCode> {
    parsed.problems.iter().map(|p| p.code).collect()
}

/// Invariants that hold for any input whatsoever.
fn assert_sane(parsed: &BackupHeader, input_len: usize) {
    assert!(serde_json::to_string(parsed).is_ok());
    assert!(parsed.problems.len() <= 64, "{} problems", parsed.problems.len());
    assert!(parsed.blocks.len() <= 32);
    // Strings are capped at 512 UTF-16 units (1024 bytes; ANSI strings at 1024 bytes).
    let texts = [&parsed.database_name, &parsed.server_name, &parsed.backup_name, &parsed.software_name];
    for text in texts.into_iter().flatten() {
        assert!(text.chars().count() <= 1024, "string of {} chars", text.chars().count());
        assert!(text.encode_utf16().count() <= 1024);
    }
    for block in &parsed.blocks {
        assert!(block.offset as usize + 52 <= input_len, "block summary past the end");
    }
    if parsed.kind != BackupKind::Mtf {
        assert!(parsed.blocks.is_empty());
    }
    assert_eq!(parsed.checksums_valid, !parsed.blocks.is_empty() && parsed.blocks.iter().all(|b| b.checksum_ok));
}

fn specs() -> Vec<FixtureSpec> {
    vec![
        FixtureSpec::default(),
        FixtureSpec { block_size: 512, backup_type: BackupType::Log, ..FixtureSpec::default() },
        FixtureSpec {
            block_size: 4096,
            soft_filemark_units: 8,
            backup_type: BackupType::Differential,
            family_count: 2,
            family_sequence: 2,
            password_protected: true,
            ..FixtureSpec::default()
        },
    ]
}

#[test]
fn truncated_at_every_offset_of_the_first_8_kib() {
    for spec in specs() {
        let fixture = fake_bak_with_pages(&spec, 1);
        let full = inspect(&fixture.bytes);
        assert!(full.problems.is_empty(), "{:#?}", full.problems);
        let limit = fixture.bytes.len().min(8192).max(fixture.header_end + 64);
        for cut in 0..=limit {
            let parsed = inspect(&fixture.bytes[..cut]);
            assert_sane(&parsed, cut);
            if cut < fixture.header_end {
                assert!(
                    parsed.has_problem(ProblemCode::Truncated),
                    "cut at {cut} (header ends at {}): {:?}",
                    fixture.header_end,
                    codes(&parsed)
                );
                let expected_kind = if cut < 4 { BackupKind::Truncated } else { BackupKind::Mtf };
                assert_eq!(parsed.kind, expected_kind, "cut at {cut}");
                // No guesses: a truncated walk reports no type unless the SSET alone says differential.
                if parsed.backup_type.is_some() {
                    assert_eq!(parsed.backup_type, Some(BackupType::Differential));
                }
            } else {
                assert_eq!(parsed, full, "cut at {cut}: everything needed is present");
            }
        }
    }
}

#[test]
fn what_was_read_before_the_cut_is_kept() {
    let fixture = header(&FixtureSpec::default());
    let cut = fixture.block("MSCI").offset + 10;
    let parsed = inspect(&fixture.bytes[..cut]);
    assert_eq!(codes(&parsed), [ProblemCode::Truncated]);
    assert_eq!(parsed.problems[0].offset, Some(fixture.block("MSCI").offset as u64));
    assert_eq!(parsed.media_set_guid.as_deref(), Some("00112233-4455-6677-8899-aabbccddeeff"));
    assert_eq!(parsed.backup_name.as_deref(), Some("SalesDb-Full Database Backup"));
    assert_eq!(parsed.database_name, None);
    assert_eq!(parsed.backup_type, None);
}

#[test]
fn a_bad_block_checksum_is_reported_and_parsing_continues() {
    for block_type in ["TAPE", "SFMB", "SSET", "VOLB", "MSCI", "MSDA"] {
        let mut fixture = header(&FixtureSpec::default());
        let at = fixture.block(block_type).offset;
        // The control block id @36 is not read, so only the checksum is wrong.
        fixture.bytes[at + 36] ^= 0x5a;
        let parsed = inspect(&fixture.bytes);
        assert_eq!(codes(&parsed), [ProblemCode::BadChecksum], "{block_type}");
        assert_eq!(parsed.problems[0].offset, Some(at as u64));
        assert!(!parsed.checksums_valid);
        let bad: Vec<&str> = parsed.blocks.iter().filter(|b| !b.checksum_ok).map(|b| b.block_type.as_str()).collect();
        assert_eq!(bad, [block_type]);
        assert_eq!(parsed.database_name.as_deref(), Some("SalesDb"));
        assert_eq!(parsed.backup_type, Some(BackupType::Full));
    }
}

#[test]
fn a_bad_stream_checksum_is_reported_and_parsing_continues() {
    let mut fixture = header(&FixtureSpec::default());
    let raid = fixture.stream("TAPE", "RAID").offset;
    fixture.bytes[raid + 20] ^= 1;
    let parsed = inspect(&fixture.bytes);
    assert_eq!(codes(&parsed), [ProblemCode::BadStreamChecksum]);
    assert_eq!(parsed.problems[0].offset, Some(raid as u64));
    assert!(parsed.checksums_valid, "DBLK checksums are still fine");
    assert_eq!(parsed.family_count, Some(1));
    assert_eq!(parsed.database_name.as_deref(), Some("SalesDb"));
}

/// Changes a DBLK field and fixes the checksum, so only the intended problem shows.
fn with_dblk_field(fixture: &Fixture, block_type: &str, change: impl Fn(&mut [u8], usize)) -> BackupHeader {
    let mut bytes = fixture.bytes.clone();
    let at = fixture.block(block_type).offset;
    change(&mut bytes, at);
    fix_dblk_checksum(&mut bytes, at);
    inspect(&bytes)
}

/// Changes a stream header field and fixes its checksum.
fn with_stream_field(fixture: &Fixture, block_type: &str, id: &str, change: impl Fn(&mut [u8], usize)) -> BackupHeader {
    let mut bytes = fixture.bytes.clone();
    let at = fixture.stream(block_type, id).offset;
    change(&mut bytes, at);
    fix_stream_checksum(&mut bytes, at);
    inspect(&bytes)
}

#[test]
fn stream_lengths_past_the_end() {
    let fixture = header(&FixtureSpec::default());
    for length in [u64::MAX, 1 << 40, u64::from(u32::MAX)] {
        let parsed = with_stream_field(&fixture, "MSCI", "SPAD", |b, at| put_u64(b, at + 8, length));
        assert_eq!(codes(&parsed), [ProblemCode::LengthOutOfRange], "SPAD length {length}");
        assert_eq!(parsed.database_name.as_deref(), Some("SalesDb"), "SCIN came before the SPAD");
        assert_eq!(parsed.backup_type, None, "the data block was never reached");
    }
    // Plausible, but beyond the bytes read: the object is simply longer than what was read.
    let parsed = with_stream_field(&fixture, "MSCI", "SPAD", |b, at| put_u64(b, at + 8, 200_000));
    assert_eq!(codes(&parsed), [ProblemCode::Truncated]);
    // A RAID length past the end: the block cannot be followed any further.
    let parsed = with_stream_field(&fixture, "TAPE", "RAID", |b, at| put_u64(b, at + 8, u64::MAX - 3));
    assert!(parsed.has_problem(ProblemCode::LengthOutOfRange), "{:?}", codes(&parsed));
    assert_eq!(parsed.blocks.len(), 1);
}

#[test]
fn a_too_short_raid_stream() {
    let fixture = header(&FixtureSpec::default());
    let parsed = with_stream_field(&fixture, "TAPE", "RAID", |b, at| put_u64(b, at + 8, 8));
    // 8 bytes of RAID: the walk then lands inside the old RAID data, where no stream header is.
    assert!(parsed.has_problem(ProblemCode::LengthOutOfRange), "{:?}", codes(&parsed));
    assert_eq!(parsed.family_count, None);
}

#[test]
fn first_stream_offsets_out_of_range() {
    let fixture = header(&FixtureSpec::default());
    let parsed = with_dblk_field(&fixture, "SSET", |b, at| put_u16(b, at + 8, 10));
    assert_eq!(codes(&parsed), [ProblemCode::LengthOutOfRange]);
    let parsed = with_dblk_field(&fixture, "SSET", |b, at| put_u16(b, at + 8, 0xffff));
    assert!(
        parsed.has_problem(ProblemCode::Truncated) || parsed.has_problem(ProblemCode::BadStream),
        "{:?}",
        codes(&parsed)
    );
    assert_eq!(parsed.database_name, None);
}

#[test]
fn string_pointers_past_their_block() {
    let fixture = header(&FixtureSpec::default());
    // SSET backup name @64: offset past the block's header area.
    let parsed = with_dblk_field(&fixture, "SSET", |b, at| put_u16(b, at + 66, 0xfff0));
    assert_eq!(codes(&parsed), [ProblemCode::LengthOutOfRange]);
    assert_eq!(parsed.backup_name, None);
    assert_eq!(parsed.database_name.as_deref(), Some("SalesDb"));
    // TAPE software name @80 with a huge size.
    let parsed = with_dblk_field(&fixture, "TAPE", |b, at| put_u16(b, at + 80, 0xffff));
    assert_eq!(codes(&parsed), [ProblemCode::LengthOutOfRange]);
    assert_eq!(parsed.software_name, None);
    // Backup-set GUID pointer past the header area.
    let parsed = with_dblk_field(&fixture, "SSET", |b, at| put_u16(b, at + 46, 0x4000));
    assert_eq!(codes(&parsed), [ProblemCode::LengthOutOfRange]);
    assert_eq!(parsed.backup_set_guid, None);
    // No OS-specific data at all.
    let parsed = with_dblk_field(&fixture, "SSET", |b, at| put_u32(b, at + 44, 0));
    assert_eq!(codes(&parsed), [ProblemCode::LengthOutOfRange]);
}

#[test]
fn huge_and_misplaced_scin_strings() {
    let fixture = header(&FixtureSpec::default());
    let scin = fixture.scin;
    for (pointer, size, offset) in
        [(0x68, 0xffff, 0xdc), (0x68, 0x0400 + 2, 0xdc), (0x6c, 20, 0xfff0), (0x68, 64, 0xdc)]
    {
        let mut bytes = fixture.bytes.clone();
        put_u16(&mut bytes, scin + pointer, size);
        put_u16(&mut bytes, scin + pointer + 2, offset);
        let parsed = inspect(&bytes);
        assert_eq!(codes(&parsed), [ProblemCode::LengthOutOfRange], "{pointer:#x} {size} @{offset}");
        if pointer == 0x68 {
            assert_eq!(parsed.database_name, None);
            assert_eq!(parsed.server_name.as_deref(), Some("SQL01\\PROD"));
        } else {
            assert_eq!(parsed.server_name, None);
            assert_eq!(parsed.database_name.as_deref(), Some("SalesDb"));
        }
        assert_eq!(parsed.backup_type, Some(BackupType::Full));
    }
}

#[test]
fn broken_mqci_chunks() {
    let fixture = header(&FixtureSpec::default());
    let scin = fixture.scin;
    for size in [0u32, 7, u32::MAX, 0x10_0000] {
        let mut bytes = fixture.bytes.clone();
        put_u32(&mut bytes, scin + 4, size);
        let parsed = inspect(&bytes);
        assert!(parsed.has_problem(ProblemCode::LengthOutOfRange), "size {size}: {:?}", codes(&parsed));
        assert!(parsed.has_problem(ProblemCode::NoDatabaseInfo));
        assert_eq!(parsed.database_name, None);
        assert_eq!(parsed.backup_type, Some(BackupType::Full), "the walk continues past MSCI");
    }
    // A SCIN chunk too short for its fields: what lies outside it is not read.
    let mut bytes = fixture.bytes.clone();
    put_u32(&mut bytes, scin + 4, 0x60);
    let parsed = inspect(&bytes);
    assert!(parsed.has_problem(ProblemCode::LengthOutOfRange));
    assert_eq!(parsed.compatibility_level, Some(160));
    assert_eq!(parsed.database_version, Some(957));
    assert_eq!(parsed.database_name, None);
    assert_eq!(parsed.collation_id, None);
}

#[test]
fn no_scin_chunk() {
    let mut fixture = header(&FixtureSpec::default());
    fixture.bytes[fixture.scin..fixture.scin + 4].copy_from_slice(b"XXXX");
    let parsed = inspect(&fixture.bytes);
    assert_eq!(codes(&parsed), [ProblemCode::NoDatabaseInfo]);
    assert_eq!(parsed.backup_type, Some(BackupType::Full));
}

#[test]
fn soft_filemark_size_zero_or_past_the_end() {
    let fixture = header(&FixtureSpec::default());
    let parsed = with_dblk_field(&fixture, "TAPE", |b, at| put_u16(b, at + 64, 0));
    assert_eq!(codes(&parsed), [ProblemCode::LengthOutOfRange]);
    assert_eq!(parsed.blocks.len(), 2);
    let parsed = with_dblk_field(&fixture, "TAPE", |b, at| put_u16(b, at + 64, 0xffff));
    assert_eq!(codes(&parsed), [ProblemCode::Truncated]);
    // Off by one unit: the next "block" starts in the middle of SSET.
    let parsed = with_dblk_field(&fixture, "TAPE", |b, at| put_u16(b, at + 64, 2));
    assert!(parsed.has_problem(ProblemCode::UnexpectedBlock), "{:?}", codes(&parsed));
}

#[test]
fn unexpected_blocks_are_reported() {
    let fixture = header(&FixtureSpec::default());
    // VOLB renamed: reported, walked through, and the rest still read.
    let parsed = with_dblk_field(&fixture, "VOLB", |b, at| b[at..at + 4].copy_from_slice(b"ESET"));
    assert_eq!(codes(&parsed), [ProblemCode::UnexpectedBlock]);
    assert_eq!(parsed.database_name.as_deref(), Some("SalesDb"));
    assert_eq!(parsed.backup_type, Some(BackupType::Full));
    // Zeros where SFMB should be: the walk stops there.
    let mut bytes = fixture.bytes.clone();
    let sfmb = fixture.block("SFMB").offset;
    bytes[sfmb..sfmb + 52].fill(0);
    let parsed = inspect(&bytes);
    assert_eq!(codes(&parsed), [ProblemCode::UnexpectedBlock], "the walk never got to MSCI");
    assert_eq!(parsed.problems[0].offset, Some(sfmb as u64));
    assert_eq!(parsed.family_count, Some(1));
    // MSCI missing: the data block follows VOLB directly.
    let parsed = with_dblk_field(&fixture, "MSCI", |b, at| b[at..at + 4].copy_from_slice(b"MSDA"));
    assert_eq!(codes(&parsed), [ProblemCode::UnexpectedBlock, ProblemCode::NoDatabaseInfo]);
    assert_eq!(parsed.backup_type, Some(BackupType::Full));
}

#[test]
fn stream_that_is_not_a_stream() {
    let fixture = header(&FixtureSpec::default());
    let mut bytes = fixture.bytes.clone();
    let spad = fixture.stream("SSET", "SPAD").offset;
    bytes[spad..spad + 4].copy_from_slice(&[0, 0xff, 0x10, 0x20]);
    let parsed = inspect(&bytes);
    assert!(parsed.has_problem(ProblemCode::BadStream), "{:?}", codes(&parsed));
    assert_eq!(parsed.backup_name.as_deref(), Some("SalesDb-Full Database Backup"));
}

#[test]
fn a_block_whose_streams_never_end() {
    // A TAPE whose "streams" are an endless run of zero-length RAID headers: bounded, reported.
    let fixture = header(&FixtureSpec::default());
    let mut bytes = fixture.bytes.clone();
    let first = fixture.stream("TAPE", "RAID").offset;
    let mut at = first;
    while at + 22 <= 1024 {
        bytes[at..at + 22].fill(0);
        bytes[at..at + 4].copy_from_slice(b"NOPE");
        fix_stream_checksum(&mut bytes, at);
        at += 24;
    }
    let parsed = inspect(&bytes);
    assert_eq!(codes(&parsed), [ProblemCode::BadStream]);
    assert_eq!(parsed.blocks.len(), 1);
    assert_eq!(parsed.family_count, None);
}

#[test]
fn no_raid_stream() {
    let fixture = header(&FixtureSpec::default());
    let parsed = with_stream_field(&fixture, "TAPE", "RAID", |b, at| b[at..at + 4].copy_from_slice(b"XRAI"));
    assert_eq!(codes(&parsed), [ProblemCode::NoStripeInfo]);
    assert_eq!(parsed.family_count, None);
    assert_eq!(parsed.media_set_guid, None);
    assert_eq!(parsed.database_name.as_deref(), Some("SalesDb"));
}

#[test]
fn bad_stripe_and_date_fields() {
    let fixture = header(&FixtureSpec::default());
    let raid = fixture.stream("TAPE", "RAID").data();
    let mut bytes = fixture.bytes.clone();
    put_u16(&mut bytes, raid + 24, 5);
    let parsed = inspect(&bytes);
    assert_eq!(codes(&parsed), [ProblemCode::BadStripeInfo]);
    assert_eq!(parsed.family_sequence, Some(5));

    let parsed = with_dblk_field(&fixture, "SSET", |b, at| b[at + 88..at + 93].fill(0xff));
    assert_eq!(codes(&parsed), [ProblemCode::BadDate]);
    assert_eq!(parsed.backup_date, None);

    let parsed = with_dblk_field(&fixture, "TAPE", |b, at| put_u16(b, at + 86, 0x0001));
    assert_eq!(codes(&parsed), [ProblemCode::UnexpectedVendor]);

    let parsed = with_dblk_field(&fixture, "SSET", |b, at| b[at + 4] |= 0x4);
    assert_eq!(codes(&parsed), [ProblemCode::MtfCompressed]);
}

#[test]
fn only_the_tape_magic() {
    for bytes in
        [&b"TAPE"[..], b"TAPE\0\0\0\0", &[b'T', b'A', b'P', b'E', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff][..]]
    {
        let parsed = inspect(bytes);
        assert_eq!(parsed.kind, BackupKind::Mtf);
        assert_eq!(codes(&parsed), [ProblemCode::Truncated]);
    }
    // A TAPE header made of 0xff: checksum wrong, offsets nonsense — reported, no panic.
    let mut bytes = vec![0xffu8; 65536];
    bytes[..4].copy_from_slice(b"TAPE");
    let parsed = inspect(&bytes);
    assert_sane(&parsed, bytes.len());
    assert!(parsed.has_problem(ProblemCode::BadChecksum));
}

#[test]
fn garbage_after_the_magic() {
    let mut rng = XorShift::new(7);
    for round in 0..500 {
        let len = rng.below(70_000);
        let mut bytes: Vec<u8> = (0..len.max(4)).map(|_| rng.next() as u8).collect();
        bytes[..4].copy_from_slice(b"TAPE");
        let parsed = inspect(&bytes);
        assert_sane(&parsed, bytes.len());
        assert!(!parsed.problems.is_empty(), "round {round}");
    }
}

/// Mutation values that tend to break bounds: extremes and off-by-ones.
const NASTY: [u64; 10] = [0, 1, 2, 3, 7, 0x7f, 0xff, 0xffff, 0xffff_ffff, u64::MAX];

#[test]
fn random_mutations_never_panic() {
    let mut rng = XorShift::new(0x00c0_ffee);
    let fixtures: Vec<Fixture> = specs().iter().map(|s| fake_bak_with_pages(s, 1)).collect();
    let mut clean_parses = 0;
    for round in 0..6000 {
        let fixture = &fixtures[rng.below(fixtures.len())];
        let mut bytes = fixture.bytes.clone();
        let span = fixture.header_end + 64;
        for _ in 0..=rng.below(6) {
            let at = rng.below(span);
            match rng.below(4) {
                0 => bytes[at] ^= 1 << rng.below(8),
                1 => bytes[at] = rng.next() as u8,
                2 => {
                    let value = NASTY[rng.below(NASTY.len())].to_le_bytes();
                    let width = [1, 2, 4, 8][rng.below(4)];
                    let end = (at + width).min(bytes.len());
                    bytes[at..end].copy_from_slice(&value[..end - at]);
                }
                _ => {
                    // Aim at a length or offset field of a block or stream.
                    let block = &fixture.blocks[rng.below(fixture.blocks.len())];
                    let field = [8, 44, 46, 64, 66, 68, 72, 76, 80, 84][rng.below(10)];
                    if block.offset + field + 2 <= bytes.len() {
                        put_u16(&mut bytes, block.offset + field, NASTY[rng.below(NASTY.len())] as u16);
                    }
                }
            }
        }
        // Half the time repair the checksums so the corruption reaches deeper.
        if rng.below(2) == 0 {
            for block in &fixture.blocks {
                if block.offset + 52 <= bytes.len() {
                    fix_dblk_checksum(&mut bytes, block.offset);
                }
                for stream in &block.streams {
                    if stream.offset + 22 <= bytes.len() {
                        fix_stream_checksum(&mut bytes, stream.offset);
                    }
                }
            }
        }
        if rng.below(4) == 0 {
            bytes.truncate(rng.below(bytes.len() + 1));
        }
        let parsed = inspect(&bytes);
        assert_sane(&parsed, bytes.len());
        if parsed.problems.is_empty() {
            clean_parses += 1;
        }
        if round % 1000 == 0 {
            // Determinism: the same bytes give the same answer.
            assert_eq!(inspect(&bytes), parsed);
        }
    }
    assert!(clean_parses < 6000, "mutations must be noticed at least sometimes");
}
