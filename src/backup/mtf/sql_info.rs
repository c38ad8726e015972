//! SQL Server's database information: the `MQCI` stream inside `MSCI`, its `SCIN` chunk and one
//! `SFIN` chunk per database file (the doc, "MQCI stream"), plus the database-version → release table.

use super::bytes;
use super::fields::{Encoding, Extent, Walker};
use super::header::{DatabaseFile, FileType, ProblemCode};

/// Each chunk starts with `tag[4]` + `u32 size`, the size including these 8 bytes (the doc).
const CHUNK_HEADER_LEN: usize = 8;
/// A real MQCI holds SCIN, SFGI and one SFIN per database file; SCIN comes first.
const MAX_CHUNKS: usize = 4096;
/// More file entries than a 64 KiB header can hold only repeat a corrupt chunk list.
const MAX_FILES: usize = 1024;
/// SQL Server's page size: file sizes are kept in pages too.
const PAGE_BYTES: u64 = 8192;

/// The doc: database version → the SQL Server release that writes it (2005 writes 611 or 612; the
/// newest of a release comes first, for `newest_database_version`).
const VERSIONS: [(u16, &str); 10] = [
    (612, "2005"),
    (611, "2005"),
    (655, "2008"),
    (661, "2008 R2"),
    (706, "2012"),
    (782, "2014"),
    (852, "2016"),
    (869, "2017"),
    (904, "2019"),
    (957, "2022"),
];

/// The doc, "Versions SQL Server can restore": SQL Server 2016, 2017, 2019 and 2022 — every release
/// STACKIT offers — restore backups from SQL Server 2008 (database version 655) on; older ones need an
/// intermediate server.
pub const OLDEST_RESTORABLE_VERSION: u16 = 655;

/// The SQL Server release for a database version, if known (`957` → `"2022"`).
pub fn release_for(database_version: u16) -> Option<&'static str> {
    VERSIONS.iter().find(|(v, _)| *v == database_version).map(|(_, name)| *name)
}

/// The newest database version a SQL Server release can read: the one it writes (`"2022"` → `957`).
/// A release restores backups of older versions, never of newer ones.
pub fn newest_database_version(release: &str) -> Option<u16> {
    VERSIONS.iter().find(|(_, name)| name.eq_ignore_ascii_case(release.trim())).map(|(v, _)| *v)
}

/// Reads every chunk of an MQCI stream: `SCIN` and the `SFIN`s. Returns whether SCIN was found.
pub(super) fn read_mqci(walker: &mut Walker<'_>, stream: Extent) -> bool {
    let mut at = stream.start;
    let mut saw_scin = false;
    for _ in 0..MAX_CHUNKS {
        if at >= stream.end {
            return saw_scin;
        }
        let Some(header) = walker.region(at, CHUNK_HEADER_LEN, stream, "MQCI chunk header") else {
            return saw_scin;
        };
        let tag: Option<[u8; 4]> = bytes::array_at(header, 0);
        let size = bytes::u32_at(header, 4).and_then(|s| usize::try_from(s).ok()).unwrap_or(0);
        let end = at.checked_add(size).filter(|end| size >= CHUNK_HEADER_LEN && *end <= stream.end);
        let Some(end) = end else {
            walker.problem(
                ProblemCode::LengthOutOfRange,
                at.saturating_add(4),
                format!("MQCI chunk at offset {at}: size {size} is below 8 or runs past its stream"),
            );
            return saw_scin;
        };
        let chunk = Extent { start: at, end };
        match tag.as_ref() {
            Some(b"SCIN") if !saw_scin => {
                read_scin(walker, chunk);
                saw_scin = true;
            }
            Some(b"SFIN") => read_sfin(walker, chunk),
            _ => {}
        }
        at = end;
    }
    saw_scin
}

