//! Walks the DBLK chain of a plain MTF backup: `TAPE[RAID,SPAD]` → `SFMB` → `SSET[SPAD]` → `VOLB[SPAD]`
//! → `MSCI[MQCI,SPAD]` → `MSDA` | `MSTL` (the doc, "Block order"), reading each block's fields.
//!
//! Each block is found from the previous one — after its `SPAD` stream's data, or, for `SFMB`, after the
//! soft-filemark size — never at a fixed offset. The walk stops at the data block (`MSDA`/`MSTL`), at
//! the end of the bytes, or where the structure stops making sense.

use super::bytes::{self, DBLK_LEN};
use super::fields::{Encoding, Extent, Walker};
use super::header::{BackupHeader, BackupType, BlockSummary, ProblemCode};
use super::{date, sql_info};

/// The doc, "Stream header": 22 bytes.
const STREAM_HEADER_LEN: usize = 22;
/// Bounds on work per input: a real header has 6 blocks of 2–3 streams each.
const MAX_BLOCKS: usize = 32;
const MAX_STREAMS_PER_BLOCK: usize = 32;
/// A header block (with its streams) larger than this is implausible; a length reaching further is
/// reported as out of range rather than as truncation.
const MAX_BLOCK_SPAN: usize = 64 * 1024 * 1024;

/// DBLK attributes @4 (the doc): bit 2 MTF_COMPRESSION; on SSET bit 17 MTF_ENCRYPTION.
const ATTR_MTF_COMPRESSION: u32 = 1 << 2;
const ATTR_SSET_MTF_ENCRYPTION: u32 = 1 << 17;
/// SSET attributes @52 (the doc): 0x4 full and log, 0x8 differential.
const SSET_NORMAL: u32 = 0x4;
const SSET_DIFFERENTIAL: u32 = 0x8;
/// TAPE @86 (the doc): SQL Server's vendor id.
const SQL_SERVER_VENDOR_ID: u16 = 0x1200;
/// The doc: the soft-filemark size at TAPE @64 counts 512-byte units.
const SOFT_FILEMARK_UNIT: usize = 512;
/// The doc, "Stream header": streams are 4-byte aligned.
const STREAM_ALIGN_MASK: usize = 3;

/// The blocks of the expected chain, in order; `MSDA`/`MSTL` share the last place.
const CHAIN: [&[u8; 4]; 7] = [b"TAPE", b"SFMB", b"SSET", b"VOLB", b"MSCI", b"MSDA", b"MSTL"];
const CHAIN_NAMES: [&str; 6] = ["TAPE", "SFMB", "SSET", "VOLB", "MSCI", "MSDA or MSTL"];

/// Where a walk starts: at the start of the media (`TAPE`), or at a later backup set's `SSET`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Start {
    Media,
    BackupSet,
}

/// Position of `SSET` in the chain: where a later backup set starts.
const SSET_POSITION: usize = 2;
/// Position of `MSCI` in the chain: from there on the database information should have been seen.
const MSCI_POSITION: usize = 4;
const DATA_POSITION: usize = 5;

fn chain_position(tag: &[u8; 4]) -> Option<usize> {
    CHAIN.iter().position(|t| *t == tag).map(|i| i.min(DATA_POSITION))
}

/// Walks the chain of `bytes` (which start with `TAPE`, or with `SSET` for a later set) into `header`.
pub(super) fn walk(bytes: &[u8], header: BackupHeader, start: Start) -> BackupHeader {
    let mut walker = Walker {
        bytes,
        header,
        soft_filemark_size: None,
        sset_offset: None,
        sset_attributes: None,
        data_block: None,
        expected: if start == Start::Media { 0 } else { SSET_POSITION },
        after_unexpected: false,
        tape_walked: false,
        reached_database_info: false,
        saw_raid: false,
        saw_scin: false,
    };
    walker.walk_chain();
    walker.conclude();
    walker.header
}

impl<'a> Walker<'a> {
    fn walk_chain(&mut self) {
        let mut at = 0;
        for _ in 0..MAX_BLOCKS {
            match self.block(at) {
                Some(next) => at = next,
                None => return,
            }
        }
        self.problem(
            ProblemCode::UnexpectedBlock,
            at,
            format!("no MSDA or MSTL block within the first {MAX_BLOCKS} blocks"),
        );
    }

