//! The readers of several backup sets in one file never panic and never report more than the bytes
//! hold: the filemark table at the end (cut at every length, every byte flipped), the later sets'
//! headers (plain and compressed, cut and mutated), and SFIN file entries with broken sizes and names.
#![allow(clippy::indexing_slicing, clippy::arithmetic_side_effects, clippy::unwrap_used, clippy::panic)]

#[path = "support/mtf_writer.rs"]
mod mtf_writer;

use mtf_writer::{compress_bak, multi_set_bak, FixtureSpec, XorShift};
use sqlserverflex_restore::backup::mtf::{filemarks, inspect, inspect_set, BackupKind, BackupType, MAX_BACKUP_SETS};

const HEADER_BYTES: usize = 65_536;

fn six_sets() -> Vec<u8> {
    let specs: Vec<FixtureSpec> = [BackupType::Full, BackupType::Differential, BackupType::Log]
        .iter()
        .cycle()
        .take(6)
        .enumerate()
        .map(|(i, backup_type)| FixtureSpec {
            backup_type: *backup_type,
            backup_date: (2024, i as u8 + 1, 1, 0, 0, 0),
            ..FixtureSpec::default()
        })
        .collect();
    multi_set_bak(&specs, 2).bytes
}

fn tail(bytes: &[u8]) -> &[u8] {
    &bytes[bytes.len().saturating_sub(HEADER_BYTES)..]
}

#[test]
fn the_filemark_table_cut_at_every_length_and_flipped_at_every_byte() {
    let bytes = six_sets();
    let whole = filemarks(tail(&bytes)).unwrap();
    assert_eq!(whole.backup_sets(), 6);
    let last = &bytes[bytes.len() - 512..];
    for cut in 0..=last.len() {
        if let Some(marks) = filemarks(&last[..cut]) {
            assert!(marks.offsets.len() <= 2 * MAX_BACKUP_SETS);
            assert!(marks.at + 52 <= cut);
        }
    }
    let mut rng = XorShift::new(11);
    for at in 0..last.len() {
        let mut mutated = last.to_vec();
        mutated[at] ^= 1 << rng.below(8);
        if let Some(marks) = filemarks(&mutated) {
            // A flip outside the checksummed header may change the table, never the bounds.
            assert!(marks.set_starts(512).len() <= MAX_BACKUP_SETS);
            assert!(serde_json::to_string(&marks).is_ok());
        }
    }
}

#[test]
fn later_set_headers_cut_and_mutated_plain_and_compressed() {
    let plain = six_sets();
    let compressed = compress_bak(&plain, 1024);
    for (bytes, is_compressed) in [(&plain, false), (&compressed, true)] {
        let first = inspect(&bytes[..HEADER_BYTES.min(bytes.len())]);
        assert_eq!((first.kind, first.compressed), (BackupKind::Mtf, is_compressed));
        let starts = filemarks(tail(bytes)).unwrap().set_starts(first.filemark_size.unwrap());
        assert_eq!(starts.len(), 6);
        for (i, start) in starts.iter().enumerate() {
            let at = *start as usize;
            let set = &bytes[at..(at + HEADER_BYTES).min(bytes.len())];
            let header = inspect_set(set, is_compressed, first.filemark_size);
            assert!(header.problems.is_empty(), "set {}: {:?}", i + 1, header.problems);
            assert_eq!(header.backup_date.as_deref(), Some(format!("2024-{:02}-01T00:00:00", i + 1).as_str()));
            let mut rng = XorShift::new(i as u64 + 5);
            for _ in 0..150 {
                let cut = rng.below(set.len().min(8192) + 1);
                assert!(serde_json::to_string(&inspect_set(&set[..cut], is_compressed, first.filemark_size)).is_ok());
                let mut mutated = set[..set.len().min(8192)].to_vec();
                let pos = rng.below(mutated.len());
                mutated[pos] ^= 1 << rng.below(8);
                let parsed = inspect_set(&mutated, is_compressed, first.filemark_size);
                assert!(parsed.files.len() <= 1024 && parsed.problems.len() <= 64);
                assert!(serde_json::to_string(&parsed).is_ok());
            }
        }
    }
}

#[test]
fn a_file_size_that_the_two_size_fields_do_not_confirm_is_not_reported() {
    let spec = FixtureSpec::default();
    let mut bytes = mtf_writer::fake_bak(&spec);
    let header = inspect(&bytes);
    assert_eq!(header.restore_size(), Some((100 << 20) + (8 << 20)));
    // Find the first SFIN chunk and change its page count (u32 @0x60) so it no longer matches @0x28.
    let sfin = bytes.windows(4).position(|w| w == b"SFIN").unwrap();
    bytes[sfin + 0x60] ^= 0x01;
    let changed = inspect(&bytes);
    assert_eq!(changed.files[0].size, None);
    assert_eq!(changed.files[1].size, Some(8 << 20));
    assert_eq!(changed.restore_size(), None, "one unknown size: no total");
}
