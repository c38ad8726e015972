//! The LZ77+Huffman decoder of Microsoft's [MS-XCA] specification (section 2.2, "LZ77+Huffman
//! Decompression Algorithm Details"), for the records of compressed (`MSSQLBAK`) backups.
//!
//! A stream is: 256 bytes holding the 4-bit code lengths of 512 symbols (low nibble = even symbol),
//! then a bit stream read MSB first from little-endian 16-bit words, with the raw bytes of long match
//! lengths interleaved at the byte position the reader has reached. Symbols 0..=255 are literals;
//! 256..=511 are matches: low nibble = length - 3 (15 = longer, in the following raw bytes), high
//! nibble = the number of offset bits that follow. Every record of a backup is one stream whose
//! decoded size the record header gives (at most 64 KiB, one Huffman table).
//!
//! Written from the specification rather than taken from a crate: the one crate for it is young and
//! single-maintained, and this decoder is short, bounded-checked under the crate's lints and fuzzed
//! (`tests/fuzz`, target `lz77_huffman`).

/// The code-length table at the start of the stream: 512 symbols × 4 bits.
const TABLE_BYTES: usize = 256;
const SYMBOLS: usize = 512;
/// Codes are at most 15 bits; the decoding table is indexed by the next 15 bits.
const MAX_CODE_BITS: u32 = 15;
const DECODE_TABLE_LEN: usize = 1 << MAX_CODE_BITS;
/// No symbol is assigned to a decoding-table slot yet (an incomplete code).
const UNASSIGNED: u16 = u16::MAX;
/// The largest decoded size accepted: one Huffman block (the spec's 65,536-byte blocks).
pub const MAX_DECODED: usize = 65_536;

/// Why a stream could not be decoded; the text says what was wrong, for the preflight's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// Fewer than 256 bytes: no code-length table.
    NoTable,
    /// The code lengths describe no valid prefix code (over-subscribed, or empty).
    BadTable,
    /// The bit stream uses a code the table does not assign.
    BadCode,
    /// A match reaches back before the start of the output.
    OffsetBeforeStart,
    /// A long match length is encoded below its minimum.
    BadLength,
    /// The input ended before the output reached its declared size.
    InputEnded,
    /// The declared decoded size is zero or above one block.
    BadSize,
}

impl DecodeError {
    pub fn message(self) -> &'static str {
        match self {
            DecodeError::NoTable => "the record is shorter than its 256-byte Huffman table",
            DecodeError::BadTable => "the Huffman code lengths form no valid code",
            DecodeError::BadCode => "the bit stream uses a Huffman code the table does not assign",
            DecodeError::OffsetBeforeStart => "a match refers to bytes before the start of the record",
            DecodeError::BadLength => "a long match length is encoded below its minimum",
            DecodeError::InputEnded => "the compressed data ends before the declared decoded size",
            DecodeError::BadSize => "the declared decoded size is zero or larger than 64 KiB",
        }
    }
}

