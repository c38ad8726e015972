//! JS values in and out of the core: a JS object as JSON (every value JSON cannot hold an issue), an
//! option of an options object, and a Rust value as a plain JS value.

use js_sys::Reflect;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::js_error::simple_error;
use crate::input::issue::{IssueCode, Issues, Location};
use crate::input::options::OptionValue;

/// JS value → JSON value; values JSON cannot hold (functions, symbols, BigInt) become a `type` issue.
pub(super) fn from_js(value: &JsValue, at: Location, issues: &mut Issues) -> Option<Value> {
    match serde_wasm_bindgen::from_value::<Value>(value.clone()) {
        Ok(Value::Object(map)) => Some(Value::Object(map)),
        Ok(_) | Err(_) => {
            issues.error(&at, IssueCode::Type, "must be a plain object of JSON values");
            None
        }
    }
}

/// `options[key]`, `undefined` when `options` is not an object or has no such property.
pub(super) fn option(options: &JsValue, key: &str) -> JsValue {
    if options.is_object() {
        Reflect::get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// `options[key]` as the core's option readers take it (`input::options`).
pub(super) fn option_value(options: &JsValue, key: &str) -> OptionValue {
    let value = option(options, key);
    if value.is_undefined() || value.is_null() {
        OptionValue::Absent
    } else {
        value.as_f64().map_or(OptionValue::Other, OptionValue::Number)
    }
}

/// Rust value → plain JS value, through JSON text: serde_json's serializer is linked anyway, and a
/// second one (serde_wasm_bindgen's) would add ~10 KB of wasm for every type it serializes.
pub(super) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|e| simple_error("ApiError", "INTERNAL", &format!("could not convert a result: {e}")))?;
    js_sys::JSON::parse(&text)
}
