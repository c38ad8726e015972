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
    match json_of(value) {
        Some(Value::Object(map)) => Some(Value::Object(map)),
        _ => {
            issues.error(&at, IssueCode::Type, "must be a plain object of JSON values");
            None
        }
    }
}

/// JS value → JSON value as serde_wasm_bindgen's `from_value::<Value>` read it (null and undefined are
/// null, safe integers and BigInts in i64/u64 are integers, other numbers floats or null when not finite,
/// arrays, plain objects and `Map`s with string keys), written out: its generic deserializer cost ~12 KB
/// of wasm and linked core's float formatter through serde's error messages. `None`: a value JSON
/// cannot hold (function, symbol, bytes, other iterables, a BigInt out of range, a non-string Map key).
pub(super) fn json_of(value: &JsValue) -> Option<Value> {
    if value.loose_eq(&JsValue::NULL) {
        return Some(Value::Null);
    }
    if let Some(b) = value.as_bool() {
        return Some(Value::Bool(b));
    }
    if value.is_bigint() {
        return match i64::try_from(value.clone()) {
            Ok(n) => Some(Value::from(n)),
            Err(value) => u64::try_from(value).ok().map(Value::from),
        };
    }
    if let Some(n) = value.as_f64() {
        if js_sys::Number::is_safe_integer(value) {
            return Some(Value::from(n as i64));
        }
        return Some(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number));
    }
    if let Some(text) = value.as_string() {
        return Some(Value::String(text));
    }
    if let Some(array) = value.dyn_ref::<js_sys::Array>() {
        let mut items = Vec::with_capacity(array.length() as usize);
        for item in array.iter() {
            items.push(json_of(&item)?);
        }
        return Some(Value::Array(items));
    }
    if !value.is_object()
        || value.is_instance_of::<js_sys::Uint8Array>()
        || value.is_instance_of::<js_sys::ArrayBuffer>()
    {
        return None;
    }
    let mut map = serde_json::Map::new();
    if value.is_instance_of::<js_sys::Map>() {
        for entry in js_sys::try_iter(value).ok()?? {
            let pair: js_sys::Array = entry.ok()?.dyn_into().ok()?;
            map.insert(pair.get(0).as_string()?, json_of(&pair.get(1))?);
        }
        return Some(Value::Object(map));
    }
    if js_sys::Symbol::iterator().js_in(value) {
        return None;
    }
    for entry in js_sys::Object::entries(value.unchecked_ref()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        map.insert(pair.get(0).as_string()?, json_of(&pair.get(1))?);
    }
    Some(Value::Object(map))
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
