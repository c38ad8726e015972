//! The API response readers (every 200 body schema, and error bodies) on arbitrary text: must never panic.
#![no_main]

use sqlserverflex_restore::api::error::{api_error, TraceHeaders};
use sqlserverflex_restore::api::version::ApiVersion;
use sqlserverflex_restore::api::responses;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let _ = responses::parse_backup_list(body);
    let _ = responses::parse_backup(body);
    let _ = responses::parse_database_list(body);
    let _ = responses::parse_database(body);
    let _ = responses::parse_instance(body, ApiVersion::V3);
    let _ = responses::parse_instance(body, ApiVersion::V3alpha1);
    let _ = responses::parse_user_list(body);
    if let Ok(jobs) = responses::parse_restore_jobs(body) {
        for job in &jobs.running_restores {
            let _ = (job.percent_clamped(), job.start_time_ms(), job.estimated_completion_time_ms());
        }
    }
    let _ = responses::parse_api_time(body);
    let headers = TraceHeaders { traceparent: Some(body.to_owned()), x_trace_id: None };
    let _ = serde_json::to_string(&api_error(500, &headers, body));
});
