//! The readers of a backup's last bytes and of later backup sets on arbitrary bytes: the filemark
//! table (SFMB), the end-of-set search and the later-set header walk (plain and compressed) must never
//! panic, and the set starts stay within what the table lists.
#![no_main]

use sqlserverflex_restore::backup::mtf::{end_of_set_offset, filemarks, inspect_set, MAX_BACKUP_SETS};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some(marks) = filemarks(data) {
        assert!(marks.offsets.len() <= 2 * MAX_BACKUP_SETS);
        assert!(marks.set_starts(512).len() <= MAX_BACKUP_SETS);
        let _ = serde_json::to_string(&marks);
    }
    let _ = end_of_set_offset(data);
    for compressed in [false, true] {
        let header = inspect_set(data, compressed, Some(512));
        let _ = serde_json::to_string(&header);
    }
});
