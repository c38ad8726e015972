//! Retry decisions: which failures are retried and after how long, `Retry-After` in all its forms,
//! the restore POST that is never sent twice, and token expiry.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use sqlserverflex_restore::auth::token_expiry::{token_expires_at_ms, token_needs_refresh};
use sqlserverflex_restore::http::error_class::ErrorClass;
use sqlserverflex_restore::http::retry::{
    after_verification, backoff_delay_ms, decide, AttemptOutcome, Decision, IfAbsent, RequestKind, RetryPolicy,
    TriggerCheck, VerifyDecision,
};
use sqlserverflex_restore::http::retry_after::{http_date_ms, retry_after_ms, MAX_RETRY_AFTER_MS};

/// 1994-11-06T08:49:37Z, the RFC 9110 example date.
const EXAMPLE_MS: i64 = 784_111_777_000;

fn status(status: u16) -> AttemptOutcome {
    AttemptOutcome::Status { status, retry_after_ms: None }
}

fn status_retry_after(status: u16, ms: u64) -> AttemptOutcome {
    AttemptOutcome::Status { status, retry_after_ms: Some(ms) }
}

fn fail(class: ErrorClass, retryable: bool) -> Decision {
    Decision::Fail { class, retryable }
}

// ---------------------------------------------------------------------------------------------
// Retry-After

#[test]
fn retry_after_delay_seconds() {
    let now = 1_700_000_000_000;
    let table: &[(&str, Option<u64>)] = &[
        ("0", Some(0)),
        ("1", Some(1_000)),
        ("120", Some(120_000)),
        (" 7 ", Some(7_000)),
        ("\t3", Some(3_000)),
        ("007", Some(7_000)),
        ("3600", Some(3_600_000)),
        ("3601", Some(MAX_RETRY_AFTER_MS)),
        ("99999999999999999999999999", Some(MAX_RETRY_AFTER_MS)),
        ("", None),
        ("   ", None),
        ("-1", None),
        ("+1", None),
        ("1.5", None),
        ("1e3", None),
        ("0x10", None),
        ("ten", None),
        ("1 2", None),
        ("５", None),
    ];
    for (value, expected) in table {
        assert_eq!(retry_after_ms(value, now), *expected, "{value:?}");
    }
}

#[test]
fn retry_after_http_dates_in_all_three_forms() {
    for value in [
        "Sun, 06 Nov 1994 08:49:37 GMT",  // IMF-fixdate
        "Sunday, 06-Nov-94 08:49:37 GMT", // RFC 850
        "Sun Nov  6 08:49:37 1994",       // asctime
        // lenient, but unambiguous
        "sun, 06 nov 1994 08:49:37 gmt",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun 06 Nov 1994 08:49:37 GMT",
        "Sun,  06 Nov 1994 08:49:37 UTC",
        "Mon, 06 Nov 1994 08:49:37 GMT", // wrong weekday: the date wins
        "Sun Nov 06 08:49:37 1994",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
    ] {
        assert_eq!(http_date_ms(value, EXAMPLE_MS), Some(EXAMPLE_MS), "{value:?}");
        assert_eq!(retry_after_ms(value, EXAMPLE_MS - 30_000), Some(30_000), "{value:?}");
    }
}

#[test]
fn retry_after_dates_relative_to_now() {
    let date = "Sun, 06 Nov 1994 08:49:37 GMT";
    assert_eq!(retry_after_ms(date, EXAMPLE_MS), Some(0));
    assert_eq!(retry_after_ms(date, EXAMPLE_MS + 86_400_000), Some(0), "past dates wait 0");
    assert_eq!(retry_after_ms(date, EXAMPLE_MS - 1_500), Some(1_500));
    assert_eq!(retry_after_ms(date, EXAMPLE_MS - 86_400_000), Some(MAX_RETRY_AFTER_MS), "capped");
    assert_eq!(retry_after_ms(date, i64::MIN), Some(MAX_RETRY_AFTER_MS));
    assert_eq!(retry_after_ms(date, i64::MAX), Some(0));
}

