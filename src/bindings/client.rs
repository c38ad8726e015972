//! The production client: per-attempt timeouts, the caller's AbortSignal, bounded retries as the
//! core decides (`crate::retry`), the exactly-once restore trigger, and typed errors.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::auth::{Auth, KeyFlow};
use super::js_error::{api_error, details, set, validation_error};
use super::timers::{abort_reason, now_ms, signal_from, sleep, AbortSignal};
use super::transport::{self, BodyKind, Failure, Response};
use super::{from_js, to_js};
use crate::api_error::{self as api, TraceHeaders};
use crate::client_config::{check_secure_url, ClientConfig};
use crate::error_class::ErrorClass;
use crate::http_request::HttpRequest;
use crate::input::ObjectReader;
use crate::issue::{IssueCode, Issues, Location};
use crate::operation::OperationInput;
use crate::read_requests::{parse_read_response, ReadOperation, ReadRequest};
use crate::responses::parse_restore_jobs;
use crate::retry::{
    after_verification, decide, AttemptOutcome, Decision, IfAbsent, RequestKind, RetryPolicy, TriggerCheck,
    VerifyDecision,
};
use crate::retry_after::retry_after_ms;
use crate::secret::Secret;
use crate::service_account::{pkcs8_from_pem, ServiceAccountKey, DEFAULT_TOKEN_ENDPOINT};
use crate::trace_id;

/// Default per-attempt timeout: no call can hang forever.
const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;

#[wasm_bindgen]
pub struct Client {
    inner: Rc<Inner>,
}

pub(super) struct Inner {
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

#[wasm_bindgen]
impl Client {
    /// `options`: `{ projectId, region, apiVersion?, baseUrl?, token?, serviceAccountKey?, privateKey?,
    /// tokenEndpoint?, timeoutMs?, maxRetries?, retry?, userAgent? }`; `hooks`: `{ fetch?, getToken? }`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, hooks: JsValue) -> Result<Client, JsValue> {
        let mut issues = Issues::default();
        let value = from_js(&options, Location::new("options", ""), &mut issues).unwrap_or(Value::Null);
        let config = ClientConfig::from_input(&value, &mut issues);
        let root = ObjectReader::new(Some(&value), Location::new("", ""), &mut issues);
        let timeout_ms = read_timeout(&root, &mut issues).unwrap_or(DEFAULT_TIMEOUT_MS);
        let policy = read_policy(&root, &value, &mut issues);
        let user_agent = root.optional_string("userAgent", &Location::new("userAgent", "/userAgent"), &mut issues);
        let fetch = transport::resolve_fetch(&hook(&hooks, "fetch"))?;
        let auth = read_auth(&root, &hooks, &fetch, timeout_ms, user_agent.clone(), &mut issues);
        match (config, auth) {
            (Some(mut config), Some(auth)) if !issues.has_errors() => {
                config.token = None; // tokens come from `auth` per attempt
                Ok(Client { inner: Rc::new(Inner { config, auth, fetch, policy, timeout_ms, user_agent }) })
            }
            _ => Err(validation_error(&issues)),
        }
    }

    /// Runs one operation: validates, sends with retries, resolves the typed result.
    pub fn call(&self, operation: String, input: JsValue, options: JsValue) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let options = call_options(&inner, &options)?;
            let input = checked_input(&operation, &input)?;
            match execute(&inner, &input, &options).await {
                Ok((response, attempts)) => interpret(&inner, &input, response, attempts),
                Err(error) => Err(error.into_js()),
            }
        })
    }

    /// The backup and instance checks of a restore, without triggering; see `instance_check.rs`.
    pub fn preflight(&self, input: JsValue, options: JsValue) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move { super::instance_check::preflight(inner, input, options).await })
    }

    /// Polls until the restore of `databaseName` ends; see `waiter.rs` in the bindings.
    #[wasm_bindgen(js_name = waitForRestore)]
    pub fn wait_for_restore(&self, input: JsValue, options: JsValue) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move { super::wait::wait_for_restore(inner, input, options).await })
    }
}

