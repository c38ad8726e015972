//! Checks the synthetic backup writers of `tests/support/mtf_writer.rs` against the doc
//! (`src/backup/mtf/backup-format.md`): SFMB filemark tables, appended backup sets, the compressed
//! (`MSSQLBAK`) container and the LZ77+Huffman encoder (round trip through the crate's decoder).
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
    compress_bak, compress_bak_with_map, encrypted_like_bak, fake_bak_with_pages, header, lz77_huffman_encode,
    mqci_data, multi_set_bak, pack_date, read_filemark_table, xor_words, CompressedFixture, FixtureFile, FixtureSpec,
    RecordAt, XorShift, COMPRESSED_HEADER_LEN, FILEMARK_TABLE_AT, SFIN_FIXED_LEN,
};
use sqlserverflex_restore::backup::mtf::lz77_huffman::decode;
use sqlserverflex_restore::backup::mtf::{inspect, BackupKind, BackupType};

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

fn dblk_checksum_ok(b: &[u8], at: usize) -> bool {
    xor_words(&b[at..at + 50]) == u16_at(b, at + 50)
}

fn block_specs() -> Vec<FixtureSpec> {
    vec![
        FixtureSpec::default(),
        FixtureSpec { block_size: 512, backup_type: BackupType::Log, ..FixtureSpec::default() },
        FixtureSpec { block_size: 4096, soft_filemark_units: 8, ..FixtureSpec::default() },
        FixtureSpec { block_size: 1024, soft_filemark_units: 2, ansi_strings: true, ..FixtureSpec::default() },
    ]
}

/// Checks one SFMB block against the doc's layout; returns its table, newest first.
fn check_sfmb(bytes: &[u8], at: usize, size: usize) -> Vec<u64> {
    assert_eq!(&bytes[at..at + 4], b"SFMB", "no SFMB at {at}");
    assert!(dblk_checksum_ok(bytes, at), "SFMB at {at}: bad DBLK checksum");
    assert_eq!(u32_at(bytes, at + 52) as usize, (size - 72) / 8, "capacity");
    assert_eq!(u16_at(bytes, at + 60) as usize, FILEMARK_TABLE_AT);
    assert_eq!(FILEMARK_TABLE_AT, 72);
    let table = read_filemark_table(bytes, at);
    // Nothing after the used entries.
    assert!(bytes[at + 72 + 8 * table.len()..at + size].iter().all(|b| *b == 0));
    table
}

// ---------------------------------------------------------------------------------------------
// SFMB tables and the single-set layout

#[test]
fn single_set_layout_and_filemark_tables() {
    for spec in block_specs() {
        let fixture = fake_bak_with_pages(&spec, 3);
        let order: Vec<&str> = fixture.blocks.iter().map(|b| b.block_type).collect();
        let data = if spec.backup_type == BackupType::Log { "MSTL" } else { "MSDA" };
        assert_eq!(order, ["TAPE", "SFMB", "SSET", "VOLB", "MSCI", data, "MSLS", "SFMB", "ESET", "SFMB"]);
        let size = usize::from(spec.soft_filemark_units) * 512;
        let marks = fixture.filemark_offsets();
        assert_eq!(marks.len(), 3);
        for block in fixture.blocks.iter().filter(|b| b.block_type == "SFMB") {
            assert_eq!(block.len, size);
        }
        assert_eq!(check_sfmb(&fixture.bytes, marks[0], size), Vec::<u64>::new());
        assert_eq!(check_sfmb(&fixture.bytes, marks[1], size), [marks[0] as u64]);
        assert_eq!(check_sfmb(&fixture.bytes, marks[2], size), [marks[1] as u64, marks[0] as u64]);
        // The last block of the file is the final SFMB, right after ESET's padding.
        assert_eq!(marks[2] + size, fixture.bytes.len());
        let eset = fixture.block("ESET");
        assert_eq!(eset.offset + eset.len, marks[2]);
        assert_eq!(eset.len % usize::from(spec.block_size), 0);
        // Every block's header checksum holds.
        for block in &fixture.blocks {
            assert!(dblk_checksum_ok(&fixture.bytes, block.offset), "{}", block.block_type);
        }
        // The header alone has the first SFMB, with an empty table.
        let head = header(&spec);
        assert_eq!(check_sfmb(&head.bytes, head.block("SFMB").offset, size), Vec::<u64>::new());
        let parsed = inspect(&fixture.bytes);
        assert_eq!(parsed.kind, BackupKind::Mtf);
        assert!(parsed.problems.is_empty(), "{:#?}", parsed.problems);
    }
}

