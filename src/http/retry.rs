//! Whether and when to send a failed request again, and how the restore POST is sent exactly once.
//!
//! ## Retries
//!
//! Reads (every `GET`, and the token `POST`, which only mints a token) are retried after a network
//! error, a timeout, `423`, `425`, `429`, `502`, `503` or `504`, at most `maxRetries` times (default 3). Before
//! retry *n* the client waits the server's `Retry-After` when it sends one, otherwise a random
//! time between 0 and `min(maxDelayMs, baseDelayMs × 2^(n−1))` ("full jitter": 250 ms, 500 ms,
//! 1 s, … up to 20 s by default), so that many clients failing together do not retry together. A
//! `Retry-After` longer than `maxRetryAfterMs` (60 s) is not waited out: the call fails with
//! `retryable: true` and the caller decides. Other `4xx` fail at once (the request is wrong and
//! stays wrong), as do `500` (the service failed while handling the request and may have executed
//! it) and `501`. An aborted call is never retried: its `AbortError` is rethrown unchanged.
//!
//! ## The restore POST is executed at most once, and reported accepted exactly when it was
//!
//! `POST …/restores` is not idempotent: it has no request id, and the API has no job id, so a
//! second POST after a lost answer could start a second restore, or fail because the first one
//! already created the database while the first restore runs on unnoticed. The client therefore
//! sends it again only when it knows the first one was not executed:
//!
//! - `429`, `423 Locked`, `425 Too Early`, and `503` *with* `Retry-After`: the service refused the
//!   request before executing it (STACKIT's own tools retry 423 and 425); it is retried like a read.
//! - A timeout, a network error, `502`, `504`, or `503` without `Retry-After` is **ambiguous**: the
//!   request may have reached the service. The client waits (`verifyDelayMs`, default 10 s, so a
//!   restore it did start has time to show up), then checks whether a restore into the target
//!   database is listed in `GET …/restore-jobs`, or whether `GET …/databases/{name}` finds it. If
//!   either does, the first POST was executed: the call resolves as accepted and no second POST is
//!   sent. If neither does, the POST was not executed and is sent again (when retries remain;
//!   otherwise the call fails with the original error and `retryable: true`). If the check itself
//!   cannot be completed, the call fails with the original error and nothing is sent again.
//! - A POST sent again after such a check that is then refused with `400`, `409` or `422` (for
//!   example because the target database now exists) is checked once more before the refusal is
//!   reported: the first POST may have been executed after all and shown up late.
//! - Any other `4xx`, `500` and `501` fail at once without a second POST.
//!
//! What remains: the API offers no way to tell "not yet visible" from "never arrived", so a first
//! POST that reached the service but stays invisible longer than `verifyDelayMs` leads to a second
//! POST; the service then refuses that one because the target exists or is being restored, and the
//! check after that refusal finds the first restore and reports it accepted.

use serde::Serialize;

use crate::http::error_class::ErrorClass;
use crate::input::shape::Shape;

/// Retry limits; a per-call option in JS (`retry: {maxRetries, …}`), missing fields take the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryPolicy {
    /// Retries after the first attempt (so `maxRetries + 1` attempts in all). Default 3.
    pub max_retries: u32,
    /// Ceiling of the first backoff, doubled per retry. Default 250 ms.
    pub base_delay_ms: u64,
    /// Largest backoff ceiling. Default 20 s.
    pub max_delay_ms: u64,
    /// Longest `Retry-After` waited out; longer ones fail with `retryable: true`. Default 60 s.
    pub max_retry_after_ms: u64,
    /// Wait before checking whether an ambiguous restore POST was executed. Default 10 s.
    pub verify_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay_ms: 250,
            max_delay_ms: 20_000,
            max_retry_after_ms: 60_000,
            verify_delay_ms: 10_000,
        }
    }
}