fn hook(hooks: &JsValue, name: &str) -> JsValue {
    if hooks.is_object() {
        Reflect::get(hooks, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

fn read_timeout(root: &ObjectReader<'_>, issues: &mut Issues) -> Option<f64> {
    let at = Location::new("timeoutMs", "/timeoutMs");
    let ms = root.optional_integer("timeoutMs", &at, issues)?;
    if !(1..=3_600_000).contains(&ms) {
        issues.error(&at, IssueCode::Format, "must be between 1 and 3600000 ms");
        return None;
    }
    Some(ms as f64)
}

/// `retry: { maxRetries, baseDelayMs, maxDelayMs, maxRetryAfterMs, verifyDelayMs }`, or `maxRetries` alone.
fn read_policy(root: &ObjectReader<'_>, value: &Value, issues: &mut Issues) -> RetryPolicy {
    let mut policy = match value.get("retry") {
        None | Some(Value::Null) => RetryPolicy::default(),
        Some(retry) => serde_json::from_value(retry.clone()).unwrap_or_else(|_| {
            issues.error(&Location::new("retry", "/retry"), IssueCode::Type, "must be { maxRetries?, baseDelayMs?, maxDelayMs?, maxRetryAfterMs?, verifyDelayMs? } with non-negative integers");
            RetryPolicy::default()
        }),
    };
    let at = Location::new("maxRetries", "/maxRetries");
    if let Some(n) = root.optional_integer("maxRetries", &at, issues) {
        match u32::try_from(n) {
            Ok(n) if n <= 20 => policy.max_retries = n,
            _ => issues.error(&at, IssueCode::Format, "must be between 0 and 20"),
        }
    }
    policy
}

fn read_auth(
    root: &ObjectReader<'_>,
    hooks: &JsValue,
    fetch: &Function,
    timeout_ms: f64,
    user_agent: Option<String>,
    issues: &mut Issues,
) -> Option<Auth> {
    let get_token = hook(hooks, "getToken");
    let token_at = Location::new("token", "/token");
    let token = root.optional_string("token", &token_at, issues);
    let key_at = Location::new("serviceAccountKey", "/serviceAccountKey");
    let key = root.raw("serviceAccountKey").and_then(|k| ServiceAccountKey::from_input(k, &key_at, issues));
    let given = [token.is_some(), key.is_some() || root.raw("serviceAccountKey").is_some(), get_token.is_function()];
    if given.iter().filter(|g| **g).count() > 1 {
        issues.error(&token_at, IssueCode::Duplicate, "give one of token, serviceAccountKey or getToken");
        return None;
    }
    if let Some(token) = token {
        if token.trim().is_empty() {
            issues.error(&token_at, IssueCode::Required, "must not be empty");
        }
        return Some(Auth::Static(Secret::new(token)));
    }
    if let Some(get_token) = get_token.dyn_ref::<Function>() {
        return Some(Auth::Callback(get_token.clone()));
    }
    let Some(key) = key else {
        return if root.raw("serviceAccountKey").is_some() { None } else { Some(Auth::None) };
    };
    // A separate PEM key (STACKIT_PRIVATE_KEY) overrides credentials.privateKey.
    let pem_at = Location::new("privateKey", "/privateKey");
    let pem = root.optional_string("privateKey", &pem_at, issues).map(Secret::new).or_else(|| key.private_key.clone());
    let Some(pem) = pem else {
        issues.error(&pem_at, IssueCode::Required, "is required: the key JSON has no credentials.privateKey");
        return None;
    };
    let pkcs8 = match pkcs8_from_pem(pem.expose()) {
        Ok(der) => der,
        Err(message) => {
            issues.error(&pem_at, IssueCode::Format, message);
            return None;
        }
    };
    let endpoint_at = Location::new("tokenEndpoint", "/tokenEndpoint");
    let token_url = root
        .optional_string("tokenEndpoint", &endpoint_at, issues)
        .or_else(|| key.token_endpoint.clone())
        .unwrap_or_else(|| DEFAULT_TOKEN_ENDPOINT.to_owned());
    if !check_secure_url(&token_url, &endpoint_at, issues) {
        return None;
    }
    Some(Auth::KeyFlow(Rc::new(KeyFlow::new(key, pkcs8, token_url, fetch.clone(), timeout_ms, user_agent))))
}

pub(super) fn call_options(inner: &Inner, options: &JsValue) -> Result<CallOptions, JsValue> {
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
    if let Some(ms) = get("timeoutMs").as_f64() {
        if !(1.0..=3_600_000.0).contains(&ms) {
            issues.error(
                &Location::new("timeoutMs", "/timeoutMs"),
                IssueCode::Format,
                "must be between 1 and 3600000 ms",
            );
        }
        result.timeout_ms = ms;
    }
    if let Some(n) = get("maxRetries").as_f64() {
        if !(0.0..=20.0).contains(&n) || n.fract() != 0.0 {
            issues.error(
                &Location::new("maxRetries", "/maxRetries"),
                IssueCode::Format,
                "must be an integer between 0 and 20",
            );
        }
        result.policy.max_retries = n as u32;
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

pub(super) fn checked_input(operation: &str, input: &JsValue) -> Result<OperationInput, JsValue> {
    let mut issues = Issues::default();
    let value = from_js(input, Location::new("input", ""), &mut issues);
    let Some(value) = value else { return Err(validation_error(&issues)) };
    let mut random = [0u8; 16];
    super::fill_random(&mut random);
    let checked = crate::operation::check(operation, None, &value, random);
    match checked.input {
        Some(input) if !checked.issues.has_errors() => Ok(input),
        _ => Err(validation_error(&checked.issues)),
    }
}

/// Sends `input` until the core's retry plan says done or fail. Returns the 2xx response.
pub(super) async fn execute(
    inner: &Inner,
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

fn wire_request(inner: &Inner, input: &OperationInput, token: Option<Secret>) -> HttpRequest {
    let mut config = inner.config.clone();
    config.token = token;
    let mut request = input.to_http_request(&config, true);
    if let Some(ua) = &inner.user_agent {
        request.headers.push(("user-agent".to_owned(), ua.clone()));
    }
    request
}

fn outcome_of(result: &Result<Response, Failure>) -> AttemptOutcome {
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
            .error("TimeoutError", &format!("no response within {} ms (attempt {attempts})", options.timeout_ms)),
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

/// Is a restore into the target running, or does the target exist? (See `crate::retry`.)
async fn verify_trigger(
    inner: &Inner,
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
    inner: &Inner,
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
    inner: &'a Inner,
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

fn interpret(inner: &Inner, input: &OperationInput, response: Response, attempts: u32) -> Result<JsValue, JsValue> {
    match input {
        OperationInput::Read(read) => parse_read_response(read.operation, inner.config.api_version, &response.body)
            .map_or_else(
                |problem| {
                    let trace = trace_id::pick(
                        None,
                        response.trace.x_trace_id.as_deref(),
                        response.trace.traceparent.as_deref(),
                    );
                    Err(details("MALFORMED_RESPONSE")
                        .field("status", &JsValue::from(response.status))
                        .field("path", &JsValue::from_str(&problem.path))
                        .maybe("traceId", trace.as_deref())
                        .field("attempts", &JsValue::from(attempts))
                        .error("ApiError", &problem.to_string()))
                },
                |parsed| to_js(&parsed),
            ),
        other => {
            let result = to_js(&api::accepted(response.status, &response.trace))?;
            set(&result, "attempts", &JsValue::from(attempts));
            if let OperationInput::Import(import) = other {
                set(&result, "loggingGuid", &JsValue::from_str(&import.logging_guid));
            }
            Ok(result)
        }
    }
}

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

impl From<CallError> for JsValue {
    fn from(error: CallError) -> JsValue {
        error.into_js()
    }
}
