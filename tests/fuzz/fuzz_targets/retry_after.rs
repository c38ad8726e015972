//! The Retry-After / HTTP-date parser on arbitrary text and clocks: must never panic, and never
//! ask for more than its cap.
#![no_main]

use sqlserverflex_restore::http::retry_after::{http_date_ms, retry_after_ms, MAX_RETRY_AFTER_MS};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((clock, text)) = data.split_first_chunk::<8>() else { return };
    let Ok(value) = std::str::from_utf8(text) else { return };
    let now_ms = i64::from_le_bytes(*clock);
    if let Some(delay) = retry_after_ms(value, now_ms) {
        assert!(delay <= MAX_RETRY_AFTER_MS);
    }
    let _ = http_date_ms(value, now_ms);
});
