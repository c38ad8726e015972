//! JS error objects. The package registers its error classes once (`setErrorFactory`); until then,
//! plain `Error`s with the same `name` and fields are made.

use std::cell::RefCell;

use js_sys::{Function, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::api::error::ApiError;
use crate::input::issue::Issues;

thread_local! {
    static FACTORY: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// `factory(name, message, details)` returns an error instance of the class called `name`.
#[wasm_bindgen(js_name = setErrorFactory)]
pub fn set_error_factory(factory: Function) {
    FACTORY.with(|f| *f.borrow_mut() = Some(factory));
}

/// Builds an error; `details` holds `code` and any other fields (`status`, `traceId`, …).
pub fn make_error(name: &str, message: &str, details: &Object) -> JsValue {
    let made = FACTORY.with(|f| {
        f.borrow().as_ref().and_then(|factory| {
            factory.call3(&JsValue::UNDEFINED, &JsValue::from_str(name), &JsValue::from_str(message), details).ok()
        })
    });
    if let Some(error) = made {
        return error;
    }
    let error = js_sys::Error::new(message);
    error.set_name(name);
    let error: JsValue = error.into();
    let _ = Object::assign(error.unchecked_ref(), details);
    error
}

/// Details object builder: `details().code("X").status(404)…`.
pub struct Details(Object);

pub fn details(code: &str) -> Details {
    let object = Object::new();
    set(&object, "code", &JsValue::from_str(code));
    Details(object)
}

impl Details {
    pub fn field(self, key: &str, value: &JsValue) -> Details {
        set(&self.0, key, value);
        self
    }

    pub fn maybe(self, key: &str, value: Option<&str>) -> Details {
        match value {
            Some(v) => self.field(key, &JsValue::from_str(v)),
            None => self,
        }
    }

    pub fn error(self, name: &str, message: &str) -> JsValue {
        make_error(name, message, &self.0)
    }
}

pub fn simple_error(name: &str, code: &str, message: &str) -> JsValue {
    details(code).error(name, message)
}

pub fn validation_error(issues: &Issues) -> JsValue {
    let summary = issues
        .errors
        .iter()
        .map(|i| format!("{} {}", if i.field.is_empty() { &i.path } else { &i.field }, i.message))
        .collect::<Vec<_>>()
        .join("; ");
    details("VALIDATION_ERROR")
        .field("errors", &plain(&issues.errors))
        .field("warnings", &plain(&issues.warnings))
        .error("ValidationError", &format!("invalid input: {summary}"))
}

/// An API error response as the class its status calls for.
pub fn api_error(error: &ApiError, class_name: &str, retryable: bool, attempts: u32) -> JsValue {
    let mut d = details(&error.code)
        .field("status", &JsValue::from(error.status))
        .maybe("traceId", error.trace_id.as_deref())
        .field("retryable", &JsValue::from_bool(retryable))
        .field("attempts", &JsValue::from(attempts));
    if !error.validation.is_empty() {
        d = d.field("validation", &plain(&error.validation));
    }
    d.error(class_name, &error.message)
}

pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// The `message` of a JS error, or "request failed" when it has none.
pub(super) fn message_of(error: &JsValue) -> String {
    Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "request failed".to_owned())
}

/// A Rust value as a plain JS value for an error's fields, `null` if it cannot be converted: the
/// JSON route of `convert::to_js`, without the error that one makes (which is made here).
fn plain<T: Serialize>(value: &T) -> JsValue {
    serde_json::to_string(value).ok().and_then(|text| js_sys::JSON::parse(&text).ok()).unwrap_or(JsValue::NULL)
}