/// Decodes one LZ77+Huffman stream into exactly `size` bytes (`1..=MAX_DECODED`).
pub fn decode(input: &[u8], size: usize) -> Result<Vec<u8>, DecodeError> {
    if size == 0 || size > MAX_DECODED {
        return Err(DecodeError::BadSize);
    }
    let table = input.get(..TABLE_BYTES).ok_or(DecodeError::NoTable)?;
    let (lengths, decoding) = decoding_table(table)?;
    let mut bits = BitReader::new(input.get(TABLE_BYTES..).unwrap_or_default());
    let mut out: Vec<u8> = Vec::with_capacity(size);
    while out.len() < size {
        let symbol = decoding.get(bits.peek15()).copied().unwrap_or(UNASSIGNED);
        let length = lengths.get(usize::from(symbol)).copied().ok_or(DecodeError::BadCode)?;
        bits.consume(u32::from(length))?;
        let Some(matched) = symbol.checked_sub(256) else {
            out.push(u8::try_from(symbol).map_err(|_| DecodeError::BadCode)?);
            continue;
        };
        let offset_bits = u32::from(matched >> 4);
        let mut match_length = usize::from(matched & 15);
        if match_length == 15 {
            match_length = usize::from(bits.raw_u8()?);
            if match_length == 255 {
                match_length = usize::from(bits.raw_u16()?);
                if match_length == 0 {
                    match_length = usize::try_from(bits.raw_u32()?).map_err(|_| DecodeError::BadLength)?;
                }
                // The spec: the 16/32-bit form holds the whole length minus 3, never below 15.
                match_length = match_length.checked_sub(15).ok_or(DecodeError::BadLength)?;
            }
            match_length = match_length.saturating_add(15);
        }
        match_length = match_length.saturating_add(3);
        let offset = (1usize << offset_bits) | bits.take(offset_bits)?;
        let start = out.len().checked_sub(offset).ok_or(DecodeError::OffsetBeforeStart)?;
        // Byte by byte: a match may overlap the bytes it produces (offset < length).
        for i in 0..match_length.min(size.saturating_sub(out.len())) {
            let byte = out.get(start.saturating_add(i)).copied().ok_or(DecodeError::OffsetBeforeStart)?;
            out.push(byte);
        }
    }
    Ok(out)
}

/// The symbol lengths and the 2^15-entry decoding table of canonical Huffman codes (the spec: codes
/// are assigned in order of length, then of symbol value).
fn decoding_table(table: &[u8]) -> Result<([u8; SYMBOLS], Vec<u16>), DecodeError> {
    let mut lengths = [0u8; SYMBOLS];
    for (pair, byte) in lengths.chunks_exact_mut(2).zip(table) {
        if let [even, odd] = pair {
            *even = byte & 0x0f;
            *odd = byte >> 4;
        }
    }
    let mut decoding = vec![UNASSIGNED; DECODE_TABLE_LEN];
    let mut next = 0usize;
    for length in 1..=MAX_CODE_BITS {
        let span = 1usize << MAX_CODE_BITS.saturating_sub(length);
        for (symbol, _) in lengths.iter().enumerate().filter(|(_, l)| u32::from(**l) == length) {
            let end = next.checked_add(span).filter(|end| *end <= DECODE_TABLE_LEN).ok_or(DecodeError::BadTable)?;
            let value = u16::try_from(symbol).map_err(|_| DecodeError::BadTable)?;
            decoding.get_mut(next..end).ok_or(DecodeError::BadTable)?.fill(value);
            next = end;
        }
    }
    if next == 0 {
        return Err(DecodeError::BadTable);
    }
    Ok((lengths, decoding))
}

/// The spec's bit reader: a 32-bit window refilled 16 bits at a time from little-endian words, and
/// raw bytes taken from the position after the words already loaded. Words past the end read as
/// zero (the window runs ahead of the bits used); consuming bits that were never there is an error.
struct BitReader<'a> {
    input: &'a [u8],
    /// Next unread byte of `input`.
    position: usize,
    window: u32,
    /// Bits in `window` beyond the 16 kept ready (the spec's ExtraBitCount; 0..=16).
    extra: u32,
    /// Bits that were read past the end of the input and are still in or before the window.
    missing: u32,
}

impl<'a> BitReader<'a> {
    fn new(input: &'a [u8]) -> Self {
        let mut reader = BitReader { input, position: 0, window: 0, extra: 16, missing: 0 };
        let high = reader.word();
        let low = reader.word();
        reader.window = (high << 16) | low;
        reader
    }

    /// The next 16-bit little-endian word, or 0 (counted as missing) past the end.
    fn word(&mut self) -> u32 {
        let at = self.position;
        self.position = at.saturating_add(2);
        match (self.input.get(at), self.input.get(at.saturating_add(1))) {
            (Some(lo), Some(hi)) => u32::from(u16::from_le_bytes([*lo, *hi])),
            (Some(lo), None) => {
                self.missing = self.missing.saturating_add(8);
                u32::from(*lo)
            }
            _ => {
                self.missing = self.missing.saturating_add(16);
                0
            }
        }
    }

    fn peek15(&self) -> usize {
        (self.window >> (32 - MAX_CODE_BITS)) as usize
    }

