//! The field readers of the MTF walk: a [`Walker`] holds the bytes and the header being filled, and
//! reads bounded fields from them, reporting every out-of-range or truncated read as a problem. Both
//! the DBLK chain walk (`walk.rs`) and SQL Server's database information (`sql_info.rs`) read through it.

use super::bytes::{self, MAX_STRING_BYTES};
use super::header::{BackupHeader, HeaderProblem, ProblemCode};

/// More problems than this only repeat the same story.
const MAX_PROBLEMS: usize = 64;

/// Where a string is stored: MTF DBLK strings use the block's string type (@48: 1 ANSI, 2 UTF-16);
/// SQL Server's own chunks are UTF-16.
#[derive(Clone, Copy)]
pub(super) enum Encoding {
    Ansi,
    Utf16,
}

/// A structure being read: its start (offsets inside it are relative to this) and the end of the
/// range it may occupy.
#[derive(Clone, Copy)]
pub(super) struct Extent {
    pub start: usize,
    pub end: usize,
}

impl Extent {
    /// The absolute offset `rel` bytes into the structure (saturating: an impossible offset then fails
    /// the bounds check instead of wrapping).
    pub fn at(self, rel: usize) -> usize {
        self.start.saturating_add(rel)
    }
}

/// The state of one walk: the bytes, the header being filled, and what the chain walk (`walk.rs`) has
/// seen so far.
pub(super) struct Walker<'a> {
    pub bytes: &'a [u8],
    pub header: BackupHeader,
    pub soft_filemark_size: Option<usize>,
    /// Where the SSET is and its attributes @52, once read.
    pub sset_offset: Option<usize>,
    pub sset_attributes: Option<u32>,
    /// `MSDA` or `MSTL`, once reached.
    pub data_block: Option<[u8; 4]>,
    /// Index into `CHAIN_NAMES` (`walk.rs`) of the block expected next.
    pub expected: usize,
    /// The previous block was already reported as unexpected (one report per incident).
    pub after_unexpected: bool,
    /// The TAPE streams were walked to their end.
    pub tape_walked: bool,
    /// MSCI or the data block was reached: the database information should have been seen.
    pub reached_database_info: bool,
    pub saw_raid: bool,
    pub saw_scin: bool,
}

impl<'a> Walker<'a> {
    pub fn problem(&mut self, code: ProblemCode, offset: usize, message: String) {
        self.problem_at(code, Some(offset), message);
    }

    /// A problem that may concern no particular byte (`offset: None`), e.g. missing information.
    pub fn problem_at(&mut self, code: ProblemCode, offset: Option<usize>, message: String) {
        // Only the first truncation matters: everything after it is missing for the same reason.
        if self.header.problems.len() >= MAX_PROBLEMS
            || (code == ProblemCode::Truncated && self.header.has_problem(ProblemCode::Truncated))
        {
            return;
        }
        let offset = offset.and_then(|o| u64::try_from(o).ok());
        self.header.problems.push(HeaderProblem { code, offset, message });
    }

    /// `len` bytes at `offset`, which must lie inside `within`. Outside it → LENGTH_OUT_OF_RANGE;
    /// inside but past the bytes given → TRUNCATED.
    pub fn region(&mut self, offset: usize, len: usize, within: Extent, what: &str) -> Option<&'a [u8]> {
        let end = offset.checked_add(len).filter(|end| offset >= within.start && *end <= within.end);
        let Some(end) = end else {
            self.problem(
                ProblemCode::LengthOutOfRange,
                offset,
                format!(
                    "{what}: {len} bytes at offset {offset} lie outside the structure at {}..{}",
                    within.start, within.end
                ),
            );
            return None;
        };
        let bytes = self.bytes;
        match bytes.get(offset..end) {
            Some(slice) => Some(slice),
            None => {
                self.problem(
                    ProblemCode::Truncated,
                    offset,
                    format!("{what}: needs bytes {offset}..{end}, but only {} bytes were read", bytes.len()),
                );
                None
            }
        }
    }

    pub fn u8_field(&mut self, offset: usize, within: Extent, what: &str) -> Option<u8> {
        self.region(offset, 1, within, what).and_then(|b| bytes::u8_at(b, 0))
    }

    pub fn u16_field(&mut self, offset: usize, within: Extent, what: &str) -> Option<u16> {
        self.region(offset, 2, within, what).and_then(|b| bytes::u16_at(b, 0))
    }

    pub fn u32_field(&mut self, offset: usize, within: Extent, what: &str) -> Option<u32> {
        self.region(offset, 4, within, what).and_then(|b| bytes::u32_at(b, 0))
    }

    pub fn u64_field(&mut self, offset: usize, within: Extent, what: &str) -> Option<u64> {
        self.region(offset, 8, within, what).and_then(|b| bytes::u64_at(b, 0))
    }

    /// A `{u16 size, u16 offset}` string pointer at `pointer` (the doc: offset from the start of
    /// `within`); the text must lie inside `within`. Size 0 → no string. Sizes over
    /// `MAX_STRING_BYTES` are reported and not read.
    pub fn string_field(&mut self, pointer: usize, within: Extent, encoding: Encoding, what: &str) -> Option<String> {
        let size = usize::from(self.u16_field(pointer, within, what)?);
        let offset = usize::from(self.u16_field(pointer.saturating_add(2), within, what)?);
        if size == 0 {
            return None;
        }
        if size > MAX_STRING_BYTES {
            self.problem(
                ProblemCode::LengthOutOfRange,
                pointer,
                format!("{what}: declared size {size} bytes exceeds the {MAX_STRING_BYTES}-byte limit"),
            );
            return None;
        }
        let text = self.region(within.at(offset), size, within, what)?;
        Some(match encoding {
            Encoding::Ansi => bytes::ansi_text(text),
            Encoding::Utf16 => bytes::utf16_text(text),
        })
    }
}