#[test]
fn sfin_chunks_carry_the_files() {
    let spec = FixtureSpec {
        files: vec![
            FixtureFile::data("Sales", 100 << 20),
            FixtureFile::data("Sales_2", 16 << 20),
            FixtureFile::log("Sales", 8 << 20),
        ],
        ..FixtureSpec::default()
    };
    let (mqci, scin) = mqci_data(&spec);
    assert_eq!(&mqci[scin..scin + 4], b"SCIN");
    let mut at = 0;
    let mut sfins = Vec::new();
    while at < mqci.len() {
        let size = u32_at(&mqci, at + 4) as usize;
        if &mqci[at..at + 4] == b"SFIN" {
            sfins.push(mqci[at..at + size].to_vec());
        }
        at += size;
    }
    assert_eq!(at, mqci.len(), "chunks fill the stream exactly");
    assert_eq!(sfins.len(), 3);
    let text = |chunk: &[u8], pointer: usize| {
        let (len, off) = (u16_at(chunk, pointer) as usize, u16_at(chunk, pointer + 2) as usize);
        let units: Vec<u16> = chunk[off..off + len].chunks_exact(2).map(|w| u16::from_le_bytes([w[0], w[1]])).collect();
        String::from_utf16(&units).unwrap()
    };
    for (i, (chunk, file)) in sfins.iter().zip(&spec.files).enumerate() {
        assert!(chunk.len() > SFIN_FIXED_LEN);
        assert_eq!(u32_at(chunk, 0x14), i as u32 + 1, "file id");
        assert_eq!(u32_at(chunk, 0x24), if file.log { 0 } else { 1 }, "filegroup");
        assert_eq!(u64_at(chunk, 0x28), file.size);
        assert_eq!(u64::from(u32_at(chunk, 0x60)) * 8192, file.size);
        assert_eq!(u32_at(chunk, 0x10), 8192, "growth 64 MB");
        assert!(u64_at(chunk, 0x56) > file.size, "max size");
        assert_eq!(text(chunk, 0x30), file.logical_name);
        assert_eq!(text(chunk, 0x34), file.physical_name);
    }
    assert_eq!(text(&sfins[2], 0x34), "C:\\Data\\Sales_log.ldf");
    let default = FixtureSpec::default();
    assert_eq!(default.files.len(), 2);
    assert_eq!((default.files[0].logical_name.as_str(), default.files[0].log), ("SalesDb", false));
    assert_eq!((default.files[1].logical_name.as_str(), default.files[1].log), ("SalesDb_log", true));
}

// ---------------------------------------------------------------------------------------------
// Several backup sets in one file

fn set_specs(count: usize) -> Vec<FixtureSpec> {
    let types = [BackupType::Full, BackupType::Log, BackupType::Differential];
    (0..count)
        .map(|i| {
            let mut spec = FixtureSpec {
                backup_type: types[i % 3],
                database_name: format!("Db{}", i + 1),
                backup_date: (2024, 1 + i as u8, 10, 8, 0, 0),
                ..FixtureSpec::default()
            };
            spec.backup_set_guid[0] = 0x10 + i as u8;
            spec
        })
        .collect()
}

/// The doc's relation: sets = used / 2 in the final SFMB; set k's SSET begins one filemark block after
/// filemark 2k − 1 (oldest first, 1-based).
fn check_set_relation(bytes: &[u8], filemark_size: usize, sset_offsets: &[usize]) {
    let last = bytes.len() - filemark_size;
    let newest_first = check_sfmb(bytes, last, filemark_size);
    assert_eq!(newest_first.len() % 2, 0);
    let sets = newest_first.len() / 2;
    assert_eq!(sets, sset_offsets.len());
    let oldest_first: Vec<usize> = newest_first.iter().rev().map(|o| *o as usize).collect();
    for k in 1..=sets {
        let mark = oldest_first[2 * k - 2];
        assert_eq!(sset_offsets[k - 1], mark + filemark_size, "set {k}");
        assert_eq!(&bytes[mark..mark + 4], b"SFMB");
    }
}

