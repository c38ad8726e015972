//! The sending engine of API calls: per-attempt timeouts, the caller's AbortSignal, bounded retries as
//! the core decides (`crate::http::retry`), the exactly-once restore trigger, and typed errors. The JS class
//! (`client.rs`), the client's preflight (`instance_check.rs`) and the waiter (`wait.rs`) all send
//! through it.

use std::future::Future;
use std::pin::Pin;

use js_sys::{Function, Reflect};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use super::auth::Auth;
use super::convert::option_value;
use super::js_error::{api_error, details, validation_error};
use super::safe_send::outcome_of;
use super::timers::{abort_reason, signal_from, sleep, AbortSignal};
use super::transport::{self, Failure, Response};
use crate::api::config::ClientConfig;
use crate::api::error::{self as api, TraceHeaders};
use crate::api::operation::OperationInput;
use crate::api::read_requests::{ReadOperation, ReadRequest};
use crate::api::responses::parse_restore_jobs;
use crate::http::error_class::ErrorClass;
use crate::http::request::HttpRequest;
use crate::http::retry::{
    after_verification, decide, AttemptOutcome, Decision, IfAbsent, RequestKind, RetryPolicy, TriggerCheck,
    VerifyDecision,
};
use crate::input::issue::{IssueCode, Issues, Location};
use crate::input::options::CallSettings;
use crate::util::secret::Secret;

/// What every API call of one client shares: the checked config, where tokens come from, the fetch
/// to send with, and the client-wide retry and timeout defaults.
pub(super) struct Engine {
    pub config: ClientConfig,
    pub auth: Auth,
    pub fetch: Function,
    pub policy: RetryPolicy,
    pub timeout_ms: f64,
    pub user_agent: Option<String>,
}

/// Per-call settings: `{ signal?, timeoutMs?, maxRetries? }`.
#[derive(Clone)]
pub(super) struct CallOptions {
    pub signal: Option<AbortSignal>,
    pub timeout_ms: f64,
    pub policy: RetryPolicy,
}

/// Why a call failed: an HTTP answer with an error status, or an error already made for JS.
pub(super) enum CallError {
    Status { response: Response, class: ErrorClass, retryable: bool, attempts: u32 },
    Js(JsValue),
}

impl CallError {
    pub fn into_js(self) -> JsValue {
        match self {
            CallError::Js(error) => error,
            CallError::Status { response, class, retryable, attempts } => {
                let error = api::api_error(response.status, &response.trace, &response.body);
                api_error(&error, class.name(), retryable, attempts)
            }
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            CallError::Status { response, .. } => Some(response.status),
            CallError::Js(_) => None,
        }
    }
}

impl From<CallError> for JsValue {
    fn from(error: CallError) -> JsValue {
        error.into_js()
    }
}

pub(super) fn call_options(inner: &Engine, options: &JsValue) -> Result<CallOptions, JsValue> {
    let mut result = CallOptions { signal: None, timeout_ms: inner.timeout_ms, policy: inner.policy.clone() };
    if !options.is_object() {
        return Ok(result);
    }
    let get = |key: &str| Reflect::get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    let signal = get("signal");
    if !signal.is_undefined() && !signal.is_null() {
        result.signal = Some(signal_from(&signal).ok_or_else(|| type_error("signal", "must be an AbortSignal"))?);
    }
    let mut issues = Issues::default();
    let call = CallSettings::read(|key| option_value(options, key), &mut issues);
    if let Some(ms) = call.timeout_ms {
        result.timeout_ms = ms;
    }
    if let Some(n) = call.max_retries {
        result.policy.max_retries = n;
    }
    if issues.has_errors() {
        return Err(validation_error(&issues));
    }
    Ok(result)
}

fn type_error(field: &str, message: &str) -> JsValue {
    let mut issues = Issues::default();
    issues.error(&Location::new(field, format!("/{field}")), IssueCode::Type, message);
    validation_error(&issues)
}

/// Sends `input` until the core's retry plan says done or fail. Returns the 2xx response.
pub(super) async fn execute(
    inner: &Engine,
    input: &OperationInput,
    options: &CallOptions,
) -> Result<(Response, u32), CallError> {
    let signal = options.signal.as_ref();
    let mut kind = if input.target_database().is_some() { RequestKind::Trigger } else { RequestKind::Safe };
    let mut attempts: u32 = 0;
    let mut refreshed_token = false;
    loop {
        attempts = attempts.saturating_add(1);
        let token = inner.auth.token(signal).await.map_err(CallError::Js)?;
        let request = wire_request(inner, input, token);
        let result = transport::attempt(&inner.fetch, &request, options.timeout_ms, signal).await;
        if let (Ok(response), Auth::KeyFlow(flow)) = (&result, &inner.auth) {
            // A cached token the server no longer accepts: fetch a fresh one once (401 = not executed).
            if response.status == 401 && !refreshed_token {
                refreshed_token = true;
                flow.invalidate();
                attempts = attempts.saturating_sub(1);
                continue;
            }
        }
        let outcome = outcome_of(&result);
        match decide(&options.policy, kind, attempts, &outcome, js_sys::Math::random()) {
            Decision::Done => match result {
                Ok(response) => return Ok((response, attempts)),
                Err(failure) => return Err(CallError::Js(failure_error(failure, options, attempts))),
            },
            Decision::Aborted => return Err(CallError::Js(aborted(result, signal))),
            Decision::RetryAfter { delay_ms } => sleep(delay_ms as f64, signal).await.map_err(CallError::Js)?,
            Decision::Fail { class, retryable } => return Err(fail(result, class, retryable, options, attempts)),
            Decision::VerifyTrigger { wait_ms, if_absent } => {
                sleep(wait_ms as f64, signal).await.map_err(CallError::Js)?;
                let verdict = match verify_trigger(inner, input, options).await {
                    Ok(check) => after_verification(check),
                    Err(_) => {
                        // The check could not be completed: report the original failure, never POST again.
                        let class = class_of(&outcome);
                        return Err(fail(result, class, true, options, attempts));
                    }
                };
                match (verdict, if_absent) {
                    (VerifyDecision::AlreadyAccepted, _) => return Ok((verified_response(&result), attempts)),
                    (VerifyDecision::SafeToRetry, IfAbsent::RetryNow) => kind = RequestKind::TriggerAfterAmbiguous,
                    (VerifyDecision::SafeToRetry, IfAbsent::Fail { class, retryable }) => {
                        return Err(fail(result, class, retryable, options, attempts))
                    }
                }
            }
        }
    }
}