#[test]
fn retry_after_leap_day_and_leap_second() {
    let leap_day = http_date_ms("Thu, 29 Feb 2024 00:00:00 GMT", 0).unwrap();
    assert_eq!(leap_day, 1_709_164_800_000);
    let leap_second = http_date_ms("Sat, 31 Dec 2016 23:59:60 GMT", 0).unwrap();
    assert_eq!(leap_second, 1_483_228_799_000);
}

#[test]
fn retry_after_rfc850_two_digit_years_stay_within_fifty_years() {
    let june_2025 = 1_750_000_000_000;
    let year = |value: &str| http_date_ms(value, june_2025).map(|ms| ms / 86_400_000 * 400 / 146_097 + 1970);
    assert_eq!(year("Thursday, 01-Jan-26 00:00:01 GMT"), Some(2026));
    assert_eq!(year("Sunday, 06-Nov-94 08:49:37 GMT"), Some(1994));
    assert_eq!(year("Tuesday, 01-Jun-75 12:00:00 GMT"), Some(2075));
    assert_eq!(year("Saturday, 01-Jun-76 12:00:00 GMT"), Some(1976));
}

#[test]
fn retry_after_rejects_garbage_dates() {
    for value in [
        "Sun, 06 Nov 1994 08:49:37",         // no zone
        "Sun, 06 Nov 1994 08:49:37 CET",     // not GMT
        "Sun, 06 Nov 1994 08:49:37 +0000",   // not HTTP
        "Sun, 31 Feb 1994 08:49:37 GMT",     // no such day
        "Sun, 06 Foo 1994 08:49:37 GMT",     // no such month
        "Sun, 06 Nov 94 08:49:37 GMT",       // IMF needs four digits
        "Sun, 06 Nov 1994 24:00:00 GMT",     // hour 24
        "Sun, 06 Nov 1994 08:61:37 GMT",     // minute 61
        "Sun, 06 Nov 1994 8:49:37 GMT",      // one-digit hour
        "Sun, 06 Nov 1994 08:49 GMT",        // no seconds
        "Sun, 06 Nov 1994 08:49:37:00 GMT",  // too many parts
        "Sun, 006 Nov 1994 08:49:37 GMT",    // three-digit day
        "Xyz, 06 Nov 1994 08:49:37 GMT",     // no such weekday
        "Sunday, 06-Nov-94-1 08:49:37 GMT",  // too many date parts
        "Sunday, 06-Nov 08:49:37 GMT",       // too few date parts
        "Sun Nov  6 08:49:37 94",            // asctime needs four digits
        "2024-01-01T00:00:00Z",              // RFC 3339 is not an HTTP-date
        "Sun, 06 Nov 1994 08:49:37 GMT now", // trailing words
    ] {
        assert_eq!(retry_after_ms(value, EXAMPLE_MS), None, "{value:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Backoff

#[test]
fn backoff_is_full_jitter_under_a_doubling_cap() {
    let policy = RetryPolicy::default();
    let ceilings: Vec<u64> = (1..=9).map(|retry| backoff_delay_ms(&policy, retry, 1.0)).collect();
    assert_eq!(ceilings, [250, 500, 1_000, 2_000, 4_000, 8_000, 16_000, 20_000, 20_000]);
    assert_eq!(backoff_delay_ms(&policy, 3, 0.0), 0);
    assert_eq!(backoff_delay_ms(&policy, 3, 0.5), 500);
    assert_eq!(backoff_delay_ms(&policy, 3, 0.999_999), 999);
}

#[test]
fn backoff_never_overflows_and_sanitizes_random() {
    let policy = RetryPolicy::default();
    for retry in [0, 1, 63, 64, 65, 1_000, u32::MAX] {
        assert!(backoff_delay_ms(&policy, retry, 1.0) <= 20_000, "{retry}");
    }
    assert_eq!(backoff_delay_ms(&policy, 0, 1.0), 250, "retry 0 counts as the first");
    assert_eq!(backoff_delay_ms(&policy, 64, 1.0), 20_000);
    let huge = RetryPolicy { base_delay_ms: u64::MAX, max_delay_ms: u64::MAX, ..RetryPolicy::default() };
    assert_eq!(backoff_delay_ms(&huge, u32::MAX, 1.0), u64::MAX);
    assert_eq!(backoff_delay_ms(&policy, 1, -1.0), 0);
    assert_eq!(backoff_delay_ms(&policy, 1, 2.0), 250);
    assert_eq!(backoff_delay_ms(&policy, 1, f64::NAN), 125);
}

#[test]
fn policy_defaults_and_js_shape() {
    let policy = RetryPolicy::default();
    assert_eq!(
        (policy.max_retries, policy.base_delay_ms, policy.max_delay_ms, policy.max_retry_after_ms),
        (3, 250, 20_000, 60_000)
    );
    assert_eq!(policy.verify_delay_ms, 10_000);
    let partial = RetryPolicy::from_json(&serde_json::json!({"maxRetries": 0, "other": 1}), "retry").unwrap();
    assert_eq!(partial, RetryPolicy { max_retries: 0, ..RetryPolicy::default() });
    let negative = RetryPolicy::from_json(&serde_json::json!({"baseDelayMs": -1}), "retry");
    assert_eq!(negative.unwrap_err(), "`retry.baseDelayMs` must be a whole number in range");
}

// ---------------------------------------------------------------------------------------------
// Safe requests

#[test]
fn success_is_done() {
    let policy = RetryPolicy::default();
    for kind in [RequestKind::Safe, RequestKind::Trigger, RequestKind::TriggerAfterAmbiguous] {
        assert_eq!(decide(&policy, kind, 1, &AttemptOutcome::Success, 0.5), Decision::Done);
        assert_eq!(decide(&policy, kind, 1, &status(202), 0.5), Decision::Done);
        assert_eq!(decide(&policy, kind, 4, &status(200), 0.5), Decision::Done);
    }
}

#[test]
fn safe_requests_retry_transient_failures_with_backoff() {
    let policy = RetryPolicy::default();
    for outcome in
        [AttemptOutcome::Network, AttemptOutcome::Timeout, status(429), status(502), status(503), status(504)]
    {
        for attempt in 1..=3 {
            assert_eq!(
                decide(&policy, RequestKind::Safe, attempt, &outcome, 1.0),
                Decision::RetryAfter { delay_ms: 250 << (attempt - 1) },
                "{outcome:?} attempt {attempt}"
            );
        }
    }
}

#[test]
fn safe_requests_give_up_after_max_retries_as_retryable() {
    let policy = RetryPolicy::default();
    let cases = [
        (AttemptOutcome::Network, ErrorClass::Network),
        (AttemptOutcome::Timeout, ErrorClass::Timeout),
        (status(429), ErrorClass::RateLimit),
        (status(503), ErrorClass::Api),
    ];
    for (outcome, class) in cases {
        assert_eq!(decide(&policy, RequestKind::Safe, 4, &outcome, 0.5), fail(class, true), "{outcome:?}");
    }
    let none = RetryPolicy { max_retries: 0, ..RetryPolicy::default() };
    assert_eq!(decide(&none, RequestKind::Safe, 1, &AttemptOutcome::Network, 0.5), fail(ErrorClass::Network, true));
}

#[test]
fn permanent_failures_are_not_retried() {
    let policy = RetryPolicy::default();
    let cases = [
        (400, ErrorClass::Api),
        (401, ErrorClass::Auth),
        (403, ErrorClass::Auth),
        (404, ErrorClass::NotFound),
        (409, ErrorClass::Conflict),
        (422, ErrorClass::Api),
        (500, ErrorClass::Api),
        (501, ErrorClass::Api),
        (302, ErrorClass::Api),
    ];
    for kind in [RequestKind::Safe, RequestKind::Trigger] {
        for (code, class) in cases {
            assert_eq!(decide(&policy, kind, 1, &status(code), 0.5), fail(class, false), "{kind:?} {code}");
            // A Retry-After does not make a permanent failure transient.
            assert_eq!(decide(&policy, kind, 1, &status_retry_after(code, 1_000), 0.5), fail(class, false));
        }
    }
}

#[test]
fn retry_after_is_honoured_up_to_the_cap() {
    let policy = RetryPolicy::default();
    let decide_safe = |outcome: AttemptOutcome| decide(&policy, RequestKind::Safe, 1, &outcome, 0.0);
    assert_eq!(decide_safe(status_retry_after(429, 5_000)), Decision::RetryAfter { delay_ms: 5_000 });
    assert_eq!(decide_safe(status_retry_after(429, 0)), Decision::RetryAfter { delay_ms: 0 });
    assert_eq!(decide_safe(status_retry_after(503, 60_000)), Decision::RetryAfter { delay_ms: 60_000 });
    assert_eq!(decide_safe(status_retry_after(502, 3_000)), Decision::RetryAfter { delay_ms: 3_000 });
    assert_eq!(decide_safe(status_retry_after(429, 60_001)), fail(ErrorClass::RateLimit, true));
    assert_eq!(decide_safe(status_retry_after(503, 3_600_000)), fail(ErrorClass::Api, true));
}

#[test]
fn aborted_is_never_retried() {
    let policy = RetryPolicy::default();
    for kind in [RequestKind::Safe, RequestKind::Trigger, RequestKind::TriggerAfterAmbiguous] {
        assert_eq!(decide(&policy, kind, 1, &AttemptOutcome::Aborted, 0.5), Decision::Aborted);
    }
}

// ---------------------------------------------------------------------------------------------
// The restore POST

#[test]
fn trigger_refused_before_executing_is_retried_like_a_read() {
    let policy = RetryPolicy::default();
    assert_eq!(decide(&policy, RequestKind::Trigger, 1, &status(429), 1.0), Decision::RetryAfter { delay_ms: 250 });
    assert_eq!(
        decide(&policy, RequestKind::Trigger, 2, &status_retry_after(429, 2_000), 1.0),
        Decision::RetryAfter { delay_ms: 2_000 }
    );
    assert_eq!(
        decide(&policy, RequestKind::Trigger, 1, &status_retry_after(503, 2_000), 1.0),
        Decision::RetryAfter { delay_ms: 2_000 }
    );
    assert_eq!(decide(&policy, RequestKind::Trigger, 4, &status(429), 1.0), fail(ErrorClass::RateLimit, true));
    assert_eq!(
        decide(&policy, RequestKind::Trigger, 1, &status_retry_after(503, 120_000), 1.0),
        fail(ErrorClass::Api, true)
    );
}

#[test]
fn ambiguous_trigger_outcomes_are_verified_before_any_second_post() {
    let policy = RetryPolicy::default();
    let cases = [
        (AttemptOutcome::Network, ErrorClass::Network),
        (AttemptOutcome::Timeout, ErrorClass::Timeout),
        (status(502), ErrorClass::Api),
        (status(503), ErrorClass::Api),
        (status(504), ErrorClass::Api),
        (status_retry_after(502, 1_000), ErrorClass::Api),
        (status_retry_after(504, 1_000), ErrorClass::Api),
    ];
    for kind in [RequestKind::Trigger, RequestKind::TriggerAfterAmbiguous] {
        for (outcome, class) in cases {
            for attempt in 1..=3 {
                assert_eq!(
                    decide(&policy, kind, attempt, &outcome, 1.0),
                    Decision::VerifyTrigger { wait_ms: 10_000, if_absent: IfAbsent::RetryNow },
                    "{kind:?} {outcome:?} attempt {attempt}"
                );
            }
            // Out of retries: still verified (the POST may have started a restore), then failed.
            assert_eq!(
                decide(&policy, kind, 4, &outcome, 1.0),
                Decision::VerifyTrigger { wait_ms: 10_000, if_absent: IfAbsent::Fail { class, retryable: true } },
                "{kind:?} {outcome:?} exhausted"
            );
        }
    }
}

#[test]
fn verify_wait_grows_with_the_backoff_when_that_is_longer() {
    let policy = RetryPolicy { verify_delay_ms: 100, ..RetryPolicy::default() };
    assert_eq!(
        decide(&policy, RequestKind::Trigger, 3, &AttemptOutcome::Timeout, 1.0),
        Decision::VerifyTrigger { wait_ms: 1_000, if_absent: IfAbsent::RetryNow }
    );
}

#[test]
fn a_refused_post_after_an_ambiguous_one_is_verified_before_reporting() {
    let policy = RetryPolicy::default();
    let cases = [(400, ErrorClass::Api), (409, ErrorClass::Conflict), (422, ErrorClass::Api)];
    for (code, class) in cases {
        assert_eq!(
            decide(&policy, RequestKind::TriggerAfterAmbiguous, 2, &status(code), 0.5),
            Decision::VerifyTrigger { wait_ms: 0, if_absent: IfAbsent::Fail { class, retryable: false } },
            "{code}"
        );
    }
    for (code, class) in [(401, ErrorClass::Auth), (404, ErrorClass::NotFound), (500, ErrorClass::Api)] {
        assert_eq!(decide(&policy, RequestKind::TriggerAfterAmbiguous, 2, &status(code), 0.5), fail(class, false));
    }
}

#[test]
fn verification_accepts_a_running_or_existing_restore() {
    assert_eq!(after_verification(TriggerCheck::Running), VerifyDecision::AlreadyAccepted);
    assert_eq!(after_verification(TriggerCheck::Exists), VerifyDecision::AlreadyAccepted);
    assert_eq!(after_verification(TriggerCheck::Absent), VerifyDecision::SafeToRetry);
    assert_eq!(TriggerCheck::from_observations(true, false), TriggerCheck::Running);
    assert_eq!(TriggerCheck::from_observations(true, true), TriggerCheck::Running);
    assert_eq!(TriggerCheck::from_observations(false, true), TriggerCheck::Exists);
    assert_eq!(TriggerCheck::from_observations(false, false), TriggerCheck::Absent);
}

/// A fake service for the POST loop: each attempt either reaches it (and starts the restore) or
/// not, and answers with `outcome`. The loop is the one the bindings run.
fn run_trigger(policy: &RetryPolicy, attempts: &[(bool, AttemptOutcome)]) -> (Result<&'static str, Decision>, usize) {
    let mut restores_started = 0;
    let mut kind = RequestKind::Trigger;
    for (number, (executed, outcome)) in attempts.iter().enumerate() {
        if *executed {
            restores_started += 1;
        }
        let decision = decide(policy, kind, u32::try_from(number + 1).unwrap(), outcome, 0.5);
        match decision {
            Decision::Done => return (Ok("accepted"), restores_started),
            Decision::RetryAfter { .. } => {}
            Decision::VerifyTrigger { ref if_absent, .. } => {
                match after_verification(TriggerCheck::from_observations(restores_started > 0, false)) {
                    VerifyDecision::AlreadyAccepted => return (Ok("accepted after verification"), restores_started),
                    VerifyDecision::SafeToRetry if *if_absent == IfAbsent::RetryNow => {
                        kind = RequestKind::TriggerAfterAmbiguous;
                    }
                    VerifyDecision::SafeToRetry => return (Err(decision.clone()), restores_started),
                }
            }
            Decision::Fail { .. } | Decision::Aborted => return (Err(decision), restores_started),
        }
    }
    panic!("the script ran out of attempts");
}

#[test]
fn the_restore_is_started_at_most_once_and_reported_as_it_happened() {
    let policy = RetryPolicy::default();
    // Timeout, but the service did start the restore: accepted without a second POST.
    let (result, started) = run_trigger(&policy, &[(true, AttemptOutcome::Timeout)]);
    assert_eq!((result, started), (Ok("accepted after verification"), 1));

    // Network error before reaching the service: verified absent, sent again, accepted.
    let (result, started) = run_trigger(&policy, &[(false, AttemptOutcome::Network), (true, status(202))]);
    assert_eq!((result, started), (Ok("accepted"), 1));

    // Rate limited, then accepted.
    let (result, started) = run_trigger(&policy, &[(false, status(429)), (true, status(202))]);
    assert_eq!((result, started), (Ok("accepted"), 1));

    // 504 from a gateway that did forward the POST: accepted, no second restore.
    let (result, started) = run_trigger(&policy, &[(true, status(504))]);
    assert_eq!((result, started), (Ok("accepted after verification"), 1));

    // Ambiguous every time and never executed: fails retryable after max_retries + 1 attempts.
    let (result, started) = run_trigger(&policy, &[(false, AttemptOutcome::Timeout); 4]);
    assert_eq!(
        (result, started),
        (
            Err(Decision::VerifyTrigger {
                wait_ms: 10_000,
                if_absent: IfAbsent::Fail { class: ErrorClass::Timeout, retryable: true }
            }),
            0
        )
    );

    // 500: no second POST, not retryable.
    let (result, started) = run_trigger(&policy, &[(true, status(500))]);
    assert_eq!((result, started), (Err(fail(ErrorClass::Api, false)), 1));
}

#[test]
fn decisions_serialize_for_logs() {
    let decision = Decision::VerifyTrigger {
        wait_ms: 10,
        if_absent: IfAbsent::Fail { class: ErrorClass::Timeout, retryable: true },
    };
    assert_eq!(
        serde_json::to_value(decision).unwrap(),
        serde_json::json!({"decision":"verifyTrigger","waitMs":10,"ifAbsent":{"action":"fail","class":"TimeoutError","retryable":true}})
    );
    assert_eq!(
        serde_json::to_value(Decision::RetryAfter { delay_ms: 5 }).unwrap(),
        serde_json::json!({"decision":"retryAfter","delayMs":5})
    );
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[test]
fn tokens_are_refreshed_five_seconds_before_expiry() {
    let issued = 1_700_000_000_000;
    let expires = token_expires_at_ms(issued, 600);
    assert_eq!(expires, issued + 600_000);
    assert!(!token_needs_refresh(expires, issued));
    assert!(!token_needs_refresh(expires, expires - 5_001));
    assert!(token_needs_refresh(expires, expires - 5_000));
    assert!(token_needs_refresh(expires, expires + 1));
    assert!(token_needs_refresh(token_expires_at_ms(issued, 3), issued), "a 3 s token is already too old");
}

// ---------------------------------------------------------------------------------------------
// 423 Locked and 425 Too Early: refused before they ran (STACKIT's own tools retry them)

#[test]
fn locked_and_too_early_are_retried_for_reads_and_for_the_restore_post() {
    let policy = RetryPolicy::default();
    for code in [423, 425] {
        assert!(ErrorClass::Api.retryable(Some(code)), "{code}");
        for kind in [RequestKind::Safe, RequestKind::Trigger] {
            assert_eq!(
                decide(&policy, kind, 1, &status_retry_after(code, 3_000), 0.5),
                Decision::RetryAfter { delay_ms: 3_000 },
                "{code} {kind:?} waits the server's Retry-After"
            );
            assert_eq!(
                decide(&policy, kind, 2, &status(code), 1.0),
                Decision::RetryAfter { delay_ms: 500 },
                "{code} {kind:?} without Retry-After backs off, never verifies first"
            );
            assert_eq!(decide(&policy, kind, 4, &status(code), 0.5), fail(ErrorClass::Api, true), "{code} {kind:?}");
        }
    }
    // Their neighbours stay final.
    for code in [422, 424, 426] {
        assert_eq!(
            decide(&policy, RequestKind::Trigger, 1, &status(code), 0.5),
            fail(ErrorClass::Api, false),
            "{code}"
        );
    }
}
