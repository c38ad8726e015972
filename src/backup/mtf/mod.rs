//! SQL Server backup-header parser (Microsoft Tape Format) for the preflight.
//!
//! [`inspect`] reads the first bytes of a `.bak`/`.trn` (64 KiB is ample: everything a preflight needs
//! sits in the first 16 KiB of an uncompressed backup, and in the first two records of a compressed
//! one) and reports what it finds; [`inspect_set`] reads a later backup set of the same file, and
//! [`filemarks`] the table in the file's last bytes that counts the sets. They never fail and never
//! panic: anything odd becomes a [`HeaderProblem`] with a stable code, and parsing continues where it
//! safely can. Format facts and offsets: `src/backup/mtf/backup-format.md` ("the doc" below).
//!
//! The chain is walked block by block (`TAPE[RAID,SPAD]` → `SFMB` → `SSET` → `VOLB` → `MSCI[MQCI]` →
//! `MSDA`|`MSTL`), never by fixed offsets, and every length read from the file is checked against
//! both the structure that declares it and the bytes actually present.

mod bytes;
mod compressed;
mod date;
mod fields;
mod filemarks;
mod header;
pub mod lz77_huffman;
mod sql_info;
mod tail;
mod walk;

pub use filemarks::MAX_BACKUP_SETS;
pub use filemarks::{filemarks, Filemarks};
pub use header::{
    BackupHeader, BackupKind, BackupType, BlockSummary, DatabaseFile, FileType, HeaderProblem, ProblemCode,
    HEADER_BYTES,
};
pub use sql_info::{newest_database_version, release_for, OLDEST_RESTORABLE_VERSION};
pub use tail::end_of_set_offset;

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
