//! The filemark table in the last `SFMB` block of a backup file (the doc, "Several backup sets in one
//! file"): u32 @52 capacity, u32 @56 entries used, u16 @60 offset of the array, then u64 byte offsets
//! of the earlier filemarks, newest first. Each backup set adds two filemarks, so a file holds
//! `used / 2` sets, and set k's `SSET` begins one filemark block after filemark 2k − 1 (oldest first).
//! In a compressed file the offsets are those of the raw `SFMB` blocks in the file (observed in the
//! real compressed fixture: 0x400 and 0x68c00).

use serde::Serialize;

use super::bytes;

const USED_AT: usize = 56;
const ARRAY_OFFSET_AT: usize = 60;
const ENTRY_LEN: usize = 8;
/// Bound on the sets reported for one file: each needs one more ranged read.
pub const MAX_BACKUP_SETS: usize = 64;

/// The filemark table of a backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Filemarks {
    /// Where the `SFMB` holding the table starts, from the start of the bytes given.
    #[serde(skip)]
    pub at: usize,
    /// Entries used (the doc: two per backup set).
    pub used: u32,
    /// The earlier filemarks' byte offsets in the file, oldest first (at most what the block holds).
    pub offsets: Vec<u64>,
}

impl Filemarks {
    /// Backup sets in the file: two filemarks each.
    pub fn backup_sets(&self) -> u32 {
        self.used / 2
    }

    /// Where each backup set's `SSET` starts in the file, oldest first (set k: filemark 2k − 1 plus one
    /// filemark block), for the sets whose filemark is listed; at most `MAX_BACKUP_SETS`.
    pub fn set_starts(&self, filemark_size: u32) -> Vec<u64> {
        self.offsets
            .iter()
            .step_by(2)
            .take(usize::try_from(self.backup_sets()).unwrap_or(0).min(MAX_BACKUP_SETS))
            .filter_map(|offset| offset.checked_add(u64::from(filemark_size)))
            .collect()
    }
}

/// The table of the last `SFMB` block with a valid header checksum in `tail` (the last bytes of the
/// file). `None` when there is none, or its table does not fit the bytes.
pub fn filemarks(tail: &[u8]) -> Option<Filemarks> {
    let at = bytes::last_block(tail, b"SFMB")?;
    let block = tail.get(at..)?;
    let used = bytes::u32_at(block, USED_AT)?;
    let array = usize::from(bytes::u16_at(block, ARRAY_OFFSET_AT)?);
    if array < ARRAY_OFFSET_AT.saturating_add(2) {
        return None;
    }
    let listed = usize::try_from(used).ok()?.min(MAX_BACKUP_SETS.saturating_mul(2));
    let mut offsets = Vec::with_capacity(listed);
    for i in 0..listed {
        let entry = array.checked_add(i.checked_mul(ENTRY_LEN)?)?;
        offsets.push(bytes::u64_at(block, entry)?);
    }
    offsets.reverse();
    Some(Filemarks { at, used, offsets })
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn sfmb(earlier_newest_first: &[u64]) -> Vec<u8> {
        let mut block = vec![0u8; 512];
        block.splice(0..4, *b"SFMB");
        block.splice(52..56, 55u32.to_le_bytes());
        block.splice(56..60, (earlier_newest_first.len() as u32).to_le_bytes());
        block.splice(60..62, 72u16.to_le_bytes());
        for (i, offset) in earlier_newest_first.iter().enumerate() {
            block.splice(72 + i * 8..80 + i * 8, offset.to_le_bytes());
        }
        let sum = bytes::xor_words(block.get(..50).unwrap_or_default());
        block.splice(50..52, sum.to_le_bytes());
        block
    }

    #[test]
    fn reads_the_real_compressed_table() {
        // The final SFMB of tests/fixtures' compressed backup: one set, filemarks at 0x400 and 0x68c00.
        let mut tail = vec![0u8; 100];
        tail.extend(sfmb(&[0x68c00, 0x400]));
        let marks = filemarks(&tail).unwrap();
        assert_eq!((marks.at, marks.used, marks.backup_sets()), (100, 2, 1));
        assert_eq!(marks.offsets, vec![0x400, 0x68c00]);
        assert_eq!(marks.set_starts(512), vec![0x600]);
    }

    #[test]
    fn later_sets_start_after_every_second_filemark() {
        let marks = filemarks(&sfmb(&[9000, 7000, 5000, 3000, 1000])).unwrap();
        assert_eq!(marks.backup_sets(), 2);
        assert_eq!(marks.set_starts(1024), vec![2024, 6024]);
    }

    #[test]
    fn no_table_without_a_valid_block() {
        let mut bad = sfmb(&[1024]);
        if let Some(byte) = bad.get_mut(20) {
            *byte ^= 0xff;
        }
        assert_eq!(filemarks(&bad), None);
        assert_eq!(filemarks(b"SFMB"), None);
        let mut cut = sfmb(&[1024, 2048]);
        cut.truncate(80);
        assert_eq!(filemarks(&cut), None);
    }
}