    /// Reads the DBLK at `at`; returns where the next block starts, or `None` to stop.
    fn block(&mut self, at: usize) -> Option<usize> {
        let everything = Extent { start: 0, end: usize::MAX };
        let dblk = self.region(at, DBLK_LEN, everything, "DBLK header")?;
        let tag: [u8; 4] = bytes::array_at(dblk, 0)?;
        if !bytes::is_tag(&tag) {
            let found = bytes::tag_text(&tag);
            let expected = CHAIN_NAMES.get(self.expected).copied().unwrap_or("a block");
            self.problem(
                ProblemCode::UnexpectedBlock,
                at,
                format!("expected {expected} at offset {at}, found no DBLK (bytes {found})"),
            );
            return None;
        }
        let name = bytes::tag_text(&tag);

        // The doc: header checksum @50 = XOR of the 25 words at 0..49.
        let checksum_ok = bytes::u16_at(dblk, 50) == dblk.get(..50).map(bytes::xor_words);
        self.header.blocks.push(BlockSummary {
            block_type: name.clone(),
            offset: u64::try_from(at).unwrap_or(u64::MAX),
            checksum_ok,
        });
        if !checksum_ok {
            self.problem(
                ProblemCode::BadChecksum,
                at,
                format!("{name} block at offset {at}: header checksum does not match; its fields may be wrong"),
            );
        }

        let attributes = bytes::u32_at(dblk, 4).unwrap_or(0);
        if attributes & ATTR_MTF_COMPRESSION != 0 && !self.header.has_problem(ProblemCode::MtfCompressed) {
            self.problem(
                ProblemCode::MtfCompressed,
                at,
                format!("{name} block at offset {at} has the MTF_COMPRESSION attribute"),
            );
        }

        // Fields of a block are read once, from the first block of each kind in chain order.
        let position = chain_position(&tag);
        let fresh = position.is_some_and(|p| p >= self.expected);
        let in_order = position == Some(self.expected);
        // A chain block right after an unexpected one was already accounted for by that report.
        let already_reported = fresh && self.after_unexpected;
        if !in_order && !already_reported {
            let expected = CHAIN_NAMES.get(self.expected).copied().unwrap_or("no further block");
            self.problem(ProblemCode::UnexpectedBlock, at, format!("expected {expected} at offset {at}, found {name}"));
        }
        self.after_unexpected = !in_order && !fresh;
        if let Some(p) = position.filter(|_| fresh) {
            self.expected = p.saturating_add(1);
            if p >= MSCI_POSITION {
                self.reached_database_info = true;
            }
        }

        match &tag {
            b"SFMB" => self.after_soft_filemark(at),
            b"MSDA" | b"MSTL" => {
                if fresh {
                    self.data_block = Some(tag);
                }
                None
            }
            _ => self.block_with_streams(at, dblk, &tag, fresh),
        }
    }

    /// The doc: SFMB has no streams and occupies exactly the soft-filemark size (TAPE @64 × 512).
    fn after_soft_filemark(&mut self, at: usize) -> Option<usize> {
        let Some(size) = self.soft_filemark_size else {
            self.problem(
                ProblemCode::LengthOutOfRange,
                at,
                "SFMB block: its size (the TAPE soft-filemark size) is unknown or zero".to_owned(),
            );
            return None;
        };
        at.checked_add(size)
    }

    fn block_with_streams(&mut self, at: usize, dblk: &[u8], tag: &[u8; 4], fresh: bool) -> Option<usize> {
        let name = bytes::tag_text(tag);
        // The doc: offset to first stream @8, from the block start; the fixed fields, OS-specific data
        // and strings lie before it.
        let first_stream = usize::from(bytes::u16_at(dblk, 8)?);
        if first_stream < DBLK_LEN {
            self.problem(
                ProblemCode::LengthOutOfRange,
                at,
                format!(
                    "{name} block at offset {at}: first stream offset {first_stream} lies inside the 52-byte header"
                ),
            );
            return None;
        }
        let fields = Extent { start: at, end: at.saturating_add(first_stream) };
        let encoding = match bytes::u8_at(dblk, 48) {
            Some(1) => Encoding::Ansi,
            _ => Encoding::Utf16,
        };
        if fresh {
            let attributes = bytes::u32_at(dblk, 4).unwrap_or(0);
            match tag {
                b"TAPE" => self.tape(fields, encoding),
                b"SSET" => self.sset(fields, encoding, attributes, dblk),
                _ => {}
            }
        }
        let next = self.streams(fields, &name, tag, fresh);
        if fresh && tag == b"TAPE" && next.is_some() {
            self.tape_walked = true;
        }
        next
    }

