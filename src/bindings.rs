//! The only module that talks to JavaScript: converts JS values in and out, sends requests with the
//! runtime's global `fetch` (or one the caller passes), and turns failures into JS `Error` objects.

use js_sys::{Function, Object, Promise, Reflect};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::api_error::{self, ApiError, TraceHeaders};
use crate::client_config::ClientConfig;
use crate::http_request::HttpRequest;
use crate::issue::{IssueCode, Issues, Location};
use crate::operation::{self, OperationInput};
use crate::read_requests::parse_read_response;
use crate::{curl, trace_id};

#[wasm_bindgen]
extern "C" {
    /// Any fetch `Response`-like object: read structurally so polyfills and wrappers work too.
    type FetchResponse;
    #[wasm_bindgen(method, getter, structural)]
    fn status(this: &FetchResponse) -> u16;
    #[wasm_bindgen(method, getter, structural)]
    fn headers(this: &FetchResponse) -> FetchHeaders;
    #[wasm_bindgen(method, structural, catch)]
    fn text(this: &FetchResponse) -> Result<Promise, JsValue>;

    type FetchHeaders;
    #[wasm_bindgen(method, structural)]
    fn get(this: &FetchHeaders, name: &str) -> Option<String>;

    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues, catch)]
    fn fill_random(buf: &mut [u8]) -> Result<(), JsValue>;
}

#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_owned()
}

/// Checks an operation's input (and the client config, when given) without building or sending:
/// `{ ok, errors, warnings, normalized }`, `normalized` with secrets masked.
#[wasm_bindgen]
pub fn validate(operation: &str, config: JsValue, input: JsValue) -> Result<JsValue, JsValue> {
    let mut issues = Issues::default();
    let config = if config.is_undefined() || config.is_null() {
        None
    } else {
        from_js(&config, Location::new("config", ""), &mut issues)
    };
    let input = from_js(&input, Location::new("input", ""), &mut issues).unwrap_or(Value::Null);
    let mut checked = operation::check(operation, config.as_ref(), &input, random_bytes());
    issues.errors.append(&mut checked.issues.errors);
    issues.warnings.append(&mut checked.issues.warnings);
    let out = Object::new();
    set(&out, "ok", &JsValue::from_bool(!issues.has_errors()));
    set(&out, "errors", &to_js(&issues.errors)?);
    set(&out, "warnings", &to_js(&issues.warnings)?);
    let normalized = match &checked.input {
        Some(input) if !matches!(input, OperationInput::Read(_)) => to_js(input)?,
        _ => JsValue::NULL,
    };
    set(&out, "normalized", &normalized);
    Ok(out.into())
}

/// An operation's request as plain data `{ method, url, headers, body }` (secrets masked unless `reveal`).
#[wasm_bindgen(js_name = buildRequest)]
pub fn build_request(
    operation: &str,
    config: JsValue,
    input: JsValue,
    reveal: Option<bool>,
) -> Result<JsValue, JsValue> {
    let (config, input) = checked(operation, &config, &input)?;
    request_to_js(&input.to_http_request(&config, reveal.unwrap_or(true)))
}

/// Any request `{ method, url, headers, body }` as a curl command; token and S3 secret become shell
/// variables unless `reveal`.
#[wasm_bindgen(js_name = toCurl)]
pub fn to_curl(request: JsValue, reveal: Option<bool>) -> Result<JsValue, JsValue> {
    let request = request_from_js(&request)?;
    Ok(JsValue::from_str(&curl::to_curl(&request, reveal.unwrap_or(false))))
}

