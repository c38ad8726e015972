//! Compressed backups (`MSSQLBAK`): the records after the 480-byte file header hold the MTF stream
//! in LZ77+Huffman-coded pieces, with the uncompressed `SFMB` filemark blocks between them (the doc,
//! "Compressed backups"). [`mtf_image`] rebuilds the MTF bytes a plain backup would have — decoded
//! records and filemark blocks, in file order — so the plain walk reads them unchanged.

use super::bytes;
use super::lz77_huffman::{self, DecodeError};

/// The doc: the file header is 480 bytes; records follow contiguously.
pub(super) const FILE_HEADER_LEN: usize = 0x1E0;
/// The doc: record tags — low byte 0x21 data (28-byte header), 0x24 padding (24-byte header), 0x2C end.
const DATA_RECORD: u8 = 0x21;
const PADDING_RECORD: u8 = 0x24;
const END_RECORD: u8 = 0x2C;
const DATA_HEADER_LEN: usize = 28;
const PADDING_HEADER_LEN: usize = 24;
/// The doc: tag bits 8–15 count the decoded size in 512-byte units.
const SIZE_UNIT: usize = 512;
/// A filemark block whose size is not known yet (no `TAPE` decoded): the smallest block there is.
const DEFAULT_FILEMARK_SIZE: usize = 512;
/// The doc: TAPE @64, the soft-filemark block size in 512-byte units.
const TAPE_FILEMARK_UNITS_AT: usize = 64;
/// Bound on the records read for one header (a header lies in the first two data records).
pub(super) const MAX_RECORDS: usize = 16;

/// Why the records could not be turned into MTF bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// Where the record that failed starts, from the start of the bytes given.
    pub offset: usize,
    pub message: String,
}

/// What reading the records gave: the rebuilt MTF bytes (a record cut by the end of the bytes given
/// ends them), and where reading stopped, from the start of the bytes given.
pub(super) struct Image {
    pub bytes: Vec<u8>,
    pub next: usize,
}

/// Reads records of `file` from `start`, appending to `image` until `enough(image)` says the MTF
/// walk has what it needs, the end record, `MAX_RECORDS` records, or the end of the bytes.
/// `filemark_size` is the soft-filemark block size when known (for a later backup set).
pub(super) fn mtf_image(
    file: &[u8],
    start: usize,
    mut filemark_size: Option<usize>,
    mut enough: impl FnMut(&[u8]) -> bool,
) -> Result<Image, Unreadable> {
    let mut image = Vec::new();
    let mut at = start;
    for _ in 0..MAX_RECORDS {
        let Some(tag) = file.get(at..).and_then(|rest| bytes::u32_at(rest, 0)) else {
            return Ok(Image { bytes: image, next: at });
        };
        if file.get(at..).is_some_and(|rest| rest.starts_with(b"SFMB")) {
            let size = filemark_size.unwrap_or(DEFAULT_FILEMARK_SIZE);
            let Some(block) = at.checked_add(size).and_then(|end| file.get(at..end)) else {
                return Ok(Image { bytes: image, next: at });
            };
            image.extend_from_slice(block);
            at = at.saturating_add(size);
            continue;
        }
        let [kind, units, ..] = tag.to_le_bytes();
        let payload = usize::from(u16::try_from(tag >> 16).unwrap_or(u16::MAX));
        match kind {
            DATA_RECORD => {
                let body = at.saturating_add(DATA_HEADER_LEN);
                let end = body.saturating_add(payload);
                let Some(coded) = file.get(body..end) else {
                    return Ok(Image { bytes: image, next: at });
                };
                let size = usize::from(units).saturating_mul(SIZE_UNIT);
                let decoded = lz77_huffman::decode(coded, size).map_err(|e| failure(at, e))?;
                if image.is_empty() && filemark_size.is_none() && decoded.starts_with(b"TAPE") {
                    filemark_size = bytes::u16_at(&decoded, TAPE_FILEMARK_UNITS_AT)
                        .map(|units| usize::from(units).saturating_mul(SIZE_UNIT))
                        .filter(|size| *size > 0);
                }
                image.extend_from_slice(&decoded);
                at = end;
                if enough(&image) {
                    return Ok(Image { bytes: image, next: at });
                }
            }
            PADDING_RECORD => at = at.saturating_add(PADDING_HEADER_LEN).saturating_add(payload),
            END_RECORD => return Ok(Image { bytes: image, next: at }),
            _ => {
                return Err(Unreadable {
                    offset: at,
                    message: format!("no compressed record at offset {at} (tag {tag:#010x})"),
                })
            }
        }
    }
    Ok(Image { bytes: image, next: at })
}

fn failure(at: usize, error: DecodeError) -> Unreadable {
    Unreadable {
        offset: at,
        message: format!("the compressed record at offset {at} does not decode: {}", error.message()),
    }
}
