//! The call, preflight and upload options: the numbers they default to and are bounded by, and the
//! one reading of a numeric option, so the JS client, the preflight and the upload name the same
//! values and treat a bad value the same way: an error issue naming the bounds, never a silent
//! default.

use serde_json::Value;

use crate::input::issue::{IssueCode, Issues, Location};

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

/// An option's value as the core reads it; the JS side maps each JS value to one of these.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    /// Not given, `undefined` or `null`.
    Absent,
    Number(f64),
    /// Anything that is not a number: a string, a boolean, an object, …
    Other,
}

impl OptionValue {
    /// A JSON value's reading (`null` and a missing key are absent).
    pub fn of_json(value: Option<&Value>) -> OptionValue {
        match value {
            None | Some(Value::Null) => OptionValue::Absent,
            Some(Value::Number(n)) => n.as_f64().map_or(OptionValue::Other, OptionValue::Number),
            Some(_) => OptionValue::Other,
        }
    }
}

/// The one reading of a numeric option (`timeoutMs`, `maxRetries`, `concurrency`, `partSize`): a whole
/// number within `min..=max`, `None` when absent. Anything else is an error issue at `/key`.
pub fn whole(value: &OptionValue, key: &str, min: f64, max: f64, issues: &mut Issues) -> Option<f64> {
    match value {
        OptionValue::Absent => None,
        OptionValue::Number(n) if n.fract() == 0.0 && (min..=max).contains(n) => Some(*n),
        _ => {
            issues.error(
                &Location::new(key, format!("/{key}")),
                IssueCode::Format,
                format!(
                    "must be a whole number from {} to {}",
                    crate::util::whole_text(min),
                    crate::util::whole_text(max)
                ),
            );
            None
        }
    }
}

/// `timeoutMs` and `maxRetries`, of a client or of one call: each `None` when not given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallSettings {
    pub timeout_ms: Option<f64>,
    pub max_retries: Option<u32>,
}

impl CallSettings {
    /// Reads both from `option(key)`; bad values are issues.
    pub fn read(option: impl Fn(&str) -> OptionValue, issues: &mut Issues) -> CallSettings {
        let timeout_ms = whole(&option("timeoutMs"), "timeoutMs", 1.0, f64::from(MAX_TIMEOUT_MS), issues);
        let max_retries = whole(&option("maxRetries"), "maxRetries", 0.0, f64::from(MAX_RETRIES), issues);
        CallSettings { timeout_ms, max_retries: max_retries.map(|n| n as u32) }
    }
}

/// A preflight's own settings: the timeout of each S3 read and how many run at once, defaults filled in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PreflightSettings {
    pub timeout_ms: f64,
    pub concurrency: usize,
}

impl PreflightSettings {
    /// Reads `timeoutMs` and `concurrency` from `option(key)`; bad values are issues.
    pub fn read(option: impl Fn(&str) -> OptionValue, issues: &mut Issues) -> PreflightSettings {
        let timeout_ms = whole(&option("timeoutMs"), "timeoutMs", 1.0, f64::from(MAX_TIMEOUT_MS), issues);
        let concurrency =
            whole(&option("concurrency"), "concurrency", 1.0, f64::from(MAX_PREFLIGHT_CONCURRENCY), issues);
        PreflightSettings {
            timeout_ms: timeout_ms.unwrap_or(PREFLIGHT_TIMEOUT_MS),
            concurrency: concurrency.map_or(PREFLIGHT_CONCURRENCY, |n| n as usize),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options<'a>(given: &'a [(&'a str, OptionValue)]) -> impl Fn(&str) -> OptionValue + 'a {
        move |key| given.iter().find(|(k, _)| *k == key).map_or(OptionValue::Absent, |(_, v)| v.clone())
    }

    fn errors(issues: &Issues) -> Vec<(String, String)> {
        issues.errors.iter().map(|i| (i.path.clone(), i.message.clone())).collect()
    }

    #[test]
    fn whole_numbers_within_bounds_or_an_error_never_a_default() {
        let mut issues = Issues::default();
        assert_eq!(whole(&OptionValue::Absent, "n", 1.0, 8.0, &mut issues), None);
        assert_eq!(whole(&OptionValue::Number(8.0), "n", 1.0, 8.0, &mut issues), Some(8.0));
        assert!(issues.errors.is_empty());
        for bad in [OptionValue::Number(0.0), OptionValue::Number(9.0), OptionValue::Number(1.5), OptionValue::Other] {
            assert_eq!(whole(&bad, "n", 1.0, 8.0, &mut issues), None);
        }
        assert_eq!(errors(&issues), vec![("/n".to_owned(), "must be a whole number from 1 to 8".to_owned()); 4]);
    }

    #[test]
    fn json_values_read_as_options() {
        assert_eq!(OptionValue::of_json(None), OptionValue::Absent);
        assert_eq!(OptionValue::of_json(Some(&Value::Null)), OptionValue::Absent);
        assert_eq!(OptionValue::of_json(Some(&serde_json::json!(5))), OptionValue::Number(5.0));
        assert_eq!(OptionValue::of_json(Some(&serde_json::json!("5"))), OptionValue::Other);
    }

    #[test]
    fn call_and_preflight_settings() {
        let mut issues = Issues::default();
        let given = [("timeoutMs", OptionValue::Number(500.0)), ("maxRetries", OptionValue::Number(0.0))];
        let call = CallSettings::read(options(&given), &mut issues);
        assert_eq!(call, CallSettings { timeout_ms: Some(500.0), max_retries: Some(0) });
        let preflight = PreflightSettings::read(options(&[]), &mut issues);
        assert_eq!(
            preflight,
            PreflightSettings { timeout_ms: PREFLIGHT_TIMEOUT_MS, concurrency: PREFLIGHT_CONCURRENCY }
        );
        assert!(issues.errors.is_empty());
        let bad = [("timeoutMs", OptionValue::Number(0.5)), ("concurrency", OptionValue::Number(65.0))];
        let preflight = PreflightSettings::read(options(&bad), &mut issues);
        assert_eq!(
            preflight,
            PreflightSettings { timeout_ms: PREFLIGHT_TIMEOUT_MS, concurrency: PREFLIGHT_CONCURRENCY }
        );
        assert_eq!(
            errors(&issues),
            vec![
                ("/timeoutMs".to_owned(), "must be a whole number from 1 to 3600000".to_owned()),
                ("/concurrency".to_owned(), "must be a whole number from 1 to 64".to_owned())
            ]
        );
    }
}