    /// Drops `count` (≤ 16) bits from the window and refills it when it runs low.
    fn consume(&mut self, count: u32) -> Result<(), DecodeError> {
        if count == 0 {
            return Ok(());
        }
        self.window = self.window.checked_shl(count).unwrap_or(0);
        match self.extra.checked_sub(count) {
            Some(extra) => self.extra = extra,
            None => {
                let short = count.saturating_sub(self.extra);
                let word = self.word();
                self.window |= word.checked_shl(short).unwrap_or(0);
                self.extra = 16u32.saturating_sub(short);
            }
        }
        // Bits read past the end sit at the bottom of the window: 32 - 16 + extra bits are buffered.
        let buffered = 16u32.saturating_add(self.extra);
        if self.missing > buffered {
            return Err(DecodeError::InputEnded);
        }
        Ok(())
    }

    /// The next `count` (≤ 15) bits as a number.
    fn take(&mut self, count: u32) -> Result<usize, DecodeError> {
        if count == 0 {
            return Ok(0);
        }
        let value = (self.window >> (32u32.saturating_sub(count))) as usize;
        self.consume(count)?;
        Ok(value)
    }

    fn raw<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let end = self.position.checked_add(N).ok_or(DecodeError::InputEnded)?;
        let bytes = self.input.get(self.position..end).ok_or(DecodeError::InputEnded)?;
        self.position = end;
        bytes.try_into().map_err(|_| DecodeError::InputEnded)
    }

    fn raw_u8(&mut self) -> Result<u8, DecodeError> {
        self.raw::<1>().map(|[b]| b)
    }

    fn raw_u16(&mut self) -> Result<u16, DecodeError> {
        self.raw().map(u16::from_le_bytes)
    }

    fn raw_u32(&mut self) -> Result<u32, DecodeError> {
        self.raw().map(u32::from_le_bytes)
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    /// A stream whose 512 symbols all have 9-bit codes (code = symbol), holding `symbols`.
    fn stream(symbols: &[u16]) -> Vec<u8> {
        let mut out = vec![0x99u8; TABLE_BYTES];
        let mut bits: Vec<bool> = Vec::new();
        for s in symbols {
            bits.extend((0..9).rev().map(|i| (s >> i) & 1 == 1));
        }
        while !bits.len().is_multiple_of(16) || bits.len() < 32 {
            bits.push(false);
        }
        for word in bits.chunks(16) {
            let value = word.iter().fold(0u16, |acc, b| (acc << 1) | u16::from(*b));
            out.extend(value.to_le_bytes());
        }
        out
    }

    #[test]
    fn literals_and_an_overlapping_match() {
        // "ab", then a match of length 4 at offset 2: symbol 256 + (1 << 4) + (4 - 3), one offset bit 0.
        let mut data = stream(&[u16::from(b'a'), u16::from(b'b'), 256 + 16 + 1]);
        // The offset bit (0) follows the symbol: already 0 in the padding.
        assert_eq!(decode(&data, 6), Ok(b"ababab".to_vec()));
        data.truncate(TABLE_BYTES - 1);
        assert_eq!(decode(&data, 6), Err(DecodeError::NoTable));
    }

    #[test]
    fn rejects_what_cannot_be_decoded() {
        assert_eq!(decode(&stream(&[256 + 32]), 8), Err(DecodeError::OffsetBeforeStart));
        assert_eq!(decode(&[0u8; 300], 8), Err(DecodeError::BadTable));
        // Every symbol 1 bit long: the code is over-subscribed.
        assert_eq!(decode(&[0x11u8; 300], 8), Err(DecodeError::BadTable));
        assert_eq!(decode(&stream(&[65]), 0), Err(DecodeError::BadSize));
        assert_eq!(decode(&stream(&[65]), MAX_DECODED + 1), Err(DecodeError::BadSize));
        // Only the table and one word: the output cannot reach 1000 bytes.
        assert_eq!(decode(&stream(&[65, 66]), 1000), Err(DecodeError::InputEnded));
    }
}
