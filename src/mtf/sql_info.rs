//! SQL Server's database information: the `MQCI` stream inside `MSCI` and its `SCIN` chunk
//! (the doc, "MQCI stream"), plus the database-version → release table.

use super::bytes;
use super::walk::{Encoding, Extent, Walker};
use super::ProblemCode;

/// Each chunk starts with `tag[4]` + `u32 size`, the size including these 8 bytes (the doc).
const CHUNK_HEADER_LEN: usize = 8;
/// A real MQCI holds SCIN, SFGI and one SFIN per database file; SCIN comes first.
const MAX_CHUNKS: usize = 4096;

/// The doc: database version → the SQL Server release that writes it.
const VERSIONS: [(u16, &str); 7] =
    [(661, "2008 R2"), (706, "2012"), (782, "2014"), (852, "2016"), (869, "2017"), (904, "2019"), (957, "2022")];

/// The SQL Server release for a database version, if known (`957` → `"2022"`).
pub(super) fn release_for(database_version: u16) -> Option<&'static str> {
    VERSIONS.iter().find(|(v, _)| *v == database_version).map(|(_, name)| *name)
}

/// The newest database version a SQL Server release can read: the one it writes (`"2022"` → `957`).
/// A release restores backups of older versions, never of newer ones.
pub fn newest_database_version(release: &str) -> Option<u16> {
    VERSIONS.iter().find(|(_, name)| name.eq_ignore_ascii_case(release.trim())).map(|(v, _)| *v)
}

/// Reads the chunks of an MQCI stream until `SCIN`; returns whether SCIN was found.
pub(super) fn read_mqci(walker: &mut Walker<'_>, stream: Extent) -> bool {
    let mut at = stream.start;
    for _ in 0..MAX_CHUNKS {
        if at >= stream.end {
            return false;
        }
        let Some(header) = walker.region(at, CHUNK_HEADER_LEN, stream, "MQCI chunk header") else {
            return false;
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
            return false;
        };
        if tag.as_ref() == Some(b"SCIN") {
            read_scin(walker, Extent { start: at, end });
            return true;
        }
        at = end;
    }
    false
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
    }
}