    /// TAPE extras (the doc, "TAPE block").
    fn tape(&mut self, fields: Extent, encoding: Encoding) {
        if let Some(units) = self.u16_field(fields.at(64), fields, "TAPE soft-filemark block size") {
            self.soft_filemark_size = usize::from(units).checked_mul(SOFT_FILEMARK_UNIT).filter(|size| *size > 0);
            self.header.filemark_size = self.soft_filemark_size.and_then(|size| u32::try_from(size).ok());
        }
        if let Some(size) = self.u16_field(fields.at(84), fields, "TAPE format logical block size") {
            self.header.block_size = Some(u32::from(size));
        }
        if let Some(vendor) = self.u16_field(fields.at(86), fields, "TAPE vendor id") {
            if vendor != SQL_SERVER_VENDOR_ID {
                self.problem(
                    ProblemCode::UnexpectedVendor,
                    fields.at(86),
                    format!("TAPE vendor id is {vendor:#06x}, not SQL Server's {SQL_SERVER_VENDOR_ID:#06x}"),
                );
            }
        }
        // The doc: a non-zero media-password size means password-protected media. Never read the text.
        if self.u16_field(fields.at(76), fields, "TAPE media password").is_some_and(|size| size != 0) {
            self.header.password_protected = true;
        }
        self.header.software_name = self.string_field(fields.at(80), fields, encoding, "TAPE software name");
    }

    /// SSET extras (the doc, "SSET block").
    fn sset(&mut self, fields: Extent, encoding: Encoding, dblk_attributes: u32, dblk: &[u8]) {
        if dblk_attributes & ATTR_SSET_MTF_ENCRYPTION != 0 {
            self.problem(
                ProblemCode::MtfEncrypted,
                fields.start,
                "SSET has the MTF_ENCRYPTION attribute: the backup set is encrypted".to_owned(),
            );
        }
        self.sset_offset = Some(fields.start);
        self.sset_attributes = self.u32_field(fields.at(52), fields, "SSET attributes");
        self.header.backup_name = self.string_field(fields.at(64), fields, encoding, "SSET backup name");
        if self.u16_field(fields.at(72), fields, "SSET password").is_some_and(|size| size != 0) {
            self.header.password_protected = true;
        }
        // MTF 1.00a SSET: media write date (the backup start) @88, 5 bytes, just before software major @93.
        if let Some(packed) =
            self.region(fields.at(88), 5, fields, "SSET backup date").and_then(|b| bytes::array_at(b, 0))
        {
            match date::mtf_date_text(packed) {
                Ok(text) => self.header.backup_date = text,
                Err(()) => self.problem(
                    ProblemCode::BadDate,
                    fields.at(88),
                    "SSET backup date has out-of-range fields".to_owned(),
                ),
            }
        }
        // The doc: OS-specific data ({u16 size, u16 offset} @44) starts with the 16-byte backup-set GUID.
        let os_size = bytes::u16_at(dblk, 44).map_or(0, usize::from);
        let os_offset = bytes::u16_at(dblk, 46).map_or(0, usize::from);
        if os_size < 16 {
            self.problem(
                ProblemCode::LengthOutOfRange,
                fields.at(44),
                format!("SSET OS-specific data is {os_size} bytes, too short for the backup-set GUID"),
            );
            return;
        }
        if let Some(guid) =
            self.region(fields.at(os_offset), 16, fields, "SSET backup-set GUID").and_then(|b| bytes::array_at(b, 0))
        {
            self.header.backup_set_guid = Some(bytes::guid_text(&guid));
        }
    }

