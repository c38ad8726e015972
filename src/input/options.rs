//! The numbers the call, preflight and upload options default to and are bounded by, in one place,
//! so the JS client, the preflight and the upload name the same values (and the messages that
//! state a bound are built from them).

/// Per-attempt timeout of an API call unless `timeoutMs` says otherwise: no call can hang forever.
pub const API_TIMEOUT_MS: f64 = 30_000.0;
/// Per-request timeout of a preflight's S3 reads unless `timeoutMs` says otherwise.
pub const PREFLIGHT_TIMEOUT_MS: f64 = 30_000.0;
/// Per-request timeout of an upload's S3 requests unless `timeoutMs` says otherwise: a part takes
/// longer than an API call, on purpose a different value.
pub const UPLOAD_TIMEOUT_MS: f64 = 120_000.0;
/// The longest `timeoutMs` an option accepts: one hour.
pub const MAX_TIMEOUT_MS: u32 = 3_600_000;
/// The most `maxRetries` an option accepts.
pub const MAX_RETRIES: u32 = 20;
/// Retries of a safe request sent on the caller's behalf without its own retry settings: the token
/// POST, a preflight's S3 reads.
pub const SAFE_SEND_RETRIES: u32 = 3;
/// Retries of each upload request unless `maxRetries` says otherwise.
pub const UPLOAD_RETRIES: u32 = 4;
/// A preflight's S3 reads in flight at once unless `concurrency` says otherwise (an upload's
/// concurrency is `upload::plan`'s).
pub const PREFLIGHT_CONCURRENCY: usize = 8;
/// The most S3 reads in flight a preflight's `concurrency` may ask for.
pub const MAX_PREFLIGHT_CONCURRENCY: u32 = 64;
