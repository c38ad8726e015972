//! SQL Server backup-header parser (Microsoft Tape Format) for the preflight.
//!
//! [`inspect`] reads the first bytes of a `.bak`/`.trn` (64 KiB is ample: everything a preflight needs
//! sits in the first 16 KiB of an uncompressed backup, and in the first two records of a compressed
//! one) and reports what it finds; [`inspect_set`] reads a later backup set of the same file, and
//! [`filemarks`] the table in the file's last bytes that counts the sets. They never fail and never
//! panic: anything odd becomes a [`HeaderProblem`] with a stable code, and parsing continues where it
//! safely can. Format facts and offsets: `src/mtf/backup-format.md` ("the doc" below).
//!
//! The chain is walked block by block (`TAPE[RAID,SPAD]` → `SFMB` → `SSET` → `VOLB` → `MSCI[MQCI]` →
//! `MSDA`|`MSTL`), never by fixed offsets, and every length read from the file is checked against
//! both the structure that declares it and the bytes actually present.

mod bytes;
mod compressed;
mod date;
mod fields;
mod filemarks;
pub mod lz77_huffman;
mod sql_info;
mod tail;
mod walk;

pub use filemarks::MAX_BACKUP_SETS;
pub use filemarks::{filemarks, Filemarks};
pub use sql_info::{newest_database_version, release_for, DatabaseFile, FileType, OLDEST_RESTORABLE_VERSION};
pub use tail::end_of_set_offset;

use serde::Serialize;

/// What the first bytes say the object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BackupKind {
    /// An MTF backup, parsed below: plain (starts with `TAPE`), or compressed (`MSSQLBAK` whose records
    /// decode into MTF blocks; `compressed` is then set).
    Mtf,
    /// Starts with `MSSQLBAK`, but its records do not decode into MTF blocks: most likely a backup made
    /// `WITH ENCRYPTION` (the doc), which the service refuses.
    EncryptedOrUnreadable,
    /// Anything else.
    NotSqlBackup,
    /// Too few bytes to tell (empty, or a strict prefix of `TAPE`/`MSSQLBAK`).
    Truncated,
}

/// The backup type, from the SSET attributes and whether the data block is `MSDA` or `MSTL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BackupType {
    Full,
    Differential,
    Log,
}

/// Stable machine codes for header problems; the preflight and JS key on these, so never rename one.
/// Serialised (and compared with `==` against `&str`) as `SCREAMING_SNAKE_CASE`, e.g. `"BAD_CHECKSUM"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProblemCode {
    /// The bytes end before a structure the header needs (expected when given only a short prefix).
    Truncated,
    /// A DBLK header checksum does not match (XOR rule); parsing continued.
    BadChecksum,
    /// A stream header checksum does not match (MTF: XOR of its first 10 words); parsing continued.
    BadStreamChecksum,
    /// A length or offset points outside the structure that declares it, or is implausibly large.
    LengthOutOfRange,
    /// A block that is not the next one in the expected chain, or no block where one should be.
    UnexpectedBlock,
    /// A stream header that is not a stream, or a block whose streams never reach `SPAD`.
    BadStream,
    /// No `SCIN` database information was found.
    NoDatabaseInfo,
    /// No `RAID` stripe information was found in the `TAPE` block.
    NoStripeInfo,
    /// The `RAID` family count/sequence are inconsistent (sequence must be 1..=count).
    BadStripeInfo,
    /// The SSET attributes map to no known backup type (e.g. copy-only, not yet mapped).
    UnknownBackupType,
    /// The database version is not in the version table.
    UnknownDatabaseVersion,
    /// A packed MTF date with out-of-range fields.
    BadDate,
    /// The TAPE software vendor id is not SQL Server's (0x1200).
    UnexpectedVendor,
    /// A block carries the MTF_COMPRESSION attribute.
    MtfCompressed,
    /// The SSET carries the MTF_ENCRYPTION attribute.
    MtfEncrypted,
    /// The object starts with `MSSQLBAK`, but its records do not decode into MTF blocks.
    EncryptedOrUnreadable,
    /// The object does not start with a SQL Server backup signature.
    NotSqlBackup,
}

impl ProblemCode {
    /// The stable text form, identical to the serialised one.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemCode::Truncated => "TRUNCATED",
            ProblemCode::BadChecksum => "BAD_CHECKSUM",
            ProblemCode::BadStreamChecksum => "BAD_STREAM_CHECKSUM",
            ProblemCode::LengthOutOfRange => "LENGTH_OUT_OF_RANGE",
            ProblemCode::UnexpectedBlock => "UNEXPECTED_BLOCK",
            ProblemCode::BadStream => "BAD_STREAM",
            ProblemCode::NoDatabaseInfo => "NO_DATABASE_INFO",
            ProblemCode::NoStripeInfo => "NO_STRIPE_INFO",
            ProblemCode::BadStripeInfo => "BAD_STRIPE_INFO",
            ProblemCode::UnknownBackupType => "UNKNOWN_BACKUP_TYPE",
            ProblemCode::UnknownDatabaseVersion => "UNKNOWN_DATABASE_VERSION",
            ProblemCode::BadDate => "BAD_DATE",
            ProblemCode::UnexpectedVendor => "UNEXPECTED_VENDOR",
            ProblemCode::MtfCompressed => "MTF_COMPRESSED",
            ProblemCode::MtfEncrypted => "MTF_ENCRYPTED",
            ProblemCode::EncryptedOrUnreadable => "ENCRYPTED_OR_UNREADABLE",
            ProblemCode::NotSqlBackup => "NOT_SQL_BACKUP",
        }
    }
}

