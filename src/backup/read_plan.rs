//! Where the preflight reads a backup, the same for an S3 object (ranged GETs) and a local file
//! (reads): the first `HEADER_BYTES` (the header), the last `HEADER_BYTES` (end of set and the
//! filemark table that counts the backup sets) and `HEADER_BYTES` at each later set's start.

use crate::backup::mtf::HEADER_BYTES;

/// `len` bytes from `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    pub start: u64,
    pub len: u64,
}

impl ByteRange {
    /// The last byte, as an HTTP `Range` names it (the start, for an empty range).
    pub fn last(self) -> u64 {
        self.start.saturating_add(self.len.saturating_sub(1))
    }
}

/// The start of a backup; a known `size` bounds it.
pub fn head(size: Option<u64>) -> ByteRange {
    ByteRange { start: 0, len: size.map_or(HEADER_BYTES, |size| size.min(HEADER_BYTES)) }
}

/// The end of a backup of `size` bytes: its last `HEADER_BYTES`, or all of it. (An S3 reader that does
/// not know the size yet asks for the suffix of `HEADER_BYTES` bytes instead.)
pub fn tail(size: u64) -> ByteRange {
    let start = size.saturating_sub(HEADER_BYTES);
    ByteRange { start, len: size.saturating_sub(start) }
}

/// The start of a later backup set at `offset` (from the filemark table); a known `size` bounds it.
pub fn later_set(offset: u64, size: Option<u64>) -> ByteRange {
    match size {
        Some(size) => {
            let start = offset.min(size);
            ByteRange { start, len: size.saturating_sub(start).min(HEADER_BYTES) }
        }
        None => ByteRange { start: offset, len: HEADER_BYTES },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIB64: u64 = HEADER_BYTES;

    #[test]
    fn reads_64_kib_at_the_start_the_end_and_each_later_set() {
        assert_eq!(head(None), ByteRange { start: 0, len: KIB64 });
        assert_eq!(head(None).last(), KIB64 - 1);
        assert_eq!(head(Some(1_000_000)), ByteRange { start: 0, len: KIB64 });
        assert_eq!(tail(1_000_000), ByteRange { start: 1_000_000 - KIB64, len: KIB64 });
        assert_eq!(later_set(500_000, Some(1_000_000)), ByteRange { start: 500_000, len: KIB64 });
        assert_eq!(later_set(500_000, None), ByteRange { start: 500_000, len: KIB64 });
        assert_eq!(later_set(500_000, None).last(), 500_000 + KIB64 - 1);
    }

    #[test]
    fn small_files_are_read_whole_and_ranges_never_pass_the_end() {
        assert_eq!(head(Some(1_000)), ByteRange { start: 0, len: 1_000 });
        assert_eq!(tail(1_000), ByteRange { start: 0, len: 1_000 });
        assert_eq!(tail(0), ByteRange { start: 0, len: 0 });
        assert_eq!(later_set(990_000, Some(1_000_000)), ByteRange { start: 990_000, len: 10_000 });
        assert_eq!(later_set(2_000_000, Some(1_000_000)), ByteRange { start: 1_000_000, len: 0 });
        assert_eq!(later_set(u64::MAX, None).last(), u64::MAX);
    }
}