/// Validates, sends one request and resolves: for restores `{ accepted, status, traceId, traceparent }`
/// (+ `loggingGuid` for imports), for reads the typed response.
#[wasm_bindgen]
pub async fn send(operation: &str, config: JsValue, input: JsValue, fetch: JsValue) -> Result<JsValue, JsValue> {
    let (config, input) = checked(operation, &config, &input)?;
    if config.token.is_none() {
        let mut issues = Issues::default();
        issues.error(&Location::new("token", "/token"), IssueCode::Required, "is required to send a request");
        return Err(validation_error(&issues));
    }
    let response = fetch_request(&input.to_http_request(&config, true), &fetch).await?;
    let status = response.status();
    let headers = trace_headers(&response);
    let ok = (200..300).contains(&status);
    let body = if ok && input.target_database().is_some() {
        String::new()
    } else {
        read_text(&response).await.unwrap_or_default()
    };
    if !ok {
        return Err(api_error_to_js(&api_error::api_error(status, &headers, &body)));
    }
    match &input {
        OperationInput::Read(read) => parse_read_response(read.operation, config.api_version, &body).map_or_else(
            |problem| {
                let error = error_object("ApiError", "MALFORMED_RESPONSE", &problem.to_string());
                set(&error, "status", &JsValue::from(status));
                set(&error, "path", &JsValue::from_str(&problem.path));
                if let Some(id) = trace_id::pick(None, headers.x_trace_id.as_deref(), headers.traceparent.as_deref()) {
                    set(&error, "traceId", &JsValue::from_str(&id));
                }
                Err(error)
            },
            |parsed| to_js(&parsed),
        ),
        other => {
            let result = to_js(&api_error::accepted(status, &headers))?;
            if let OperationInput::Import(import) = other {
                set(&result, "loggingGuid", &JsValue::from_str(&import.logging_guid));
            }
            Ok(result)
        }
    }
}

fn checked(operation: &str, config: &JsValue, input: &JsValue) -> Result<(ClientConfig, OperationInput), JsValue> {
    let mut issues = Issues::default();
    let config = from_js(config, Location::new("config", ""), &mut issues);
    let input = from_js(input, Location::new("input", ""), &mut issues);
    if let (Some(config), Some(input)) = (config, input) {
        let mut result = operation::check(operation, Some(&config), &input, random_bytes());
        issues.errors.append(&mut result.issues.errors);
        if let (Some(config), Some(input), false) = (result.config, result.input, issues.has_errors()) {
            return Ok((config, input));
        }
    }
    Err(validation_error(&issues))
}

fn api_error_to_js(error: &ApiError) -> JsValue {
    let js = error_object("ApiError", &error.code, &error.message);
    set(&js, "status", &JsValue::from(error.status));
    if let Some(trace_id) = &error.trace_id {
        set(&js, "traceId", &JsValue::from_str(trace_id));
    }
    if let (false, Ok(validation)) = (error.validation.is_empty(), to_js(&error.validation)) {
        set(&js, "validation", &validation);
    }
    js
}

fn request_from_js(value: &JsValue) -> Result<HttpRequest, JsValue> {
    let invalid = |message: &str| error_object("TypeError", "INVALID_REQUEST", message);
    let text = |key: &str| Reflect::get(value, &JsValue::from_str(key)).ok().and_then(|v| v.as_string());
    let method = match text("method").unwrap_or_default().to_ascii_uppercase().as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        _ => return Err(invalid("request.method must be an HTTP method")),
    };
    let url = text("url").ok_or_else(|| invalid("request.url must be a string"))?;
    let mut headers = Vec::new();
    let object = Reflect::get(value, &JsValue::from_str("headers")).unwrap_or(JsValue::UNDEFINED);
    if object.is_object() {
        for entry in Object::entries(object.unchecked_ref()).iter() {
            let pair: js_sys::Array = entry.unchecked_into();
            if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                headers.push((name.to_ascii_lowercase(), value));
            }
        }
    }
    Ok(HttpRequest { method, url, headers, body: text("body") })
}

/// JS value → JSON value; values JSON cannot hold (functions, symbols, BigInt) become a `type` issue.
fn from_js(value: &JsValue, at: Location, issues: &mut Issues) -> Option<Value> {
    match serde_wasm_bindgen::from_value::<Value>(value.clone()) {
        Ok(Value::Object(map)) => Some(Value::Object(map)),
        Ok(_) | Err(_) => {
            issues.error(&at, IssueCode::Type, "must be a plain object of JSON values");
            None
        }
    }
}

fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    // Every supported runtime has WebCrypto; without it the GUID is all zeros but still valid.
    let _ = fill_random(&mut bytes);
    bytes
}

async fn fetch_request(request: &HttpRequest, fetch: &JsValue) -> Result<FetchResponse, JsValue> {
    let fetch = resolve_fetch(fetch)?;
    let init = Object::new();
    set(&init, "method", &JsValue::from_str(request.method));
    let headers = Object::new();
    for (name, value) in &request.headers {
        set(&headers, name, &JsValue::from_str(value));
    }
    set(&init, "headers", &headers);
    if let Some(body) = &request.body {
        set(&init, "body", &JsValue::from_str(body));
    }
    let pending = fetch.call2(&JsValue::UNDEFINED, &JsValue::from_str(&request.url), &init).map_err(network_error)?;
    let response = JsFuture::from(Promise::resolve(&pending)).await.map_err(network_error)?;
    Ok(response.unchecked_into())
}

fn resolve_fetch(fetch: &JsValue) -> Result<Function, JsValue> {
    if let Some(f) = fetch.dyn_ref::<Function>() {
        return Ok(f.clone());
    }
    let global = Reflect::get(&js_sys::global(), &JsValue::from_str("fetch")).unwrap_or(JsValue::UNDEFINED);
    global.dyn_into::<Function>().map_err(|_| {
        error_object(
            "NetworkError",
            "NO_FETCH",
            "no fetch available: this runtime has no global fetch; pass one as the `fetch` option",
        )
    })
}

async fn read_text(response: &FetchResponse) -> Option<String> {
    let promise = response.text().ok()?;
    JsFuture::from(promise).await.ok()?.as_string()
}

fn trace_headers(response: &FetchResponse) -> TraceHeaders {
    let headers = response.headers();
    TraceHeaders { traceparent: headers.get("traceparent"), x_trace_id: headers.get("x-trace-id") }
}

/// A fetch rejection: an `AbortError` passes through unchanged, anything else becomes a `NetworkError`.
fn network_error(cause: JsValue) -> JsValue {
    let name = Reflect::get(&cause, &JsValue::from_str("name")).ok().and_then(|n| n.as_string());
    if name.as_deref() == Some("AbortError") {
        return cause;
    }
    let detail = Reflect::get(&cause, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "request failed".to_owned());
    let error = error_object("NetworkError", "NETWORK_ERROR", &format!("network error: {detail}"));
    set(&error, "cause", &cause);
    error
}

fn validation_error(issues: &Issues) -> JsValue {
    let summary = issues
        .errors
        .iter()
        .map(|i| format!("{} {}", if i.field.is_empty() { &i.path } else { &i.field }, i.message))
        .collect::<Vec<_>>()
        .join("; ");
    let error = error_object("ValidationError", "VALIDATION_ERROR", &format!("invalid input: {summary}"));
    if let Ok(errors) = to_js(&issues.errors) {
        set(&error, "errors", &errors);
    }
    if let Ok(warnings) = to_js(&issues.warnings) {
        set(&error, "warnings", &warnings);
    }
    error
}

fn error_object(name: &str, code: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name(name);
    let error: JsValue = error.into();
    set(&error, "code", &JsValue::from_str(code));
    error
}

fn request_to_js(request: &HttpRequest) -> Result<JsValue, JsValue> {
    let out = Object::new();
    set(&out, "method", &JsValue::from_str(request.method));
    set(&out, "url", &JsValue::from_str(&request.url));
    let headers = Object::new();
    for (name, value) in &request.headers {
        set(&headers, name, &JsValue::from_str(value));
    }
    set(&out, "headers", &headers);
    if let Some(body) = &request.body {
        set(&out, "body", &JsValue::from_str(body));
    }
    Ok(out.into())
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| error_object("Error", "INTERNAL", &format!("could not convert a result: {e}")))
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}