impl PartialEq<&str> for ProblemCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem: a stable code, the byte offset it concerns (if any) and a human message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeaderProblem {
    pub code: ProblemCode,
    pub offset: Option<u64>,
    pub message: String,
}

/// One DBLK met while walking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockSummary {
    /// The 4-character block type (`TAPE`, `SFMB`, …), lossily decoded.
    pub block_type: String,
    pub offset: u64,
    /// The DBLK header checksum matched.
    pub checksum_ok: bool,
}

/// Everything the preflight learns from a backup's first bytes. Absent values are `None`; why they are
/// absent is in `problems`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupHeader {
    pub kind: BackupKind,
    /// A compressed (`MSSQLBAK`) backup whose records were decoded; block offsets are then those of
    /// the decoded MTF stream.
    pub compressed: bool,
    pub backup_type: Option<BackupType>,
    /// From the `SCIN` chunk of the `MQCI` stream.
    pub database_name: Option<String>,
    /// `server\instance`, from `SCIN`.
    pub server_name: Option<String>,
    pub database_version: Option<u16>,
    /// The SQL Server release that writes `database_version`, e.g. `"2022"`, `"2008 R2"`.
    pub sql_server_version: Option<String>,
    pub compatibility_level: Option<u8>,
    pub collation_id: Option<u32>,
    /// Windows locale id of the database, from `SCIN`.
    pub lcid: Option<u32>,
    /// The backup set name (`BACKUP … WITH NAME`), from SSET.
    pub backup_name: Option<String>,
    /// The SSET backup start date, ISO 8601 without zone (`2024-05-17T13:45:30`), as recorded.
    pub backup_date: Option<String>,
    /// Format logical block size from TAPE (512, 1024, 4096 …).
    pub block_size: Option<u32>,
    /// Soft-filemark (`SFMB`) block size in bytes, from TAPE: later backup sets start one such block
    /// after a filemark.
    pub filemark_size: Option<u32>,
    /// The database files the restore creates (`RESTORE FILELISTONLY`), from the `SFIN` chunks.
    pub files: Vec<DatabaseFile>,
    /// Media-set GUID from the RAID stream: the same in every stripe of one set.
    pub media_set_guid: Option<String>,
    /// Backup-set GUID from the SSET OS-specific data: the same in every stripe.
    pub backup_set_guid: Option<String>,
    pub family_count: Option<u16>,
    /// 1..=family_count; the restore's `file_number` should follow it.
    pub family_sequence: Option<u16>,
    /// A media or backup-set password is present.
    pub password_protected: bool,
    /// From TAPE, e.g. `"Microsoft SQL Server"`.
    pub software_name: Option<String>,
    /// At least one DBLK was read and every DBLK header checksum matched.
    pub checksums_valid: bool,
    pub blocks: Vec<BlockSummary>,
    pub problems: Vec<HeaderProblem>,
}