#[test]
fn appended_sets_follow_the_filemark_relation() {
    for count in [1, 2, 6] {
        for media in
            [FixtureSpec::default(), FixtureSpec { block_size: 4096, soft_filemark_units: 8, ..FixtureSpec::default() }]
        {
            let mut specs = set_specs(count);
            specs[0] = FixtureSpec {
                block_size: media.block_size,
                soft_filemark_units: media.soft_filemark_units,
                ..specs[0].clone()
            };
            let fixture = multi_set_bak(&specs, 2);
            let size = fixture.filemark_size;
            assert_eq!(size, usize::from(media.soft_filemark_units) * 512);
            assert_eq!(fixture.filemark_offsets.len(), 2 * count + 1);
            assert_eq!(fixture.sset_offsets.len(), count);
            check_set_relation(&fixture.bytes, size, &fixture.sset_offsets);
            // Every SFMB lists all earlier ones, newest first.
            for (i, at) in fixture.filemark_offsets.iter().enumerate() {
                let expected: Vec<u64> = fixture.filemark_offsets[..i].iter().rev().map(|o| *o as u64).collect();
                assert_eq!(check_sfmb(&fixture.bytes, *at, size), expected);
            }
            // One TAPE only; each set has its own SSET facts.
            assert_eq!(fixture.blocks.iter().filter(|b| b.block_type == "TAPE").count(), 1);
            for (k, (at, spec)) in fixture.sset_offsets.iter().zip(&specs).enumerate() {
                let b = &fixture.bytes;
                assert_eq!(&b[*at..*at + 4], b"SSET");
                assert!(dblk_checksum_ok(b, *at));
                assert_eq!(u16_at(b, at + 62) as usize, k + 1, "data set number");
                assert_eq!(b[at + 88..at + 93], pack_date(spec.backup_date));
                let os = *at + u16_at(b, at + 46) as usize;
                assert_eq!(b[os..os + 16], spec.backup_set_guid);
                let attributes = u32_at(b, at + 52);
                assert_eq!(attributes, if spec.backup_type == BackupType::Differential { 8 } else { 4 });
            }
            // Set k ends with SFMB, ESET, SFMB; set k+1's SSET directly follows.
            for k in 1..count {
                assert_eq!(fixture.sset_offsets[k], fixture.filemark_offsets[2 * k] + size);
            }
            let parsed = inspect(&fixture.bytes);
            assert!(parsed.problems.is_empty(), "{:#?}", parsed.problems);
            assert_eq!(parsed.database_name.as_deref(), Some("Db1"));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Compressed container

/// Reads a compressed file's records independently of the writer's map: decodes every data record
/// with the crate's decoder and rebuilds the plain stream (raw SFMBs included).
fn rebuild(bytes: &[u8], filemark_size: usize) -> (Vec<u8>, Vec<usize>, Vec<usize>) {
    assert_eq!(&bytes[..8], b"MSSQLBAK");
    assert_eq!(u32_at(bytes, 8), 2);
    assert_eq!(u32_at(bytes, 12), 3);
    assert!(bytes[16..COMPRESSED_HEADER_LEN].iter().all(|b| *b == 0));
    let mut plain = Vec::new();
    let mut filemarks = Vec::new();
    let mut data_records = Vec::new();
    let mut at = COMPRESSED_HEADER_LEN;
    let mut ended = false;
    while at < bytes.len() {
        if bytes[at..].starts_with(b"SFMB") {
            assert_eq!(at % filemark_size, 0, "SFMB at {at} off its boundary");
            filemarks.push(at);
            plain.extend_from_slice(&bytes[at..at + filemark_size]);
            at += filemark_size;
            continue;
        }
        let tag = u32_at(bytes, at);
        let payload = (tag >> 16) as usize;
        match tag & 0xff {
            0x21 => {
                assert!(!ended, "data record after the end record");
                assert!(bytes[at + 4..at + 28].iter().all(|b| *b == 0));
                let size = ((tag >> 8) & 0xff) as usize * 512;
                let decoded = decode(&bytes[at + 28..at + 28 + payload], size).unwrap();
                data_records.push(at);
                plain.extend_from_slice(&decoded);
                at += 28 + payload;
            }
            0x24 => {
                assert!(payload > 0 || (at + 24).is_multiple_of(filemark_size));
                assert!(bytes[at + 4..at + 24 + payload].iter().all(|b| *b == 0));
                at += 24 + payload;
                assert!(bytes[at..].starts_with(b"SFMB"), "padding not followed by SFMB");
            }
            0x2C => {
                assert_eq!(tag, 0x2C);
                ended = true;
                at += 24;
            }
            other => panic!("unknown record tag {other:#x} at {at}"),
        }
    }
    assert_eq!(at, bytes.len());
    assert!(ended, "no end record");
    (plain, filemarks, data_records)
}

/// Checks a compressed file against the plain one it was made from.
fn check_compressed(plain: &[u8], compressed: &CompressedFixture, block_size: usize, sets: usize) {
    let size = compressed.filemark_size;
    let bytes = &compressed.bytes;
    let (rebuilt, filemarks, data_records) = rebuild(bytes, size);
    assert_eq!(filemarks, compressed.filemark_offsets);
    assert_eq!(rebuilt.len(), plain.len());
    // Equal to the plain stream, except the filemark tables (compressed offsets) and their checksums.
    let mut plain_marks = Vec::new();
    let mut at = 0;
    let mut mark = 0;
    while at < plain.len() {
        if plain[at..].starts_with(b"SFMB") && rebuilt[at..].starts_with(b"SFMB") {
            assert_eq!(plain[at..at + 50], rebuilt[at..at + 50]);
            let expected: Vec<u64> = filemarks[..mark].iter().rev().map(|o| *o as u64).collect();
            assert_eq!(check_sfmb(bytes, filemarks[mark], size), expected);
            assert_eq!(read_filemark_table(plain, at).len(), expected.len());
            plain_marks.push(at);
            mark += 1;
            at += size;
        } else {
            let next = (at + 512).min(plain.len());
            assert_eq!(plain[at..next], rebuilt[at..next], "plain bytes differ at {at}");
            at = next;
        }
    }
    assert_eq!(plain_marks.len(), filemarks.len());
    assert_eq!(filemarks.len(), 2 * sets + 1);
    for at in &filemarks {
        assert_eq!(at % block_size, 0);
    }
    // The file ends with the final SFMB, whose table gives the sets.
    assert_eq!(*filemarks.last().unwrap() + size, bytes.len());
    assert_eq!(compressed.set_record_offsets.len(), sets);
    check_set_relation(bytes, size, &compressed.set_record_offsets);
    for at in &compressed.set_record_offsets {
        assert!(data_records.contains(at));
        let tag = u32_at(bytes, *at);
        let decoded =
            decode(&bytes[at + 28..at + 28 + (tag >> 16) as usize], ((tag >> 8) & 0xff) as usize * 512).unwrap();
        assert!(decoded.starts_with(b"SSET"));
    }
    // Record 1 = exactly the TAPE block; record 2 starts right after the first SFMB with SSET.
    let first = data_records[0];
    assert_eq!(first, COMPRESSED_HEADER_LEN);
    let tag = u32_at(bytes, first);
    assert_eq!(((tag >> 8) & 0xff) as usize * 512, plain_marks[0], "record 1 holds what precedes SFMB 1");
    assert_eq!(data_records[1], filemarks[0] + size);
    // The map agrees.
    let map_data: Vec<usize> = compressed
        .records
        .iter()
        .filter_map(|r| if let RecordAt::Data { offset, .. } = r { Some(*offset) } else { None })
        .collect();
    assert_eq!(map_data, data_records);
    assert!(compressed.records.iter().any(|r| matches!(r, RecordAt::End { .. })));
}

#[test]
fn compressed_single_set() {
    for spec in block_specs() {
        let plain = fake_bak_with_pages(&spec, 20).bytes;
        let size = usize::from(spec.soft_filemark_units) * 512;
        for block_size in [size, size * 2] {
            let compressed = compress_bak_with_map(&plain, block_size);
            check_compressed(&plain, &compressed, block_size, 1);
            assert_eq!(compress_bak(&plain, block_size), compressed.bytes);
            assert!(compressed.bytes.len() < plain.len(), "fake pages compress");
        }
    }
}

#[test]
fn compressed_fixtures_inspect_like_their_plain_source() {
    for spec in block_specs() {
        let plain = fake_bak_with_pages(&spec, 4).bytes;
        let size = usize::from(spec.soft_filemark_units) * 512;
        let parsed = inspect(&compress_bak(&plain, size));
        assert_eq!(parsed.kind, BackupKind::Mtf, "{:#?}", parsed.problems);
        assert!(parsed.problems.is_empty(), "{:#?}", parsed.problems);
        let original = inspect(&plain);
        assert_eq!(parsed.database_name, original.database_name);
        assert_eq!(parsed.backup_type, original.backup_type);
        assert_eq!(parsed.backup_set_guid, original.backup_set_guid);
    }
    let parsed = inspect(&encrypted_like_bak(4096));
    assert_ne!(parsed.kind, BackupKind::Mtf);
}

#[test]
fn compressed_like_the_real_sample() {
    // The doc: with 512-byte filemarks the first SFMB sits at 0x400 and the SSET record at 0x600.
    let spec = FixtureSpec { block_size: 1024, soft_filemark_units: 1, ..FixtureSpec::default() };
    let compressed = compress_bak_with_map(&fake_bak_with_pages(&spec, 8).bytes, 512);
    assert_eq!(compressed.filemark_offsets[0], 0x400);
    assert_eq!(compressed.set_record_offsets, [0x600]);
    // 4 KiB filemarks: SFMB at 0x1000, next record at 0x2000.
    let spec = FixtureSpec { block_size: 4096, soft_filemark_units: 8, ..FixtureSpec::default() };
    let compressed = compress_bak_with_map(&fake_bak_with_pages(&spec, 8).bytes, 4096);
    assert_eq!(compressed.filemark_offsets[0], 0x1000);
    assert_eq!(compressed.set_record_offsets, [0x2000]);
}

#[test]
fn compressed_multi_set() {
    for count in [2, 6] {
        let fixture = multi_set_bak(&set_specs(count), 3);
        let compressed = compress_bak_with_map(&fixture.bytes, fixture.filemark_size);
        check_compressed(&fixture.bytes, &compressed, fixture.filemark_size, count);
    }
}

#[test]
fn compressed_megabyte_with_random_pages_splits_records() {
    // ~1 MiB of compressible pages plus random bytes spliced in: records stay ≤ 64 KiB decoded and
    // their payload fits 16 bits.
    let mut plain = fake_bak_with_pages(&FixtureSpec::default(), 128).bytes;
    let fixture = fake_bak_with_pages(&FixtureSpec::default(), 128);
    let data = fixture.block("MSDA").streams.iter().find(|s| s.id == "MQDA").unwrap().data();
    let mut rng = XorShift::new(7);
    for byte in &mut plain[data + 100_000..data + 400_000] {
        *byte = rng.next() as u8;
    }
    let compressed = compress_bak_with_map(&plain, 512);
    check_compressed(&plain, &compressed, 512, 1);
    for record in &compressed.records {
        if let RecordAt::Data { decoded, payload, .. } = record {
            assert!(*decoded <= 65536 && *payload <= 0xFFFF);
        }
    }
    // The random region needed records shorter than 64 KiB to keep their payload in 16 bits.
    assert!(compressed
        .records
        .iter()
        .any(|r| matches!(r, RecordAt::Data { decoded, payload, .. } if *decoded < 65536 && *payload > 0xC000)));
}

#[test]
fn encrypted_like_has_a_record_that_does_not_decode() {
    let bytes = encrypted_like_bak(8192);
    assert_eq!(bytes.len(), 8192);
    assert_eq!(&bytes[..8], b"MSSQLBAK");
    assert_eq!((u32_at(&bytes, 8), u32_at(&bytes, 12)), (2, 3));
    let tag = u32_at(&bytes, COMPRESSED_HEADER_LEN);
    assert_eq!(tag & 0xff, 0x21);
    let payload = (tag >> 16) as usize;
    let size = ((tag >> 8) & 0xff) as usize * 512;
    assert!(size > 0);
    let start = COMPRESSED_HEADER_LEN + 28;
    assert!(decode(&bytes[start..start + payload], size).is_err());
    assert!(encrypted_like_bak(0).len() > COMPRESSED_HEADER_LEN + 28 + 256);
}

// ---------------------------------------------------------------------------------------------
// LZ77+Huffman round trips

fn round_trip(data: &[u8]) -> Vec<u8> {
    let encoded = lz77_huffman_encode(data);
    assert_eq!(&encoded[..256], &[0x99u8; 256][..]);
    let decoded = decode(&encoded, data.len()).unwrap_or_else(|e| panic!("{} bytes: {e:?}", data.len()));
    assert!(decoded == data, "round trip of {} bytes differs", data.len());
    encoded
}

#[test]
fn lz77_round_trips_small_inputs() {
    for data in [&b"a"[..], b"ab", b"abc", b"aaaa", b"abab", b"abcabcabcabc", b"\x00", b"\xff\xff\xff\xff\xff"] {
        round_trip(data);
    }
    let mut rng = XorShift::new(3);
    for len in 1..300 {
        let data: Vec<u8> = (0..len).map(|_| b"ab"[rng.below(2)]).collect();
        round_trip(&data);
        let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        round_trip(&data);
    }
}

#[test]
fn lz77_round_trips_random_bytes() {
    let mut rng = XorShift::new(11);
    for len in [1000, 4096, 65535, 65536] {
        let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let encoded = round_trip(&data);
        // Random bytes: nearly all literals, 9 bits each.
        assert!(encoded.len() > 256 + len * 17 / 16, "{}", encoded.len());
    }
}

#[test]
fn lz77_round_trips_text_and_runs() {
    let text: Vec<u8> =
        "The quick brown fox jumps over the lazy dog. SELECT * FROM dbo.Sales; ".bytes().cycle().take(65536).collect();
    let encoded = round_trip(&text);
    assert!(encoded.len() < 2000, "repetitive text compresses: {}", encoded.len());
    // 64 KiB of zeros: one literal and a match of 65535 (the u16 length form).
    let encoded = round_trip(&[0u8; 65536]);
    assert!(encoded.len() < 300, "{}", encoded.len());
    // Runs whose lengths hit every length form: nibble (< 18), one byte (18..=272), u16 (> 272).
    let mut rng = XorShift::new(5);
    let mut data = Vec::new();
    for run in [3usize, 4, 17, 18, 19, 20, 100, 271, 272, 273, 274, 275, 1000, 5000, 20000] {
        data.push(rng.next() as u8);
        data.extend(std::iter::repeat_n(rng.next() as u8, run));
        data.extend((0..7).map(|_| rng.next() as u8));
        round_trip(&data);
    }
    assert!(data.len() <= 65536);
    round_trip(&data);
    // Matches at every offset-bit count (offsets 1 .. 65535).
    let mut data: Vec<u8> = (0..40000).map(|_| rng.next() as u8).collect();
    for shift in 0..16 {
        let offset = (1usize << shift).min(data.len() - 1).max(1);
        let start = data.len() - offset;
        let copy: Vec<u8> = data[start..start + 8.min(offset)].to_vec();
        data.extend(copy);
        data.push(rng.next() as u8);
    }
    data.truncate(65536);
    round_trip(&data);
    let mut far: Vec<u8> = (0..32768).map(|_| rng.next() as u8).collect();
    far.extend_from_within(..32767);
    far.push(1);
    round_trip(&far);
    // The farthest 3-byte match a 64 KiB block allows: offset 65533 (15 offset bits).
    let mut farthest: Vec<u8> = (0..65533).map(|_| rng.next() as u8).collect();
    farthest.extend_from_within(..3);
    assert_eq!(farthest.len(), 65536);
    let encoded = round_trip(&farthest);
    assert!(encoded.len() < 256 + 65536 * 9 / 8, "the match was found");
}

#[test]
fn lz77_round_trips_mtf_blocks() {
    let plain = fake_bak_with_pages(&FixtureSpec::default(), 16).bytes;
    for chunk in plain.chunks(65536) {
        round_trip(chunk);
    }
    let head = header(&FixtureSpec { backup_type: BackupType::Log, ..FixtureSpec::default() }).bytes;
    let encoded = round_trip(&head);
    assert!(encoded.len() < head.len());
}