impl RetryPolicy {
    /// The `retry` option (`{ maxRetries?, baseDelayMs?, … }`): a missing field takes its default.
    pub fn from_json(value: &serde_json::Value, path: &str) -> Result<RetryPolicy, String> {
        let shape = Shape::of(value, path)?;
        let default = RetryPolicy::default();
        Ok(RetryPolicy {
            max_retries: shape.int("maxRetries")?.unwrap_or(default.max_retries),
            base_delay_ms: shape.int("baseDelayMs")?.unwrap_or(default.base_delay_ms),
            max_delay_ms: shape.int("maxDelayMs")?.unwrap_or(default.max_delay_ms),
            max_retry_after_ms: shape.int("maxRetryAfterMs")?.unwrap_or(default.max_retry_after_ms),
            verify_delay_ms: shape.int("verifyDelayMs")?.unwrap_or(default.verify_delay_ms),
        })
    }
}

/// What kind of request failed: it decides whether sending it again is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum RequestKind {
    /// Safe to repeat: `GET`s and the token `POST`.
    Safe,
    /// The restore `POST` (`…/restores`, `…/backups/databases/{name}/restores`): not idempotent.
    Trigger,
    /// The restore `POST` once an earlier attempt of the same call was ambiguous and checked as not
    /// executed: use it for every later attempt of that call.
    TriggerAfterAmbiguous,
}

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AttemptOutcome {
    /// A 2xx response.
    Success,
    /// An HTTP response with this status; `retry_after_ms` from [`crate::http::retry_after::retry_after_ms`].
    #[serde(rename_all = "camelCase")]
    Status { status: u16, retry_after_ms: Option<u64> },
    /// fetch rejected without a response.
    Network,
    /// The per-attempt timeout fired.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
}

/// What to do after an attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "camelCase")]
pub enum Decision {
    /// The attempt succeeded (any 2xx).
    Done,
    /// Wait `delay_ms`, then send the same request again.
    #[serde(rename_all = "camelCase")]
    RetryAfter { delay_ms: u64 },
    /// Throw `class`, with `retryable` on the error.
    Fail { class: ErrorClass, retryable: bool },
    /// An ambiguous restore POST: wait `wait_ms`, check restore-jobs and the database, build a
    /// [`TriggerCheck`] and call [`after_verification`]. `AlreadyAccepted` → resolve as accepted;
    /// `SafeToRetry` → do `if_absent`. If the check cannot be completed, fail as `if_absent` would
    /// (or with the original class) and never POST again.
    #[serde(rename_all = "camelCase")]
    VerifyTrigger { wait_ms: u64, if_absent: IfAbsent },
    /// The caller's signal aborted: rethrow its `AbortError` unchanged; no retry, no verification.
    Aborted,
}

/// What to do when the check after an ambiguous restore POST finds it was not executed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum IfAbsent {
    /// Send the POST again at once (as [`RequestKind::TriggerAfterAmbiguous`]); the wait before the
    /// check was the backoff.
    RetryNow,
    /// Throw `class` with `retryable`.
    Fail { class: ErrorClass, retryable: bool },
}

/// What the check after an ambiguous restore POST found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TriggerCheck {
    /// A restore into this database is listed in restore-jobs.
    Running,
    /// `GET …/databases/{name}` answered 200.
    Exists,
    /// Neither: not listed, and the database answered 404.
    Absent,
}

impl TriggerCheck {
    /// From the two observations (restore-jobs lists the database; GET database answered 200).
    pub fn from_observations(listed: bool, database_exists: bool) -> TriggerCheck {
        match (listed, database_exists) {
            (true, _) => TriggerCheck::Running,
            (false, true) => TriggerCheck::Exists,
            (false, false) => TriggerCheck::Absent,
        }
    }
}

/// The verdict on an ambiguous restore POST.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum VerifyDecision {
    /// The first POST was executed: report it accepted and never POST again.
    AlreadyAccepted,
    /// It was not executed: sending it again cannot start a second restore.
    SafeToRetry,
}

/// A running restore or an existing target both prove the POST was executed (the API refuses to
/// restore into an existing database, docs/stackit-api.md).
pub fn after_verification(check: TriggerCheck) -> VerifyDecision {
    match check {
        TriggerCheck::Running | TriggerCheck::Exists => VerifyDecision::AlreadyAccepted,
        TriggerCheck::Absent => VerifyDecision::SafeToRetry,
    }
}