    /// Walks the streams of the block whose fields are `fields`, up to and including `SPAD`/`APAD`;
    /// returns the end of that pad (the doc: where the next block starts).
    fn streams(&mut self, fields: Extent, name: &str, tag: &[u8; 4], fresh: bool) -> Option<usize> {
        let block = Extent { start: fields.start, end: fields.start.saturating_add(MAX_BLOCK_SPAN) };
        let mut at = fields.end;
        for _ in 0..MAX_STREAMS_PER_BLOCK {
            let header = self.region(at, STREAM_HEADER_LEN, block, "stream header")?;
            let id: [u8; 4] = bytes::array_at(header, 0)?;
            let id_text = bytes::tag_text(&id);
            if !bytes::is_tag(&id) {
                self.problem(
                    ProblemCode::BadStream,
                    at,
                    format!(
                        "{name} block at offset {}: no stream header at offset {at} (bytes {id_text})",
                        fields.start
                    ),
                );
                return None;
            }
            // MTF 1.00a: the stream header checksum @20 is the XOR of the 10 words before it.
            if bytes::u16_at(header, 20) != header.get(..20).map(bytes::xor_words) {
                self.problem(
                    ProblemCode::BadStreamChecksum,
                    at,
                    format!("{id_text} stream at offset {at}: header checksum does not match"),
                );
            }
            let length = bytes::u64_at(header, 8)?;
            let data = at.saturating_add(STREAM_HEADER_LEN);
            let end =
                usize::try_from(length).ok().and_then(|len| data.checked_add(len)).filter(|end| *end <= block.end);
            let Some(end) = end else {
                self.problem(
                    ProblemCode::LengthOutOfRange,
                    at.saturating_add(8),
                    format!("{id_text} stream at offset {at}: length {length} runs past any plausible block end"),
                );
                return None;
            };
            let stream = Extent { start: data, end };
            if fresh {
                match (tag, &id) {
                    (b"TAPE", b"RAID") => self.raid(stream),
                    (b"MSCI", b"MQCI") => {
                        self.saw_scin |= sql_info::read_mqci(self, stream);
                    }
                    _ => {}
                }
            }
            if &id == b"SPAD" || &id == b"APAD" {
                return Some(end);
            }
            // The doc: streams are 4-byte aligned.
            at = end.checked_add(STREAM_ALIGN_MASK)? & !STREAM_ALIGN_MASK;
        }
        self.problem(
            ProblemCode::BadStream,
            fields.start,
            format!(
                "{name} block at offset {}: no SPAD within its first {MAX_STREAMS_PER_BLOCK} streams",
                fields.start
            ),
        );
        None
    }

    /// The doc, "RAID stream": media-set GUID at 0..16, family count u16 @20, family sequence u16 @24.
    fn raid(&mut self, stream: Extent) {
        self.saw_raid = true;
        let Some(data) = self.region(stream.start, 26, stream, "RAID stream") else {
            return;
        };
        if let Some(guid) = bytes::array_at(data, 0) {
            self.header.media_set_guid = Some(bytes::guid_text(&guid));
        }
        let count = bytes::u16_at(data, 20);
        let sequence = bytes::u16_at(data, 24);
        self.header.family_count = count;
        self.header.family_sequence = sequence;
        if let (Some(count), Some(sequence)) = (count, sequence) {
            if sequence == 0 || sequence > count {
                self.problem(
                    ProblemCode::BadStripeInfo,
                    stream.at(24),
                    format!("RAID family sequence {sequence} is not within 1..={count}"),
                );
            }
        }
    }

    /// Derives what needs the whole walk: backup type, overall checksum state, missing information.
    fn conclude(&mut self) {
        let attributes = self.sset_attributes;
        let differential = attributes.is_some_and(|a| a & SSET_DIFFERENTIAL != 0);
        self.header.backup_type = match self.data_block.as_ref() {
            Some(b"MSTL") => Some(BackupType::Log),
            Some(_) if differential => Some(BackupType::Differential),
            Some(_) if attributes.is_some_and(|a| a & SSET_NORMAL != 0) => Some(BackupType::Full),
            Some(_) => {
                let shown = attributes.map_or_else(|| "unknown".to_owned(), |a| format!("{a:#x}"));
                self.problem_at(
                    ProblemCode::UnknownBackupType,
                    self.sset_offset,
                    format!("data backup with SSET attributes {shown}: neither full nor differential (copy-only is not mapped yet)"),
                );
                None
            }
            // Only data backups are differential, so the SSET alone tells this one.
            None if differential => Some(BackupType::Differential),
            None => None,
        };
        self.header.checksums_valid =
            !self.header.blocks.is_empty() && self.header.blocks.iter().all(|b| b.checksum_ok);
        // Missing information is reported only where it should have been seen; after a truncation or
        // before the walk got there, the earlier problem is the explanation.
        if self.header.has_problem(ProblemCode::Truncated) {
            return;
        }
        if self.tape_walked && !self.saw_raid {
            self.problem_at(ProblemCode::NoStripeInfo, None, "no RAID stream in the TAPE block".to_owned());
        }
        if self.reached_database_info && !self.saw_scin {
            self.problem_at(
                ProblemCode::NoDatabaseInfo,
                None,
                "no SCIN database information (MSCI/MQCI) found".to_owned(),
            );
        }
    }
}
