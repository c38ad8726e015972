//! Bounds-checked little-endian reads and the text forms used by the header parser.
//! Every read returns `None` instead of indexing out of range.

use crate::util::hex;

/// Longest string decoded, in bytes: 512 UTF-16 units. Longer declared sizes are reported, not read,
/// so no allocation grows with a length taken from the file.
pub(super) const MAX_STRING_BYTES: usize = 1024;

/// `N` bytes at `offset`.
pub(super) fn array_at<const N: usize>(bytes: &[u8], offset: usize) -> Option<[u8; N]> {
    let end = offset.checked_add(N)?;
    bytes.get(offset..end)?.try_into().ok()
}

pub(super) fn u8_at(bytes: &[u8], offset: usize) -> Option<u8> {
    bytes.get(offset).copied()
}

pub(super) fn u16_at(bytes: &[u8], offset: usize) -> Option<u16> {
    array_at(bytes, offset).map(u16::from_le_bytes)
}

pub(super) fn u32_at(bytes: &[u8], offset: usize) -> Option<u32> {
    array_at(bytes, offset).map(u32::from_le_bytes)
}

pub(super) fn u64_at(bytes: &[u8], offset: usize) -> Option<u64> {
    array_at(bytes, offset).map(u64::from_le_bytes)
}

/// Word-wise XOR of little-endian u16s (a trailing odd byte is ignored). The doc: the DBLK checksum is
/// the XOR of the 25 words at 0..49; the MTF spec: a stream header's is the XOR of its first 10 words.
pub(super) fn xor_words(bytes: &[u8]) -> u16 {
    bytes.chunks_exact(2).fold(0, |acc, word| match word {
        [lo, hi] => acc ^ u16::from_le_bytes([*lo, *hi]),
        _ => acc,
    })
}

/// The doc, "MTF common block header": 52 bytes; its checksum @50 is the XOR of the 25 words before it.
pub(super) const DBLK_LEN: usize = 52;

/// Where the last DBLK of type `tag` with a valid header checksum starts in `bytes`, at any offset
/// (the bytes' first byte need not sit on a block boundary). Candidates are found by their first byte
/// alone, so a scan of 64 KiB that finds none stays cheap.
pub(super) fn last_block(bytes: &[u8], tag: &[u8; 4]) -> Option<usize> {
    let mut end = bytes.len().checked_sub(DBLK_LEN)?.checked_add(1)?;
    while let Some(at) = bytes.get(..end)?.iter().rposition(|b| *b == tag[0]) {
        let dblk = bytes.get(at..at.saturating_add(DBLK_LEN))?;
        if dblk.starts_with(tag) && u16_at(dblk, 50) == dblk.get(..50).map(xor_words) {
            return Some(at);
        }
        end = at;
    }
    None
}

/// A block type or stream id: four ASCII upper-case letters or digits.
pub(super) fn is_tag(tag: &[u8; 4]) -> bool {
    tag.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A tag for messages: the ASCII text if printable, else hex.
pub(super) fn tag_text(tag: &[u8; 4]) -> String {
    if tag.iter().all(|b| b.is_ascii_graphic()) {
        tag.iter().map(|b| char::from(*b)).collect()
    } else {
        hex::lower(tag)
    }
}

/// UTF-16LE text; unpaired surrogates become U+FFFD, trailing NULs are dropped, an odd last byte is ignored.
pub(super) fn utf16_text(bytes: &[u8]) -> String {
    let units = bytes.chunks_exact(2).map(|pair| match pair {
        [lo, hi] => u16::from_le_bytes([*lo, *hi]),
        _ => 0,
    });
    let text: String = char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
    text.trim_end_matches('\0').to_owned()
}

/// Single-byte MTF strings (string type 1), read as Latin-1; trailing NULs are dropped.
pub(super) fn ansi_text(bytes: &[u8]) -> String {
    let text: String = bytes.iter().map(|b| char::from(*b)).collect();
    text.trim_end_matches('\0').to_owned()
}

/// The canonical lowercase text form of a .NET `Guid` stored in its own byte order (the doc, RAID
/// stream): the first three groups are little-endian u32/u16/u16, the last eight bytes as stored.
pub(super) fn guid_text(guid: &[u8; 16]) -> String {
    let [a0, a1, a2, a3, b0, b1, c0, c1, rest @ ..] = *guid;
    let mut out = String::with_capacity(36);
    for byte in [a3, a2, a1, a0] {
        hex::push_lower(&mut out, byte);
    }
    out.push('-');
    for byte in [b1, b0] {
        hex::push_lower(&mut out, byte);
    }
    out.push('-');
    for byte in [c1, c0] {
        hex::push_lower(&mut out, byte);
    }
    for (i, byte) in rest.iter().enumerate() {
        if i == 0 || i == 2 {
            out.push('-');
        }
        hex::push_lower(&mut out, *byte);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_end() {
        let bytes = [1, 2, 3, 4, 5];
        assert_eq!(u16_at(&bytes, 3), Some(0x0504));
        assert_eq!(u16_at(&bytes, 4), None);
        assert_eq!(u32_at(&bytes, 1), Some(0x0504_0302));
        assert_eq!(u32_at(&bytes, 2), None);
        assert_eq!(u64_at(&bytes, 0), None);
        assert_eq!(u8_at(&bytes, usize::MAX), None);
        assert_eq!(array_at::<2>(&bytes, usize::MAX), None);
    }

    #[test]
    fn xor_of_words() {
        assert_eq!(xor_words(&[0x01, 0x02, 0x10, 0x20, 0xff]), 0x2211);
        assert_eq!(xor_words(&[]), 0);
    }

    #[test]
    fn guid_uses_dotnet_byte_order() {
        let guid = [0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff];
        assert_eq!(guid_text(&guid), "00112233-4455-6677-8899-aabbccddeeff");
    }

    #[test]
    fn text_decoding() {
        assert_eq!(utf16_text(&[b'A', 0, b'b', 0, 0, 0, 7]), "Ab");
        assert_eq!(utf16_text(&[0x00, 0xd8, b'x', 0]), "\u{fffd}x");
        assert_eq!(ansi_text(b"caf\xe9\0"), "caf\u{e9}");
        assert_eq!(tag_text(b"TAPE"), "TAPE");
        assert_eq!(tag_text(&[0, 1, 0xff, b'A']), "0001ff41");
        assert!(is_tag(b"MQCI") && is_tag(b"RAI0") && !is_tag(b"spad"));
    }
}