/// The wait before retry number `retry` (1-based): `random × min(max_delay, base × 2^(retry−1))`,
/// "full jitter". Never overflows; `random` outside `[0, 1]` is clamped, NaN counts as 0.5.
pub fn backoff_delay_ms(policy: &RetryPolicy, retry: u32, random: f64) -> u64 {
    let doublings = retry.saturating_sub(1);
    let exponential = 2_u64.checked_pow(doublings).and_then(|factor| policy.base_delay_ms.checked_mul(factor));
    let ceiling = exponential.map_or(policy.max_delay_ms, |delay| delay.min(policy.max_delay_ms));
    // f64 → u64 `as` saturates; the product is within [0, ceiling].
    let delay = (ceiling as f64 * unit_interval(random)).floor() as u64;
    delay.min(ceiling)
}

/// What to do after attempt number `attempts` (1-based: attempts made so far, including this one)
/// ended with `outcome`. `random` in `[0, 1)` draws the backoff jitter.
pub fn decide(
    policy: &RetryPolicy,
    kind: RequestKind,
    attempts: u32,
    outcome: &AttemptOutcome,
    random: f64,
) -> Decision {
    let attempts = attempts.max(1);
    let retries_left = attempts <= policy.max_retries;
    let (class, status, retry_after_ms) = match *outcome {
        AttemptOutcome::Success => return Decision::Done,
        AttemptOutcome::Aborted => return Decision::Aborted,
        AttemptOutcome::Status { status, .. } if (200..300).contains(&status) => return Decision::Done,
        AttemptOutcome::Status { status, retry_after_ms } => {
            (ErrorClass::for_status(status), Some(status), retry_after_ms)
        }
        AttemptOutcome::Network => (ErrorClass::Network, None, None),
        AttemptOutcome::Timeout => (ErrorClass::Timeout, None, None),
    };
    let retryable = class.retryable(status);

    if kind == RequestKind::TriggerAfterAmbiguous && matches!(status, Some(400 | 409 | 422)) {
        // Likely refused because the first, ambiguous POST did start the restore after all.
        return Decision::VerifyTrigger { wait_ms: 0, if_absent: IfAbsent::Fail { class, retryable: false } };
    }
    if !retryable {
        return Decision::Fail { class, retryable: false };
    }
    let refused_before_executing = match status {
        Some(423 | 425 | 429) => true,
        Some(503) => retry_after_ms.is_some(),
        _ => false,
    };
    if kind == RequestKind::Safe || refused_before_executing {
        return retry_or_fail(policy, attempts, retries_left, class, retry_after_ms, random);
    }
    let if_absent = if retries_left { IfAbsent::RetryNow } else { IfAbsent::Fail { class, retryable: true } };
    let wait_ms = policy.verify_delay_ms.max(backoff_delay_ms(policy, attempts, random));
    Decision::VerifyTrigger { wait_ms, if_absent }
}

fn retry_or_fail(
    policy: &RetryPolicy,
    attempts: u32,
    retries_left: bool,
    class: ErrorClass,
    retry_after_ms: Option<u64>,
    random: f64,
) -> Decision {
    if !retries_left {
        return Decision::Fail { class, retryable: true };
    }
    match retry_after_ms {
        Some(delay_ms) if delay_ms > policy.max_retry_after_ms => Decision::Fail { class, retryable: true },
        Some(delay_ms) => Decision::RetryAfter { delay_ms },
        None => Decision::RetryAfter { delay_ms: backoff_delay_ms(policy, attempts, random) },
    }
}

/// `random` clamped to `[0, 1]`; NaN and infinities count as 0.5 (a caller bug should not turn
/// into zero or maximal waits).
pub(crate) fn unit_interval(random: f64) -> f64 {
    if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.5
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_interval_sanitizes() {
        assert_eq!(unit_interval(0.25), 0.25);
        assert_eq!(unit_interval(-3.0), 0.0);
        assert_eq!(unit_interval(7.0), 1.0);
        assert_eq!(unit_interval(f64::NAN), 0.5);
        assert_eq!(unit_interval(f64::INFINITY), 0.5);
    }

    #[test]
    fn attempt_zero_counts_as_one() {
        let policy = RetryPolicy::default();
        assert_eq!(
            decide(&policy, RequestKind::Safe, 0, &AttemptOutcome::Network, 1.0),
            Decision::RetryAfter { delay_ms: 250 }
        );
    }
}
