//! The LZ77+Huffman decoder of compressed backups on arbitrary bytes: must never panic, and a stream
//! that decodes yields exactly the size asked for. The first two bytes choose the size.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (size, stream) = match data {
        [a, b, rest @ ..] => (usize::from(u16::from_le_bytes([*a, *b])).saturating_add(1), rest),
        _ => return,
    };
    if let Ok(out) = sqlserverflex_restore::backup::mtf::lz77_huffman::decode(stream, size) {
        assert_eq!(out.len(), size);
    }
});
