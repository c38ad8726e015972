//! What the parser reports: the backup header, its kind and type, and its problems with their
//! stable codes; and how many bytes the preflight reads from each place of a backup.

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

/// What a database file holds, as `RESTORE FILELISTONLY` tells it (D or L).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FileType {
    /// Rows data (and FILESTREAM containers, which this layout does not tell apart).
    Data,
    Log,
}

/// One database file the restore creates, from an `SFIN` chunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseFile {
    pub file_id: Option<u32>,
    pub logical_name: Option<String>,
    pub physical_name: Option<String>,
    pub file_type: FileType,
    /// Bytes the restore allocates for it; `None` when the two size fields disagree (see `read_sfin`).
    pub size: Option<u64>,
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
    pub(super) fn new(kind: BackupKind) -> Self {
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