impl BackupHeader {
    /// An empty header of the given kind: nothing known yet.
    fn new(kind: BackupKind) -> Self {
        BackupHeader {
            kind,
            compressed: false,
            backup_type: None,
            database_name: None,
            server_name: None,
            database_version: None,
            sql_server_version: None,
            compatibility_level: None,
            collation_id: None,
            lcid: None,
            backup_name: None,
            backup_date: None,
            block_size: None,
            filemark_size: None,
            files: Vec::new(),
            media_set_guid: None,
            backup_set_guid: None,
            family_count: None,
            family_sequence: None,
            password_protected: false,
            software_name: None,
            checksums_valid: false,
            blocks: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Whether a problem with this code was reported.
    pub fn has_problem(&self, code: ProblemCode) -> bool {
        self.problems.iter().any(|p| p.code == code)
    }

    /// What the restore allocates: the total size of the database files, when every file's size is
    /// known (`None` if any is not, or no file list was read).
    pub fn restore_size(&self) -> Option<u64> {
        if self.files.is_empty() {
            return None;
        }
        self.files.iter().try_fold(0u64, |total, file| file.size.map(|size| total.saturating_add(size)))
    }
}

/// How much the preflight reads from each place of a backup — its start, its end, each later set's
/// start: the doc, "Other facts": everything a header needs sits in the first 16 KiB of a plain backup
/// and the first two records of a compressed one; 64 KiB is one comfortable request.
pub const HEADER_BYTES: u64 = 65_536;

/// The doc, "First bytes": `TAPE` → plain MTF; `MSSQLBAK` → compressed (or encrypted).
const TAPE_MAGIC: &[u8] = b"TAPE";
const COMPRESSED_MAGIC: &[u8] = b"MSSQLBAK";

/// Reads a backup header from the first bytes of a backup object. Never fails: problems are data.
pub fn inspect(bytes: &[u8]) -> BackupHeader {
    if bytes.starts_with(TAPE_MAGIC) {
        return walk::walk(bytes, BackupHeader::new(BackupKind::Mtf), walk::Start::Media);
    }
    if bytes.starts_with(COMPRESSED_MAGIC) {
        return inspect_compressed(bytes, compressed::FILE_HEADER_LEN, None, walk::Start::Media);
    }
    let (kind, code, message) = if TAPE_MAGIC.starts_with(bytes) || COMPRESSED_MAGIC.starts_with(bytes) {
        (BackupKind::Truncated, ProblemCode::Truncated, "too few bytes to recognise a SQL Server backup")
    } else {
        (
            BackupKind::NotSqlBackup,
            ProblemCode::NotSqlBackup,
            "not a SQL Server backup: it starts with neither TAPE nor MSSQLBAK",
        )
    };
    unreadable(kind, code, Some(0), message.to_owned())
}

/// Reads the header of a later backup set from bytes that start where its `SSET` block (plain) or
/// `SSET` record (compressed) starts: `filemarks(…).set_starts(…)` tells where. The media facts
/// (TAPE, stripes) belong to the first set and stay `None` here.
pub fn inspect_set(bytes: &[u8], compressed: bool, filemark_size: Option<u32>) -> BackupHeader {
    if compressed {
        let filemark_size = filemark_size.and_then(|size| usize::try_from(size).ok());
        return inspect_compressed(bytes, 0, filemark_size, walk::Start::BackupSet);
    }
    walk::walk(bytes, BackupHeader::new(BackupKind::Mtf), walk::Start::BackupSet)
}

/// Decodes the records of a compressed backup from `start` until the walk of the MTF bytes they
/// rebuild is no longer cut short, then reports that walk as a compressed backup.
fn inspect_compressed(bytes: &[u8], start: usize, filemark_size: Option<usize>, from: walk::Start) -> BackupHeader {
    let walk_of = |image: &[u8]| walk::walk(image, BackupHeader::new(BackupKind::Mtf), from);
    let image =
        compressed::mtf_image(bytes, start, filemark_size, |image| !walk_of(image).has_problem(ProblemCode::Truncated));
    let expected: &[u8] = match from {
        walk::Start::Media => TAPE_MAGIC,
        walk::Start::BackupSet => b"SSET",
    };
    match image {
        Ok(image) if image.bytes.starts_with(expected) => {
            let mut header = walk_of(&image.bytes);
            header.compressed = true;
            header
        }
        Ok(image) if image.bytes.is_empty() => unreadable(
            BackupKind::EncryptedOrUnreadable,
            ProblemCode::EncryptedOrUnreadable,
            u64::try_from(image.next).ok(),
            format!(
                "no complete compressed record within the {} bytes read: the record at offset {} runs past them",
                bytes.len(),
                image.next
            ),
        ),
        Ok(image) => unreadable(
            BackupKind::EncryptedOrUnreadable,
            ProblemCode::EncryptedOrUnreadable,
            u64::try_from(start).ok(),
            format!(
                "the compressed records decode, but not into MTF blocks (no {} block first; {} bytes decoded): the backup is likely encrypted",
                String::from_utf8_lossy(expected),
                image.bytes.len()
            ),
        ),
        Err(failure) => unreadable(
            BackupKind::EncryptedOrUnreadable,
            ProblemCode::EncryptedOrUnreadable,
            u64::try_from(failure.offset).ok(),
            format!("{}; tried LZ77+Huffman (MS-XCA) as SQL Server compresses: the backup is likely encrypted", failure.message),
        ),
    }
}

fn unreadable(kind: BackupKind, code: ProblemCode, offset: Option<u64>, message: String) -> BackupHeader {
    let mut header = BackupHeader::new(kind);
    header.problems.push(HeaderProblem { code, offset, message });
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_first_bytes() {
        assert_eq!(inspect(b"").kind, BackupKind::Truncated);
        assert_eq!(inspect(b"TA").kind, BackupKind::Truncated);
        assert_eq!(inspect(b"MSSQLBA").kind, BackupKind::Truncated);
        assert_eq!(inspect(b"MSSQLBAK\0\0\0\0").kind, BackupKind::EncryptedOrUnreadable);
        assert_eq!(inspect(b"PK\x03\x04 zip").kind, BackupKind::NotSqlBackup);
        let tape = inspect(b"TAPE");
        assert_eq!(tape.kind, BackupKind::Mtf);
        assert!(tape.has_problem(ProblemCode::Truncated));
    }

    #[test]
    fn problem_codes_serialise_as_their_stable_text() {
        for code in [ProblemCode::Truncated, ProblemCode::LengthOutOfRange, ProblemCode::MtfEncrypted] {
            let json = serde_json::to_value(code).ok();
            assert_eq!(json, Some(serde_json::Value::String(code.as_str().to_owned())));
            assert!(code == code.as_str());
        }
    }
}
