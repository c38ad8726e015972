//! The production client as JS sees it: the `Client` class, its options read into the sending engine
//! (`engine.rs`), and each call's result as a typed JS value.

use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::auth::{Auth, KeyFlow};
use super::convert::{from_js, to_js};
use super::engine::{call_options, execute, Engine};
use super::js_error::{details, set, validation_error};
use super::timers::now_ms;
use super::transport::{self, Response};
use crate::api::config::ClientConfig;
use crate::api::error as api;
use crate::api::operation::OperationInput;
use crate::api::read_requests::parse_read_response;
use crate::api::trace_id;
use crate::auth::service_account::{pkcs8_from_pem, ServiceAccountKey, DEFAULT_TOKEN_ENDPOINT};
use crate::http::retry::RetryPolicy;
use crate::http::url::check_secure_url;
use crate::input::issue::{IssueCode, Issues, Location};
use crate::input::options::{whole, OptionValue, API_TIMEOUT_MS, MAX_RETRIES, MAX_TIMEOUT_MS};
use crate::input::reader::ObjectReader;
use crate::restore_record::RestoreRecord;
use crate::util::secret::Secret;

#[wasm_bindgen]
pub struct Client {
    inner: Rc<Engine>,
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
        let timeout_ms = read_timeout(&root, &mut issues).unwrap_or(API_TIMEOUT_MS);
        let policy = read_policy(&root, &value, &mut issues);
        let user_agent = root.optional_string("userAgent", &Location::new("userAgent", "/userAgent"), &mut issues);
        let fetch = transport::resolve_fetch(&hook(&hooks, "fetch"))?;
        let auth = read_auth(&root, &hooks, &fetch, timeout_ms, user_agent.clone(), &mut issues);
        match (config, auth) {
            (Some(mut config), Some(auth)) if !issues.has_errors() => {
                config.token = None; // tokens come from `auth` per attempt
                Ok(Client { inner: Rc::new(Engine { config, auth, fetch, policy, timeout_ms, user_agent }) })
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

    /// Polls until the restore of `databaseName` ends; see `wait.rs`.
    #[wasm_bindgen(js_name = waitForRestore)]
    pub fn wait_for_restore(&self, input: JsValue, options: JsValue) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move { super::wait::wait_for_restore(inner, input, options).await })
    }

    /// One poll of the restore of `databaseName`, continuing `state`; see `wait.rs`.
    #[wasm_bindgen(js_name = checkRestore)]
    pub fn check_restore(&self, input: JsValue, state: JsValue, options: JsValue) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move { super::wait::check_restore(inner, input, state, options).await })
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
    whole(&OptionValue::of_json(root.raw("timeoutMs")), "timeoutMs", 1.0, f64::from(MAX_TIMEOUT_MS), issues)
}

/// `retry: { maxRetries, baseDelayMs, maxDelayMs, maxRetryAfterMs, verifyDelayMs }`, or `maxRetries` alone.
fn read_policy(root: &ObjectReader<'_>, value: &Value, issues: &mut Issues) -> RetryPolicy {
    let mut policy = match value.get("retry") {
        None | Some(Value::Null) => RetryPolicy::default(),
        Some(retry) => RetryPolicy::from_json(retry, "retry").unwrap_or_else(|_| {
            issues.error(&Location::new("retry", "/retry"), IssueCode::Type, "must be { maxRetries?, baseDelayMs?, maxDelayMs?, maxRetryAfterMs?, verifyDelayMs? } with non-negative integers");
            RetryPolicy::default()
        }),
    };
    let max_retries = OptionValue::of_json(root.raw("maxRetries"));
    if let Some(n) = whole(&max_retries, "maxRetries", 0.0, f64::from(MAX_RETRIES), issues) {
        policy.max_retries = n as u32;
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

fn checked_input(operation: &str, input: &JsValue) -> Result<OperationInput, JsValue> {
    let mut issues = Issues::default();
    let value = from_js(input, Location::new("input", ""), &mut issues);
    let Some(value) = value else { return Err(validation_error(&issues)) };
    let mut random = [0u8; 16];
    super::random::fill_random(&mut random);
    let checked = crate::api::operation::check(operation, None, &value, random);
    match checked.input {
        Some(input) if !checked.issues.has_errors() => Ok(input),
        _ => Err(validation_error(&checked.issues)),
    }
}

fn interpret(inner: &Engine, input: &OperationInput, response: Response, attempts: u32) -> Result<JsValue, JsValue> {
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
            let accepted = api::accepted(response.status, &response.trace);
            let result = to_js(&accepted)?;
            set(&result, "attempts", &JsValue::from(attempts));
            if let OperationInput::Import(import) = other {
                set(&result, "loggingGuid", &JsValue::from_str(&import.logging_guid));
            }
            let now = now_ms();
            let accepted_at = String::from(js_sys::Date::new(&JsValue::from(now)).to_iso_string());
            if let Some(record) = RestoreRecord::for_accepted(&inner.config, other, &accepted, now as i64, accepted_at)
            {
                set(&result, "record", &to_js(&record)?);
            }
            Ok(result)
        }
    }
}
