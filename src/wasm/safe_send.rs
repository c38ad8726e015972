//! Sending without the API's auth: safe (idempotent) requests such as the token POST and S3 calls,
//! retried as the core's default plan decides (`crate::http::retry`); any final HTTP answer is returned.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::timers::{now_ms, sleep, AbortSignal};
use super::transport::{self, BodyKind, Failure, Response};
use crate::http::request::HttpRequest;
use crate::http::retry::{decide, AttemptOutcome, Decision, RequestKind, RetryPolicy};
use crate::http::retry_after::retry_after_ms;

/// A safe request (the token POST) with the default retry plan; any final HTTP answer is returned.
pub(super) async fn send_safe(
    fetch: &Function,
    request: &HttpRequest,
    timeout_ms: f64,
    signal: Option<&AbortSignal>,
    max_retries: u32,
) -> Result<Response, Failure> {
    send_safe_reading(fetch, request, None, timeout_ms, signal, max_retries, BodyKind::Text).await
}

/// `send_safe` that reads a 2xx body as text or bytes; `bytes` replaces `request.body` (an S3 part,
/// sent again as is on a retry).
pub(super) async fn send_safe_reading(
    fetch: &Function,
    request: &HttpRequest,
    bytes: Option<&JsValue>,
    timeout_ms: f64,
    signal: Option<&AbortSignal>,
    max_retries: u32,
    kind: BodyKind,
) -> Result<Response, Failure> {
    let policy = RetryPolicy { max_retries, ..RetryPolicy::default() };
    let mut attempts: u32 = 0;
    loop {
        attempts = attempts.saturating_add(1);
        let result = transport::attempt_reading(fetch, request, bytes, timeout_ms, signal, kind).await;
        match decide(&policy, RequestKind::Safe, attempts, &outcome_of(&result), js_sys::Math::random()) {
            Decision::RetryAfter { delay_ms } => {
                if let Err(reason) = sleep(delay_ms as f64, signal).await {
                    return Err(Failure::Aborted(reason));
                }
            }
            _ => return result,
        }
    }
}

pub(super) fn outcome_of(result: &Result<Response, Failure>) -> AttemptOutcome {
    match result {
        Ok(response) => AttemptOutcome::Status {
            status: response.status,
            retry_after_ms: response.retry_after.as_deref().and_then(|v| retry_after_ms(v, now_ms() as i64)),
        },
        Err(Failure::Aborted(_)) => AttemptOutcome::Aborted,
        Err(Failure::Timeout) => AttemptOutcome::Timeout,
        Err(Failure::Network(_)) => AttemptOutcome::Network,
    }
}
