//! The backup-header parser on arbitrary bytes: must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let header = sqlserverflex_restore::mtf::inspect(data);
    let _ = serde_json::to_string(&header);
});
