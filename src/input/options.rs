//! The numbers the call, preflight and upload options default to and are bounded by, in one place,
//! so the JS client, the preflight and the upload name the same values (and the messages that
//! state a bound are built from them); and the one way a bad option value is treated: an issue,
//! never a silent default.

use super::issue::{IssueCode, Issues, Location};

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

/// A whole-number option within `min..=max`: `None` when absent; a value that is not a whole
/// number in range is an issue at `key` (the caller then fails with a ValidationError), never
/// replaced by a default. `value` is `None` for an absent option (undefined or null), else the
/// number it holds (`None` inside for a value that is not a number).
pub fn whole_number(key: &str, value: Option<Option<f64>>, min: f64, max: f64, issues: &mut Issues) -> Option<f64> {
    match value? {
        Some(n) if n.fract() == 0.0 && (min..=max).contains(&n) => Some(n),
        _ => {
            issues.error(
                &Location::new(key, format!("/{key}")),
                IssueCode::Format,
                format!("must be a whole number from {min} to {max}"),
            );
            None
        }
    }
}

/// The issue for a `signal` option that is not an AbortSignal (rather than ignoring it, which
/// would make the call impossible to cancel without a word).
pub fn not_a_signal(issues: &mut Issues) {
    issues.error(&Location::new("signal", "/signal"), IssueCode::Type, "must be an AbortSignal");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_whole_number_is_an_issue_never_a_default() {
        let mut issues = Issues::default();
        assert_eq!(whole_number("concurrency", None, 1.0, 64.0, &mut issues), None);
        assert_eq!(whole_number("concurrency", Some(Some(8.0)), 1.0, 64.0, &mut issues), Some(8.0));
        assert!(!issues.has_errors());
        for bad in [Some(0.0), Some(65.0), Some(2.5), Some(f64::NAN), None] {
            let mut issues = Issues::default();
            assert_eq!(whole_number("concurrency", Some(bad), 1.0, 64.0, &mut issues), None);
            assert!(issues.has_errors(), "{bad:?}");
        }
    }
}