/// An `SFIN` chunk: one database file. SQL Server's own layout, not publicly specified; each offset
/// (relative to the chunk start) was established on the decoded MQCI of the real SQL Server 2016
/// backup in `tests/fixtures/` (data file `TutorialDB`, log `TutorialDB_log`), where the fields read
/// back SQL Server 2016's documented defaults for new files (8 MB, growth 64 MB, data unlimited = 2^32
/// − 1 pages, log at most 2 TB):
/// - u32 @0x14 file id (1 data, 2 log: `FileId` of FILELISTONLY);
/// - u32 @0x24 filegroup id (1 PRIMARY for the data file, 0 for the log, as FILELISTONLY's `FileGroupId`);
/// - u64 @0x28 size in bytes, and u32 @0x60 the same size in 8-KiB pages (8,388,608 and 1,024 in both);
/// - {u16 size, u16 offset} @0x30 logical name, @0x34 physical name (UTF-16, from the chunk start).
///
/// The size is reported only when the byte and page fields agree: with one real sample, a size that
/// is not confirmed twice is not trusted (the preflight then keeps its backup-size rule).
fn read_sfin(walker: &mut Walker<'_>, chunk: Extent) {
    let file_id = walker.u32_field(chunk.at(0x14), chunk, "SFIN file id");
    let filegroup = walker.u32_field(chunk.at(0x24), chunk, "SFIN filegroup id");
    let bytes = walker.u64_field(chunk.at(0x28), chunk, "SFIN size");
    let pages = walker.u32_field(chunk.at(0x60), chunk, "SFIN size in pages");
    let size = bytes.filter(|b| pages.and_then(|p| u64::from(p).checked_mul(PAGE_BYTES)) == Some(*b));
    let logical_name = walker.string_field(chunk.at(0x30), chunk, Encoding::Utf16, "SFIN logical name");
    let physical_name = walker.string_field(chunk.at(0x34), chunk, Encoding::Utf16, "SFIN physical name");
    let file_type = if filegroup == Some(0) { FileType::Log } else { FileType::Data };
    if walker.header.files.len() >= MAX_FILES {
        return;
    }
    walker.header.files.push(DatabaseFile { file_id, logical_name, physical_name, file_type, size });
}

/// The doc, `SCIN` chunk: offsets relative to the chunk start; strings are UTF-16 with offsets from
/// the chunk start and must lie inside the chunk.
fn read_scin(walker: &mut Walker<'_>, chunk: Extent) {
    walker.header.compatibility_level = walker.u8_field(chunk.at(0x5B), chunk, "SCIN compatibility level");
    let version = walker.u16_field(chunk.at(0x5E), chunk, "SCIN database version");
    walker.header.database_version = version;
    if let Some(version) = version {
        walker.header.sql_server_version = release_for(version).map(str::to_owned);
        if walker.header.sql_server_version.is_none() {
            walker.problem(
                ProblemCode::UnknownDatabaseVersion,
                chunk.at(0x5E),
                format!("database version {version} is not a known SQL Server release"),
            );
        }
    }
    walker.header.database_name = walker.string_field(chunk.at(0x68), chunk, Encoding::Utf16, "SCIN database name");
    walker.header.server_name = walker.string_field(chunk.at(0x6C), chunk, Encoding::Utf16, "SCIN server name");
    walker.header.lcid = walker.u32_field(chunk.at(0x74), chunk, "SCIN LCID");
    walker.header.collation_id = walker.u32_field(chunk.at(0xD8), chunk, "SCIN collation id");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_table() {
        assert_eq!(release_for(957), Some("2022"));
        assert_eq!(release_for(904), Some("2019"));
        assert_eq!(release_for(852), Some("2016"));
        assert_eq!(release_for(661), Some("2008 R2"));
        assert_eq!(release_for(958), None);
        assert_eq!(newest_database_version("2022"), Some(957));
        assert_eq!(newest_database_version("2008 r2"), Some(661));
        assert_eq!(newest_database_version("2025"), None);
        assert_eq!(release_for(611), Some("2005"));
        assert_eq!(newest_database_version("2005"), Some(612));
        assert_eq!(newest_database_version("2008"), Some(655));
    }
}
