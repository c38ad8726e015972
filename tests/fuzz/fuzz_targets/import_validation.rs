//! Request validation and building from arbitrary JSON: must never panic.
#![no_main]

use serde_json::{json, Value};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<Value>(data) else { return };
    let config = json!({"projectId": "11111111-1111-4111-8111-111111111111", "region": "eu01", "token": "t"});
    for operation in ["importFromS3", "restorePointInTime", "listBackups", "getBackup"] {
        let checked = sqlserverflex_restore::api::operation::check(operation, Some(&config), &input, [7; 16]);
        if let (Some(config), Some(input)) = (checked.config, checked.input) {
            let _ = sqlserverflex_restore::api::curl::to_curl(&input.to_http_request(&config, false), false);
        }
    }
});
