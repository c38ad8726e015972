//! The backup-header parser on arbitrary bytes: must never panic. The same bytes are also read as
//! the records of a compressed (`MSSQLBAK`) backup, after its 480-byte file header.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let header = sqlserverflex_restore::backup::mtf::inspect(data);
    let _ = serde_json::to_string(&header);
    let mut compressed = b"MSSQLBAK".to_vec();
    compressed.resize(0x1E0, 0);
    compressed.extend_from_slice(data);
    let header = sqlserverflex_restore::backup::mtf::inspect(&compressed);
    let _ = serde_json::to_string(&header);
});
