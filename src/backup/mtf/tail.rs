//! The end of a backup: the doc's block order ends `… → MSLS[MQCI] → SFMB → ESET`, so the last bytes
//! of a complete backup hold an `ESET` (end of set) block. A file cut short (an upload that stopped,
//! a copy still running) has none there.

use super::bytes;

/// Where the last `ESET` block with a valid header checksum starts in `tail`, if any. Any offset is
/// tried: the tail's first byte need not sit on a block boundary.
pub fn end_of_set_offset(tail: &[u8]) -> Option<usize> {
    bytes::last_block(tail, b"ESET")
}

#[cfg(test)]
mod tests {
    use super::bytes::DBLK_LEN;
    use super::*;

    fn eset() -> Vec<u8> {
        let mut block = vec![0u8; DBLK_LEN];
        block.splice(0..4, *b"ESET");
        block.splice(8..10, 85u16.to_le_bytes());
        let sum = bytes::xor_words(block.get(..50).unwrap_or_default());
        block.splice(50..52, sum.to_le_bytes());
        block
    }

    #[test]
    fn finds_the_last_valid_eset() {
        let mut tail = vec![7u8; 100];
        tail.extend(eset());
        tail.extend([0u8; 30]);
        assert_eq!(end_of_set_offset(&tail), Some(100));
    }

    #[test]
    fn ignores_text_that_only_looks_like_eset() {
        let mut fake = eset();
        if let Some(byte) = fake.get_mut(20) {
            *byte ^= 1; // checksum no longer matches
        }
        assert_eq!(end_of_set_offset(&fake), None);
        assert_eq!(end_of_set_offset(b"ESET"), None);
        assert_eq!(end_of_set_offset(&[]), None);
    }
}
