//! The only module that talks to JavaScript: converts JS values in and out, sends requests with the
//! runtime's global `fetch` (or one the caller passes), and turns failures into JS `Error` objects.

mod auth;
mod client;
mod engine;
mod instance_check;
mod js_error;
mod preflight;
mod s3_errors;
mod safe_send;
mod timers;
mod transport;
mod upload;
mod wait;
mod webcrypto;

use js_sys::{Object, Reflect};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

pub use client::Client;
pub use js_error::set_error_factory;
use js_error::{set, simple_error, validation_error};

use crate::api::config::ClientConfig;
use crate::api::curl;
use crate::api::operation::{self, OperationInput};
use crate::http::request::HttpRequest;
use crate::input::issue::{IssueCode, Issues, Location};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues, catch)]
    fn get_random_values(buf: &mut [u8]) -> Result<(), JsValue>;
}

#[wasm_bindgen]
pub fn version() -> String {
    crate::util::version::VERSION.to_owned()
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

fn request_from_js(value: &JsValue) -> Result<HttpRequest, JsValue> {
    let invalid = |message: &str| simple_error("ValidationError", "INVALID_REQUEST", message);
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
pub(crate) fn from_js(value: &JsValue, at: Location, issues: &mut Issues) -> Option<Value> {
    match serde_wasm_bindgen::from_value::<Value>(value.clone()) {
        Ok(Value::Object(map)) => Some(Value::Object(map)),
        Ok(_) | Err(_) => {
            issues.error(&at, IssueCode::Type, "must be a plain object of JSON values");
            None
        }
    }
}

/// Randomness from WebCrypto; where a runtime lacks it (Node 18 scripts), `Math.random`, never zeros.
/// `options[key]`, `undefined` when `options` is not an object or has no such property.
pub(crate) fn option(options: &JsValue, key: &str) -> JsValue {
    if options.is_object() {
        Reflect::get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

pub(crate) fn fill_random(bytes: &mut [u8]) {
    if get_random_values(bytes).is_err() {
        for byte in bytes.iter_mut() {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
}

fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    fill_random(&mut bytes);
    bytes
}

fn request_to_js(request: &HttpRequest) -> Result<JsValue, JsValue> {
    let out = Object::new();
    set(&out, "method", &JsValue::from_str(request.method));
    set(&out, "url", &JsValue::from_str(&request.url));
    set(&out, "headers", &transport::headers_object(&request.headers));
    if let Some(body) = &request.body {
        set(&out, "body", &JsValue::from_str(body));
    }
    Ok(out.into())
}

/// Rust value → plain JS value, through JSON text: serde_json's serializer is linked anyway, and a
/// second one (serde_wasm_bindgen's) would add ~10 KB of wasm for every type it serializes.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|e| simple_error("ApiError", "INTERNAL", &format!("could not convert a result: {e}")))?;
    js_sys::JSON::parse(&text)
}
