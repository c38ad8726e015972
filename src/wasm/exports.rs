//! The package's functions that need no client: the version, validating an operation's input,
//! building its request as data, and any request as a curl command.

use js_sys::{Array, Object, Reflect};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::convert::{from_js, option, to_js};
use super::js_error::{set, simple_error, validation_error};
use super::random::random_bytes;
use super::transport;
use crate::api::config::ClientConfig;
use crate::api::curl;
use crate::api::operation::{self, OperationInput};
use crate::backup::preflight::{Refusal, Severity};
use crate::http::request::HttpRequest;
use crate::input::issue::{Issues, Location};
use crate::s3::address;
use crate::util::version::VERSION;

#[wasm_bindgen]
pub fn version() -> String {
    VERSION.to_owned()
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

/// The address of the object `name` inside the bucket address `bucket` (`s3::address::object_path`):
/// for the package's JS (the upload's planned files, the CLI's `--file`); not part of the public API.
#[wasm_bindgen(js_name = objectPath)]
pub fn object_path(bucket: &str, name: &str) -> String {
    address::object_path(bucket, name)
}

/// Whether a preflight report as JS holds it (`{ findings: [{ severity, code, message }] }`) refuses
/// to go on unless `force` is truthy (`backup::preflight::Refusal`, the rule the upload applies):
/// `null`, or `{ count, codes, problems }` for the caller's own message. For the package's JS (the
/// client's import with `preflight`, the CLI); not part of the public API.
#[wasm_bindgen(js_name = preflightRefusal)]
pub fn preflight_refusal(report: JsValue, force: JsValue) -> JsValue {
    let findings = option(&report, "findings");
    let findings: Vec<JsValue> =
        if Array::is_array(&findings) { Array::from(&findings).iter().collect() } else { Vec::new() };
    let text = |finding: &JsValue, key: &str| option(finding, key).as_string().unwrap_or_default();
    let read = findings.iter().map(|finding| {
        let severity = match text(finding, "severity").as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            _ => Severity::Info,
        };
        (severity, text(finding, "code"), text(finding, "message"))
    });
    let Some(refusal) = Refusal::of(read, force.is_truthy()) else { return JsValue::NULL };
    let out = Object::new();
    set(&out, "count", &JsValue::from(refusal.count() as f64));
    set(&out, "codes", &JsValue::from_str(&refusal.codes()));
    set(&out, "problems", &JsValue::from_str(&refusal.problems()));
    out.into()
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