fn wire_request(inner: &Engine, input: &OperationInput, token: Option<Secret>) -> HttpRequest {
    let mut config = inner.config.clone();
    config.token = token;
    let mut request = input.to_http_request(&config, true);
    if let Some(ua) = &inner.user_agent {
        request.headers.push(("user-agent".to_owned(), ua.clone()));
    }
    request
}

fn class_of(outcome: &AttemptOutcome) -> ErrorClass {
    match outcome {
        AttemptOutcome::Status { status, .. } => ErrorClass::for_status(*status),
        AttemptOutcome::Timeout => ErrorClass::Timeout,
        _ => ErrorClass::Network,
    }
}

fn aborted(result: Result<Response, Failure>, signal: Option<&AbortSignal>) -> JsValue {
    match (result, signal) {
        (Err(Failure::Aborted(reason)), _) => reason,
        (_, Some(signal)) => abort_reason(signal),
        _ => js_sys::Error::new("aborted").into(),
    }
}

fn fail(
    result: Result<Response, Failure>,
    class: ErrorClass,
    retryable: bool,
    options: &CallOptions,
    attempts: u32,
) -> CallError {
    match result {
        Ok(response) => CallError::Status { response, class, retryable, attempts },
        Err(failure) => CallError::Js(failure_error(failure, options, attempts)),
    }
}

fn failure_error(failure: Failure, options: &CallOptions, attempts: u32) -> JsValue {
    match failure {
        Failure::Aborted(reason) => reason,
        Failure::Timeout => details("TIMEOUT")
            .field("retryable", &JsValue::TRUE)
            .field("attempts", &JsValue::from(attempts))
            .field("timeoutMs", &JsValue::from(options.timeout_ms))
            .error(
                "TimeoutError",
                &format!("no response within {} ms (attempt {attempts})", crate::util::whole_text(options.timeout_ms)),
            ),
        Failure::Network(cause) => details("NETWORK_ERROR")
            .field("retryable", &JsValue::TRUE)
            .field("attempts", &JsValue::from(attempts))
            .field("cause", &cause)
            .error("NetworkError", &format!("network error: {}", transport::describe_cause(&cause))),
    }
}

/// The trigger was found executed after an ambiguous attempt: report it as the 202 it was.
fn verified_response(result: &Result<Response, Failure>) -> Response {
    let trace = match result {
        Ok(response) => response.trace.clone(),
        Err(_) => TraceHeaders::default(),
    };
    Response {
        status: 202,
        trace,
        retry_after: None,
        body: String::new(),
        bytes: Vec::new(),
        content_range: None,
        request_id: None,
        etag: None,
    }
}

/// Is a restore into the target running, or does the target exist? (See `crate::http::retry`.)
async fn verify_trigger(
    inner: &Engine,
    input: &OperationInput,
    options: &CallOptions,
) -> Result<TriggerCheck, CallError> {
    let (Some(instance_id), Some(database)) = (input.instance_id(), input.target_database()) else {
        return Ok(TriggerCheck::Absent);
    };
    let jobs = read(inner, ReadOperation::ListRestoreJobs, json!({"instanceId": instance_id}), options).await?;
    let listed = parse_restore_jobs(&jobs.body).map(|j| j.for_database(database).is_some()).unwrap_or(false);
    let exists = database_exists(inner, instance_id, database, options).await?;
    Ok(TriggerCheck::from_observations(listed, exists))
}

pub(super) async fn database_exists(
    inner: &Engine,
    instance_id: &str,
    database: &str,
    options: &CallOptions,
) -> Result<bool, CallError> {
    match read(inner, ReadOperation::GetDatabase, json!({"instanceId": instance_id, "databaseName": database}), options)
        .await
    {
        Ok(_) => Ok(true),
        Err(error) if error.status() == Some(404) => Ok(false),
        Err(error) => Err(error),
    }
}

/// A read the client makes on its own behalf (checks, the waiter), with the same retries. Boxed:
/// `execute` reaches it again through the trigger check.
pub(super) fn read<'a>(
    inner: &'a Engine,
    operation: ReadOperation,
    input: Value,
    options: &'a CallOptions,
) -> Pin<Box<dyn Future<Output = Result<Response, CallError>> + 'a>> {
    Box::pin(async move {
        let mut issues = Issues::default();
        let request = ReadRequest::from_input(operation, &input, &mut issues)
            .ok_or_else(|| CallError::Js(validation_error(&issues)))?;
        execute(inner, &OperationInput::Read(request), options).await.map(|(response, _)| response)
    })
}
